/**
 * The sender's PDS trace before a GP Connect message (GPCM-SD-084; shared/reference/mesh.md §5.2):
 * `GET {pdsBaseUrl}/Patient/{nhs}` (PDS FHIR R4, a fresh `X-Request-ID`) gives the NHS number, the
 * family and given names and the date of birth that the `GPPROVIDER_…` address and the message's
 * Patient must carry, so MESH's cross-check and the practice's match both see PDS's values.
 *
 * - 200 → the record (a superseded number answers with the record that replaced it, whose NHS
 *   number is then the one to use); a record without name or birth date (very restricted, `V`)
 *   cannot be addressed and is an error;
 * - 404 → not on PDS (`INVALIDATED_RESOURCE` → invalidated);
 * - anything else → PDS could not answer.
 *
 * Errors are {@linkcode PdsTraceError} values with a one-line message.
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import { isJsonObject, type JsonObject } from "../../gpconnect/json-object.ts";

/** The traced patient. */
export interface TracedPatient {
  /** PDS's NHS number (differs from the one asked for when that one was superseded). */
  readonly nhsNumber: string;
  readonly family: string;
  readonly given: readonly string[];
  /** `yyyy-mm-dd`. */
  readonly birthDate: string;
  /** ODS code of the current GP practice, when PDS shows one. */
  readonly gpOdsCode: string | undefined;
}

/** Why a trace gave no patient to address. */
export type PdsTraceProblem =
  | "not-found"
  | "invalidated"
  | "no-demographics"
  | "unavailable";

/** A trace that gave no patient. */
export class PdsTraceError extends Error {
  override name = "PdsTraceError";
  constructor(readonly problem: PdsTraceProblem, message: string) {
    super(message);
  }
}

/** Where PDS is. */
export interface PdsTraceOptions {
  /** e.g. `http://127.0.0.1:8081` (the PDS sandbox) or PDS FHIR R4's base URL. */
  readonly pdsBaseUrl: string;
  readonly fetch?: typeof fetch;
  /** Extra headers (e.g. `Authorization` for the real PDS). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Traces an NHS number on PDS.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
 * // The PDS sandbox in-process; `task mesh` sends to http://127.0.0.1:8081 with the global fetch.
 * const pds = createPdsSandbox();
 * const patient = await tracePatient("9690937286", {
 *   pdsBaseUrl: "http://pds.test",
 *   fetch: (input, init) => Promise.resolve(pds.fetch(new Request(input, init))),
 * });
 * assert.equal(patient.birthDate, "1942-02-03");
 * ```
 */
export async function tracePatient(
  nhsNumber: string,
  options: PdsTraceOptions,
): Promise<TracedPatient> {
  const url = `${options.pdsBaseUrl.replace(/\/+$/, "")}/Patient/${encodeURIComponent(nhsNumber)}`;
  let response: Response;
  let body: unknown;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: {
        "X-Request-ID": crypto.randomUUID(),
        Accept: "application/fhir+json",
        ...options.headers,
      },
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    body = await response.json().catch(() => undefined);
  } catch (cause) {
    throw new PdsTraceError(
      "unavailable",
      `PDS at ${options.pdsBaseUrl} could not be reached (${
        cause instanceof Error ? cause.message : String(cause)
      })`,
    );
  }
  if (response.status === 404) {
    const invalidated = issueCode(body) === "INVALIDATED_RESOURCE";
    throw new PdsTraceError(
      invalidated ? "invalidated" : "not-found",
      invalidated
        ? `NHS number ${nhsNumber} is invalidated on PDS`
        : `NHS number ${nhsNumber} is not on PDS`,
    );
  }
  if (response.status !== 200 || !isJsonObject(body) || body.resourceType !== "Patient") {
    throw new PdsTraceError(
      "unavailable",
      `PDS answered HTTP ${response.status}${issueCode(body) ? ` ${issueCode(body)}` : ""}`,
    );
  }
  const names = list(body.name);
  const name = names.find((n) => n.use === "official") ?? names.find((n) => n.use === "usual") ??
    names[0];
  const family = typeof name?.family === "string" ? name.family : undefined;
  const birthDate = typeof body.birthDate === "string" ? body.birthDate : undefined;
  if (!family || !birthDate || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(birthDate)) {
    throw new PdsTraceError(
      "no-demographics",
      `PDS holds no family name and full date of birth for ${nhsNumber} (restricted record?)`,
    );
  }
  const identifier = list(body.identifier).find((id) => id.system === identifierSystems.nhsNumber);
  const gp = list(body.generalPractitioner)[0]?.identifier;
  return {
    nhsNumber: typeof identifier?.value === "string" ? identifier.value : nhsNumber,
    family,
    given: Array.isArray(name?.given) ? name.given.map(String) : [],
    birthDate,
    gpOdsCode: isJsonObject(gp) && typeof gp.value === "string" ? gp.value : undefined,
  };
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function issueCode(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const details = list(body.issue)[0]?.details;
  const code = isJsonObject(details) ? list(details.coding)[0]?.code : undefined;
  return typeof code === "string" ? code : undefined;
}
