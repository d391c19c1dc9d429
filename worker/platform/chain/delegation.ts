/**
 * Delegated (proxy) access (R5; A4): a session whose NHS login id_token carried `act` (the
 * proxy's NHS number, verified at the token exchange, oauth/subject-token.ts) may act for its
 * subject only when the Validated Relationships Service confirms the relationship:
 * `GET {vrs}/validated-relationships/FHIR/R4/RelatedPerson?identifier={proxy}&patient:identifier={subject}&_include=RelatedPerson:patient`
 * must answer a `RelatedPerson` with the proxy's NHS number whose `patient` is the subject (and
 * not `active: false`). Otherwise 403 ACCESS_DENIED, before PDS or the practice see anything.
 *
 * VRS's answer (confirmed or not) is cached per platform session in the records store; errors are
 * not. VRS failing maps to the gateway's statuses, never a 500: 5xx, a nonsense body or no
 * connection → 502; its 408 or no answer within its own deadline → 504; its 429 → 503 with
 * `Retry-After`; its 401/403 (gpc-edge not allowed to ask) → 502. VRS's 400 and 404 (it knows no
 * such relationship or identifier) → 403.
 *
 * VRS is an application-restricted APIM API: {@linkcode vrsAuthorisedFetch} gives its calls
 * gpc-edge's application token from the APIM token endpoint (the one PDS's token comes from) when
 * one is configured, and the bearer `sandbox` otherwise (the local VRS sandbox takes any).
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../../app-deps.ts";
import type { RecordsStore } from "../../store/records-store.ts";
import type { PlatformSession } from "../oauth/platform-tokens.ts";
import { PlatformError } from "../platform-error.ts";
import { delegationKey } from "../platform-keys.ts";
import type { AssertionSigner } from "../platform-signing.ts";
import { getJson } from "./json-get.ts";
import { pdsAuthorisedFetch } from "./pds-app-token.ts";

const nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

/** What {@linkcode confirmDelegation} needs. */
export interface DelegationDeps {
  readonly records: RecordsStore;
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  /** VRS's base URL (`GPC_EDGE_VRS_URL`), before `/validated-relationships/…`. */
  readonly vrsBaseUrl: string;
  /** VRS's own deadline, ms. */
  readonly timeoutMs: number;
}

function nhsNumberOf(value: unknown): string | undefined {
  const identifiers = Array.isArray(value) ? value : [value];
  for (const identifier of identifiers) {
    const { system, value: number } = (identifier ?? {}) as { system?: unknown; value?: unknown };
    if ((system === undefined || system === nhsNumberSystem) && typeof number === "string") {
      return number;
    }
  }
  return undefined;
}

/** How VRS calls are authorised (see the module comment). */
export interface VrsAuthOptions {
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  readonly vrsBaseUrl: string;
  /** APIM's token endpoint (`GPC_EDGE_PLATFORM_PDS_TOKEN_URL`); unset: the local sandbox. */
  readonly tokenUrl: string | undefined;
  readonly clientId: string;
  readonly signer: AssertionSigner | undefined;
  readonly timeoutMs: number;
}

/**
 * The fetch VRS calls go through: with an APIM token URL and a signing key, gpc-edge's
 * application-restricted token; otherwise `Authorization: Bearer sandbox`.
 *
 * @example
 * ```ts
 * const vrsFetch = vrsAuthorisedFetch({
 *   fetch: (input, init) => fetch(input, init), clock: { now: Date.now, sleep: () => Promise.resolve() },
 *   vrsBaseUrl: "http://127.0.0.1:8085", tokenUrl: undefined, clientId: "gpc-edge", signer: undefined,
 *   timeoutMs: 10_000,
 * });
 * ```
 */
export function vrsAuthorisedFetch(options: VrsAuthOptions): UpstreamFetch {
  if (options.tokenUrl && options.signer) {
    return pdsAuthorisedFetch({
      fetch: options.fetch,
      clock: options.clock,
      pdsBaseUrl: options.vrsBaseUrl,
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      signer: options.signer,
      timeoutMs: options.timeoutMs,
    });
  }
  return (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.set("Authorization", "Bearer sandbox");
    return options.fetch(new Request(request, { headers }));
  };
}

