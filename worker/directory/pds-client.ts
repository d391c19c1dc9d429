/**
 * PDS FHIR R4 client: NHS number → the patient's current registered GP practice
 * (shared/reference/pds-sds.md §0 step 1, §1.3–§1.8), or → the demographics GPPROVIDER routing
 * checks a MESH address against (mesh.md §5.3).
 *
 * - The NHS number is checked (length, digits, modulus 11) before any call, so a typo never
 *   costs a PDS request.
 * - `GET {base}/Patient/{nhs}` with `X-Request-ID` (a UUID, the *same* value on every retry so
 *   PDS can de-duplicate), `Accept: application/fhir+json` and a bearer token when configured.
 * - The current GP is the `generalPractitioner` whose `identifier.period` (the period sits inside
 *   the identifier) covers today's UK date. Restricted (`R`) and very restricted (`V`) records
 *   carry no GP, so they cannot be routed: those and "no current GP" are answers, negatively
 *   cacheable `PATIENT_NOT_FOUND`s that name the reason.
 * - 429/503 are retried after `Retry-After` (seconds or HTTP-date) when it is short enough;
 *   otherwise the status and `Retry-After` go back to the caller.
 * - Anything else unexpected is a 502 "PDS unavailable: …" that is never cached and never
 *   carries the token.
 * - Demographics come from the same retrieval; restricted records are answers there (with the
 *   withheld fields absent), because routing decides what a missing field means.
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { nhsNumberProblem } from "../../gpconnect/nhs-number.ts";
import type { PatientDemographics, PatientRegistration } from "./directory-types.ts";
import {
  currentPractice,
  fullDate,
  isDeceased,
  patientDemographics,
  type PdsPatient,
  practiceRegistrations,
  securityLabels,
  ukDate,
} from "./pds-patient-record.ts";
import {
  callUpstream,
  describeAnswer,
  operationOutcomeIssue,
  type UpstreamAnswer,
  UpstreamUnreachable,
} from "./upstream-call.ts";
import { isUuid } from "../../gpconnect/uuid.ts";

/** What {@linkcode createPdsClient} needs. */
export interface PdsClientOptions {
  /** PDS FHIR R4 base URL, e.g. `https://int.api.service.nhs.uk/personal-demographics/FHIR/R4`. */
  readonly baseUrl: string;
  /** Bearer token; omitted for sandboxes. Never logged nor put in an error. */
  readonly accessToken?: string | undefined;
  /** Upstream fetch. */
  readonly fetch: UpstreamFetch;
  /** Clock: today's date for GP periods, HTTP-date `Retry-After`, and the sleep between retries. */
  readonly clock: Clock;
  /** Deadline of each attempt (headers and body), in milliseconds. */
  readonly timeoutMs: number;
  /** How many times a 429/503 is retried. */
  readonly maxRetries: number;
  /** The longest `Retry-After` waited out here; a longer one goes back to the caller. */
  readonly maxRetryAfterSeconds: number;
  /** UUID generator for `X-Request-ID`. */
  readonly randomUUID: () => string;
}

/** A PDS client. */
export interface PdsClient {
  /**
   * The patient's current registration. `requestId` (a UUID) becomes `X-Request-ID`; a fresh
   * one is generated otherwise. Throws `GpcEdgeError`.
   */
  getRegistration(nhsNumber: string, requestId?: string): Promise<PatientRegistration>;
  /**
   * The patient's date of birth, current family names and current GP practice (for GPPROVIDER
   * routing). Throws `GpcEdgeError` as {@linkcode PdsClient.getRegistration} does, except that
   * restricted, GP-less and deceased patients are answers.
   */
  getDemographics(nhsNumber: string, requestId?: string): Promise<PatientDemographics>;
}

/** `Retry-After` assumed when PDS throttles without saying how long to wait. */
export const defaultRetryAfterSeconds = 1;

/**
 * Throws `INVALID_NHS_NUMBER` (400) naming what is wrong (length, non-digits, check digit)
 * unless `nhsNumber` is a valid NHS number.
 */
export function assertValidNhsNumber(nhsNumber: string): void {
  const problem = nhsNumberProblem(nhsNumber);
  if (problem !== undefined) {
    throw GpcEdgeError.gpconnect("INVALID_NHS_NUMBER", { diagnostics: problem });
  }
}

