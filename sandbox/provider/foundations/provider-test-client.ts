/**
 * A test client for the reference provider's Foundations root: a provider at a fixed clock with
 * the PDS sandbox injected as its `fetch` (so registrations trace over "HTTP" without a socket),
 * and a `call` that builds the SSP headers and JWT for an interaction. Shared by the Foundations
 * tests; a request builder, it judges nothing.
 *
 * @module
 */
import type { ProviderFetch } from "../provider-routes-options.ts";
import type { ProviderStore } from "../provider-store.ts";
import { createPdsSandbox } from "../../pds/pds-sandbox.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { providerRequestHeaders, type ProviderRequestOptions } from "../provider-request.ts";

/** The foundations root of the default practice. */
export const foundationsRoot = "/B82617/STU3/1/gpconnect/fhir";

/** The test clock: 2025-01-15T10:00:00Z. */
export const testNow = new Date("2025-01-15T10:00:00Z");

/** Interaction ids used by the Foundations tests, by short name. */
export const foundationsInteractions = {
  metadata: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
  readPatient: "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1",
  searchPatient: "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1",
  register: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1",
  readPractitioner: "urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1",
  searchPractitioner: "urn:nhs:names:services:gpconnect:fhir:rest:search:practitioner-1",
  readOrganization: "urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1",
  searchOrganization: "urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1",
  readLocation: "urn:nhs:names:services:gpconnect:fhir:rest:read:location-1",
} as const;

/** Options for {@linkcode providerTestClient}. */
export interface ProviderTestClientOptions {
  /** The provider's store; default a fresh in-memory one. */
  readonly store?: ProviderStore;
  /** PDS fetch; default the PDS sandbox, answering in-process. */
  readonly fetch?: ProviderFetch;
}

/** One call's extras. */
export interface TestCallOptions {
  readonly method?: string;
  readonly body?: string;
  readonly overrides?: ProviderRequestOptions["overrides"];
  readonly jwt?: ProviderRequestOptions["jwt"];
}

/** The PDS sandbox as an {@linkcode ProviderFetch}, at the test clock's date. */
export function pdsSandboxFetch(): ProviderFetch {
  const pds = createPdsSandbox({ today: () => "2025-01-15", now: () => testNow });
  return (input, init) => Promise.resolve(pds.fetch(new Request(input, init)));
}

/**
 * A provider and a caller for its Foundations root.
 *
 * @example
 * ```ts
 * const { call } = providerTestClient();
 * const res = await call("/Location/1", foundationsInteractions.readLocation);
 * ```
 */
export function providerTestClient(options: ProviderTestClientOptions = {}) {
  let id = 0;
  const provider = createProviderSandbox({
    now: () => testNow,
    newId: () => `id-${++id}`,
    pdsBaseUrl: "http://pds.test",
    fetch: options.fetch ?? pdsSandboxFetch(),
    ...(options.store ? { store: options.store } : {}),
  });
  const issuedAt = Math.floor(testNow.getTime() / 1000);
  const call = (path: string, interaction: string, extras: TestCallOptions = {}) => {
    const headers = providerRequestHeaders(interaction, {
      issuedAt,
      ...(extras.overrides ? { overrides: extras.overrides } : {}),
      ...(extras.jwt ? { jwt: extras.jwt } : {}),
    });
    if (extras.body !== undefined && !("Content-Type" in (extras.overrides ?? {}))) {
      headers.set("Content-Type", "application/fhir+json");
    }
    return provider.request(`${foundationsRoot}${path}`, {
      method: extras.method ?? (extras.body === undefined ? "GET" : "POST"),
      headers,
      ...(extras.body === undefined ? {} : { body: extras.body }),
    });
  };
  return { provider, call };
}

/** `"<status> <Spine code>"` of an error response (asserting `Cache-Control: no-store`). */
export async function errorCode(res: Response): Promise<string> {
  const body = await res.json() as {
    issue: Array<{ details: { coding: Array<{ code: string }> } }>;
  };
  if (res.headers.get("Cache-Control") !== "no-store") throw new Error("missing no-store");
  return `${res.status} ${body.issue[0]!.details.coding[0]!.code}`;
}

/** Options for {@linkcode registerPatientBody}. */
export interface RegisterBodyOptions {
  readonly nhsNumber: string;
  readonly family: string;
  readonly given: string;
  readonly birthDate: string;
  readonly gender?: string;
}

/**
 * A `$gpc.registerpatient` Parameters body (the GPC-1.6 request example's shape); `patient`
 * changes are merged into the Patient (a `undefined` value removes the element).
 */
export function registerPatientBody(
  options: RegisterBodyOptions,
  patient: Readonly<Record<string, unknown>> = {},
): string {
  const resource: Record<string, unknown> = {
    resourceType: "Patient",
    meta: {
      profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1"],
    },
    identifier: [{ system: "https://fhir.nhs.uk/Id/nhs-number", value: options.nhsNumber }],
    name: [{ use: "official", family: options.family, given: [options.given], prefix: ["Ms"] }],
    gender: options.gender ?? "female",
    birthDate: options.birthDate,
    telecom: [{ system: "phone", value: "07700900999", use: "mobile" }],
    address: [{
      use: "home",
      type: "physical",
      line: ["9 Temporary Street"],
      city: "Leeds",
      postalCode: "LS1 1AA",
    }],
  };
  for (const [key, value] of Object.entries(patient)) {
    if (value === undefined) delete resource[key];
    else resource[key] = value;
  }
  return JSON.stringify({
    resourceType: "Parameters",
    parameter: [{ name: "registerPatient", resource }],
  });
}
