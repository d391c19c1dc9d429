/**
 * The patient-facing side of a target: the practice's product roots and authorisation service,
 * the harness's identity there as the API platform (client id and RS512 signing key), where NHS
 * login id_tokens for fixture patients come from, and fixture patients the practice holds with
 * particular permission levels. Resolved from the configuration (`pf-settings.ts`) for a
 * configured provider, or discovered in the local world (`pf-discovery.ts`).
 *
 * @module
 */
import { importJWK, type JWK } from "jose";
import { ConfigError } from "../config/config-error.ts";
import type { PfApi } from "./pf-scenario.ts";

/** Where id_tokens for fixture patients come from. */
export type IdTokenSource =
  /** An NHS login sandbox (or one speaking its test API): `POST {url}/test/id-token`. */
  | { readonly kind: "mint"; readonly url: string; readonly audience?: string }
  /** Tokens obtained beforehand, by NHS number (a real provider's test logins). */
  | { readonly kind: "tokens"; readonly byNhsNumber: Readonly<Record<string, string>> };

/** The harness's signing key at the practice (its public half registered there). */
export interface PfSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/** The patient-facing endpoint a run uses. */
export interface PfEndpoint {
  /** Service root per API the practice serves. */
  readonly roots: Readonly<Partial<Record<PfApi, string>>>;
  /** The authorisation service's token endpoint. */
  readonly authorisationService: string;
  /** The harness's client id there. */
  readonly clientId: string;
  readonly signingKey: PfSigningKey;
  readonly idTokens: IdTokenSource;
  /**
   * Fixture patients by what they stand for, beyond the roles of specs/fixture-patients.json:
   * `view-user`, a patient whose prescriptions level is `view`.
   */
  readonly extraRoles: Readonly<Record<string, string>>;
  /** Why an API is absent, for the skip reason (e.g. "SDS has no Prescriptions endpoint"). */
  readonly missing: Readonly<Partial<Record<PfApi, string>>>;
}

/** Imports a private JWK (with its `kid`) as the harness's signing key. */
export async function importSigningKey(jwk: JWK, label: string): Promise<PfSigningKey> {
  if (typeof jwk.kid !== "string" || jwk.kid === "") {
    throw new ConfigError(label, "the private JWK needs a kid (the key id registered there)");
  }
  try {
    return { kid: jwk.kid, privateKey: await importJWK(jwk, "RS512") as CryptoKey };
  } catch (error) {
    throw new ConfigError(label, `not an RS512 private JWK: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * One line for people and the report.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from "jose";
 * const { privateKey } = await generateKeyPair("RS512");
 * describePfEndpoint({
 *   roots: { "access-record": "https://gp.example/pf/ar" },
 *   authorisationService: "https://gp.example/oauth2/token",
 *   clientId: "harness",
 *   signingKey: { kid: "k", privateKey },
 *   idTokens: { kind: "mint", url: "http://127.0.0.1:8084" },
 *   extraRoles: {},
 *   missing: {},
 * });
 * ```
 */
export function describePfEndpoint(endpoint: PfEndpoint): string {
  const roots = Object.entries(endpoint.roots).map(([api, url]) => `${api} ${url}`).join(", ");
  const source = endpoint.idTokens.kind === "mint"
    ? `id_tokens from ${endpoint.idTokens.url}`
    : `${Object.keys(endpoint.idTokens.byNhsNumber).length} configured id_token(s)`;
  return `patient-facing: authorisation service ${endpoint.authorisationService} as ` +
    `${endpoint.clientId}; ${roots || "no product roots"}; ${source}`;
}
