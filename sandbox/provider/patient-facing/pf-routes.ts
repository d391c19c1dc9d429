/**
 * The reference practice's patient-facing side (issue 12 item 5, issue 13): the endpoints the API
 * platform forwards to, at `/{ODS}/patient-facing/{product}/…` with the platform's own paths (A1),
 * and the authorisation service that issues their tokens. Access Record and Appointment
 * Management (FHIR STU3) call the direct-care code in-process; Prescriptions (FHIR R4,
 * `prescriptions/`) and User Permissions (plain JSON, `user-permissions/`) are served here.
 *
 * Every request must carry a token from the practice's authorisation service (401 ACCESS_DENIED
 * otherwise) and a UUID `X-Request-ID` (400); `Ssp-*` headers are refused (400: this is not the
 * Spine route). The token's patient is the only patient served: a request naming another NHS
 * number is 403 ACCESS_DENIED, another patient's document or appointment is 404 NO_RECORD_FOUND.
 * The user's permission levels (their own, or a proxy's for a delegated token) are enforced here
 * too: medical record `none` reads nothing of Access Record, documents need `documents`;
 * prescriptions `view` reads, `manage` writes. Patients are named by NHS number
 * (`Patient/{nhsNumber}`), which the side maps to and from the direct-care logical ids. A Bundle's
 * `id` is the `X-Request-ID`. Errors are `GPConnect-OperationOutcome-1` for the STU3 products and
 * `UKCore-OperationOutcome` for the R4 ones (A6, provider-generated).
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { appointmentStore } from "../appointments/appointment-store.ts";
import { documentByBinaryId } from "../documents/patient-documents.ts";
import { practicePatients } from "../provider-patients.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import {
  authorisationService,
  createProviderSessions,
  type PatientFacingOptions,
} from "./pf-authorisation-service.ts";
import { directCareCaller, type DirectCareRoot } from "./pf-direct-care.ts";
import { patientFacingDuties, type PfEnv, requireLevel } from "./pf-duties.ts";
import { accessDenied, invalidResource, PfError, pfErrorResponse } from "./pf-error.ts";
import {
  authorisationServicePath,
  patientFacingRootPath,
  sandboxPermissionsPath,
} from "./pf-roots.ts";
import { prescriptionsRoutes } from "./prescriptions/prescriptions-routes.ts";
import { medicalRecordAllows } from "./user-permissions/permission-levels.ts";
import { userPermissions } from "./user-permissions/user-permissions.ts";
import { userPermissionsRoutes } from "./user-permissions/user-permissions-routes.ts";
import { replaceJsonString } from "../../replace-json-string.ts";

const nhsIdentifier = "https://fhir.nhs.uk/Id/nhs-number";
const interactions = {
  structured: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1",
  searchPatient: "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:patient-1",
  searchDocuments:
    "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1",
  readBinary: "urn:nhs:names:services:gpconnect:documents:fhir:rest:read:binary-1",
  slots: "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1",
  book: "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1",
  patientAppointments: "urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1",
  read: "urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1",
  cancel: "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1",
  amend: "urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1",
} as const;

const forbidden = (what: string) => accessDenied(`${what} is not the patient's`);
const noRecord = (what: string) =>
  new PfError(404, "NO_RECORD_FOUND", "not-found", "No record found", `${what} was not found`);

/**
 * The patient-facing routes of practice `options.odsCode` (mount at `/`).
 *
 * @example
 * ```ts
 * // app.route("/", patientFacingRoutes(routesOptions, { nhsLoginIssuer, nhsLoginJwksUrl, clients }));
 * ```
 */
