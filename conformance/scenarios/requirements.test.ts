import assert from "node:assert/strict";
import { join } from "node:path";
import { interactions } from "../../gpconnect/specs.ts";
import { loadRequirements } from "./requirements.ts";

Deno.test("the requirement list: unique ids, one sentence, a source and products each", async () => {
  const requirements = await loadRequirements();
  assert.equal(new Set(requirements.map((r) => r.id)).size, requirements.length);
  for (const requirement of requirements) {
    assert.match(requirement.id, /^[A-Z0-9]+(-[A-Z0-9]+)+$/, requirement.id);
    assert.match(requirement.text, /\.$/, requirement.id);
    // Each source one repository and one file (several separated by "; "): NHS England's GP
    // Connect pages and test packs (nhsconnect/…), or MESH's specification, sandbox and clients
    // (NHSDigital/…).
    for (const source of requirement.source.split("; ")) {
      assert.match(
        source,
        /^(nhsconnect|NHSDigital)\/[\w.-]+ \S+\.(md|feature|yaml|yml|py|dart)$/,
        requirement.id,
      );
    }
  }
});

Deno.test("every product of the interaction catalogue has requirements", async () => {
  const requirements = await loadRequirements();
  const without = [...new Set(interactions.map((interaction) => interaction.product))].filter(
    (product) => !requirements.some((requirement) => requirement.products.includes(product)),
  );
  assert.deepEqual(without, []);
});

Deno.test("a requirements file with a duplicate or a bad product is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "requirements.json");
    const row = { id: "A-B", text: "T.", source: "s", products: ["html"] };
    await Deno.writeTextFile(file, JSON.stringify({ requirements: [row, row] }));
    await assert.rejects(loadRequirements(file), /requirement A-B: duplicate id/);
    await Deno.writeTextFile(
      file,
      JSON.stringify({ requirements: [{ ...row, products: ["ssp"] }] }),
    );
    await assert.rejects(loadRequirements(file), /products must list/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
