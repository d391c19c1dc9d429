/**
 * Test fixtures for the directory: a fake clock, a recording fetch, realistic PDS R4 Patients and
 * OperationOutcomes (shared/reference/pds-sds.md §1.5, §1.8) and SDS Bundles (§2.3), and small
 * PDS/SDS Hono fakes with the same wire formats as the sandboxes. Used by tests only.
 *
 * @module
 */
import { Hono } from "hono";
import type { Clock, UpstreamFetch } from "../app-deps.ts";
import { defaultConfig, type DirectoryConfig } from "../config.ts";
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";

/** 2026-05-01T10:00:00Z, "today" in every directory test. */
export const testNow = Date.UTC(2026, 4, 1, 10, 0, 0);

/** Base URLs the fakes answer on. */
export const pdsBase = "http://pds.test/personal-demographics/FHIR/R4";
export const sdsBase = "http://sds.test/spine-directory/FHIR/R4";

/** Interaction IDs used in tests. */
export const structured =
  "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
export const foundationsMetadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** A clock whose time moves only when told to (or when something sleeps on it). */
export interface FakeClock extends Clock {
  /** Every `sleep` asked for, in milliseconds. */
  readonly sleeps: number[];
  /** Moves time forward. */
  advance(ms: number): void;
}

/** A fake clock starting at `start`; `sleep` advances it and resolves at once. */
export function fakeClock(start = testNow): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Test configuration pointing at the fakes. */
export function testConfig(overrides: Partial<DirectoryConfig> = {}): DirectoryConfig {
  return { ...defaultConfig.directory, pdsBaseUrl: pdsBase, sdsBaseUrl: sdsBase, ...overrides };
}

/** A fetch that records every request and answers through `handler`. */
export interface RecordingFetch {
  readonly fetch: UpstreamFetch;
  readonly requests: Request[];
}

/** Wraps `handler` (e.g. a Hono app's `fetch`) as a recording upstream fetch. */
export function recordingFetch(
  handler: (request: Request) => Response | Promise<Response>,
): RecordingFetch {
  const requests: Request[] = [];
  return {
    requests,
    fetch: (input, init) => {
      const request = new Request(input, init);
      requests.push(request.clone());
      return Promise.resolve(handler(request));
    },
  };
}

/** Sequential UUIDs, so tests can tell which call generated which id. */
export function sequentialUuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
}

/** A JSON response with a FHIR media type. */
export function fhirJson(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/fhir+json", ...headers },
  });
}

/** A GP reference as PDS returns it: the period sits inside the identifier. */
export function gpReference(odsCode: string, period: { start: string; end?: string }) {
  return {
    id: "254406A3",
    type: "Organization",
    identifier: { system: identifierSystems.odsOrganizationCode, value: odsCode, period },
  };
}

/** A realistic PDS R4 Patient (after PDS `patient_9693632109.json`), registered at A20047. */
export function pdsPatient(
  nhsNumber: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: "Patient",
    id: nhsNumber,
    identifier: [{
      system: identifierSystems.nhsNumber,
      value: nhsNumber,
      extension: [{
        url:
          "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",
        valueCodeableConcept: {
          coding: [{
            system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus",
            version: "1.0.0",
            code: "01",
            display: "Number present and verified",
          }],
        },
      }],
    }],
    meta: {
      versionId: "58",
      security: [{
        system: identifierSystems.confidentiality,
        code: "U",
        display: "unrestricted",
      }],
    },
    name: [{
      id: "BLnbA",
      use: "usual",
      period: { start: "1946-06-23" },
      given: ["Bill"],
      family: "GARTON",
      prefix: ["MR"],
    }],
    gender: "male",
    birthDate: "1946-06-23",
    address: [{
      id: "dTtDr",
      period: { start: "2020-02-15" },
      extension: [{
        url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AddressKey",
        extension: [{
          url: "type",
          valueCoding: {
            system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-AddressKeyType",
            code: "PAF",
          },
        }, { url: "value", valueString: "12345678" }],
      }],
      use: "home",
      line: ["1 NETHERNE LANE", "COULSDON"],
      postalCode: "CR5 1NR",
    }],
    generalPractitioner: [gpReference("A20047", { start: "2005-03-05" })],
    ...overrides,
  };
}

/** A restricted (`R`) or very restricted (`V`) PDS record: no address, telecom or GP. */
export function restrictedPatient(nhsNumber: string, code: "R" | "V"): Record<string, unknown> {
  const patient = pdsPatient(nhsNumber, {
    meta: {
      versionId: "2",
      security: [{
        system: identifierSystems.confidentiality,
        code,
        display: code === "R" ? "restricted" : "very restricted",
      }],
    },
  });
  delete patient.address;
  delete patient.generalPractitioner;
  if (code === "V") {
    delete patient.name;
    delete patient.birthDate;
  }
  return patient;
}

