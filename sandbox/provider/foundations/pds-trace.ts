/**
 * The provider's PDS Retrieval Query before a registration (GPC-1.6 register a patient, "PDS
 * requirements"): `GET {pdsBaseUrl}/Patient/{nhs}` over HTTP with a fresh `X-Request-ID` UUID,
 * read as PDS FHIR R4 answers it (reference pds-sds.md §1.5–§1.8):
 *
 * - 200 → the record; its NHS number differs from the one asked for when the number was
 *   superseded (merged into another record);
 * - 404 `INVALIDATED_RESOURCE` → invalidated; any other 404 → not found;
 * - anything else, a network failure or an unreadable body → 500 INTERNAL_SERVER_ERROR with
 *   diagnostics saying what happened (PDS unavailable or could not be contacted).
 *
 * @module
 */
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import type { ProviderFetch } from "../provider-routes-options.ts";
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import type { FixtureAddress, FixtureTelecom } from "../../pds/fixture-patients.ts";
import { ProviderError } from "../provider-error.ts";

/** How long a PDS call may take before the registration fails. */
export const pdsTimeoutMs = 10_000;

/** The parts of a PDS record the registration checks and uses. */
export interface PdsRecord {
  /** The record's NHS number (differs from the request when superseded). */
  readonly nhsNumber: string;
  /** `meta.security` code: U, R (restricted) or V (very restricted). */
  readonly security: string;
  readonly deceased: boolean;
  readonly family?: string;
  readonly given: readonly string[];
  readonly birthDate?: string;
  readonly gender?: "male" | "female" | "other" | "unknown";
  readonly address?: FixtureAddress;
  readonly telecom: readonly FixtureTelecom[];
}

/** The outcome of a trace. */
export type PdsTrace =
  | { readonly kind: "found"; readonly record: PdsRecord }
  | { readonly kind: "not-found" }
  | { readonly kind: "invalidated" };

/** Where and how to call PDS. */
export interface PdsTraceOptions {
  readonly pdsBaseUrl: string | undefined;
  readonly fetch: ProviderFetch;
}

type Json = Record<string, unknown>;

function unavailable(diagnostics: string, cause?: unknown): ProviderError {
  const error = new ProviderError("INTERNAL_SERVER_ERROR", diagnostics);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/**
 * Retrieves the PDS record of an NHS number; throws {@linkcode ProviderError} (500) when PDS
 * cannot answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // PDS: the sandbox app, in-process (the world passes its URL and the global `fetch`).
 * import { pdsSandboxFetch } from "./provider-test-client.ts";
 * const trace = await tracePdsPatient("9990000204", {
 *   pdsBaseUrl: "http://pds.test",
 *   fetch: pdsSandboxFetch(),
 * });
 * assert.equal(trace.kind === "found" && trace.record.birthDate, "1972-01-28");
 * ```
 */
export async function tracePdsPatient(
  nhsNumber: string,
  options: PdsTraceOptions,
): Promise<PdsTrace> {
  if (!options.pdsBaseUrl) throw unavailable("No PDS base URL is configured for registrations");
  const url = `${options.pdsBaseUrl.replace(/\/+$/, "")}/Patient/${encodeURIComponent(nhsNumber)}`;
  let response: Response;
  let body: unknown;
  try {
    response = await options.fetch(url, {
      headers: { "X-Request-ID": crypto.randomUUID(), Accept: "application/fhir+json" },
      redirect: "manual",
      signal: AbortSignal.timeout(pdsTimeoutMs),
    });
    body = await response.json().catch(() => undefined);
  } catch (cause) {
    throw unavailable(
      `PDS could not be contacted: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
  if (response.status === 404) {
    const code = firstIssueCode(body);
    return code === "INVALIDATED_RESOURCE" ? { kind: "invalidated" } : { kind: "not-found" };
  }
  if (response.status !== 200) {
    throw unavailable(
      `PDS answered HTTP ${response.status} (${firstIssueCode(body) ?? "no code"})`,
    );
  }
  if (!isJsonObject(body) || body.resourceType !== "Patient") {
    throw unavailable("PDS answered 200 without a Patient resource");
  }
  return { kind: "found", record: pdsRecord(body, nhsNumber) };
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function firstIssueCode(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const details = list(body.issue)[0]?.details;
  const code = isJsonObject(details) ? list(details.coding)[0]?.code : undefined;
  return typeof code === "string" ? code : undefined;
}

function pdsRecord(patient: Json, requested: string): PdsRecord {
  const nhs = list(patient.identifier).find((id) => id.system === identifierSystems.nhsNumber);
  const security = list(isJsonObject(patient.meta) ? patient.meta.security : undefined)[0]?.code;
  const name = list(patient.name).find((n) => n.use === "usual") ?? list(patient.name)[0];
  const gender = typeof patient.gender === "string" ? patient.gender : undefined;
  const home = list(patient.address).find((a) => a.use === "home" && !isJsonObject(a.period));
  const lines = Array.isArray(home?.line) ? home.line.map(String) : [];
  return {
    nhsNumber: typeof nhs?.value === "string" ? nhs.value : String(patient.id ?? requested),
    security: typeof security === "string" ? security : "U",
    deceased: patient.deceasedDateTime !== undefined || patient.deceasedBoolean === true,
    ...(typeof name?.family === "string" ? { family: name.family } : {}),
    given: Array.isArray(name?.given) ? name.given.map(String) : [],
    ...(typeof patient.birthDate === "string" ? { birthDate: patient.birthDate } : {}),
    ...(gender === "male" || gender === "female" || gender === "other" || gender === "unknown"
      ? { gender }
      : {}),
    ...(home && typeof home.postalCode === "string"
      ? { address: { line: lines, postalCode: home.postalCode } }
      : {}),
    telecom: list(patient.telecom).flatMap((t) =>
      typeof t.system === "string" && typeof t.value === "string"
        ? [{ system: t.system, value: t.value, use: typeof t.use === "string" ? t.use : "home" }]
        : []
    ),
  };
}
