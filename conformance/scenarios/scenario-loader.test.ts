import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkScenarioFiles,
  loadScenarioFiles,
  parseScenarioFile,
  ScenarioFileError,
} from "./scenario-loader.ts";

const minimal = `
product: foundations
x-request: &request { interaction: read-metadata, path: /metadata }
scenarios:
  - id: a.one
    title: One
    requirements: [FND-METADATA]
    request: *request
    expect: { status: 200 }
  - id: a.two
    title: Two
    product: structured
    requirements: [STR-METADATA]
    request: { <<: *request, interaction: structured-metadata }
    mutations: [{ kind: set-claim, claim: iat, value: "{epoch}" }]
    expect: { status: [200, 201], viaSsp: { status: 415 } }
flows:
  - id: a.flow
    title: Flow
    requirements: [FND-METADATA]
    steps:
      - { name: first, request: *request, expect: { status: 200 } }
    teardown:
      - { name: last, request: *request, expect: { status: 200 } }
`;

function errorOf(source: string): string {
  try {
    parseScenarioFile("bad.yaml", source);
  } catch (error) {
    assert.ok(error instanceof ScenarioFileError);
    return error.message;
  }
  throw new Error("no error");
}

Deno.test("a file: anchors and merge keys, file product default, short names become URNs", () => {
  const { scenarios, flows } = parseScenarioFile("a.yaml", minimal);
  assert.equal(scenarios.length, 2);
  assert.equal(scenarios[0]!.product, "foundations");
  assert.equal(scenarios[0]!.tags.length, 0);
  assert.equal(
    scenarios[0]!.request.interaction,
    "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
  );
  assert.equal(scenarios[1]!.product, "structured");
  assert.equal(
    scenarios[1]!.request.interaction,
    "urn:nhs:names:services:gpconnect:structured:fhir:rest:read:metadata-1",
  );
  assert.deepEqual(scenarios[1]!.expect, { status: [200, 201], viaSsp: { status: 415 } });
  assert.equal(flows[0]!.teardown?.[0]?.name, "last");
});

Deno.test("a malformed scenario names the file, the scenario and the place", () => {
  const bad = minimal.replace(
    "expect: { status: 200 }\n  - id: a.two",
    "expect: { status: 999 }\n  - id: a.two",
  );
  assert.match(errorOf(bad), /^bad\.yaml: scenario a\.one: expect\.status: must be an HTTP status/);
  assert.match(
    errorOf(minimal.replace("path: /metadata", "path: metadata")),
    /scenario a\.one: request\.path: must start with \//,
  );
  assert.match(
    errorOf(minimal.replace("title: One", "title: One\n    colour: red")),
    /scenario a\.one: scenario: unknown key colour/,
  );
  assert.match(
    errorOf(minimal.replace("kind: set-claim", "kind: set-colour")),
    /scenario a\.two: mutations\[0\]\.kind: unknown mutation kind/,
  );
  assert.match(errorOf("scenarios: [\n"), /^bad\.yaml: not valid YAML/);
  assert.match(errorOf("colours: []"), /^bad\.yaml: unknown keys colours/);
});

Deno.test("an unknown interaction is rejected", () => {
  assert.match(
    errorOf(minimal.replace("interaction: structured-metadata", "interaction: read-colour")),
    /scenario a\.two: request\.interaction: unknown interaction read-colour/,
  );
});

Deno.test("flows: steps need unique names", () => {
  assert.match(
    errorOf(minimal.replace("name: last", "name: first")),
    /scenario a\.flow: teardown\[0\]\.name: step name first is used twice/,
  );
});

Deno.test("duplicate ids, unknown roles and unknown requirements are rejected across files", () => {
  const one = parseScenarioFile("one.yaml", minimal);
  assert.throws(
    () => checkScenarioFiles([["one.yaml", one], ["two.yaml", one]]),
    /two\.yaml: scenario a\.one: duplicate id \(first in one\.yaml\)/,
  );
  const role = parseScenarioFile(
    "r.yaml",
    minimal.replace("path: /metadata }", "path: /metadata, patientRole: nobody }"),
  );
  assert.throws(
    () => checkScenarioFiles([["r.yaml", role]]),
    /r\.yaml: scenario a\.one: unknown fixture role nobody/,
  );
  assert.throws(
    () => checkScenarioFiles([["one.yaml", one]], new Set(["FND-METADATA"])),
    /one\.yaml: scenario a\.two: unknown requirement STR-METADATA/,
  );
  checkScenarioFiles([["one.yaml", one]], new Set(["FND-METADATA", "STR-METADATA"]));
});

Deno.test("a directory loads its yaml files in name order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "b.yaml"), minimal);
    await Deno.writeTextFile(join(dir, "a.yaml"), "product: html\nscenarios: []\n");
    await Deno.writeTextFile(join(dir, "notes.txt"), "ignored");
    const { scenarios, flows } = await loadScenarioFiles({ scenariosDir: dir });
    assert.deepEqual(scenarios.map((s) => s.id), ["a.one", "a.two"]);
    assert.equal(flows.length, 1);
    await Deno.writeTextFile(join(dir, "c.yaml"), minimal);
    await assert.rejects(
      loadScenarioFiles({ scenariosDir: dir }),
      /c\.yaml: scenario a\.one: duplicate id/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the shipped scenario files load", async () => {
  const { scenarios, flows } = await loadScenarioFiles();
  assert.ok(scenarios.length > 150);
  assert.ok(flows.length >= 10);
});
