import assert from "node:assert/strict";
import { readScenarioDocument, readScenarioList, ScenarioFileError } from "./scenario-document.ts";
import { SchemaError } from "./schema-readers.ts";

const keys = ["product", "scenarios"];

function problem(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ScenarioFileError);
    return error.message;
  }
  assert.fail("expected a ScenarioFileError");
}

Deno.test("a document is a YAML mapping of known keys and x- extensions", () => {
  const raw = readScenarioDocument("f.yaml", "product: mesh\nx-note: hi\n", keys, "product");
  assert.deepEqual(raw, { product: "mesh", "x-note": "hi" });
  assert.match(
    problem(() => readScenarioDocument("f.yaml", "a: [", keys, "s")),
    /^f\.yaml: not valid YAML/,
  );
  assert.equal(
    problem(() => readScenarioDocument("f.yaml", "- 1\n", keys, "product and scenarios")),
    "f.yaml: must be a mapping with product and scenarios",
  );
  assert.equal(
    problem(() => readScenarioDocument("f.yaml", "colour: 1\nsize: 2\n", keys, "s")),
    "f.yaml: unknown keys colour, size",
  );
});

Deno.test("a list's schema problems name the scenario by id, else by place", () => {
  const reader = (item: unknown) => {
    if ((item as { ok?: boolean }).ok !== true) throw new SchemaError("ok", "must be true");
    return item;
  };
  const place = (i: number) => `#${i + 1}`;
  assert.equal(readScenarioList("f.yaml", "scenarios", [{ ok: true }], reader, place).length, 1);
  assert.equal(
    problem(() =>
      readScenarioList("f.yaml", "scenarios", [{ ok: true }, { id: "b" }], reader, place)
    ),
    "f.yaml: scenario b: ok: must be true",
  );
  assert.equal(
    problem(() => readScenarioList("f.yaml", "scenarios", [{}], reader, place)),
    "f.yaml: scenario #1: ok: must be true",
  );
  assert.equal(
    problem(() => readScenarioList("f.yaml", "flows", {}, reader, place)),
    "f.yaml: flows must be a list",
  );
  assert.throws(() =>
    readScenarioList("f.yaml", "s", [1], () => {
      throw new TypeError("bug");
    }, place), TypeError);
});
