/**
 * Every response type of the reference provider validates against the GP Connect 1.5.0 profiles
 * (the profile package: `GPC_EDGE_PROFILES`, default `../shared/fhir/gpconnect-fhir-1.5.0`; the
 * tests are skipped without it, unless `GPC_EDGE_REQUIRE_PROFILES=1`) with zero errors after the suite's allow-list
 * (`specs/validation-allowlist.json`). DSTU2 (Access Record HTML) has no profiles in the
 * directory: its responses get the base structure checks only.
 */
import assert from "node:assert/strict";
import type { ValidationMessage } from "../../conformance/model.ts";
import { checkBaseStructure } from "../../conformance/validation/json-structure.ts";
import {
  applyAllowList,
  groupMessages,
  loadAllowList,
} from "../../conformance/validation/message-filter.ts";
import { gpConnectValidator, profileTest } from "../../conformance/validation/test-profiles.ts";
import type { RootKind } from "../../gpconnect/specs.ts";
import { patientByRole } from "../pds/fixture-patients.ts";
import { bookingFor, resourcesOf, urls } from "./appointments/appointments-test-kit.ts";
import { pdsSandboxFetch, registerPatientBody } from "./foundations/provider-test-client.ts";
import { parametersBody } from "./html/html-test-client.ts";
import { providerRequestHeaders } from "./provider-request.ts";
import { serviceRootPath } from "./provider-roots.ts";
import { createProviderSandbox } from "./provider-sandbox.ts";
import {
  nhsNumberParameter,
  parameter,
  parametersResource,
} from "./structured/structured-requests.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const validator = await gpConnectValidator();
const allowList = await loadAllowList();
const now = new Date("2025-01-15T10:00:00Z");
const gpc = "urn:nhs:names:services:gpconnect";
const rest = `${gpc}:fhir:rest`;
const docs = `${gpc}:documents:fhir:rest`;

/** The interactions, by short name. */
const I = {
  metadata: `${rest}:read:metadata-1`,
  patient: `${rest}:read:patient-1`,
  patients: `${rest}:search:patient-1`,
  practitioner: `${rest}:read:practitioner-1`,
  practitioners: `${rest}:search:practitioner-1`,
  organization: `${rest}:read:organization-1`,
  organizations: `${rest}:search:organization-1`,
  location: `${rest}:read:location-1`,
  register: `${gpc}:fhir:operation:gpc.registerpatient-1`,
  slots: `${rest}:search:slot-1`,
  book: `${rest}:create:appointment-1`,
  appointment: `${rest}:read:appointment-1`,
  amend: `${rest}:update:appointment-1`,
  cancel: `${rest}:cancel:appointment-1`,
  appointments: `${rest}:search:patient_appointments-1`,
  structuredMetadata: `${gpc}:structured:fhir:rest:read:metadata-1`,
  structured: `${gpc}:fhir:operation:gpc.getstructuredrecord-1`,
  migrate: `${gpc}:fhir:operation:gpc.migratestructuredrecord-1`,
  documentsMetadata: `${docs}:read:metadata-1`,
  documentsPatients: `${docs}:search:patient-1`,
  documents: `${docs}:search:documentreference-1`,
  binary: `${docs}:read:binary-1`,
  dstu2Metadata: `${gpc}:fhir:rest:read:metadata`,
  careRecord: `${gpc}:fhir:operation:gpc.getcarerecord`,
} as const;

/** Extras of one request; a string body is sent as is, anything else as JSON. */
interface Extras {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string | null>;
  readonly jwt?: Record<string, unknown>;
}

const byIdentifier = (type: string, system: string, value: string) =>
  `/${type}?identifier=${encodeURIComponent(`${system}|${value}`)}`;
const nhs = (value: string) => byIdentifier("Patient", "https://fhir.nhs.uk/Id/nhs-number", value);

/** Grouped messages, one line each. */
function describe(messages: readonly ValidationMessage[]): string {
  return groupMessages(messages).map((g) =>
    `  ${g.severity} ${g.rule} ${g.path} ×${g.count} [${g.profile?.split("/").pop()}]: ` +
    g.messages.join(" | ")
  ).join("\n");
}

