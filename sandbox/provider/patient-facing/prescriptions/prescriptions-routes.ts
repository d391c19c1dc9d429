/**
 * Prescriptions (FHIR R4, UK Core) at the practice (A1; issue 13 item 1), under
 * `/{ODS}/patient-facing/prescriptions-management-fhir/FHIR/R4`, behind the patient-facing
 * duties: the token's patient only (another NHS number 403 ACCESS_DENIED, another patient's
 * resource 404 RESOURCE_NOT_FOUND), `prescriptions` level `view` to read and `manage` to reorder
 * or cancel (R29: 403 ACCESS_DENIED otherwise, enforced here too, not only by the platform).
 *
 * | Route | Answer |
 * |---|---|
 * | `GET /Patient/{nhs}/MedicationRequest` | searchset: plans and issues (authoredon, identifier, intent, status) |
 * | `GET /Patient/{nhs}/MedicationStatement` | searchset |
 * | `GET /MedicationRequest/{id}`, `GET /PractitionerRole/{id}` | the resource |
 * | `POST /Task` | 201 Task (reorder a repeat plan); 409 DUPLICATE_REJECTED while one is open; 422 REFERENCE_NOT_FOUND for a focus that is not the patient's plan |
 * | `GET /Task?patient={nhs}[&_include=Task:focus]`, `GET /Task/{id}` | searchset (with the plans reordered) / the Task |
 * | `PATCH /Task/{id}` | JSON Patch status → cancelled (only from requested: 400 INVALID_REQUEST_STATE) |
 *
 * A write retried with the same `X-Request-ID` gets the first result (R28); each patient has a
 * write limit (429 with Retry-After, API6). Bundle.id is the `X-Request-ID`.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { isValidNhsNumber } from "../../../../gpconnect/nhs-number.ts";
import type { ProviderRoutesOptions } from "../../provider-routes-options.ts";
import { type PfEnv, requireLevel } from "../pf-duties.ts";
import { accessDenied, invalidResource, PfError } from "../pf-error.ts";
import { prescriptionsAllow } from "../user-permissions/permission-levels.ts";
import { patientMedication, type R4Resource } from "./medication-r4.ts";
import { searchMedicationRequests } from "./medication-search.ts";
import { practitionerRole } from "./practitioner-role-r4.ts";
import { prescriptionTasks, type TaskWrite, type WriteLimit } from "./prescription-tasks.ts";
import { checkCancelPatch, referenceNotFound, reorderRequest } from "./task-request.ts";
import { taskResource } from "./task-resource.ts";

/** The default per-patient write limit. */
export const defaultPrescriptionWriteLimit: WriteLimit = { limit: 30, windowSeconds: 3600 };

const resourceNotFound = (what: string) =>
  new PfError(
    404,
    "RESOURCE_NOT_FOUND",
    "not-found",
    "Resource not found",
    `${what} was not found`,
  );

const fhirHeaders = { "Content-Type": "application/fhir+json" };

/**
 * Adds the Prescriptions routes under `root` to `app` (after the duties).
 *
 * @example
 * ```ts
 * // prescriptionsRoutes(app, { root: rxRoot, routes: routesOptions, writeLimit: undefined });
 * ```
 */
