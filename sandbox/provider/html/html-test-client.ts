/**
 * A test client for the reference provider's DSTU2 root: a provider at a fixed clock, a
 * `$gpc.getcarerecord` request builder (Parameters body, SSP headers, DSTU2 JWT whose
 * `requested_record` names the patient) and readers for the answers. Shared by the Access Record
 * HTML tests; a request builder, it judges nothing but the error shape it reads.
 *
 * @module
 */
import type { Hono } from "hono";
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { providerRequestHeaders } from "../provider-request.ts";
import { recordSectionSystem } from "./record-sections.ts";

/** The DSTU2 root of the default practice. */
export const dstu2Root = "/B82617/DSTU2/0/gpconnect";

/** The test clock: 2025-01-15T10:00:00Z. */
export const testNow = new Date("2025-01-15T10:00:00Z");

/** The interaction ids of the DSTU2 root. */
export const dstu2Interactions = {
  metadata: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata",
  careRecord: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord",
} as const;

/** The DSTU2 NHS number system. */
export const nhsNumberSystem = identifierSystems.nhsNumberDstu2;

/** NHS number of the rich-record patient (patient2, logical id 2). */
export const richRecordNhsNumber = "9690937286";

/** One `$gpc.getcarerecord` call; defaults: the rich record, section SUM, no period. */
export interface CareRecordCall {
  readonly nhsNumber?: string;
  readonly section?: string;
  readonly period?: { readonly start?: string; readonly end?: string };
  /** NHS number of the JWT `requested_record`; default the body's. */
  readonly jwtNhsNumber?: string;
  /** A raw body instead of the built Parameters. */
  readonly body?: string;
  readonly overrides?: Readonly<Record<string, string | null>>;
}

/** A `$gpc.getcarerecord` Parameters body. */
export function parametersBody(
  nhsNumber: string,
  section: string,
  period?: CareRecordCall["period"],
): string {
  return JSON.stringify({
    resourceType: "Parameters",
    parameter: [
      { name: "patientNHSNumber", valueIdentifier: { system: nhsNumberSystem, value: nhsNumber } },
      {
        name: "recordSection",
        valueCodeableConcept: { coding: [{ system: recordSectionSystem, code: section }] },
      },
      ...(period ? [{ name: "timePeriod", valuePeriod: period }] : []),
    ],
  });
}

/**
 * A provider at the test clock (ids `id-1`, `id-2`, …) and a caller of its DSTU2 root.
 *
 * @example
 * ```ts
 * const { careRecord } = htmlTestClient();
 * const res = await careRecord({ section: "ENC", period: { start: "2014" } });
 * ```
 */
export function htmlTestClient(app?: Hono<ProviderEnv>) {
  let ids = 0;
  const provider = app ??
    createProviderSandbox({ now: () => testNow, newId: () => `id-${++ids}` });
  const issuedAt = Math.floor(testNow.getTime() / 1000);
  const careRecord = (options: CareRecordCall = {}) => {
    const nhsNumber = options.nhsNumber ?? richRecordNhsNumber;
    const headers = providerRequestHeaders(dstu2Interactions.careRecord, {
      issuedAt,
      jwt: { nhsNumber: options.jwtNhsNumber ?? nhsNumber },
      overrides: { "Content-Type": "application/json+fhir;charset=utf-8", ...options.overrides },
    });
    return provider.request(`${dstu2Root}/Patient/$gpc.getcarerecord`, {
      method: "POST",
      headers,
      body: options.body ?? parametersBody(nhsNumber, options.section ?? "SUM", options.period),
    });
  };
  const metadata = (overrides: Readonly<Record<string, string | null>> = {}) =>
    provider.request(`${dstu2Root}/metadata`, {
      headers: providerRequestHeaders(dstu2Interactions.metadata, { issuedAt, overrides }),
    });
  return { provider, careRecord, metadata };
}

/**
 * `"<status> <Spine code>"` of a DSTU2 error response; throws unless it is the DSTU2
 * OperationOutcome shape with `Cache-Control: no-store`.
 */
export async function dstu2ErrorCode(res: Response): Promise<string> {
  const body = await res.json() as {
    resourceType?: string;
    meta?: { profile?: string[] };
    issue: Array<{ details: { coding: Array<{ system: string; code: string }> } }>;
  };
  const coding = body.issue[0]!.details.coding[0]!;
  if (
    res.headers.get("Cache-Control") !== "no-store" ||
    res.headers.get("Content-Type") !== "application/json+fhir;charset=utf-8" ||
    body.resourceType !== "OperationOutcome" ||
    body.meta?.profile?.[0] !==
      "http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1" ||
    coding.system !== "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1"
  ) {
    throw new Error(`Not a DSTU2 GP Connect error response: ${JSON.stringify(body)}`);
  }
  return `${res.status} ${coding.code}`;
}

/** The XHTML `div` of a care record Bundle's Composition. */
export function compositionDiv(bundle: unknown): string {
  const b = bundle as {
    entry: Array<{ resource: { section: Array<{ text: { div: string } }> } }>;
  };
  return b.entry[0]!.resource.section[0]!.text.div;
}