/**
 * A provider at a fixed clock (PDS sandbox in process, for registrations); `read` sends a request
 * and reads its JSON answer of the expected status, `check` also records the answer's profile
 * errors, and `done()` asserts there were none, listing every non-conforming response at once.
 */
function session() {
  let ids = 0;
  const app = createProviderSandbox({
    now: () => now,
    newId: () => `id-${++ids}`,
    pdsBaseUrl: "http://pds.test",
    fetch: pdsSandboxFetch(),
  });
  const problems: string[] = [];
  const read = async (
    label: string,
    root: RootKind,
    path: string,
    interaction: keyof typeof I,
    status = 200,
    extras: Extras = {},
  ): Promise<Json> => {
    const body = typeof extras.body === "string" || extras.body === undefined
      ? extras.body
      : JSON.stringify(extras.body);
    const headers = providerRequestHeaders(I[interaction], {
      issuedAt: Math.floor(now.getTime() / 1000),
      ...(extras.jwt ? { jwt: extras.jwt } : {}),
      overrides: {
        ...(body === undefined ? {} : { "Content-Type": "application/fhir+json" }),
        ...extras.headers,
      },
    });
    const response = await app.request(`${serviceRootPath("B82617", root)}${path}`, {
      method: extras.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    assert.equal(response.status, status, `${label}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  const check: typeof read = async (label, ...request) => {
    const body = await read(label, ...request);
    const { kept } = applyAllowList(validator.validate(body), allowList);
    const errors = kept.filter((m) => m.severity === "error");
    if (errors.length > 0) problems.push(`${label}:\n${describe(errors)}`);
    return body;
  };
  const done = () => assert.ok(problems.length === 0, `profile errors:\n${problems.join("\n")}`);
  return { read, check, done };
}

profileTest("profiles: every Foundations response", async () => {
  const { check, done } = session();
  const f = "foundations";
  const patient = patientByRole("registered-other-practice");
  const registration = registerPatientBody({
    nhsNumber: patient.nhsNumber,
    family: patient.name!.family,
    given: patient.name!.given[0]!,
    birthDate: patient.birthDate!,
  });
  const sds = byIdentifier("Practitioner", "https://fhir.nhs.uk/Id/sds-user-id", "G13579135");
  const ods = byIdentifier("Organization", urls.ods, "B82617");
  await check("CapabilityStatement", f, "/metadata", "metadata");
  await check("Patient", f, "/Patient/2", "patient");
  await check("Practitioner", f, "/Practitioner/1", "practitioner");
  await check("Organization", f, "/Organization/1", "organization");
  await check("Location", f, "/Location/1", "location");
  await check("Patient searchset", f, nhs("9690937286"), "patients");
  await check("empty Patient searchset", f, nhs("9999999999"), "patients");
  await check("Practitioner searchset", f, sds, "practitioners");
  await check("Organization searchset", f, ods, "organizations");
  const register = "/Patient/$gpc.registerpatient";
  await check("register Bundle", f, register, "register", 200, { body: registration });
  await check("duplicate: OperationOutcome", f, register, "register", 409, { body: registration });
  await check("not found: OperationOutcome", f, "/Patient/999", "patient", 404);
  await check("bad NHS number: OperationOutcome", f, nhs("1234567890"), "patients", 400);
  const noTrace = { headers: { "Ssp-TraceID": null } };
  await check("no trace id: OperationOutcome", f, "/Patient/2", "patient", 400, noTrace);
  done();
});

profileTest("profiles: every Appointment Management response", async () => {
  const { check, done } = session();
  const f = "foundations";
  const includes = "&_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner" +
    "&_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization";
  const search = (end: string) => `/Slot?start=ge2025-01-16&end=le${end}&status=free${includes}`;
  const slots = await check("free slots", f, search("2025-01-22"), "slots");
  await check("slot range: OperationOutcome", f, search("2025-03-22"), "slots", 422);
  const booking = bookingFor(slots, { patientId: "2" });
  const created = await check("booked", f, "/Appointment", "book", 201, { body: booking });
  const id = `/Appointment/${created.id}`;
  await check("read Appointment", f, id, "appointment");
  const amend = { ...created, description: "Amended", comment: "A comment" };
  const amended = await check("amended", f, id, "amend", 200, { method: "PUT", body: amend });
  const cancel = {
    ...amended,
    status: "cancelled",
    extension: [...amended.extension, { url: urls.cancellationReason, valueString: "moved" }],
  };
  await check("cancelled", f, id, "cancel", 200, { method: "PUT", body: cancel });
  const range = "?start=ge2025-01-15&start=le2025-01-29";
  await check("patient appointments", f, `/Patient/2/Appointment${range}`, "appointments");
  done();
});

const everyArea = (nhsNumber: string) =>
  parametersResource([
    nhsNumberParameter(nhsNumber),
    parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: true } }),
    parameter("includeMedication", { includePrescriptionIssues: { valueBoolean: true } }),
    ...[
      "includeConsultations",
      "includeProblems",
      "includeImmunisations",
      "includeUncategorisedData",
      "includeInvestigations",
      "includeReferrals",
      "includeDiaryEntries",
    ].map((name) => parameter(name)),
  ]);

profileTest("profiles: every Access Record Structured response", async () => {
  const { check, done } = session();
  const s = "structured";
  const get = "/Patient/$gpc.getstructuredrecord";
  await check("CapabilityStatement", s, "/metadata", "structuredMetadata");
  const record = await check("every area", s, get, "structured", 200, {
    body: everyArea("9690937286"),
  });
  assert.ok(resourcesOf(record, "List").length >= 10, "every clinical area");
  for (const role of ["investigations-referrals-diary", "explicit-nka", "ended-allergies"]) {
    const body = everyArea(patientByRole(role).nhsNumber);
    await check(`every area, ${role}`, s, get, "structured", 200, { body });
  }
  const fullRecord = parameter("includeFullRecord", {
    includeSensitiveInformation: { valueBoolean: true },
  });
  await check("migrate Bundle", s, "/Patient/$gpc.migratestructuredrecord", "migrate", 200, {
    body: parametersResource([nhsNumberParameter("9690937286"), fullRecord]),
    jwt: { requestedScope: "patient/*.read conf/R", requestingOdsCode: "B82617" },
  });
  const bad = parametersResource([nhsNumberParameter("1234567890")]);
  await check("bad NHS number: OperationOutcome", s, get, "structured", 400, { body: bad });
  done();
});

profileTest("profiles: every Access Document response", async () => {
  const { check, done } = session();
  const d = "documents";
  const includes = "_include=DocumentReference:subject:Patient" +
    "&_include=DocumentReference:custodian:Organization" +
    "&_include=DocumentReference:author:Organization" +
    "&_include=DocumentReference:author:Practitioner" +
    "&_revinclude:recurse=PractitionerRole:practitioner";
  await check("CapabilityStatement", d, "/metadata", "documentsMetadata");
  await check("Patient searchset", d, nhs("9690937286"), "documentsPatients");
  const search = `/Patient/2/DocumentReference?${includes}`;
  const found = await check("DocumentReference searchset", d, search, "documents");
  const url: string = resourcesOf(found, "DocumentReference")[0]!.content[0].attachment.url;
  await check("Binary", d, url.slice(url.indexOf("/Binary/")), "binary");
  await check("unknown Binary: OperationOutcome", d, "/Binary/nope", "binary", 404);
  done();
});

profileTest(
  "profiles: Access Record HTML (DSTU2) responses have a sound base structure",
  async () => {
    const { read } = session();
    const answers = [
      await read("Conformance", "dstu2", "/metadata", "dstu2Metadata"),
      await read("care record", "dstu2", "/Patient/$gpc.getcarerecord", "careRecord", 200, {
        body: parametersBody("9690937286", "SUM"),
        jwt: { nhsNumber: "9690937286" },
        headers: { "Content-Type": "application/json+fhir;charset=utf-8" },
      }),
    ];
    for (const body of answers) {
      const errors = checkBaseStructure(body, { fhirVersion: "DSTU2" });
      assert.deepEqual(errors, [], `${body.resourceType}:\n${describe(errors)}`);
    }
  },
);