/**
 * Creates a PDS client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // PDS: the sandbox app, in-process; a deployment passes PDS's base URL and the global `fetch`.
 * import { directorySandboxes, fakeClock, pdsBase } from "../testing/directory-sandboxes.ts";
 * const pds = createPdsClient({
 *   baseUrl: pdsBase,
 *   fetch: directorySandboxes().fetch,
 *   clock: fakeClock(),
 *   timeoutMs: 10_000,
 *   maxRetries: 2,
 *   maxRetryAfterSeconds: 5,
 *   randomUUID: () => crypto.randomUUID(),
 * });
 * const { odsCode } = await pds.getRegistration("9990000204");
 * assert.equal(odsCode, "A20047");
 * ```
 */
export function createPdsClient(options: PdsClientOptions): PdsClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const retrieve = async (nhsNumber: string, requestId: string | undefined) => {
    assertValidNhsNumber(nhsNumber);
    const xRequestId = isUuid(requestId) ? requestId : options.randomUUID();
    const headers = new Headers({
      "Accept": "application/fhir+json",
      "X-Request-ID": xRequestId,
    });
    if (options.accessToken) headers.set("Authorization", `Bearer ${options.accessToken}`);
    const url = `${baseUrl}/Patient/${encodeURIComponent(nhsNumber)}`;
    for (let attempt = 0;; attempt++) {
      const answer = await call(options, new Request(url, { headers, redirect: "manual" }));
      if (answer.status !== 429 && answer.status !== 503) return answer;
      const wait = retryAfterSeconds(answer.headers.get("Retry-After"), options.clock.now());
      if (attempt >= options.maxRetries || wait > options.maxRetryAfterSeconds) {
        throw throttled(answer, wait, attempt + 1);
      }
      await options.clock.sleep(wait * 1000);
    }
  };
  return {
    async getRegistration(nhsNumber, requestId) {
      const answer = await retrieve(nhsNumber, requestId);
      const today = ukDate(options.clock.now());
      if (answer.status !== 200) throw pdsError(answer, nhsNumber);
      return patientRegistration(answer, nhsNumber, today);
    },
    async getDemographics(nhsNumber, requestId) {
      const answer = await retrieve(nhsNumber, requestId);
      const today = ukDate(options.clock.now());
      if (answer.status !== 200) throw pdsError(answer, nhsNumber);
      const patient = retrievedPatient(answer, nhsNumber);
      return patientDemographics(patient, nhsNumber, patientNhsNumber(patient, nhsNumber), today);
    },
  };
}

async function call(options: PdsClientOptions, request: Request): Promise<UpstreamAnswer> {
  try {
    return await callUpstream(options.fetch, request, options.timeoutMs);
  } catch (error) {
    if (error instanceof UpstreamUnreachable) throw unreachable(error);
    throw error;
  }
}

/** A timeout is a 504 (issue 9), anything else unreachable a 502. */
function unreachable(error: UpstreamUnreachable): GpcEdgeError {
  return error.timedOut
    ? GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
      status: 504,
      issueCode: "timeout",
      diagnostics: `PDS timed out: ${error.message}`,
      cause: error,
    })
    : unavailable(error.message, error);
}

function unavailable(reason: string, cause?: unknown): GpcEdgeError {
  return GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
    status: 502,
    issueCode: "transient",
    diagnostics: `PDS unavailable: ${reason}`,
    cause,
  });
}

function throttled(answer: UpstreamAnswer, waitSeconds: number, attempts: number): GpcEdgeError {
  const seconds = String(Math.max(0, Math.ceil(waitSeconds)));
  return GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
    status: answer.status,
    issueCode: answer.status === 429 ? "throttled" : "transient",
    diagnostics: `PDS is throttling requests (${describeAnswer(answer)}) after ${attempts} ${
      attempts === 1 ? "attempt" : "attempts"
    }; retry after ${seconds} s`,
    headers: { "Retry-After": seconds },
  });
}

