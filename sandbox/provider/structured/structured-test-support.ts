/**
 * Test support for the structured routes: call the reference provider in process at a fixed
 * clock and read a structured Bundle (resources by type, lists by title, list entries and
 * warnings); the rich-record patient's record and resource context for the resource builders.
 * Used by the `*.test.ts` files beside it and below it; it judges nothing.
 *
 * @module
 */
import { clinicalRecordFor } from "../clinical/clinical-records.ts";
import type { ClinicalRecord } from "../clinical/clinical-record-types.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import type { ResourceContext } from "./resources/resource-common.ts";
import {
  nhsNumberParameter,
  type ParameterJson,
  structuredRequest,
  type StructuredRequestOptions,
} from "./structured-requests.ts";

/** Loosely typed JSON for reading responses in tests. */
// deno-lint-ignore no-explicit-any
export type Json = Record<string, any>;

/** The clock the structured tests run at. */
export const testNow = new Date("2025-03-10T15:00:00Z");

/** The JWT `iat` (seconds) of a request sent at {@linkcode testNow}. */
export const testIssuedAt = Math.floor(testNow.getTime() / 1000);

/** NHS number of the rich-record patient (logical id 2), who has a record in every area. */
export const richRecordNhsNumber = "9690937286";

/** The rich-record patient's clinical record at {@linkcode testNow}. */
export function richClinicalRecord(): ClinicalRecord {
  const record = clinicalRecordFor(richRecordNhsNumber, testNow);
  if (!record) throw new Error(`no clinical record for ${richRecordNhsNumber}`);
  return record;
}

/** What the rich-record patient's structured resources are built with. */
export const richRecordContext: ResourceContext = {
  nhsNumber: richRecordNhsNumber,
  patientReference: "Patient/2",
  organizationReference: "Organization/1",
};

/**
 * The titles of the primary Lists, in Bundle order, when every clinical area is asked for (all
 * `include*` parameters, or `includeFullRecord` on migrate) for the rich-record patient.
 */
export const everyAreaListTitles: readonly string[] = [
  "Allergies and adverse reactions",
  "Ended allergies",
  "Medications and medical devices",
  "List of consultations",
  "Problems",
  "Immunisations",
  "Uncategorised data",
  "Investigations and results",
  "Outbound referral",
  "Patient recall administration",
];

/** A response read once. */
export interface TestResult {
  readonly status: number;
  readonly body: Json;
  readonly text: string;
  readonly response: Response;
}

/** Options of {@linkcode callStructured}. */
export interface CallOptions extends StructuredRequestOptions {
  /** The provider clock; default {@linkcode testNow}. */
  readonly at?: Date;
}

/**
 * Sends a structured operation for a patient to a fresh provider sandbox.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parameter } from "./structured-requests.ts";
 * const { body } = await callStructured("get", "9690937286", [parameter("includeProblems")]);
 * assert.ok(hasList(body, "Problems"));
 * ```
 */
export async function callStructured(
  operation: "get" | "migrate",
  nhsNumber: string,
  parameters: readonly ParameterJson[],
  options: CallOptions = {},
): Promise<TestResult> {
  const at = options.at ?? testNow;
  const app = createProviderSandbox({
    now: () => at,
    newId: () => "00000000-0000-4000-a000-000000000001",
  });
  const response = await app.request(structuredRequest(
    operation,
    [nhsNumberParameter(nhsNumber), ...parameters],
    { issuedAt: Math.floor(at.getTime() / 1000), ...options },
  ));
  const text = await response.text();
  const body = text.startsWith("{") ? JSON.parse(text) : {};
  return { status: response.status, body, text, response };
}

/**
 * Sends `$gpc.getstructuredrecord` for a patient to a fresh provider sandbox.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parameter } from "./structured-requests.ts";
 * const { status } = await getStructured("9690937286", [parameter("includeProblems")]);
 * assert.equal(status, 200);
 * ```
 */
export function getStructured(
  nhsNumber: string,
  parameters: readonly ParameterJson[] = [],
  options: CallOptions = {},
): Promise<TestResult> {
  return callStructured("get", nhsNumber, parameters, options);
}

/** The resources of a Bundle, optionally of one type. */
export function resourcesOf(bundle: Json, type?: string): Json[] {
  return ((bundle.entry ?? []) as Json[]).map((e) => e.resource)
    .filter((r) => !type || r.resourceType === type);
}

/**
 * The primary or secondary List with a title (consultation structure lists, which carry an
 * `encounter`, are skipped); throws when there is none.
 */
export function listTitled(bundle: Json, title: string): Json {
  const found = resourcesOf(bundle, "List").find((l) => l.title === title && !l.encounter);
  if (!found) throw new Error(`no list titled ${title}`);
  return found;
}

/** Whether the Bundle has a primary or secondary List with a title. */
export function hasList(bundle: Json, title: string): boolean {
  return resourcesOf(bundle, "List").some((l) => l.title === title && !l.encounter);
}

/**
 * The titles of a Bundle's primary Lists (SNOMED CT coded, not consultation structure lists), in
 * Bundle order.
 */
export function primaryListTitles(bundle: Json): string[] {
  return resourcesOf(bundle, "List")
    .filter((l) => l.code.coding[0].system === "http://snomed.info/sct" && !l.encounter)
    .map((l) => l.title);
}

/** The references a List's entries point at. */
export function entryReferences(list: Json): string[] {
  return ((list.entry ?? []) as Json[]).map((e) => e.item.reference as string);
}

/** The warning codes of a List. */
export function listWarnings(list: Json): string[] {
  return ((list.extension ?? []) as Json[])
    .filter((e) => String(e.url).endsWith("ListWarningCode-1"))
    .map((e) => e.valueCode as string);
}

/** The `(status, Spine code)` of an error response. */
export function errorOf(result: TestResult): [number, string | undefined] {
  return [result.status, result.body.issue?.[0]?.details?.coding?.[0]?.code];
}
