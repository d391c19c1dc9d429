import assert from "node:assert/strict";
import { join } from "node:path";
import { readScenarioSources } from "./scenario-dir.ts";

Deno.test("reads the wanted files sorted by name, from a path or a URL", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "pf-b.yaml"), "b");
    await Deno.writeTextFile(join(dir, "pf-a.yaml"), "a");
    await Deno.writeTextFile(join(dir, "mesh-c.yaml"), "c");
    await Deno.mkdir(join(dir, "pf-dir.yaml"));
    const wanted = (name: string) => name.startsWith("pf-");
    const fromPath = await readScenarioSources(dir, wanted);
    assert.deepEqual(fromPath, [{ name: "pf-a.yaml", source: "a" }, {
      name: "pf-b.yaml",
      source: "b",
    }]);
    const fromUrl = await readScenarioSources(new URL(`file://${dir}/`), wanted);
    assert.deepEqual(fromUrl, fromPath);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reads this repository's scenarios by default", async () => {
  const files = await readScenarioSources(undefined, (name) => name.startsWith("pf-"));
  assert.ok(files.length > 0);
  assert.ok(files.every((file) => file.name.startsWith("pf-") && file.source.length > 0));
});
