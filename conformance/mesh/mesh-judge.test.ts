import assert from "node:assert/strict";
import { judgeMesh, meshErrorOf, type MeshObserved } from "./mesh-judge.ts";
import type { MeshPlaceholderValues, StepAnswers } from "./mesh-placeholders.ts";
import type { MeshExpectation } from "./mesh-scenario.ts";

const values = (steps = new Map<string, StepAnswers>()): MeshPlaceholderValues => ({
  mailbox: "A11111OT1",
  sender: "A11111OT1",
  recipient: "Y88888OT1",
  workflow: "WF",
  replyWorkflow: "WF_ACK",
  odsCode: "B82617",
  caseId: "mesh.judge",
  run: "R1",
  now: 0,
  steps,
});

function observed(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): MeshObserved {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    status,
    headers: new Headers(headers),
    bytes: new TextEncoder().encode(text),
    json: typeof body === "string" ? undefined : body,
  };
}

const failed = (expect: MeshExpectation, answer: MeshObserved, steps?: Map<string, StepAnswers>) =>
  judgeMesh(expect, answer, { requirement: "R-DEFAULT", step: "s", values: values(steps) })
    .filter((a) => !a.passed);

Deno.test("MESH's error shapes: v2 detail[], v1 errorCode, plain errorDescription; others are not", () => {
  assert.deepEqual(meshErrorOf({ detail: [{ event: "SEND", code: "12", msg: "x" }] }), {
    codes: ["12"],
    events: ["SEND"],
  });
  assert.deepEqual(meshErrorOf({ errorEvent: "SEND", errorCode: "12", errorDescription: "x" }), {
    codes: ["12"],
    events: ["SEND"],
  });
  assert.deepEqual(meshErrorOf({ errorDescription: "x" }), { codes: [], events: [] });
  assert.equal(meshErrorOf({ message: "nope" }), undefined);
  assert.equal(meshErrorOf("<html>"), undefined);
});

Deno.test("status, code and the code's event from specs/mesh-error-codes.json", () => {
  const expect: MeshExpectation = { status: 417, error: { code: ["12"], requirement: "R-CODE" } };
  assert.deepEqual(failed(expect, observed(417, { detail: [{ event: "SEND", code: "12" }] })), []);
  const wrongEvent = failed(expect, observed(417, { detail: [{ event: "TRANSFER", code: "12" }] }));
  assert.deepEqual(wrongEvent.map((a) => [a.description, a.requirement]), [
    ["MESH error event SEND (specs/mesh-error-codes.json)", "R-CODE"],
  ]);
  const wrong = failed(expect, observed(400, { errorCode: "06", errorEvent: "TRANSFER" }));
  assert.deepEqual(wrong.map((a) => a.message), ["expected 417, got 400", "expected 12, got 06"]);
  const html = failed({ status: 403, error: {} }, observed(403, "Forbidden"));
  assert.equal(html.length, 1);
  assert.match(html[0]!.message!, /not JSON/);
});

Deno.test("headers: exact, /regex/ (case-insensitive names), <absent>; placeholders filled", () => {
  const answer = observed(200, "", {
    "Mex-Chunk-Range": "1:3",
    "Content-Type": "application/json",
  });
  assert.deepEqual(
    failed({
      status: 200,
      headers: { "mex-chunk-range": "1:3", "content-type": "/json/", "mex-From": "<absent>" },
    }, answer),
    [],
  );
  const bad = failed({
    status: 200,
    headers: { "mex-Chunk-Range": "2:3", "mex-To": "{recipient}" },
  }, answer);
  assert.deepEqual(bad.map((a) => a.description), ["mex-Chunk-Range: 2:3", "mex-To: Y88888OT1"]);
});

Deno.test("JSON checks: equals, matches, exists, contains, excludes, wildcard paths, steps' lists", () => {
  const steps = new Map<string, StepAnswers>([
    ["many", {
      bodies: [{ message_id: "a" }, { message_id: "b" }, { message_id: "c" }],
      headers: [],
    }],
    ["page1", { bodies: [{ messages: ["a", "b"] }], headers: [] }],
  ]);
  const answer = observed(200, { messages: ["c"], results: [{ mailbox_id: "B82617OT1" }], n: 2 });
  const check = (json: NonNullable<MeshExpectation["json"]>) =>
    failed({ status: 200, json }, answer, steps);
  assert.deepEqual(
    check([
      { path: "n", equals: 2, description: "equals" },
      { path: "messages.0", matches: "^c$", description: "matches" },
      { path: "links", exists: false, description: "absent" },
      { path: "results.*.mailbox_id", contains: "B82617OT1", description: "wildcard" },
      { path: "messages", excludes: "a", description: "excludes" },
      { path: "messages", excludesAllFrom: { step: "page1", path: "messages" }, description: "x" },
      {
        path: "messages",
        unionWith: ["page1"],
        containsAllFrom: { step: "many", path: "message_id" },
        description: "union",
      },
    ]),
    [],
  );
  const failures = check([
    { path: "messages", containsAllFrom: { step: "many", path: "message_id" }, description: "all" },
    { path: "messages.length", equals: 3, description: "three" },
    { path: "results", contains: "x", description: "not strings", requirement: "R-X" },
  ]);
  assert.deepEqual(failures.map((a) => [a.description, a.requirement]), [
    ["all", "R-DEFAULT"],
    ["three", "R-DEFAULT"],
    ["not strings", "R-X"],
  ]);
  assert.match(failures[0]!.message!, /lacks \["a","b"\]/);
});

Deno.test("body: exact bytes (seeded or text), empty", () => {
  assert.deepEqual(
    failed({ status: 200, body: { kind: "text", text: "" } }, observed(200, "")),
    [],
  );
  const wrong = failed({ status: 200, body: { kind: "text", text: "{run}" } }, observed(200, "R2"));
  assert.equal(wrong.length, 1);
  assert.deepEqual(
    failed({ status: 200, body: { kind: "text", text: "{run}" } }, observed(200, "R1")),
    [],
  );
});
