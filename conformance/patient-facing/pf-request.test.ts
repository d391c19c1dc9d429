import assert from "node:assert/strict";
import { isUuid } from "../../gpconnect/uuid.ts";
import { MissingStepError, TemplateError } from "../runner/placeholders.ts";
import { buildPfRequest, type PfFillContext } from "./pf-request.ts";

const fill = (extra: Partial<PfFillContext> = {}): PfFillContext => ({
  roles: new Map([["rich-record", "9690937286"], ["no-allergies", "9690937278"]]),
  odsCode: "B82617",
  runClock: new Date("2026-12-05T10:00:00Z"),
  steps: new Map(),
  requestIds: new Map(),
  ...extra,
});

Deno.test("buildPfRequest: the platform's headers, the provider token, no Ssp-*", () => {
  const built = buildPfRequest(
    {
      api: "appointments-management",
      method: "GET",
      path: "/Patient/{nhsNumber}/Appointment?start=ge{today}",
      as: "rich-record",
    },
    {
      root: "https://gp.example/pf/am/",
      token: "opaque-token",
      caller: "9690937286",
      fill: fill(),
    },
  );
  assert.equal(
    built.url,
    "https://gp.example/pf/am/Patient/9690937286/Appointment?start=ge2026-12-05",
  );
  assert.equal(built.headers.get("authorization"), "Bearer opaque-token");
  assert.ok(isUuid(built.headers.get("x-request-id")));
  assert.ok(isUuid(built.headers.get("x-correlation-id")));
  assert.notEqual(built.headers.get("x-request-id"), built.headers.get("x-correlation-id"));
  assert.equal(built.requestId, built.headers.get("x-request-id"));
  assert.equal(built.headers.get("accept"), "application/fhir+json");
  assert.equal([...built.headers.keys()].filter((name) => name.startsWith("ssp-")).length, 0);
  assert.equal(built.body, undefined);
});

Deno.test("buildPfRequest: body placeholders, a removed header, another role, a retry's X-Request-ID", () => {
  const first = crypto.randomUUID();
  const built = buildPfRequest(
    {
      api: "user-permissions",
      method: "POST",
      path: "/Patient/{role.no-allergies.nhsNumber}",
      as: "none",
      headers: { "X-Correlation-ID": null, Prefer: "id={requestId}" },
      body: { focus: "MedicationRequest/{step.plans.entry.0.resource.id}", n: 3 },
      requestIdOf: "reorder",
    },
    {
      root: "https://gp.example/up",
      fill: fill({
        steps: new Map([["plans", { entry: [{ resource: { id: "plan-1" } }] }]]),
        requestIds: new Map([["reorder", first]]),
      }),
    },
  );
  assert.equal(built.url, "https://gp.example/up/Patient/9690937278");
  assert.equal(built.headers.get("authorization"), null);
  assert.equal(built.headers.get("x-correlation-id"), null);
  assert.equal(built.headers.get("x-request-id"), first);
  assert.equal(built.headers.get("prefer"), `id=${first}`);
  assert.equal(built.headers.get("content-type"), "application/json");
  assert.deepEqual(JSON.parse(built.body!), { focus: "MedicationRequest/plan-1", n: 3 });
  assert.equal(
    built.fillExpected("id = '{requestId}' and x = {braces}"),
    `id = '${first}' and x = {braces}`,
  );
});

Deno.test("buildPfRequest: what cannot be filled is a TemplateError, an unrun step a MissingStepError", () => {
  const request = {
    api: "access-record" as const,
    method: "GET",
    path: "/x/{nhsNumber}",
    as: "none",
  };
  assert.throws(() => buildPfRequest(request, { root: "https://r", fill: fill() }), TemplateError);
  assert.throws(
    () =>
      buildPfRequest({ ...request, path: "/{role.nobody.nhsNumber}" }, {
        root: "https://r",
        fill: fill(),
      }),
    /no fixture role nobody/,
  );
  assert.throws(
    () =>
      buildPfRequest({ ...request, path: "/Task/{step.reorder.id}" }, {
        root: "https://r",
        fill: fill(),
      }),
    MissingStepError,
  );
  assert.throws(
    () =>
      buildPfRequest({ ...request, path: "/x", requestIdOf: "reorder" }, {
        root: "https://r",
        fill: fill(),
      }),
    /sent no X-Request-ID/,
  );
});