/** A PDS error body (PDS `karate-tests/.../stubs/errorResponses/<CODE>.json`). */
export function pdsOutcome(
  code: string,
  display: string,
  options: { severity?: string; issueCode?: string; diagnostics?: string } = {},
) {
  return {
    resourceType: "OperationOutcome",
    issue: [{
      severity: options.severity ?? "error",
      code: options.issueCode ?? "processing",
      details: {
        coding: [{
          system: "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode",
          version: "1",
          code,
          display,
        }],
      },
      ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
    }],
  };
}

/** PDS's 404 for an unknown NHS number. */
export const pdsNotFound = () =>
  pdsOutcome("RESOURCE_NOT_FOUND", "Resource not found", {
    severity: "information",
    issueCode: "not-found",
  });

/** PDS's 404 for an invalidated record. */
export const pdsInvalidated = () =>
  pdsOutcome(
    "INVALIDATED_RESOURCE",
    "Resource that has been marked as invalid was requested - invalid resources cannot be retrieved",
  );

/** An SDS MHS (Endpoint) record for the fakes. */
export interface SdsEndpointRecord {
  readonly odsCode: string;
  readonly interactionId: string;
  readonly address?: string;
  readonly partyKey?: string;
  readonly cpaId?: string;
}

/** An SDS AS (Device) record for the fakes. */
export interface SdsDeviceRecord {
  readonly odsCode: string;
  readonly interactionIds: readonly string[];
  readonly partyKey: string;
  readonly asid?: string;
}

const interactionExtension = (interactionId: string) => ({
  url: "https://fhir.nhs.uk/StructureDefinition/Extension-SDS-NhsServiceInteractionId",
  valueReference: {
    identifier: { system: identifierSystems.serviceInteractionId, value: interactionId },
  },
});

/** An SDS Endpoint resource (SDS `fhir_json_mapper.py` / `Endpoint.json`). */
export function sdsEndpoint(record: SdsEndpointRecord): Record<string, unknown> {
  const identifier = [
    { system: identifierSystems.mhsFqdn, value: "provider.example.nhs.uk" },
    ...(record.partyKey ? [{ system: identifierSystems.mhsPartyKey, value: record.partyKey }] : []),
    ...(record.cpaId ? [{ system: identifierSystems.mhsCpaId, value: record.cpaId }] : []),
    { system: identifierSystems.mhsId, value: "S918999410559" },
  ];
  return {
    resourceType: "Endpoint",
    id: crypto.randomUUID(),
    status: "active",
    connectionType: {
      system: "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
      code: "hl7-fhir-msg",
      display: "HL7 FHIR Messaging",
    },
    payloadType: [{
      coding: [{
        system: "http://terminology.hl7.org/CodeSystem/endpoint-payload-type",
        code: "any",
        display: "Any",
      }],
    }],
    ...(record.address === undefined ? {} : { address: record.address }),
    managingOrganization: {
      identifier: { system: identifierSystems.odsOrganizationCode, value: record.odsCode },
    },
    identifier,
    extension: [{
      url: "https://fhir.nhs.uk/StructureDefinition/Extension-SDS-ReliabilityConfiguration",
      extension: [
        { url: "nhsMHSSyncReplyMode", valueString: "None" },
        { url: "nhsMHSRetryInterval", valueString: "PT1M" },
        { url: "nhsMHSRetries", valueInteger: 0 },
        { url: "nhsMHSPersistDuration", valueString: "PT5M" },
        { url: "nhsMHSDuplicateElimination", valueString: "never" },
        { url: "nhsMHSAckRequested", valueString: "never" },
      ],
    }, interactionExtension(record.interactionId)],
  };
}

/** An SDS Device resource (SDS `Device.json`). */
export function sdsDevice(record: SdsDeviceRecord): Record<string, unknown> {
  return {
    resourceType: "Device",
    id: crypto.randomUUID(),
    identifier: [
      ...(record.asid ? [{ system: identifierSystems.spineAsid, value: record.asid }] : []),
      { system: identifierSystems.mhsPartyKey, value: record.partyKey },
    ],
    extension: [
      {
        url: "https://fhir.nhs.uk/StructureDefinition/Extension-SDS-ManufacturingOrganisation",
        valueReference: {
          identifier: { system: identifierSystems.odsOrganizationCode, value: "YGJ" },
        },
      },
      ...record.interactionIds.map(interactionExtension),
    ],
    owner: { identifier: { system: identifierSystems.odsOrganizationCode, value: record.odsCode } },
  };
}

