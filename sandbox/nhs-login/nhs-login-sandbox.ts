/**
 * The NHS login sandbox (ARCHITECTURE.md §4, http://127.0.0.1:8084): an OpenID Provider for the
 * patient-facing platform's tests and for people clicking through the flow.
 *
 * - `GET /.well-known/openid-configuration`: discovery (issuer, endpoints, RS512/RS256).
 * - `GET /.well-known/jwks.json`: the signing keys, current and previous (see nhs-login-keys.ts).
 * - `GET /authorize` → a page to choose a fixture patient at P9 or P5 (optionally with a proxy);
 *   `POST /authorize` → redirect to `redirect_uri?code=…&state=…` (or a page with the code).
 * - `POST /token`: `authorization_code` with a `private_key_jwt` client assertion → id_token.
 * - Test endpoints (sandbox only): `POST /test/id-token` mints an id_token directly;
 *   `POST /test/rotate-keys`; `GET /test/apps/{clientId}/jwks.json` and
 *   `POST /test/apps/{clientId}/client-assertion` stand in for a test app's own key store
 *   (sandbox-apps.ts).
 *
 * State (codes) is in memory and bounded: the sandbox is stateless across restarts.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { type FixturePatient, fixturePatients } from "../pds/fixture-patients.ts";
import { isValidNhsNumber } from "../../gpconnect/nhs-number.ts";
import { createNhsLoginKeyRing, type NhsLoginAlgorithm } from "./nhs-login-keys.ts";
import { idTokenLifetimeSeconds, mintIdToken, type ProofingLevel } from "./nhs-login-id-token.ts";
import { codePage, loginPage } from "./nhs-login-pages.ts";
import {
  createSandboxApps,
  defaultSandboxAppId,
  type SandboxAppRegistration,
} from "./sandbox-apps.ts";

/** Options for {@linkcode createNhsLoginSandbox}. */
export interface NhsLoginSandboxOptions {
  /** The issuer (`iss`) and base of every endpoint URL, e.g. `http://127.0.0.1:8084`. */
  readonly issuer: string;
  /** Test apps; default one, {@linkcode defaultSandboxAppId}. */
  readonly apps?: readonly SandboxAppRegistration[];
  /** Who can log in; default every fixture patient. */
  readonly patients?: readonly FixturePatient[];
  /** Clock in milliseconds; default `Date.now`. */
  readonly now?: () => number;
  /** Rotate signing keys older than this (seconds; 0: only `POST /test/rotate-keys`). */
  readonly rotateKeysAfterSeconds?: number;
  /** Id generator (jti, kid, codes); default `crypto.randomUUID`. */
  readonly newId?: () => string;
}

/** The default port of the NHS login sandbox. */
export const nhsLoginDefaultPort = 8084;

const codeLifetimeMs = 60_000;
const maxPendingCodes = 1000;

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly nhsNumber: string;
  readonly level: ProofingLevel;
  readonly actor: string | undefined;
  readonly nonce: string;
  readonly expiresAt: number;
}

function oauthError(c: Context, status: 400 | 401 | 404, error: string, description: string) {
  return c.json({ error, error_description: description }, status, {
    "Cache-Control": "no-store",
  });
}

function isLoopbackUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "http:" || url.protocol === "https:") &&
    ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/**
 * Creates the NHS login sandbox app.
 *
 * @example
 * ```ts
 * const nhsLogin = createNhsLoginSandbox({ issuer: "http://127.0.0.1:8084" });
 * const res = await nhsLogin.request("/test/id-token", {
 *   method: "POST", body: JSON.stringify({ nhs_number: "9690937286" }),
 * });
 * const { id_token } = await res.json();
 * ```
 */