/** `Retry-After` in seconds from delta-seconds or an HTTP-date; the default when absent/invalid. */
function retryAfterSeconds(header: string | null, nowMs: number): number {
  const text = header?.trim() ?? "";
  if (/^[0-9]+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (text === "" || Number.isNaN(date)) return defaultRetryAfterSeconds;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** The error a non-200 PDS answer means. */
function pdsError(answer: UpstreamAnswer, requested: string): GpcEdgeError {
  const { code, diagnostics } = operationOutcomeIssue(answer.json);
  if (answer.status === 404 && (code === "RESOURCE_NOT_FOUND" || code === "INVALIDATED_RESOURCE")) {
    return GpcEdgeError.gpconnect("PATIENT_NOT_FOUND", {
      diagnostics: code === "RESOURCE_NOT_FOUND"
        ? `PDS has no record of NHS number ${requested} (RESOURCE_NOT_FOUND)`
        : `PDS record for NHS number ${requested} has been invalidated (INVALIDATED_RESOURCE)`,
      cacheable: true,
    });
  }
  if (answer.status === 400) {
    return GpcEdgeError.gpconnect("INVALID_NHS_NUMBER", {
      diagnostics: `PDS rejected NHS number ${requested}: ${code ?? "HTTP 400"}${
        diagnostics ? ` (${diagnostics})` : ""
      }`,
    });
  }
  if (answer.status === 401 || answer.status === 403) {
    return unavailable(`PDS refused gpc-edge's credentials (${describeAnswer(answer)})`);
  }
  return unavailable(describeAnswer(answer));
}

/** The Patient of a 200 answer, or a 502 when PDS sent something else. */
function retrievedPatient(answer: UpstreamAnswer, requested: string): PdsPatient {
  const patient = answer.json as PdsPatient | undefined;
  if (patient === undefined) throw unavailable("HTTP 200 without a JSON body");
  if (patient.resourceType !== "Patient") {
    throw unavailable(`HTTP 200 with a ${String(patient.resourceType)} instead of a Patient`);
  }
  patientNhsNumber(patient, requested);
  return patient;
}

/** The NHS number of the returned record (the requested one unless superseded). */
function patientNhsNumber(patient: PdsPatient, requested: string): string {
  const nhsNumber = typeof patient.id === "string" ? patient.id : requested;
  if (nhsNumberProblem(nhsNumber) !== undefined) {
    throw unavailable(`HTTP 200 with a Patient whose id is not an NHS number`);
  }
  return nhsNumber;
}

function patientRegistration(
  answer: UpstreamAnswer,
  requested: string,
  today: string,
): PatientRegistration {
  const patient = retrievedPatient(answer, requested);
  const nhsNumber = patientNhsNumber(patient, requested);
  const superseded = nhsNumber !== requested;
  const subject = superseded
    ? `PDS record for NHS number ${requested} (superseded by ${nhsNumber})`
    : `PDS record for NHS number ${requested}`;
  const notRoutable = (reason: string) =>
    GpcEdgeError.gpconnect("PATIENT_NOT_FOUND", {
      diagnostics: `${subject} ${reason}`,
      cacheable: true,
    });

  const labels = securityLabels(patient);
  if (labels.includes("V")) {
    throw notRoutable("is very restricted (V): it has no registered GP practice to route to");
  }
  if (labels.includes("R")) {
    throw notRoutable("is restricted (R): it has no registered GP practice to route to");
  }

  const practices = practiceRegistrations(patient);
  // A missing period is treated as open: nothing says the registration ended.
  const current = currentPractice(practices, today);
  if (current === undefined) {
    const ended = practices.find((p) => p.end !== undefined && fullDate(p.end, "end") < today);
    const future = practices.find((p) =>
      p.start !== undefined && fullDate(p.start, "start") > today
    );
    const why = ended
      ? `: GP registration ended ${ended.end} (${ended.odsCode})`
      : future
      ? `: GP registration with ${future.odsCode} starts ${future.start}`
      : "";
    throw notRoutable(`has no current registered GP practice${why}`);
  }

  const versionId = typeof patient.meta?.versionId === "string"
    ? patient.meta.versionId
    : /^W\/"([0-9]+)"$/.exec(answer.headers.get("ETag") ?? "")?.[1];
  return {
    requestedNhsNumber: requested,
    nhsNumber,
    superseded,
    odsCode: current.odsCode,
    versionId,
    deceased: isDeceased(patient),
  };
}
