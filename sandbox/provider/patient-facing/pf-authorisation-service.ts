/**
 * The practice's authorisation service (A2 step 8; Simplifier "GP Connect (Patient Facing)",
 * Authentication/Access-tokens/Token-exchange): an RFC 8693 token endpoint for the API platform.
 * It checks the platform's client assertion (RS512, `kid`, `typ: JWT`, `iss` = `sub` = a known
 * client, `aud` = this endpoint, `exp` ≤ now + 310 s, single-use `jti`) against the platform's
 * registered public keys, verifies the NHS login id_token (`subject_token`) against NHS login's
 * JWKS — P9 and a valid `nhs_number` — and issues an opaque access token bound to that patient
 * and to the app the patient used (the id_token's `aud`), valid for an hour.
 *
 * A delegated (proxy) login carries `act.sub`, the actor's own NHS login token (A4,
 * identity-service-api validate-actor-token-claims): it must verify against the same JWKS and
 * issuer and have `kid`, `typ: JWT`, an integer `exp`, `iss`, `aud` and a valid `nhs_number`
 * other than the patient's. The access token is then bound to the patient (the subject) and to
 * the actor, whose own permission levels for that patient apply at every endpoint.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from "jose";
import { isValidNhsNumber } from "../../../gpconnect/nhs-number.ts";
import type { ProviderFetch } from "../provider-routes-options.ts";

/** A client of the authorisation service (the API platform). */
export interface AuthorisationClient {
  readonly clientId: string;
  readonly jwks: { readonly keys: readonly JWK[] };
}

/** The patient-facing side's trust settings. */
export interface PatientFacingOptions {
  /** NHS login's issuer. */
  readonly nhsLoginIssuer: string;
  /** NHS login's JWKS URL. */
  readonly nhsLoginJwksUrl: string;
  /** Who may exchange tokens (gpc-edge, with its public keys). */
  readonly clients: readonly AuthorisationClient[];
  /**
   * Per-patient limit on Prescriptions writes (POST and PATCH /Task, OWASP API6); default 30
   * an hour.
   */
  readonly prescriptionWriteLimit?: { readonly limit: number; readonly windowSeconds: number };
}

/** What the service knows about one of its tokens. */
export interface ProviderSession {
  /** The patient served (the subject of a delegated login). */
  readonly nhsNumber: string;
  /** A delegated login's actor (proxy): their NHS number. */
  readonly actorNhsNumber?: string;
  /** The app the patient used (NHS login `aud`). */
  readonly app: string;
  readonly expiresAt: number;
}

/** The issued tokens, in memory (the sandbox's sessions). */
export interface ProviderSessions {
  lookup(token: string): ProviderSession | undefined;
  issue(session: ProviderSession): string;
}

const tokenLifetimeSeconds = 3600;
const maxSessions = 10_000;

/** Creates the session table. */
export function createProviderSessions(now: () => number): ProviderSessions {
  const sessions = new Map<string, ProviderSession>();
  return {
    lookup(token) {
      const session = sessions.get(token);
      if (!session || session.expiresAt <= now()) return undefined;
      return session;
    },
    issue(session) {
      for (const [key, value] of sessions) if (value.expiresAt <= now()) sessions.delete(key);
      if (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value!);
      const token = crypto.getRandomValues(new Uint8Array(32)).toBase64({
        alphabet: "base64url",
        omitPadding: true,
      });
      sessions.set(token, session);
      return token;
    },
  };
}

/** The actor's NHS number from a verified `act.sub` token, or a reason to refuse it. */
async function actorOf(
  act: unknown,
  verify: (token: string) => Promise<Record<string, unknown>>,
): Promise<{ nhsNumber: string } | { refused: string }> {
  const sub = typeof act === "object" && act !== null ? (act as { sub?: unknown }).sub : undefined;
  if (typeof sub !== "string") {
    return { refused: "act must be an object with the actor's token in sub" };
  }
  try {
    const header = decodeProtectedHeader(sub);
    if (!header.kid || String(header.typ).toLowerCase() !== "jwt") {
      return { refused: "The actor token needs kid and typ JWT" };
    }
    const claims = await verify(sub);
    if (!Number.isInteger(claims.exp) || claims.aud === undefined) {
      return { refused: "The actor token needs an integer exp and an aud" };
    }
    if (typeof claims.nhs_number !== "string" || !isValidNhsNumber(claims.nhs_number)) {
      return { refused: "The actor token has no valid nhs_number" };
    }
    return { nhsNumber: claims.nhs_number };
  } catch {
    return { refused: "The actor token verification failed" };
  }
}

function refuse(c: Context, status: 400 | 401, error: string, description: string) {
  return c.json({ error, error_description: description }, status, { "Cache-Control": "no-store" });
}

