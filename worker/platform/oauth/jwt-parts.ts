/**
 * Reading a JWT's header and claims before its signature is checked, so the token endpoint can
 * answer APIM's precise refusals (A3) in APIM's order. Nothing read here is trusted: the caller
 * verifies the signature with jose afterwards.
 *
 * @module
 */
import { decodeJwt, decodeProtectedHeader } from "jose";

/** An unverified JWT's header and claims. */
export interface JwtParts {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The header and claims of a compact JWS, or `undefined` when it is not one. */
export function jwtParts(token: string): JwtParts | undefined {
  if (typeof token !== "string" || token.split(".").length !== 3) return undefined;
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

/** Whether `typ` is the string "JWT" in any case (APIM's rule). */
export function isJwtTyp(typ: unknown): boolean {
  return typeof typ === "string" && typ.toLowerCase() === "jwt";
}

/** Whether a present `aud` claim names `audience` (a string, or an array containing it). */
export function audienceIncludes(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}
