import assert from "node:assert/strict";
import type { Flow, Scenario, TestCase } from "../model.ts";
import { type CaseContext, caseRoles, runCase } from "./run-case.ts";
import {
  evaluate,
  fhirResponse,
  operationOutcome,
  stubTarget,
  testBuildContext,
} from "./test-support.ts";

/** The profile GP Connect mandates for an Appointment (the harness checks every resource claims it). */
const profile = ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"];

const READ_APPT = "urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1";
const BOOK = "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1";
const CANCEL = "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1";
const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

const fhirPathHolds = () => true;

function context(
  target: ReturnType<typeof stubTarget>,
  roleProblems = new Map<string, string>(),
): CaseContext {
  return { target, build: testBuildContext(target), fhirPathHolds, roleProblems };
}

const bookFlow: Flow = {
  id: "appointments.book-read-cancel",
  title: "book, read back, cancel",
  product: "appointments",
  tags: ["flow"],
  requirements: ["APPT-BOOK"],
  steps: [
    {
      name: "book",
      request: {
        interaction: BOOK,
        patientRole: "rich-record",
        path: "/Appointment",
        body: { resourceType: "Appointment" },
      },
      expect: { status: 201 },
    },
    {
      name: "read",
      request: { interaction: READ_APPT, path: "/Appointment/{step.book.id}" },
      expect: { status: 200, resourceType: "Appointment" },
    },
    {
      name: "again",
      request: { interaction: READ_APPT, path: "/Appointment/{step.book.id}" },
      expect: { status: 200 },
    },
  ],
  teardown: [
    {
      name: "cancel",
      request: {
        interaction: CANCEL,
        path: "/Appointment/{step.book.id}",
        headers: { "If-Match": 'W/"{step.book.meta.versionId}"' },
        body: { status: "cancelled" },
      },
      expect: { status: 200 },
    },
  ],
};

Deno.test("a flow stops at the first failing step and still runs its teardown", async () => {
  const target = stubTarget((request) => {
    if (request.method === "POST") {
      return fhirResponse(201, {
        resourceType: "Appointment",
        id: "a1",
        meta: { versionId: "4", profile },
      });
    }
    if (request.method === "PUT") {
      return fhirResponse(200, {
        resourceType: "Appointment",
        id: "a1",
        meta: { profile },
        status: "cancelled",
      });
    }
    return fhirResponse(404, operationOutcome("NO_RECORD_FOUND"));
  });
  const result = await runCase({ kind: "flow", flow: bookFlow, readOnly: false }, context(target));
  assert.equal(result.status, "fail");
  assert.deepEqual(target.received.map((r) => `${r.method} ${r.url.replace(/^.*\/fhir/, "")}`), [
    "POST /Appointment",
    "GET /Appointment/a1",
    "PUT /Appointment/a1",
  ]);
  assert.equal(target.received[2]?.headers.get("if-match"), 'W/"4"');
  assert.deepEqual(result.exchanges.map((e) => e.step), ["book", "read", "teardown:cancel"]);
  assert.ok(result.assertions.some((a) => a.step === "teardown:cancel" && a.passed));
  assert.equal(result.interaction, BOOK);
  assert.ok(result.assertions.every((a) => a.requirement !== undefined));
});

Deno.test("a teardown whose step never ran is skipped; a transport error makes the flow an error", async () => {
  const target = stubTarget(() => Promise.reject(new Error("connection refused")));
  const result = await runCase({ kind: "flow", flow: bookFlow, readOnly: false }, context(target));
  assert.equal(result.status, "error");
  assert.equal(result.reason, "step book: transport: connection refused");
  assert.equal(target.received.length, 1);
  assert.deepEqual(result.exchanges.map((e) => e.step), ["book"]);
});

Deno.test("a flow passes when every step and the teardown pass", async () => {
  const target = stubTarget((request) =>
    request.method === "POST"
      ? fhirResponse(201, {
        resourceType: "Appointment",
        id: "a1",
        meta: { versionId: "1", profile },
      })
      : fhirResponse(200, { resourceType: "Appointment", id: "a1", meta: { profile } })
  );
  const result = await runCase({ kind: "flow", flow: bookFlow, readOnly: false }, context(target));
  assert.equal(result.status, "pass", JSON.stringify(result.assertions.filter((a) => !a.passed)));
  assert.equal(target.received.length, 4);
});

Deno.test("a failing teardown fails an otherwise passing flow", async () => {
  const target = stubTarget((request) =>
    request.method === "PUT"
      ? fhirResponse(409, operationOutcome("FHIR_CONSTRAINT_VIOLATION"))
      : fhirResponse(request.method === "POST" ? 201 : 200, {
        resourceType: "Appointment",
        id: "a1",
        meta: { versionId: "1" },
      })
  );
  const result = await runCase({ kind: "flow", flow: bookFlow, readOnly: false }, context(target));
  assert.equal(result.status, "fail");
});

const scenario: Scenario = {
  id: "foundations.metadata",
  title: "metadata",
  product: "foundations",
  tags: ["positive"],
  requirements: ["FND-META", "OTHER"],
  request: { interaction: METADATA, path: "/metadata" },
  expect: { status: 200, resourceType: "CapabilityStatement" },
};

