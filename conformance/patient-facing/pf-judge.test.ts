import assert from "node:assert/strict";
import type { AssertionResult } from "../model.ts";
import { fhirPathHolds } from "../validation/fhirpath-assert.ts";
import { judgePf, r4SpineCodeSystem } from "./pf-judge.ts";
import type { PfExpectation } from "./pf-scenario.ts";

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    status,
    headers: new Headers({
      "Content-Type": typeof body === "string" ? "text/html" : "application/fhir+json",
      "Cache-Control": "no-store",
      ...headers,
    }),
    text,
    body: typeof body === "string" ? undefined : body,
  };
}

function judged(expect: PfExpectation, response: ReturnType<typeof answer>, extra = {}) {
  return judgePf(expect, response, {
    requirement: "PF-X",
    steps: new Map(),
    fhirPathHolds,
    ...extra,
  }).assertions;
}

const failed = (assertions: AssertionResult[]) =>
  assertions.filter((a) => !a.passed).map((a) => a.requirement);

const outcome = (system: string, code: string) => ({
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code: "invalid", details: { coding: [{ system, code }] } }],
});

Deno.test("judgePf: a Spine code under the R4 or the STU3 system; an HTML error fails PF-ERR-OUTCOME", () => {
  const r4 = answer(400, outcome(r4SpineCodeSystem, "INVALID_RESOURCE_ID"));
  assert.deepEqual(failed(judged({ status: 400, spineCode: "INVALID_RESOURCE_ID" }, r4)), []);
  const stu3 = answer(
    409,
    outcome("https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1", "DUPLICATE_REJECTED"),
  );
  assert.deepEqual(failed(judged({ status: 409, spineCode: "DUPLICATE_REJECTED" }, stu3)), []);
  assert.deepEqual(
    failed(
      judged(
        { status: 409, spineCode: "DUPLICATE_REJECTED" },
        answer(409, outcome("urn:other", "DUPLICATE_REJECTED")),
      ),
    ),
    ["PF-X"],
    "a code under another system is not a Spine code",
  );
  const html = answer(500, "<html>Internal Server Error</html>");
  assert.deepEqual(failed(judged({ status: 400, spineCode: "BAD_REQUEST" }, html)), [
    "PF-X",
    "PF-X",
    "PF-ERR-OUTCOME",
  ]);
});

Deno.test("judgePf: Bundle.id and the mirrored X-Request-ID credit their own rules; no-store is PF-NO-STORE", () => {
  const id = crypto.randomUUID();
  const bundle = { resourceType: "Bundle", id, type: "collection" };
  const good = answer(200, bundle, { "X-Request-ID": id });
  const expect = { status: 200, bundleIdIsRequestId: true, mirrorsRequestId: true };
  assert.deepEqual(failed(judged(expect, good, { requestId: id })), []);
  const other = answer(200, { ...bundle, id: crypto.randomUUID() }, { "X-Request-ID": "x" });
  assert.deepEqual(failed(judged(expect, other, { requestId: id })), [
    "PF-AR-BUNDLE-ID",
    "PF-REQUEST-ID",
  ]);
  const cached = answer(200, bundle, { "Cache-Control": "max-age=60", "X-Request-ID": id });
  assert.deepEqual(failed(judged(expect, cached, { requestId: id })), ["PF-NO-STORE"]);
  // A searchset check the shared judge credits to GP Connect's rule is the step's rule here.
  assert.deepEqual(failed(judged({ status: 200, bundleType: "searchset" }, good)), ["PF-X"]);
});

Deno.test("judgePf: token endpoint answers, and a retry's resource is the first one", () => {
  const token = answer(200, { access_token: "t", token_type: "Bearer", expires_in: 3600 });
  assert.deepEqual(failed(judged({ status: 200, oauth: "token" }, token)), []);
  assert.deepEqual(
    failed(judged({ status: 200, oauth: "token" }, answer(200, { token_type: "Bearer" }))),
    ["PF-X"],
  );
  const refusal = answer(401, { error: "invalid_client", error_description: "no" });
  // An OAuth error is JSON but no OperationOutcome: the error-shape rule does not apply to it.
  assert.deepEqual(failed(judged({ status: [400, 401], oauth: "error" }, refusal)), []);
  assert.deepEqual(
    failed(
      judged(
        { status: [400, 401], oauth: "error" },
        answer(401, { access_token: "t", error: "x" }),
      ),
    ),
    ["PF-X"],
  );
  const steps = new Map([["reorder", { resourceType: "Task", id: "task-1" }]]);
  const same = answer(200, { resourceType: "Task", id: "task-1" });
  assert.deepEqual(failed(judged({ status: 200, sameIdAs: "reorder" }, same, { steps })), []);
  // A retry refused as a duplicate is allowed too (R28: 409 or the first result).
  const refused = answer(
    409,
    outcome("https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1", "DUPLICATE_REJECTED"),
  );
  const retry = { status: [200, 201, 409], spineCode: "DUPLICATE_REJECTED", sameIdAs: "reorder" };
  assert.deepEqual(failed(judged(retry, refused, { steps })), []);
  assert.deepEqual(failed(judged(retry, same, { steps })), []);
  const second = answer(201, { resourceType: "Task", id: "task-2" });
  assert.deepEqual(
    failed(
      judged(
        { status: [200, 201], sameIdAs: "reorder", requirement: "PF-RX-RETRY-SAME-TASK" },
        second,
        { steps },
      ),
    ),
    ["PF-RX-RETRY-SAME-TASK"],
  );
});

Deno.test("judgePf: r4Structure judges a 2xx resource (a Bundle's entries too), credited to PF-R4-STRUCTURE", () => {
  const request = {
    resourceType: "MedicationRequest",
    id: "1",
    status: "active",
    intent: "plan",
    subject: { reference: "Patient/9690937286" },
  };
  const bundle = (resource: unknown) => ({
    resourceType: "Bundle",
    id: "b",
    type: "searchset",
    entry: [{ resource }],
  });
  const expect: PfExpectation = { status: 200, r4Structure: true };
  const sound = judged(expect, answer(200, bundle(request)));
  assert.deepEqual(sound.filter((a) => a.requirement === "PF-R4-STRUCTURE").length, 1);
  assert.deepEqual(failed(sound), []);
  const broken = judged(expect, answer(200, bundle({ ...request, intent: "wish" })));
  assert.deepEqual(failed(broken), ["PF-R4-STRUCTURE"]);
  assert.match(broken.find((a) => !a.passed)?.message ?? "", /intent: "wish" is not a intent code/);
  assert.deepEqual(
    failed(judged(expect, answer(200, { resourceType: "OperationOutcome", issue: "x" }))),
    ["PF-R4-STRUCTURE"],
    "a body the checker cannot walk fails rather than throws",
  );
  // An error answer, or a body that is no resource, is not judged for structure.
  const refused = judged(
    { status: [200, 409], r4Structure: true },
    answer(409, outcome(r4SpineCodeSystem, "DUPLICATE_REJECTED")),
  );
  assert.equal(refused.some((a) => a.requirement === "PF-R4-STRUCTURE"), false);
});
