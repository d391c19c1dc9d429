/**
 * What a response check is: a rule a successful response must keep, derived from the request the
 * step sent (its interaction, URL and body) and the response body alone, with a requirement id of
 * its own so a failure names the rule it breaks. `response-checks.ts` lists them; the judge runs
 * every one that applies on each 2xx response the expectation accepts.
 *
 * @module
 */
import type { FhirVersion } from "../../gpconnect/specs.ts";

/** The request a response answers, as the step sent it. */
export interface CheckedRequest {
  /** Interaction URN (`Ssp-InteractionID`). */
  readonly interaction: string;
  readonly fhirVersion: FhirVersion;
  readonly method: string;
  /** The absolute URL sent. */
  readonly url: string;
  /** The request body text, if any. */
  readonly body?: string;
}

/** What a check reads. */
export interface CheckInput {
  readonly request: CheckedRequest;
  /** The response body as FHIR JSON (a resource). */
  readonly body: Record<string, unknown>;
}

/** One check's verdict: a sentence, and the problems found (none = passed). */
export interface CheckVerdict {
  readonly description: string;
  readonly problems: readonly string[];
}

/** A rule a response must keep. */
export interface ResponseCheck {
  /** Short name, e.g. `search-window`. */
  readonly name: string;
  /** The requirement it verifies (`specs/requirements.json`). */
  readonly requirement: string;
  /** The verdict, or undefined when the rule says nothing about this request. */
  check(input: CheckInput): CheckVerdict | undefined;
}

/** Interaction URNs the checks key on. */
export const interactionIds = {
  searchSlots: "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1",
  patientAppointments: "urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1",
  searchDocuments:
    "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1",
  structured: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1",
  migrate: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1",
  register: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1",
  careRecord: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord",
} as const;

/** The request's query parameters (an unparsable URL has none). */
export function queryOf(request: CheckedRequest): URLSearchParams {
  try {
    return new URL(request.url).searchParams;
  } catch {
    return new URLSearchParams();
  }
}

/** The request URL's path segments (the service root's included). */
export function pathSegments(request: CheckedRequest): string[] {
  try {
    return new URL(request.url).pathname.split("/").filter((s) => s !== "");
  } catch {
    return [];
  }
}

/** The request body as JSON, if it is JSON. */
export function jsonBodyOf(request: CheckedRequest): unknown {
  if (request.body === undefined) return undefined;
  try {
    return JSON.parse(request.body);
  } catch {
    return undefined;
  }
}

/** At most `limit` problems, and how many more there were. */
export function firstProblems(problems: readonly string[], limit = 5): string {
  const shown = problems.slice(0, limit).join("; ");
  return problems.length > limit ? `${shown}; and ${problems.length - limit} more` : shown;
}