export function patientFacingRoutes(
  options: ProviderRoutesOptions,
  trust: PatientFacingOptions,
  // deno-lint-ignore no-explicit-any
): Hono<any> {
  const now = () => options.now().getTime();
  const sessions = createProviderSessions(now);
  const patients = practicePatients(options);
  const appointments = appointmentStore(options.store, options.odsCode);
  const callDirect = directCareCaller(options);
  const permissions = userPermissions(options.store, options.odsCode, options.now);
  const arRoot = patientFacingRootPath(options.odsCode, "access-record");
  const amRoot = patientFacingRootPath(options.odsCode, "appointments-management");
  const rxRoot = patientFacingRootPath(options.odsCode, "prescriptions-management");
  const upRoot = patientFacingRootPath(options.odsCode, "user-permissions");
  const controlPath = sandboxPermissionsPath(options.odsCode);
  const r4Prefixes = [rxRoot, upRoot, controlPath];

  const app = new Hono<PfEnv>();
  app.route(
    authorisationServicePath(options.odsCode),
    authorisationService(trust, sessions, { fetch: options.fetch, now }),
  );

  const duties = patientFacingDuties({ sessions, patients, permissions });
  for (const root of [arRoot, amRoot, rxRoot, upRoot]) app.use(`${root}/*`, duties);
  // The practice enforces the medical record level itself too (R29): none reads nothing of the
  // record, documents need `documents` or `full`; narrower sections are the platform's filter.
  app.use(`${arRoot}/*`, async (c, next) => {
    const levels = c.get("levels");
    requireLevel(medicalRecordAllows(levels, "summary"), "the medical record");
    const path = c.req.path.slice(arRoot.length);
    if (path.startsWith("/documents/") || path.endsWith("/DocumentReference")) {
      requireLevel(medicalRecordAllows(levels, "documents"), "documents");
    }
    await next();
  });
  userPermissionsRoutes(app, { root: upRoot, controlPath, permissions });
  prescriptionsRoutes(app, {
    root: rxRoot,
    routes: options,
    writeLimit: trust.prescriptionWriteLimit,
  });

  /** Calls the direct-care code and maps the answer back to NHS numbers and `Bundle.id`. */
  const direct = async (
    c: Context<PfEnv>,
    root: DirectCareRoot,
    pathAndQuery: string,
    interactionId: string,
    body?: unknown,
  ): Promise<Response> => {
    const held = c.get("held");
    const logical = `Patient/${held.record.logicalId}`;
    const nhs = `Patient/${held.patient.nhsNumber}`;
    const response = await callDirect({
      root,
      method: c.req.method,
      pathAndQuery,
      interactionId,
      requestId: c.get("requestId"),
      rootUrl: new URL(c.req.url).origin + (root === "foundations" ? amRoot : arRoot),
      body: body === undefined ? undefined : JSON.stringify(replaceJsonString(body, nhs, logical)),
      headers: Object.fromEntries(
        ["Prefer", "If-Match"].flatMap((name) => {
          const value = c.req.header(name);
          return value === undefined ? [] : [[name, value]];
        }),
      ),
    });
    const type = response.headers.get("Content-Type") ?? "";
    if (!type.includes("json")) return response;
    let json = replaceJsonString(await response.json(), logical, nhs) as Record<string, unknown>;
    if (json.resourceType === "Bundle") json = { ...json, id: c.get("requestId") };
    const headers = new Headers(response.headers);
    headers.delete("Content-Length");
    return new Response(JSON.stringify(json), { status: response.status, headers });
  };

  const bodyOf = async (c: Context<PfEnv>): Promise<Record<string, unknown>> => {
    try {
      const json = await c.req.json();
      if (typeof json === "object" && json !== null && !Array.isArray(json)) return json;
    } catch { /* fall through */ }
    throw invalidResource("Body is not a JSON resource");
  };
  const ownNhsNumber = (c: Context<PfEnv>, value: unknown, what: string) => {
    if (value !== c.get("session").nhsNumber) throw forbidden(what);
  };
  const queryWithout = (c: Context<PfEnv>, name: string) => {
    const query = new URL(c.req.url).searchParams;
    query.delete(name);
    const text = query.toString();
    return text === "" ? "" : `?${text}`;
  };

  app.post(`${arRoot}/Patient/$gpc.getstructuredrecord`, async (c) => {
    const body = await bodyOf(c);
    const parameters = Array.isArray(body.parameter) ? body.parameter : [];
    const named = parameters.filter((p) => p?.name === "patientNHSNumber");
    if (named.length === 0) {
      throw new PfError(
        422,
        "INVALID_PARAMETER",
        "invalid",
        "Invalid parameter",
        "patientNHSNumber is required",
      );
    }
    for (const p of named) ownNhsNumber(c, p?.valueIdentifier?.value, "patientNHSNumber");
    return await direct(
      c,
      "structured",
      "/Patient/$gpc.getstructuredrecord",
      interactions.structured,
      body,
    );
  });

  app.get(`${arRoot}/documents/Patient/:nhsNumber`, async (c) => {
    ownNhsNumber(c, c.req.param("nhsNumber"), "The NHS number in the path");
    const identifier = encodeURIComponent(`${nhsIdentifier}|${c.req.param("nhsNumber")}`);
    const response = await direct(
      c,
      "documents",
      `/Patient?identifier=${identifier}`,
      interactions.searchPatient,
    );
    const bundle = await response.json() as { entry?: Array<{ resource?: unknown }> };
    const patient = bundle.entry?.[0]?.resource;
    if (!response.ok || patient === undefined) throw noRecord("The patient");
    return c.json(patient, 200, { "Content-Type": "application/fhir+json" });
  });

  app.get(`${arRoot}/Patient/:id/DocumentReference`, async (c) => {
    ownNhsNumber(c, c.req.query("patientNHSNumber"), "patientNHSNumber");
    if (c.req.param("id") !== c.get("held").record.logicalId) throw noRecord("The patient id");
    return await direct(
      c,
      "documents",
      `/Patient/${c.req.param("id")}/DocumentReference${queryWithout(c, "patientNHSNumber")}`,
      interactions.searchDocuments,
    );
  });

  app.get(`${arRoot}/documents/Binary/:id`, async (c) => {
    ownNhsNumber(c, c.req.query("patientNHSNumber"), "patientNHSNumber");
    const document = documentByBinaryId(c.req.param("id"), options.now());
    if (document?.nhsNumber !== c.get("session").nhsNumber) throw noRecord("The document");
    return await direct(c, "documents", `/Binary/${c.req.param("id")}`, interactions.readBinary);
  });

  app.get(
    `${amRoot}/Slot`,
    (c) => direct(c, "foundations", `/Slot${new URL(c.req.url).search}`, interactions.slots),
  );

  const ownParticipants = (c: Context<PfEnv>, body: Record<string, unknown>) => {
    const participants = Array.isArray(body.participant) ? body.participant : [];
    const patientsNamed = participants
      .map((p) => p?.actor?.reference)
      .filter((reference) => typeof reference === "string" && reference.startsWith("Patient/"));
    if (patientsNamed.length === 0) {
      throw new PfError(
        422,
        "INVALID_RESOURCE",
        "invalid",
        "Invalid resource",
        "No Patient participant",
      );
    }
    for (const reference of patientsNamed) {
      ownNhsNumber(c, reference.slice("Patient/".length), "The Patient participant");
    }
  };

  app.post(`${amRoot}/Appointment`, async (c) => {
    const body = await bodyOf(c);
    ownParticipants(c, body);
    return await direct(c, "foundations", "/Appointment", interactions.book, body);
  });

  app.get(`${amRoot}/Patient/:nhsNumber/Appointment`, async (c) => {
    ownNhsNumber(c, c.req.param("nhsNumber"), "The NHS number in the path");
    return await direct(
      c,
      "foundations",
      `/Patient/${c.get("held").record.logicalId}/Appointment${new URL(c.req.url).search}`,
      interactions.patientAppointments,
    );
  });

  const ownAppointment = async (c: Context<PfEnv>) => {
    const record = await appointments.get(c.req.param("id") ?? "");
    if (record?.patientId !== c.get("held").record.logicalId) throw noRecord("The appointment");
  };

  app.get(`${amRoot}/Appointment/:id`, async (c) => {
    await ownAppointment(c);
    return await direct(c, "foundations", `/Appointment/${c.req.param("id")}`, interactions.read);
  });

  app.put(`${amRoot}/Appointment/:id`, async (c) => {
    await ownAppointment(c);
    const body = await bodyOf(c);
    ownParticipants(c, body);
    const interaction = body.status === "cancelled" ? interactions.cancel : interactions.amend;
    return await direct(c, "foundations", `/Appointment/${c.req.param("id")}`, interaction, body);
  });

  app.all(`${arRoot}/*`, () => {
    throw noRecord("The resource or operation");
  });
  app.all(`${amRoot}/*`, () => {
    throw noRecord("The resource or operation");
  });
  app.onError((error, c) => {
    const version = r4Prefixes.some((prefix) => c.req.path.startsWith(prefix)) ? "R4" : "STU3";
    const known = error instanceof PfError
      ? error
      : invalidResource("The request could not be processed");
    return pfErrorResponse(known, version, options.now());
  });
  return app;
}
