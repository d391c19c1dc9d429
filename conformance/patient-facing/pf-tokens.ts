/**
 * The harness as the API platform at a practice's authorisation service (reference A2 step 8,
 * A3): an NHS login id_token for a fixture patient (minted by the NHS login sandbox's test
 * endpoint, or configured), an RS512 client assertion the harness signs itself — valid, or broken
 * in exactly one way — and the RFC 8693 token exchange. Evidence never holds a token: the form's
 * `subject_token` and `client_assertion` and the answer's `access_token` are written redacted,
 * the assertion's claims decoded instead.
 *
 * @module
 */
import { decodeJwt, generateKeyPair } from "jose";
import { signClientAssertion } from "../../gpconnect/jwt/client-assertion.ts";
import type { Exchange } from "../model.ts";
import type { TransportRequest, TransportResponse } from "../target/transport.ts";
import { transportError } from "../runner/exchange.ts";
import { timedExchange } from "../runner/timed-exchange.ts";
import type { IdTokenSource, PfEndpoint } from "./pf-endpoint.ts";
import type { PfAssertionKind, PfSubjectKind } from "./pf-scenario.ts";

/** Sends one request (the target's transport). */
export type PfSend = (url: string, request: TransportRequest) => Promise<TransportResponse>;

/** The harness could not get what a step needs (not a finding about the practice). */
export class PfSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PfSetupError";
  }
}

/** The URNs of the exchange (specs/platform-products.json `tokenExchange`). */
export const tokenExchangeUrns = {
  grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
  subjectTokenType: "urn:ietf:params:oauth:token-type:id_token",
  clientAssertionType: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
} as const;

/**
 * An id_token for `nhsNumber` at `level`.
 *
 * @example
 * ```ts ignore
 * const idToken = await idTokenFor(endpoint.idTokens, "9690937286", "P9", send);
 * ```
 */
export async function idTokenFor(
  source: IdTokenSource,
  nhsNumber: string,
  level: "P9" | "P5",
  send: PfSend,
  actor?: string,
): Promise<string> {
  if (source.kind === "tokens") {
    if (level !== "P9") throw new PfSetupError("configured id_tokens cannot make a P5 login");
    if (actor !== undefined) {
      throw new PfSetupError("configured id_tokens cannot make a delegated login");
    }
    const token = source.byNhsNumber[nhsNumber];
    if (token === undefined) throw new PfSetupError(`no id_token configured for ${nhsNumber}`);
    return token;
  }
  const url = `${source.url.replace(/\/+$/, "")}/test/id-token`;
  let response: TransportResponse;
  try {
    response = await send(url, {
      method: "POST",
      headers: new Headers({ "Content-Type": "application/json", Accept: "application/json" }),
      body: JSON.stringify({
        nhs_number: nhsNumber,
        identity_proofing_level: level,
        ...(source.audience === undefined ? {} : { aud: source.audience }),
        ...(actor === undefined ? {} : { act: actor }),
      }),
    });
  } catch (error) {
    throw new PfSetupError(`NHS login at ${source.url}: ${(error as Error).message}`);
  }
  const token = response.status === 200 ? parsed(response.body)?.id_token : undefined;
  if (typeof token !== "string") {
    throw new PfSetupError(`NHS login at ${source.url} minted no id_token (${response.status})`);
  }
  return token;
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

let strangerKey: Promise<CryptoKey> | undefined;

/**
 * A client assertion of `kind` for `endpoint` (undefined for `missing`); `replayed` is a valid
 * one (the caller sends it twice).
 */
export async function clientAssertion(
  endpoint: PfEndpoint,
  kind: PfAssertionKind,
  nowMs: number,
): Promise<string | undefined> {
  if (kind === "missing") return undefined;
  const base = {
    privateKey: endpoint.signingKey.privateKey,
    kid: endpoint.signingKey.kid,
    clientId: endpoint.clientId,
    audience: endpoint.authorisationService,
    nowMs,
    jti: crypto.randomUUID(),
  };
  switch (kind) {
    case "unknown-key":
      strangerKey ??= generateKeyPair("RS512").then((pair) => pair.privateKey);
      return await signClientAssertion({ ...base, privateKey: await strangerKey });
    case "wrong-audience":
      return await signClientAssertion({
        ...base,
        audience: `${endpoint.authorisationService}/not-this-one`,
      });
    case "expired":
      return await signClientAssertion({ ...base, nowMs: nowMs - 360_000 });
    case "too-long":
      return await signClientAssertion({ ...base, lifetimeSeconds: 900 });
    case "alg-none": {
      // The claims of a valid assertion, unsigned: no verifier may accept it (R1).
      const valid = decodeJwt(await signClientAssertion(base));
      const part = (value: unknown) =>
        new TextEncoder().encode(JSON.stringify(value)).toBase64({
          alphabet: "base64url",
          omitPadding: true,
        });
      return `${part({ alg: "none", typ: "JWT", kid: base.kid })}.${part(valid)}.`;
    }
    default:
      return await signClientAssertion(base);
  }
}

/** The subject token of `kind` for a patient (for a proxy `actor`: a delegated login). */
export async function subjectToken(
  source: IdTokenSource,
  nhsNumber: string,
  kind: PfSubjectKind,
  send: PfSend,
  actor?: string,
): Promise<string> {
  const token = await idTokenFor(source, nhsNumber, kind === "p5" ? "P5" : "P9", send, actor);
  if (kind !== "tampered") return token;
  // The same header and signature over a payload naming another subject: it must not verify.
  const [header = "", payload = "", signature = ""] = token.split(".");
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(payload, {
    alphabet: "base64url",
  })));
  const altered = new TextEncoder().encode(JSON.stringify({ ...claims, auth_time: 0 }));
  return `${header}.${altered.toBase64({ alphabet: "base64url", omitPadding: true })}.${signature}`;
}