/** Whether VRS's search Bundle confirms that `proxy` may act for `subject`. */
export function confirmsRelationship(bundle: unknown, proxy: string, subject: string): boolean {
  const entries = (bundle as { entry?: unknown })?.entry;
  if (!Array.isArray(entries)) return false;
  return entries.some((entry) => {
    const resource = (entry as { resource?: Record<string, unknown> })?.resource;
    if (resource?.resourceType !== "RelatedPerson" || resource.active === false) return false;
    const patient = resource.patient as { identifier?: unknown; reference?: unknown } | undefined;
    const patientNumber = nhsNumberOf(patient?.identifier) ??
      (typeof patient?.reference === "string"
        ? patient.reference.replace(/^.*Patient\//, "")
        : undefined);
    return nhsNumberOf(resource.identifier) === proxy && patientNumber === subject;
  });
}

/** The error for an answer that is not a confirmation (null: it is a well-formed answer). */
function vrsError(result: Awaited<ReturnType<typeof getJson>>, timeoutMs: number) {
  if (result.kind === "timeout") {
    return new PlatformError("GATEWAY_TIMEOUT", {
      diagnostics: `VRS did not answer within ${timeoutMs} ms`,
    });
  }
  if (result.kind === "failed") {
    return new PlatformError("BAD_GATEWAY", { diagnostics: `VRS failed (${result.reason})` });
  }
  if (result.status === 408 || result.status === 504) {
    return new PlatformError("GATEWAY_TIMEOUT", { diagnostics: `VRS answered ${result.status}` });
  }
  if (result.status === 429) {
    return new PlatformError("SERVICE_UNAVAILABLE", {
      diagnostics: "VRS is throttling gpc-edge",
      headers: { "Retry-After": "1" },
    });
  }
  if (result.status === 400 || result.status === 404 || result.status === 200) return null;
  return new PlatformError("BAD_GATEWAY", { diagnostics: `VRS answered ${result.status}` });
}

/**
 * Resolves when `session` is not delegated or VRS confirms it; throws `PlatformError` otherwise.
 *
 * @example
 * ```ts
 * // await confirmDelegation(deps, session, requestId); // before PDS and the practice
 * ```
 */
export async function confirmDelegation(
  deps: DelegationDeps,
  session: PlatformSession,
  requestId: string,
): Promise<void> {
  const proxy = session.actorNhsNumber;
  if (proxy === undefined) return;
  const key = delegationKey(session.sessionId);
  let confirmed = (await deps.records.get<{ confirmed: boolean }>(key))?.value.confirmed;
  if (confirmed === undefined) {
    const query = new URLSearchParams({
      identifier: proxy,
      "patient:identifier": session.nhsNumber,
      _include: "RelatedPerson:patient",
    });
    const url = `${deps.vrsBaseUrl.replace(/\/+$/, "")}/validated-relationships/FHIR/R4/` +
      `RelatedPerson?${query}`;
    const result = await getJson(deps.fetch, url, {
      "X-Request-ID": requestId,
      Accept: "application/fhir+json",
    }, deps.timeoutMs);
    const error = vrsError(result, deps.timeoutMs);
    if (error) throw error;
    const answer = result as { status: number; json: unknown };
    if (
      answer.status === 200 &&
      (answer.json as { resourceType?: unknown })?.resourceType !== "Bundle"
    ) {
      throw new PlatformError("BAD_GATEWAY", { diagnostics: "VRS answered 200 without a Bundle" });
    }
    confirmed = answer.status === 200 &&
      confirmsRelationship(answer.json, proxy, session.nhsNumber);
    if (session.endsAt > deps.clock.now()) {
      await deps.records.commit([], [{
        type: "set",
        key,
        value: { confirmed },
        expiresAt: session.endsAt,
      }]);
    }
  }
  if (!confirmed) {
    throw new PlatformError("ACCESS_DENIED", {
      status: 403,
      display: "Access denied",
      diagnostics: "The Validated Relationships Service does not confirm that the proxy may " +
        "act for this patient",
    });
  }
}