Deno.test("a scenario passes or fails on its assertions, with the scenario's first requirement", async () => {
  const pass = await runCase(
    { kind: "scenario", scenario, readOnly: true },
    context(stubTarget(() => fhirResponse(200, { resourceType: "CapabilityStatement" }))),
  );
  assert.equal(pass.status, "pass");
  assert.equal(pass.assertions[0]?.requirement, "FND-META");
  assert.equal(pass.exchanges.length, 1);
  const fail = await runCase(
    { kind: "scenario", scenario, readOnly: true },
    context(stubTarget(() => fhirResponse(200, { resourceType: "Bundle" }))),
  );
  assert.equal(fail.status, "fail");
  assert.equal(fail.reason, undefined);
});

Deno.test("a case using a role the preflight rejected is not run, naming the role; nothing is sent", async () => {
  const target = stubTarget(() => fhirResponse(200, {}));
  const testCase: TestCase = {
    kind: "scenario",
    scenario: { ...scenario, request: { ...scenario.request, patientRole: "rich-record" } },
    readOnly: true,
  };
  assert.deepEqual(caseRoles(testCase), ["rich-record"]);
  const result = await runCase(
    testCase,
    context(
      target,
      new Map([["rich-record", "role rich-record (9690937286) must exist on the target but …"]]),
    ),
  );
  assert.equal(result.status, "not-run");
  assert.equal(result.reason, "fixture role not ready (preflight): rich-record");
  assert.equal(target.received.length, 0);
});

Deno.test("a scenario that cannot be built is an error saying why", async () => {
  const target = stubTarget(() => fhirResponse(200, {}));
  const testCase: TestCase = {
    kind: "scenario",
    scenario: { ...scenario, request: { ...scenario.request, path: "/x/{oops}" } },
    readOnly: true,
  };
  const result = await runCase(testCase, context(target));
  assert.equal(result.status, "error");
  assert.equal(result.reason, "cannot build the request: unknown placeholder {oops}");
});

Deno.test("a response the harness cannot judge is an error with its exchange; the flow's teardown still runs", async () => {
  const target = stubTarget((request) =>
    request.method === "POST"
      ? fhirResponse(201, {
        resourceType: "Appointment",
        id: "a1",
        meta: { versionId: "1", profile },
      })
      : fhirResponse(200, { resourceType: "Appointment", id: "a1", meta: { profile } })
  );
  // An expectation whose header pattern is no regular expression: judging it throws.
  const broken: Flow = {
    ...bookFlow,
    steps: [{
      ...bookFlow.steps[0]!,
      expect: { status: 201, headers: { "Cache-Control": "/(/" } },
    }],
  };
  const result = await runCase({ kind: "flow", flow: broken, readOnly: false }, context(target));
  assert.equal(result.status, "error");
  assert.match(result.reason ?? "", /^step book: cannot judge the response: SyntaxError: /);
  assert.deepEqual(result.exchanges.map((e) => e.step), ["book", "teardown:cancel"]);
});

Deno.test("a validator that throws makes the case an error naming why, not an exception", async () => {
  const target = stubTarget(() => fhirResponse(200, { resourceType: "CapabilityStatement" }));
  const validator = {
    profiles: [],
    validate(): never {
      throw new RangeError("validator bug");
    },
  };
  const result = await runCase(
    {
      kind: "scenario",
      scenario: { ...scenario, expect: { status: 200, validate: true } },
      readOnly: true,
    },
    { ...context(target), validator },
  );
  assert.equal(result.status, "error");
  assert.equal(result.reason, "cannot judge the response: RangeError: validator bug");
  assert.equal(result.exchanges.length, 1);
});

Deno.test("a flow evaluates each step FHIRPath placeholder once per response", async () => {
  const target = stubTarget((request) =>
    request.method === "GET" && request.url.endsWith("/Slot")
      ? fhirResponse(200, { resourceType: "Bundle", entry: [{ resource: { id: "s1" } }] })
      : fhirResponse(200, { resourceType: "Appointment", id: "a1", meta: { profile } })
  );
  const calls: string[] = [];
  const evaluateFhirPath = (resource: unknown, expression: string) => {
    calls.push(expression);
    return evaluate(resource, expression);
  };
  const slot = "{step.slots:entry.resource.first().id}";
  const flow: Flow = {
    id: "appointments.slot-twice",
    title: "a slot id used in two requests",
    product: "appointments",
    tags: ["flow"],
    requirements: ["APPT-BOOK"],
    steps: [
      {
        name: "slots",
        request: { interaction: READ_APPT, path: "/Slot" },
        expect: { status: 200 },
      },
      ...["first", "second"].map((name) => ({
        name,
        request: { interaction: READ_APPT, path: `/Appointment/${slot}?again=${slot}` },
        expect: { status: 200 },
      })),
    ],
  };
  const base = context(target);
  const result = await runCase(
    { kind: "flow", flow, readOnly: false },
    { ...base, build: { ...base.build, evaluateFhirPath } },
  );
  assert.equal(result.status, "pass", JSON.stringify(result));
  assert.deepEqual(target.received.slice(1).map((r) => r.url.replace(/^.*\/fhir/, "")), [
    "/Appointment/s1?again=s1",
    "/Appointment/s1?again=s1",
  ]);
  assert.deepEqual(calls, ["entry.resource.first().id"]);
});
