/**
 * `POST /oauth2/token` (A2 steps 2–3): RFC 8693 token exchange of an NHS login id_token for the
 * platform's opaque access token, and `refresh_token` grants. Form parameters are checked in
 * APIM's order with its exact errors (identity-service-api e2e test_token_exchange.py):
 *
 * 1. `subject_token_type` not the id_token URN: `grant_type` token-exchange → 400 "missing or
 *    invalid subject_token_type …", anything else → 400 `unsupported_grant_type`;
 * 2. `client_assertion_type` → 400 "Missing or invalid client_assertion_type …";
 * 3. `grant_type` → 400 "grant_type is invalid";
 * 4. `client_assertion` → 400 "Missing client_assertion", then client-assertion.ts;
 * 5. `subject_token` → 400 "Missing subject_token", then subject-token.ts;
 * 6. scopes: the app's products' scopes whose level matches the id_token's proofing level —
 *    only `…:P9:…` scopes survive a P9 login (FilterScopesTokenExchange.js). A P5 login gets a
 *    token with no scope, which every product route refuses (specs/decisions.md P3).
 *
 * A refresh authenticates the app by client assertion too (apps are registered with keys, not
 * secrets) and spends the refresh token.
 *
 * @module
 */
import type { Context } from "hono";
import { readCappedStream } from "../../gateway/read-capped-stream.ts";
import { invalidRequest, OAuthError } from "../platform-error.ts";
import type { ConsumerApp } from "../platform-config.ts";
import { productById, tokenExchangeUrns } from "../platform-specs.ts";
import { type ClientAssertionContext, verifyClientAssertion } from "./client-assertion.ts";
import type { PlatformTokens } from "./platform-tokens.ts";
import { type SubjectTokenContext, verifySubjectToken } from "./subject-token.ts";

/** What the token endpoint needs. */
export interface TokenEndpointDeps {
  readonly assertion: ClientAssertionContext;
  readonly subject: Omit<SubjectTokenContext, "audience">;
  readonly tokens: PlatformTokens;
  /** Largest form accepted, bytes. */
  readonly maxFormBytes: number;
  /** Called once the client assertion verified (the per-app rate limit); may throw. */
  readonly onClientAuthenticated?: (clientId: string) => Promise<void>;
}

/** The scopes an app's login at `proofingLevel` may carry. */
export function grantedScopes(app: ConsumerApp, proofingLevel: string): string[] {
  const marker = `:${proofingLevel.slice(0, 2)}:`;
  return app.products.map((id) => productById(id).scope).filter((scope) => scope.includes(marker));
}

async function readForm(c: Context, maxBytes: number): Promise<URLSearchParams> {
  const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw invalidRequest("Content-Type must be application/x-www-form-urlencoded");
  }
  const bytes = await readCappedStream(
    c.req.raw.body,
    maxBytes,
    () => new OAuthError(413, "invalid_request", `The form exceeds ${maxBytes} bytes`),
  );
  return new URLSearchParams(new TextDecoder().decode(bytes));
}

/**
 * The token endpoint's handler; throws `OAuthError`s for the app's `onError` to render.
 *
 * @example
 * ```ts
 * // app.post("/oauth2/token", tokenEndpoint(deps));
 * ```
 */
export function tokenEndpoint(deps: TokenEndpointDeps): (c: Context) => Promise<Response> {
  return async (c) => {
    const form = await readForm(c, deps.maxFormBytes);
    const field = (name: string) => form.get(name) ?? "";
    const grantType = field("grant_type");
    const urns = tokenExchangeUrns;
    const checkAssertionType = () => {
      if (field("client_assertion_type") !== urns.clientAssertionType) {
        throw invalidRequest(
          `Missing or invalid client_assertion_type - must be '${urns.clientAssertionType}'`,
        );
      }
    };
    const authenticate = async () => {
      if (field("client_assertion") === "") throw invalidRequest("Missing client_assertion");
      const app = await verifyClientAssertion(field("client_assertion"), deps.assertion);
      await deps.onClientAuthenticated?.(app.clientId);
      return app;
    };

    if (grantType === "refresh_token") {
      checkAssertionType();
      const app = await authenticate();
      if (field("refresh_token") === "") throw invalidRequest("Missing refresh_token");
      return json(await deps.tokens.refresh(field("refresh_token"), app.clientId));
    }
    if (field("subject_token_type") !== urns.subjectTokenType) {
      if (grantType !== urns.grantType) {
        throw new OAuthError(400, "unsupported_grant_type", "grant_type is invalid");
      }
      throw invalidRequest(
        `missing or invalid subject_token_type - must be '${urns.subjectTokenType}'`,
      );
    }
    checkAssertionType();
    if (grantType !== urns.grantType) throw invalidRequest("grant_type is invalid");
    const app = await authenticate();
    if (field("subject_token") === "") throw invalidRequest("Missing subject_token");
    const login = await verifySubjectToken(field("subject_token"), {
      ...deps.subject,
      audience: app.nhsLoginClientId,
    });
    return json(
      await deps.tokens.issue({
        clientId: app.clientId,
        nhsNumber: login.nhsNumber,
        proofingLevel: login.proofingLevel,
        scopes: grantedScopes(app, login.proofingLevel),
        idToken: field("subject_token"),
        actorNhsNumber: login.actorNhsNumber,
      }),
    );
  };
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
    },
  });
}
