import assert from "node:assert/strict";
import type { AssertionResult } from "../model.ts";
import {
  emptyCaseOutcome,
  recordJudged,
  scenarioIdentity,
  setCaseError,
  startCase,
} from "./case-result.ts";

const identity = scenarioIdentity({
  id: "mesh.one",
  title: "One",
  product: "mesh",
  tags: ["t"],
  requirements: ["R1"],
});

function assertion(passed: boolean): AssertionResult {
  return { description: "status", passed, requirement: "R1" };
}

Deno.test("a finished case carries its identity, outcome and timing", () => {
  const finish = startCase(identity);
  const result = finish({ ...emptyCaseOutcome(), status: "skip", reason: "no server" });
  assert.equal(result.id, "mesh.one");
  assert.equal(result.interaction, undefined);
  assert.deepEqual(result.requirements, ["R1"]);
  assert.equal(result.status, "skip");
  assert.equal(result.reason, "no server");
  assert.ok(!Number.isNaN(Date.parse(result.startedAt)));
  assert.ok(result.durationMs >= 0);
  assert.equal("reason" in finish({ ...emptyCaseOutcome(), reason: undefined }), false);
});

Deno.test("a failed assertion fails the case and stops it; the first error stays", () => {
  const outcome = emptyCaseOutcome();
  assert.equal(recordJudged(outcome, [assertion(true)], []), true);
  assert.equal(outcome.status, "pass");
  assert.equal(recordJudged(outcome, [assertion(false)], []), false);
  assert.equal(outcome.status, "fail");
  assert.equal(outcome.assertions.length, 2);
  setCaseError(outcome, "first");
  setCaseError(outcome, "second");
  assert.equal(outcome.status, "error");
  assert.equal(outcome.reason, "first");
  recordJudged(outcome, [assertion(false)], []);
  assert.equal(outcome.status, "error");
});