/** An SDS searchset Bundle of `resources`, as SDS answers every search (even with none). */
export function sdsBundle(selfUrl: string, resources: Array<Record<string, unknown>>) {
  const base = selfUrl.slice(0, selfUrl.indexOf("?") < 0 ? undefined : selfUrl.indexOf("?"));
  const root = base.slice(0, base.lastIndexOf("/"));
  return {
    resourceType: "Bundle",
    id: crypto.randomUUID(),
    type: "searchset",
    total: resources.length,
    link: [{ relation: "self", url: decodeURIComponent(selfUrl) }],
    entry: resources.map((resource) => ({
      fullUrl: `${root}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: "match" },
    })),
  };
}

/** The default SDS world: practice A20047 with a structured endpoint and its Device. */
export const defaultEndpoints: SdsEndpointRecord[] = [
  {
    odsCode: "A20047",
    interactionId: structured,
    address: "https://provider.example.nhs.uk/A20047/STU3/1/gpconnect/structured/fhir",
    partyKey: "A20047-821870",
    cpaId: "S20001A000182",
  },
  {
    odsCode: "A20047",
    interactionId: foundationsMetadata,
    address: "https://provider.example.nhs.uk/A20047/STU3/1/gpconnect/fhir",
    partyKey: "A20047-821870",
  },
];

/** The Device (AS record) of the default SDS world. */
export const defaultDevices: SdsDeviceRecord[] = [{
  odsCode: "A20047",
  interactionIds: [structured, foundationsMetadata],
  partyKey: "A20047-821870",
  asid: "200000000985",
}];

/** The value of a `system|value` search parameter for `system`. */
function searchValue(params: URLSearchParams, name: string, system: string): string | undefined {
  const values = params.getAll(name).filter((v) => v.startsWith(`${system}|`));
  return values.at(-1)?.slice(system.length + 1);
}

/**
 * A fake PDS: `GET /Patient/{id}` answers `patients[id]` (a Patient, or a Response for errors)
 * or 404 RESOURCE_NOT_FOUND; it insists on a UUID `X-Request-ID` like PDS.
 */
export function fakePds(patients: Record<string, unknown>): Hono {
  const app = new Hono().basePath(new URL(pdsBase).pathname);
  app.get("/Patient/:id", (c) => {
    const requestId = c.req.header("X-Request-ID") ?? "";
    if (!/^[0-9a-f-]{36}$/i.test(requestId)) {
      return fhirJson(pdsOutcome("MISSING_VALUE", "Required value is missing"), 400);
    }
    const found = patients[c.req.param("id")];
    if (found instanceof Response) return found;
    if (found === undefined) return fhirJson(pdsNotFound(), 404, { "X-Request-ID": requestId });
    const version = (found as { meta?: { versionId?: string } }).meta?.versionId ?? "1";
    return fhirJson(found, 200, { "ETag": `W/"${version}"`, "X-Request-ID": requestId });
  });
  return app;
}

/** A fake SDS: `/Endpoint` and `/Device` searches over the given records, as SDS filters them. */
export function fakeSds(
  endpoints: readonly SdsEndpointRecord[] = defaultEndpoints,
  devices: readonly SdsDeviceRecord[] = defaultDevices,
): Hono {
  const app = new Hono().basePath(new URL(sdsBase).pathname);
  const criteria = (url: string) => {
    const params = new URL(url).searchParams;
    return {
      ods: searchValue(params, "organization", identifierSystems.odsOrganizationCode),
      interaction: searchValue(params, "identifier", identifierSystems.serviceInteractionId),
      partyKey: searchValue(params, "identifier", identifierSystems.mhsPartyKey),
    };
  };
  app.get("/Endpoint", (c) => {
    const { ods, interaction, partyKey } = criteria(c.req.url);
    const matches = endpoints.filter((e) =>
      (ods === undefined || e.odsCode === ods) &&
      (interaction === undefined || e.interactionId === interaction) &&
      (partyKey === undefined || e.partyKey === partyKey)
    );
    return fhirJson(sdsBundle(c.req.url, matches.map(sdsEndpoint)));
  });
  app.get("/Device", (c) => {
    const { ods, interaction, partyKey } = criteria(c.req.url);
    if (ods === undefined || interaction === undefined) {
      return fhirJson({ resourceType: "OperationOutcome", issue: [] }, 400);
    }
    const matches = devices.filter((d) =>
      d.odsCode === ods && d.interactionIds.includes(interaction) &&
      (partyKey === undefined || d.partyKey === partyKey)
    );
    return fhirJson(sdsBundle(c.req.url, matches.map(sdsDevice)));
  });
  return app;
}

/** Routes requests by origin to the fake PDS and SDS (or a 404 for anything else). */
export function directoryFetch(pds: Hono, sds: Hono): RecordingFetch {
  return recordingFetch((request) => {
    const origin = new URL(request.url).origin;
    if (origin === new URL(pdsBase).origin) return pds.fetch(request);
    if (origin === new URL(sdsBase).origin) return sds.fetch(request);
    return new Response("no such host", { status: 404 });
  });
}