/**
 * The authorisation service's routes (mount at the practice's token path).
 *
 * @example
 * ```ts
 * // app.route(authorisationServicePath("B82617"), authorisationService(options, sessions, deps));
 * ```
 */
export function authorisationService(
  options: PatientFacingOptions,
  sessions: ProviderSessions,
  deps: { readonly fetch: ProviderFetch; readonly now: () => number },
): Hono {
  const usedJtis = new Map<string, number>();
  const app = new Hono();
  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => typeof form[name] === "string" ? form[name] as string : "";
    if (field("grant_type") !== "urn:ietf:params:oauth:grant-type:token-exchange") {
      return refuse(c, 400, "unsupported_grant_type", "grant_type must be token-exchange");
    }
    if (field("subject_token_type") !== "urn:ietf:params:oauth:token-type:id_token") {
      return refuse(c, 400, "invalid_request", "subject_token_type must be the id_token URN");
    }
    const endpoint = new URL(c.req.url);
    const audience = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, "")}`;
    const nowSeconds = deps.now() / 1000;
    let clientId: string;
    try {
      const assertion = field("client_assertion");
      const header = decodeProtectedHeader(assertion);
      if (header.alg !== "RS512" || !header.kid || String(header.typ).toLowerCase() !== "jwt") {
        return refuse(c, 400, "invalid_request", "client_assertion needs RS512, kid and typ JWT");
      }
      const client = options.clients.find((candidate) => candidate.clientId === field("client_id"));
      if (!client) return refuse(c, 401, "invalid_client", "Unknown client_id");
      const { payload } = await jwtVerify(
        assertion,
        createLocalJWKSet({ keys: [...client.jwks.keys] }),
        {
          algorithms: ["RS512"],
          issuer: client.clientId,
          subject: client.clientId,
          audience,
          clockTolerance: 10,
          currentDate: new Date(deps.now()),
          requiredClaims: ["jti", "exp"],
        },
      );
      if ((payload.exp ?? 0) - nowSeconds > 310) {
        return refuse(
          c,
          400,
          "invalid_request",
          "client_assertion exp is more than 5 minutes ahead",
        );
      }
      for (const [jti, expiry] of usedJtis) if (expiry < nowSeconds) usedJtis.delete(jti);
      if (usedJtis.has(String(payload.jti))) {
        return refuse(c, 400, "invalid_request", "client_assertion jti was used before");
      }
      usedJtis.set(String(payload.jti), (payload.exp ?? nowSeconds) + 10);
      clientId = client.clientId;
    } catch {
      return refuse(c, 401, "invalid_client", "client_assertion verification failed");
    }
    let nhsNumber: string;
    let app: string;
    let actorNhsNumber: string | undefined;
    try {
      const jwksResponse = await deps.fetch(options.nhsLoginJwksUrl);
      const jwks = createLocalJWKSet(await jwksResponse.json());
      const verify = async (token: string) =>
        (await jwtVerify(token, jwks, {
          algorithms: ["RS512", "RS256"],
          issuer: options.nhsLoginIssuer,
          clockTolerance: 10,
          currentDate: new Date(deps.now()),
        })).payload;
      const payload = await verify(field("subject_token"));
      if (payload.identity_proofing_level !== "P9") {
        return refuse(c, 400, "invalid_grant", "The patient's login is not P9");
      }
      if (typeof payload.nhs_number !== "string" || !isValidNhsNumber(payload.nhs_number)) {
        return refuse(c, 400, "invalid_grant", "The id_token has no valid nhs_number");
      }
      nhsNumber = payload.nhs_number;
      app = Array.isArray(payload.aud) ? String(payload.aud[0]) : String(payload.aud);
      if (payload.act !== undefined) {
        const actor = await actorOf(payload.act, verify);
        if ("refused" in actor) return refuse(c, 400, "invalid_grant", actor.refused);
        if (actor.nhsNumber === nhsNumber) {
          return refuse(c, 400, "invalid_grant", "The actor cannot act for themselves");
        }
        actorNhsNumber = actor.nhsNumber;
      }
    } catch {
      return refuse(c, 400, "invalid_grant", "subject_token verification failed");
    }
    const accessToken = sessions.issue({
      nhsNumber,
      ...(actorNhsNumber === undefined ? {} : { actorNhsNumber }),
      app,
      expiresAt: deps.now() + tokenLifetimeSeconds * 1000,
    });
    return c.json(
      {
        access_token: accessToken,
        issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
        token_type: "Bearer",
        expires_in: tokenLifetimeSeconds,
        client_id: clientId,
      },
      200,
      { "Cache-Control": "no-store" },
    );
  });
  return app;
}
