import assert from "node:assert/strict";
import type { TransportRequest, TransportResponse } from "../target/transport.ts";
import type { MeshEndpoint } from "./mesh-endpoint.ts";
import { parseMeshScenarioFile } from "./mesh-scenario-loader.ts";
import { runMeshScenario } from "./run-mesh-case.ts";

const endpoint: MeshEndpoint = {
  url: "http://mesh.test",
  sender: { id: "A11111OT1", password: "p" },
  recipient: { id: "Y88888OT1", password: "q" },
  sharedKey: "k",
  workflow: "WF",
  replyWorkflow: "WF_ACK",
  adminApi: false,
  routing: false,
  ackWindowMs: 1000,
};

/** A MESH that answers from a script, recording what it was sent. */
function scripted(
  answers: Array<(request: TransportRequest, url: string) => Partial<TransportResponse>>,
) {
  const seen: Array<{ url: string; method: string; authorization: string | null }> = [];
  const send = (url: string, request: TransportRequest): Promise<TransportResponse> => {
    seen.push({ url, method: request.method, authorization: request.headers.get("authorization") });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!(request, url);
    const body = answer.body ?? "";
    return Promise.resolve({
      status: answer.status ?? 200,
      headers: answer.headers ?? new Headers({ "Content-Type": "application/json" }),
      body,
      bytes: new TextEncoder().encode(body),
    });
  };
  return { seen, send };
}

const scenario = (steps: string, needs = "") =>
  parseMeshScenarioFile(
    "mesh-t.yaml",
    `product: mesh\nscenarios:\n  - id: mesh.t\n    title: T\n    requirements: [R-1]\n${needs}    steps:\n${steps}`,
  ).mesh[0]!;

Deno.test("a retried step is sent again with a fresh token until it passes; only the last answer is kept", async () => {
  const mesh = scripted([
    () => ({ body: JSON.stringify({ status: "accepted" }) }),
    () => ({ body: JSON.stringify({ status: "accepted" }) }),
    () => ({ body: JSON.stringify({ status: "error" }) }),
  ]);
  const result = await runMeshScenario(
    scenario(`      - name: track
        retry: { attempts: 5, delayMs: 0 }
        request: { method: GET, path: "/{mailbox}/outbox/tracking?messageID=X" }
        expect: { status: 200, json: [{ path: status, equals: error, description: failed }] }
`),
    { endpoint, send: mesh.send, odsCode: "B82617" },
  );
  assert.equal(result.status, "pass");
  assert.equal(mesh.seen.length, 3);
  assert.equal(new Set(mesh.seen.map((s) => s.authorization)).size, 3);
  assert.equal(result.exchanges.length, 1);
  assert.equal(result.assertions.filter((a) => a.passed).length, 2);
});

Deno.test("a retried step that never passes fails with its last answer", async () => {
  const mesh = scripted([() => ({ body: JSON.stringify({ status: "accepted" }) })]);
  const result = await runMeshScenario(
    scenario(`      - name: track
        retry: { attempts: 3, delayMs: 0 }
        request: { method: GET, path: /x }
        expect: { status: 200, json: [{ path: status, equals: error, description: failed }], bodyExcludes: [accepted] }
`),
    { endpoint, send: mesh.send, odsCode: "B82617" },
  );
  assert.equal(result.status, "fail");
  assert.equal(mesh.seen.length, 3);
  assert.deepEqual(result.assertions.filter((a) => !a.passed).map((a) => a.description), [
    "failed",
    "the body does not hold accepted",
  ]);
});

Deno.test("what a case delivered to the harness's mailboxes is acknowledged afterwards, even when it failed", async () => {
  const mesh = scripted([
    () => ({ status: 202, body: JSON.stringify({ message_id: "M1" }) }),
    () => ({ status: 500, body: "{}" }),
    () => ({ status: 200 }),
  ]);
  const result = await runMeshScenario(
    scenario(`      - name: send
        request: { method: POST, path: "/{mailbox}/outbox", headers: { Mex-To: "{recipient}" }, body: x }
        expect: { status: 202 }
      - name: inbox
        request: { as: recipient, method: GET, path: "/{mailbox}/inbox" }
        expect: { status: 200 }
`),
    { endpoint, send: mesh.send, odsCode: "B82617" },
  );
  assert.equal(result.status, "fail");
  assert.deepEqual(mesh.seen.map((s) => `${s.method} ${s.url}`), [
    "POST http://mesh.test/messageexchange/A11111OT1/outbox",
    "GET http://mesh.test/messageexchange/Y88888OT1/inbox",
    "PUT http://mesh.test/messageexchange/Y88888OT1/inbox/M1/status/acknowledged",
  ]);
  assert.equal(result.exchanges.at(-1)?.step, "teardown:acknowledge");
});

Deno.test("needs the target lacks skip the case saying which; an unfillable placeholder is an error", async () => {
  const mesh = scripted([() => ({})]);
  const routing = await runMeshScenario(
    scenario(
      "      - { name: a, request: { method: GET, path: /x }, expect: { status: 200 } }\n",
      "    needs: [routing]\n",
    ),
    { endpoint, send: mesh.send, odsCode: "B82617" },
  );
  assert.equal(routing.status, "skip");
  assert.match(routing.reason!, /--mesh-routing/);
  const role = await runMeshScenario(
    scenario(
      '      - { name: a, request: { method: GET, path: "/{role.rich-record.family}" }, expect: { status: 200 } }\n',
    ),
    { endpoint, send: mesh.send, odsCode: "B82617" },
  );
  assert.equal(role.status, "error");
  assert.match(role.reason!, /fixture role rich-record is not in the manifest/);
  assert.equal(mesh.seen.length, 0);
});