export function prescriptionsRoutes(
  app: Hono<PfEnv>,
  deps: {
    readonly root: string;
    readonly routes: ProviderRoutesOptions;
    readonly writeLimit: WriteLimit | undefined;
  },
): void {
  const { root, routes } = deps;
  const tasks = prescriptionTasks(routes.store, {
    odsCode: routes.odsCode,
    now: routes.now,
    newId: routes.newId,
    writeLimit: deps.writeLimit ?? defaultPrescriptionWriteLimit,
  });
  const medication = (c: Context<PfEnv>) =>
    patientMedication(c.get("held"), routes.practice, routes.now());
  const fhir = (c: Context<PfEnv>, body: unknown, status: 200 | 201 = 200, headers = {}) =>
    c.json(body as object, status, { ...fhirHeaders, ...headers });
  const searchset = (
    c: Context<PfEnv>,
    resources: readonly R4Resource[],
    included: readonly R4Resource[] = [],
  ) => {
    const base = new URL(c.req.url);
    return fhir(c, {
      resourceType: "Bundle",
      id: c.get("requestId"),
      meta: { lastUpdated: routes.now().toISOString() },
      type: "searchset",
      total: resources.length,
      link: [{ relation: "self", url: base.href }],
      entry: [
        ...resources.map((resource) => ({ resource, mode: "match" })),
        ...included.map((resource) => ({ resource, mode: "include" })),
      ].map(({ resource, mode }) => ({
        fullUrl: `${base.origin}${root}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode },
      })),
    });
  };
  const ownNhsNumber = (c: Context<PfEnv>, value: string | undefined, what: string) => {
    if (value === undefined || !isValidNhsNumber(value)) {
      throw new PfError(
        400,
        "INVALID_NHS_NUMBER",
        "value",
        "Invalid NHS number",
        `${what} is not a valid NHS number`,
      );
    }
    if (value !== c.get("session").nhsNumber) throw accessDenied(`${what} is not the patient's`);
  };
  const canManage = (c: Context<PfEnv>) =>
    requireLevel(
      prescriptionsAllow(c.get("levels").prescriptions, "manage"),
      "managing prescriptions",
    );
  const taskAnswer = (c: Context<PfEnv>, write: TaskWrite, created: boolean): Response => {
    switch (write.kind) {
      case "written":
      case "replayed":
        return fhir(c, taskResource(write.task), created ? 201 : 200, {
          ETag: `W/"${write.task.versionId}"`,
          ...(created
            ? { Location: `${new URL(c.req.url).origin}${root}/Task/${write.task.id}` }
            : {}),
        });
      case "duplicate":
        throw new PfError(
          409,
          "DUPLICATE_REJECTED",
          "duplicate",
          "Duplicate rejected",
          `Task ${write.task.id} already asks for this medication`,
        );
      case "request-id-reused":
        throw new PfError(
          409,
          "DUPLICATE_REJECTED",
          "duplicate",
          "Duplicate rejected",
          "The X-Request-ID was already used for another request",
        );
      case "not-found":
        throw resourceNotFound("The Task");
      case "not-cancellable":
        throw new PfError(
          400,
          "INVALID_REQUEST_STATE",
          "value",
          "Invalid request state",
          `The Task is ${write.task.status}: only a requested Task can be cancelled`,
        );
      case "throttled":
        throw new PfError(
          429,
          "TOO_MANY_REQUESTS",
          "throttled",
          "Too many requests",
          "The patient's prescription request limit was reached",
          { "Retry-After": String(write.retryAfterSeconds) },
        );
    }
  };

  app.use(`${root}/*`, async (c, next) => {
    requireLevel(prescriptionsAllow(c.get("levels").prescriptions, "view"), "prescriptions");
    await next();
  });

  app.get(`${root}/Patient/:nhsNumber/MedicationRequest`, (c) => {
    ownNhsNumber(c, c.req.param("nhsNumber"), "The NHS number in the path");
    const query = new URL(c.req.url).searchParams;
    return searchset(c, searchMedicationRequests(medication(c).requests, query));
  });

  app.get(`${root}/Patient/:nhsNumber/MedicationStatement`, (c) => {
    ownNhsNumber(c, c.req.param("nhsNumber"), "The NHS number in the path");
    return searchset(c, medication(c).statements);
  });

  app.get(`${root}/MedicationRequest/:id`, (c) => {
    const found = medication(c).requests.find((request) => request.id === c.req.param("id"));
    if (!found) throw resourceNotFound("The MedicationRequest");
    return fhir(c, found);
  });

  app.get(`${root}/PractitionerRole/:id`, (c) => {
    const role = practitionerRole(routes.practice, routes.odsCode, c.req.param("id"));
    if (!role) throw resourceNotFound("The PractitionerRole");
    return fhir(c, role);
  });

  app.post(`${root}/Task`, async (c) => {
    canManage(c);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw invalidResource("The body is not a JSON Task");
    }
    const session = c.get("session");
    const request = reorderRequest(body, session.nhsNumber);
    const meds = medication(c);
    const item = meds.planItems.get(request.focusId);
    if (!item) {
      throw referenceNotFound(
        "Task.focus is not one of the patient's MedicationRequests with intent plan",
      );
    }
    if (item.prescriptionType !== "repeat" || item.status !== "active") {
      throw invalidResource("Only an active repeat prescription can be reordered");
    }
    const write = await tasks.create({
      patientNhsNumber: session.nhsNumber,
      focusId: request.focusId,
      focusDisplay: item.code.display,
      requestId: c.get("requestId"),
      actorNhsNumber: session.actorNhsNumber,
      preferredPharmacy: request.preferredPharmacy,
      note: request.note,
    });
    return taskAnswer(c, write, true);
  });

  app.get(`${root}/Task`, async (c) => {
    const patient = c.req.query("patient")?.replace(/^Patient\//, "")
      .replace(/^https:\/\/fhir\.nhs\.uk\/Id\/nhs-number\|/, "");
    ownNhsNumber(c, patient, "The patient parameter");
    const found = await tasks.of(c.get("session").nhsNumber);
    const includes = c.req.queries("_include") ?? [];
    if (includes.some((include) => include !== "Task:focus")) {
      throw new PfError(
        400,
        "INVALID_PARAMETER",
        "value",
        "Invalid parameter",
        "The only _include supported is Task:focus",
      );
    }
    // Simplifier "How to determine the medication the request belongs to": the plans reordered.
    const focused = new Set(found.map((task) => task.focusId));
    const included = includes.length === 0
      ? []
      : medication(c).requests.filter((request) => focused.has(request.id));
    return searchset(c, found.map(taskResource), included);
  });

  app.get(`${root}/Task/:id`, async (c) => {
    const task = await tasks.get(c.get("session").nhsNumber, c.req.param("id"));
    if (!task) throw resourceNotFound("The Task");
    return fhir(c, taskResource(task), 200, { ETag: `W/"${task.versionId}"` });
  });

  app.patch(`${root}/Task/:id`, async (c) => {
    canManage(c);
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json-patch+json" && type !== "application/json") {
      throw new PfError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "not-supported",
        "Unsupported media type",
        "A Task is patched with application/json-patch+json",
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw invalidResource("The body is not a JSON Patch");
    }
    checkCancelPatch(body);
    const write = await tasks.cancel(
      c.get("session").nhsNumber,
      c.req.param("id"),
      c.get("requestId"),
    );
    return taskAnswer(c, write, false);
  });

  app.all(`${root}/*`, () => {
    throw resourceNotFound("The resource or operation");
  });
}
