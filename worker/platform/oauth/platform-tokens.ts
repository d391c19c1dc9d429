/**
 * The platform's own tokens (A2 step 3): an opaque access token (600 s, answered as
 * `expires_in: "599"` like APIM) and a refresh token, both bound to one patient session — the
 * verified NHS login id_token, its patient, proofing level and actor, the app and the granted
 * scopes. Stored in the records store under the token's SHA-256 (platform-keys.ts).
 *
 * A session ends one refresh-token lifetime (1 h) after the exchange that opened it: a refresh
 * rotates the refresh token (the old one is spent: `invalid_grant`), never extends the session,
 * and never outlives it — the id_token inside, which the practice's authorisation service is
 * given, is itself valid for an hour.
 *
 * @module
 */
import type { Clock } from "../../app-deps.ts";
import type { RecordsStore } from "../../store/records-store.ts";
import { OAuthError } from "../platform-error.ts";
import { accessTokenKey, newOpaqueToken, refreshTokenKey } from "../platform-keys.ts";

/** A patient session: what every token of it stands for. */
export interface PlatformSession {
  /** Random id; the provider token cache is keyed by it. */
  readonly sessionId: string;
  readonly clientId: string;
  /** The patient (the token's `nhs_number`). */
  readonly nhsNumber: string;
  readonly proofingLevel: string;
  /** Scopes granted (filtered by proofing level). */
  readonly scopes: readonly string[];
  /** The NHS login id_token (secret; given only to the practice's authorisation service). */
  readonly idToken: string;
  /** The proxy's NHS number when the login was delegated (`act`). */
  readonly actorNhsNumber: string | undefined;
  /** Milliseconds since the epoch when the session ends. */
  readonly endsAt: number;
}

/** A stored token: its session, expiry and how many refreshes led to it. */
export interface StoredToken {
  readonly session: PlatformSession;
  readonly expiresAt: number;
  readonly refreshCount: number;
}

/** The token endpoint's success body (APIM's field names and string numbers). */
export interface TokenResponse {
  readonly access_token: string;
  readonly expires_in: string;
  readonly token_type: "Bearer";
  readonly issued_token_type?: string;
  readonly refresh_token: string;
  readonly refresh_token_expires_in: string;
  readonly refresh_count: string;
  readonly scope: string;
}

/** The token service. */
export interface PlatformTokens {
  /** Opens a session and answers its first tokens. */
  issue(session: Omit<PlatformSession, "endsAt" | "sessionId">): Promise<TokenResponse>;
  /** The live access token's record, or `undefined`. */
  lookup(accessToken: string): Promise<StoredToken | undefined>;
  /** Spends a refresh token of `clientId` for new tokens; throws `OAuthError` (401 invalid_grant). */
  refresh(refreshToken: string, clientId: string): Promise<TokenResponse>;
}

/** Options of {@linkcode createPlatformTokens}. */
export interface PlatformTokensOptions {
  readonly records: RecordsStore;
  readonly clock: Clock;
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly randomUUID: () => string;
}

/** Whole seconds left until `at`, minus one as APIM reports them (600000 ms → "599"). */
function secondsLeft(at: number, now: number): string {
  return String(Math.max(0, Math.ceil((at - now) / 1000) - 1));
}

/**
 * Creates the token service.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../../store/memory-records-store.ts";
 * import { systemClock } from "../../app-deps.ts";
 * const tokens = createPlatformTokens({
 *   records: createMemoryRecordsStore(), clock: systemClock, accessTokenSeconds: 600,
 *   refreshTokenSeconds: 3600, randomUUID: () => crypto.randomUUID(),
 * });
 * ```
 */
export function createPlatformTokens(options: PlatformTokensOptions): PlatformTokens {
  const { records, clock } = options;

  const mint = async (session: PlatformSession, refreshCount: number, spent?: {
    key: string;
    version: string;
  }): Promise<TokenResponse> => {
    const now = clock.now();
    const accessToken = newOpaqueToken();
    const refreshToken = newOpaqueToken();
    const accessExpiresAt = Math.min(now + options.accessTokenSeconds * 1000, session.endsAt);
    const accessKey = await accessTokenKey(accessToken);
    const refreshKey = await refreshTokenKey(refreshToken);
    const applied = await records.commit(
      [
        { key: accessKey, version: null },
        { key: refreshKey, version: null },
        ...(spent ? [spent] : []),
      ],
      [
        {
          type: "set",
          key: accessKey,
          value: { session, expiresAt: accessExpiresAt, refreshCount } satisfies StoredToken,
          expiresAt: accessExpiresAt,
        },
        {
          type: "set",
          key: refreshKey,
          value: { session, expiresAt: session.endsAt, refreshCount } satisfies StoredToken,
          expiresAt: session.endsAt,
        },
        ...(spent ? [{ type: "delete" as const, key: spent.key }] : []),
      ],
    );
    if (!applied) throw new OAuthError(401, "invalid_grant", "refresh_token is invalid");
    return {
      access_token: accessToken,
      expires_in: secondsLeft(accessExpiresAt, now),
      token_type: "Bearer",
      ...(spent ? {} : { issued_token_type: "urn:ietf:params:oauth:token-type:access_token" }),
      refresh_token: refreshToken,
      refresh_token_expires_in: secondsLeft(session.endsAt, now),
      refresh_count: String(refreshCount),
      scope: session.scopes.join(" "),
    };
  };

  return {
    issue(fields) {
      const session: PlatformSession = {
        ...fields,
        sessionId: options.randomUUID(),
        endsAt: clock.now() + options.refreshTokenSeconds * 1000,
      };
      return mint(session, 0);
    },
    async lookup(accessToken) {
      const record = await records.get<StoredToken>(await accessTokenKey(accessToken));
      if (!record || record.value.expiresAt <= clock.now()) return undefined;
      return record.value;
    },
    async refresh(refreshToken, clientId) {
      const key = await refreshTokenKey(refreshToken);
      const record = await records.get<StoredToken>(key);
      if (!record || record.value.session.clientId !== clientId) {
        throw new OAuthError(401, "invalid_grant", "refresh_token is invalid");
      }
      if (record.value.expiresAt <= clock.now()) {
        throw new OAuthError(401, "invalid_grant", "refresh token refresh period has expired");
      }
      return await mint(record.value.session, record.value.refreshCount + 1, {
        key,
        version: record.version,
      });
    },
  };
}