export function createNhsLoginSandbox(options: NhsLoginSandboxOptions): Hono {
  const issuer = options.issuer.replace(/\/+$/, "");
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const patients = options.patients ?? fixturePatients;
  const apps = createSandboxApps(options.apps ?? [{ clientId: defaultSandboxAppId }]);
  const defaultAudience = (options.apps ?? [{ clientId: defaultSandboxAppId }])[0]!.clientId;
  const keys = createNhsLoginKeyRing({
    now,
    rotateAfterSeconds: options.rotateKeysAfterSeconds ?? 0,
    newKid: newId,
  });
  const codes = new Map<string, PendingCode>();
  const nowSeconds = () => Math.floor(now() / 1000);
  const patientOf = (nhsNumber: unknown) => patients.find((p) => p.nhsNumber === nhsNumber);

  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });

  app.get("/.well-known/openid-configuration", (c) =>
    c.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS512", "RS256"],
      token_endpoint_auth_methods_supported: ["private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: ["RS512"],
      scopes_supported: ["openid", "profile", "nhs_number", "basic_demographics"],
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "jti",
        "nhs_number",
        "identity_proofing_level",
        "vot",
        "vtm",
        "auth_time",
        "family_name",
        "given_name",
        "birthdate",
        "act",
      ],
    }));

  app.get("/.well-known/jwks.json", async (c) => c.json(await keys.jwks()));

  app.get("/authorize", (c) => {
    const clientId = c.req.query("client_id") ?? "";
    const redirectUri = c.req.query("redirect_uri") ?? "";
    if (!apps.has(clientId)) return oauthError(c, 400, "invalid_client", "Unknown client_id");
    if (c.req.query("response_type") !== "code") {
      return oauthError(c, 400, "unsupported_response_type", "response_type must be code");
    }
    if (redirectUri !== "" && !redirectAllowed(clientId, redirectUri)) {
      return oauthError(c, 400, "invalid_request", "redirect_uri is not registered");
    }
    return c.html(loginPage(patients.filter((p) => p.name !== undefined), {
      clientId,
      redirectUri,
      state: c.req.query("state") ?? "",
      nonce: c.req.query("nonce") ?? "",
    }));
  });

  function redirectAllowed(clientId: string, redirectUri: string): boolean {
    const registered = apps.registration(clientId)?.redirectUris ?? [];
    return registered.length === 0 ? isLoopbackUrl(redirectUri) : registered.includes(redirectUri);
  }

  app.post("/authorize", async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => typeof form[name] === "string" ? form[name] as string : "";
    const clientId = field("client_id");
    const redirectUri = field("redirect_uri");
    const level = field("identity_proofing_level");
    const actor = field("act").trim();
    if (!apps.has(clientId)) return oauthError(c, 400, "invalid_client", "Unknown client_id");
    if (redirectUri !== "" && !redirectAllowed(clientId, redirectUri)) {
      return oauthError(c, 400, "invalid_request", "redirect_uri is not registered");
    }
    if (!patientOf(field("nhs_number"))) {
      return oauthError(c, 400, "invalid_request", "Unknown test patient");
    }
    if (level !== "P9" && level !== "P5") {
      return oauthError(c, 400, "invalid_request", "identity_proofing_level must be P9 or P5");
    }
    if (actor !== "" && !patientOf(actor)) {
      return oauthError(c, 400, "invalid_request", "Unknown proxy patient");
    }
    for (const [key, pending] of codes) if (pending.expiresAt <= now()) codes.delete(key);
    if (codes.size >= maxPendingCodes) codes.delete(codes.keys().next().value!);
    const code = newId();
    codes.set(code, {
      clientId,
      redirectUri,
      nhsNumber: field("nhs_number"),
      level,
      actor: actor === "" ? undefined : actor,
      nonce: field("nonce"),
      expiresAt: now() + codeLifetimeMs,
    });
    if (redirectUri === "") return c.html(codePage(code, `${issuer}/token`, clientId));
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    if (field("state") !== "") target.searchParams.set("state", field("state"));
    return c.redirect(target.href, 302);
  });

  app.post("/token", async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => typeof form[name] === "string" ? form[name] as string : "";
    if (field("grant_type") !== "authorization_code") {
      return oauthError(c, 400, "unsupported_grant_type", "grant_type must be authorization_code");
    }
    const pending = codes.get(field("code"));
    codes.delete(field("code"));
    if (!pending || pending.expiresAt <= now()) {
      return oauthError(c, 400, "invalid_grant", "Unknown, used or expired code");
    }
    if (pending.redirectUri !== field("redirect_uri")) {
      return oauthError(c, 400, "invalid_grant", "redirect_uri differs from the authorisation");
    }
    if (
      field("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    ) {
      return oauthError(c, 400, "invalid_request", "client_assertion_type must be jwt-bearer");
    }
    let clientId: string;
    try {
      clientId = await apps.verifyClientAssertion(
        field("client_assertion"),
        `${issuer}/token`,
        nowSeconds(),
      );
    } catch {
      return oauthError(c, 401, "invalid_client", "client_assertion is invalid");
    }
    if (clientId !== pending.clientId) {
      return oauthError(c, 400, "invalid_grant", "The code was issued to another client");
    }
    const idToken = await mintIdToken({
      keys,
      issuer,
      audience: clientId,
      patient: patientOf(pending.nhsNumber)!,
      level: pending.level,
      nowSeconds: nowSeconds(),
      expiresInSeconds: idTokenLifetimeSeconds,
      alg: "RS512",
      actor: pending.actor === undefined ? undefined : patientOf(pending.actor),
      nonce: pending.nonce || undefined,
      newJti: newId,
    });
    return c.json({
      access_token: newId(),
      token_type: "Bearer",
      expires_in: idTokenLifetimeSeconds,
      id_token: idToken,
    });
  });

  app.post("/test/id-token", async (c) => {
    const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined;
    if (body === undefined || typeof body !== "object" || body === null) {
      return oauthError(c, 400, "invalid_request", "Send a JSON object");
    }
    const nhsNumber = body.nhs_number;
    if (typeof nhsNumber !== "string" || !isValidNhsNumber(nhsNumber) || !patientOf(nhsNumber)) {
      return oauthError(c, 404, "invalid_request", "nhs_number is not a fixture patient");
    }
    const level = body.identity_proofing_level ?? "P9";
    if (level !== "P9" && level !== "P5") {
      return oauthError(c, 400, "invalid_request", "identity_proofing_level must be P9 or P5");
    }
    const alg = body.alg ?? "RS512";
    if (alg !== "RS512" && alg !== "RS256") {
      return oauthError(c, 400, "invalid_request", "alg must be RS512 or RS256");
    }
    const expiresIn = body.expires_in ?? idTokenLifetimeSeconds;
    if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn)) {
      return oauthError(c, 400, "invalid_request", "expires_in must be an integer");
    }
    const actor = body.act === undefined ? undefined : patientOf(body.act);
    if (body.act !== undefined && !actor) {
      return oauthError(c, 404, "invalid_request", "act is not a fixture patient");
    }
    const audience = typeof body.aud === "string" ? body.aud : defaultAudience;
    const idToken = await mintIdToken({
      keys,
      issuer,
      audience,
      patient: patientOf(nhsNumber)!,
      level,
      nowSeconds: nowSeconds(),
      expiresInSeconds: expiresIn,
      alg: alg as NhsLoginAlgorithm,
      actor,
      newJti: newId,
    });
    return c.json({ id_token: idToken });
  });

  app.post("/test/rotate-keys", async (c) => {
    await keys.rotate();
    return c.json(await keys.jwks());
  });

  app.get("/test/apps/:clientId/jwks.json", async (c) => {
    const clientId = c.req.param("clientId");
    if (!apps.has(clientId)) return oauthError(c, 404, "invalid_client", "Unknown app");
    return c.json(await apps.jwks(clientId));
  });

  app.post("/test/apps/:clientId/client-assertion", async (c) => {
    const clientId = c.req.param("clientId");
    if (!apps.has(clientId)) return oauthError(c, 404, "invalid_client", "Unknown app");
    const body = await c.req.json().catch(() => ({})) as Record<string, unknown>;
    if (typeof body.aud !== "string" || !URL.canParse(body.aud)) {
      return oauthError(c, 400, "invalid_request", "aud must be the token endpoint URL");
    }
    const expiresIn = typeof body.expires_in === "number" ? body.expires_in : 300;
    const assertion = await apps.clientAssertion(clientId, body.aud, {
      nowSeconds: nowSeconds(),
      expiresInSeconds: expiresIn,
    });
    return c.json({ client_assertion: assertion });
  });

  app.notFound((c) =>
    oauthError(c, 404, "invalid_request", `No route ${c.req.method} ${c.req.path}`)
  );
  app.onError((_error, c) =>
    c.json({ error: "server_error", error_description: "The NHS login sandbox failed" }, 500)
  );
  return app;
}
