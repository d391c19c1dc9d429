/**
 * The practice's access token for a patient session (A2 step 8, done better): an RFC 8693 token
 * exchange with the practice's authorisation service — `subject_token` = the patient's NHS login
 * id_token, `client_assertion` = an RS512 JWT minted by gpc-edge (platform-signing.ts) — cached
 * per patient session and practice in the records store until 30 s before it expires, so a
 * session's requests make one exchange.
 *
 * Failures are mapped one way for every product (APIM maps them per repository): the service
 * refused the session (4xx) → 401 ACCESS_DENIED "Access Token for GPC Expired" (log in again);
 * the service failed or answered nonsense → 502 (try again); it did not answer within the token
 * call's deadline or the request's → 504 (R14, R15). Never a 500.
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../../app-deps.ts";
import type { DeadlineScheduler } from "../../gateway/deadline-scheduler.ts";
import type { RecordsStore } from "../../store/records-store.ts";
import type { PlatformSession } from "../oauth/platform-tokens.ts";
import { PlatformError } from "../platform-error.ts";
import { providerTokenKey } from "../platform-keys.ts";
import type { AssertionSigner } from "../platform-signing.ts";
import { tokenExchangeUrns } from "../platform-specs.ts";
import { callTokenEndpoint } from "./token-call.ts";

/** Seconds before expiry a cached provider token is no longer used. */
const expiryMarginSeconds = 30;

/** What {@linkcode providerAccessToken} needs. */
export interface ProviderTokenDeps {
  readonly records: RecordsStore;
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  /** Undefined when gpc-edge has no signing key configured. */
  readonly signer: AssertionSigner | undefined;
  /** gpc-edge's client id at the practice. */
  readonly clientIdFor: (odsCode: string) => string;
  readonly timeoutMs: number;
  /** Where the call's deadline waits (default: one timer per call). */
  readonly scheduler?: DeadlineScheduler;
  /** The request's deadline, which ends the call sooner. */
  readonly signal?: AbortSignal;
}

/**
 * The practice's access token for `session`; throws `PlatformError` (401, 502).
 *
 * @example
 * ```ts
 * // const token = await providerAccessToken(deps, session, "B82617", authServiceUrl);
 * ```
 */
export async function providerAccessToken(
  deps: ProviderTokenDeps,
  session: PlatformSession,
  odsCode: string,
  authorisationService: string,
): Promise<string> {
  const key = providerTokenKey(session.sessionId, odsCode);
  const cached = await deps.records.get<{ accessToken: string; expiresAt: number }>(key);
  if (cached && cached.value.expiresAt > deps.clock.now()) return cached.value.accessToken;
  if (!deps.signer) {
    throw new PlatformError("BAD_GATEWAY", {
      diagnostics: "gpc-edge has no signing key for practices' authorisation services",
    });
  }
  const clientId = deps.clientIdFor(odsCode);
  const form = new URLSearchParams({
    grant_type: tokenExchangeUrns.grantType,
    subject_token: session.idToken,
    subject_token_type: tokenExchangeUrns.subjectTokenType,
    client_assertion_type: tokenExchangeUrns.clientAssertionType,
    client_assertion: await deps.signer.sign(clientId, authorisationService, deps.clock.now()),
    client_id: clientId,
    subject_issuer: "nhs-login",
  });
  const result = await callTokenEndpoint(deps.fetch, authorisationService, form, deps.timeoutMs, {
    ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (!result.ok) {
    if (result.timedOut) {
      throw new PlatformError("GATEWAY_TIMEOUT", {
        diagnostics: `The practice's authorisation service did not answer (${result.reason})`,
      });
    }
    if (result.status !== undefined && result.status >= 400 && result.status < 500) {
      throw new PlatformError("ACCESS_DENIED", {
        display: "Access Token for GPC Expired",
        diagnostics: `The practice's authorisation service refused the session (${result.reason})`,
      });
    }
    throw new PlatformError("BAD_GATEWAY", {
      diagnostics: `The practice's authorisation service failed (${result.reason})`,
    });
  }
  const lifetimeMs = Math.max(0, result.expiresInSeconds - expiryMarginSeconds) * 1000;
  const expiresAt = Math.min(deps.clock.now() + lifetimeMs, session.endsAt);
  if (expiresAt > deps.clock.now()) {
    await deps.records.commit([], [{
      type: "set",
      key,
      value: { accessToken: result.accessToken, expiresAt },
      expiresAt,
    }]);
  }
  return result.accessToken;
}