/** One exchange as sent and answered. */
export interface TokenExchangeResult {
  readonly exchange: Exchange;
  readonly response?: TransportResponse;
  /** The access token, when the answer was 200 with one. */
  readonly accessToken?: string;
}

/** Sends the token exchange; the evidence has no token in it. */
export async function exchangeToken(
  endpoint: PfEndpoint,
  subject: string,
  assertion: string | undefined,
  send: PfSend,
  step?: string,
): Promise<TokenExchangeResult> {
  const form = new URLSearchParams({
    grant_type: tokenExchangeUrns.grantType,
    subject_token: subject,
    subject_token_type: tokenExchangeUrns.subjectTokenType,
    client_id: endpoint.clientId,
    ...(assertion === undefined ? {} : {
      client_assertion_type: tokenExchangeUrns.clientAssertionType,
      client_assertion: assertion,
    }),
  });
  const shown = new URLSearchParams(form);
  shown.set("subject_token", "[REDACTED]");
  if (assertion !== undefined) shown.set("client_assertion", "[REDACTED]");
  const headers = new Headers({
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  });
  const request = {
    method: "POST",
    url: endpoint.authorisationService,
    headers: Object.fromEntries(headers),
    body: shown.toString(),
    ...(assertion === undefined ? {} : { jwt: safeClaims(assertion) }),
  };
  const { exchange, response } = await timedExchange(
    { ...(step === undefined ? {} : { step }), request },
    () => send(endpoint.authorisationService, { method: "POST", headers, body: form.toString() }),
    {
      body: (answer) => {
        const body = parsed(answer.body);
        return accessTokenOf(answer) === undefined
          ? answer.body
          : JSON.stringify({ ...body, access_token: "[REDACTED]" });
      },
      error: transportError,
    },
  );
  if (response === undefined) return { exchange };
  const accessToken = accessTokenOf(response);
  return { exchange, response, ...(accessToken === undefined ? {} : { accessToken }) };
}

/** The access token of a 200 answer that has one. */
function accessTokenOf(response: TransportResponse): string | undefined {
  const token = response.status === 200 ? parsed(response.body)?.access_token : undefined;
  return typeof token === "string" ? token : undefined;
}

function safeClaims(assertion: string): unknown {
  try {
    return decodeJwt(assertion);
  } catch {
    return undefined;
  }
}

/**
 * Provider tokens by NHS number, exchanged once per endpoint (a run) and reused, as the platform
 * keeps one per patient session (R24).
 */
const sessions = new WeakMap<PfEndpoint, Map<string, Promise<TokenExchangeResult>>>();

/**
 * The provider token for `nhsNumber` (a proxy `actor` acting for them: a delegated login),
 * exchanging on first use; rejects with a {@linkcode PfSetupError} when the practice does not
 * issue one.
 */
export async function providerToken(
  endpoint: PfEndpoint,
  nhsNumber: string,
  send: PfSend,
  actor?: string,
): Promise<string> {
  let byPatient = sessions.get(endpoint);
  if (!byPatient) sessions.set(endpoint, byPatient = new Map());
  const key = actor === undefined ? nhsNumber : `${nhsNumber} acted for by ${actor}`;
  let pending = byPatient.get(key);
  if (!pending) {
    pending = (async () => {
      const subject = await idTokenFor(endpoint.idTokens, nhsNumber, "P9", send, actor);
      const assertion = await clientAssertion(endpoint, "valid", Date.now());
      return await exchangeToken(endpoint, subject, assertion, send);
    })();
    byPatient.set(key, pending);
    // A failure is not remembered: the next case asks again.
    pending.catch(() => byPatient.delete(key));
  }
  const result = await pending;
  if (result.accessToken === undefined) {
    byPatient.delete(key);
    const why = result.response
      ? `HTTP ${result.response.status} ${result.response.body.slice(0, 200)}`
      : result.exchange.error ?? "no answer";
    throw new PfSetupError(`the authorisation service issued no token for ${nhsNumber}: ${why}`);
  }
  return result.accessToken;
}
