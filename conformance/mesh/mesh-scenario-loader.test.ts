import assert from "node:assert/strict";
import { loadRequirements } from "../scenarios/requirements.ts";
import { loadMeshScenarioFiles, parseMeshScenarioFile } from "./mesh-scenario-loader.ts";

const requirementIds = new Set((await loadRequirements()).map((r) => r.id));

Deno.test("the MESH scenario files load: ids unique, requirements known, every MESH requirement verified", async () => {
  const { mesh, messaging } = await loadMeshScenarioFiles({ requirementIds });
  assert.ok(mesh.length >= 40, `${mesh.length} MESH API scenarios`);
  const named = new Set(mesh.flatMap((s) => [
    ...s.requirements,
    ...s.steps.flatMap((step) => step.requirement ?? []),
  ]));
  const meshRequirements = [...requirementIds].filter((id) => id.startsWith("MESH-"));
  assert.deepEqual(meshRequirements.filter((id) => !named.has(id)), []);
  for (const scenario of messaging) assert.equal(scenario.product, "messaging");
});

Deno.test("auth and body shorthands normalise; defaults fill in", () => {
  const { mesh } = parseMeshScenarioFile(
    "mesh-x.yaml",
    `product: mesh
scenarios:
  - id: mesh.x
    title: X
    requirements: [MESH-AUTH-VALID]
    steps:
      - name: a
        request: { method: post, path: "/{mailbox}", auth: wrong-hmac, body: "hi" }
        expect: { status: [200, 202], error: { code: "12" } }
      - name: b
        request:
          as: recipient
          method: GET
          path: /x
          auth: { timestampOffsetMinutes: -130 }
          body: { bytes: 10, seed: s }
        expect: { status: 200, headers: { mex-Chunk-Range: 2 } }
`,
  );
  const [a, b] = mesh[0]!.steps;
  assert.deepEqual(a!.request, {
    as: "sender",
    method: "POST",
    path: "/{mailbox}",
    auth: { kind: "wrong-hmac" },
    body: { kind: "text", text: "hi" },
  });
  assert.deepEqual(a!.expect, { status: [200, 202], error: { code: ["12"] } });
  assert.deepEqual(b!.request.auth, { kind: "timestamp-offset", minutes: -130 });
  assert.deepEqual(b!.request.body, { kind: "bytes", size: 10, seed: "s" });
  assert.deepEqual(b!.expect.headers, { "mex-Chunk-Range": "2" });
  assert.deepEqual(mesh[0]!.needs, []);
});

Deno.test("bad MESH scenarios are refused naming the file, the scenario and the place", () => {
  const bad = (body: string, pattern: RegExp) =>
    assert.throws(() => parseMeshScenarioFile("mesh-bad.yaml", body), pattern);
  bad("product: html\nscenarios: []\n", /mesh-bad.yaml: product must be mesh or messaging/);
  const scenario = (step: string) =>
    `product: mesh\nscenarios:\n  - id: mesh.bad\n    title: T\n    requirements: [R]\n    steps:\n${step}`;
  bad(
    scenario("      - { name: a, request: { method: GET, path: x }, expect: { status: 200 } }\n"),
    /scenario mesh.bad: steps\[0\].request.path: must start with \//,
  );
  bad(
    scenario(
      "      - { name: a, request: { method: GET, path: /x, auth: magic }, expect: { status: 200 } }\n",
    ),
    /steps\[0\].request.auth: must be one of/,
  );
  bad(
    scenario(
      "      - { name: a, request: { method: GET, path: /x }, expect: { status: 200, json: [{ path: a, description: d }] } }\n",
    ),
    /json\[0\]: needs exactly one of/,
  );
  bad(
    `product: messaging\nscenarios:\n  - id: messaging.bad\n    title: T\n    requirements: [R]\n    send: { message: send-document, patientRole: rich-record, twice: true }\n    expect: { infAck: { codes: ["20013"] }, busAck: absent, meshAcknowledged: true }\n`,
    /expect.duplicate: is given exactly when send.twice is true/,
  );
});
