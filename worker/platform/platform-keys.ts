/**
 * Record-store keys of the patient-facing platform (schema `platform:v1:`), and the hashing that
 * keeps secrets out of them: a token or `jti` is stored under its SHA-256, so reading the store
 * (a backup, a Durable Object dump) yields no usable token.
 *
 * | Key | Value | Expiry |
 * |---|---|---|
 * | `platform:v1:jti:{clientId}:{sha256(jti)}` | `{}` (a used client assertion) | 30 days (A3) |
 * | `platform:v1:access:{sha256(token)}` | the access token's session | 600 s |
 * | `platform:v1:refresh:{sha256(token)}` | the refresh token's session | session end |
 * | `platform:v1:provider-token:{sessionId}:{ods}` | a practice's access token | its expiry |
 * | `platform:v1:rate:{scope}:{windowSeconds}:{windowStart}` | a request counter (worker/gateway/rate-limiter.ts) | two windows |
 * | `platform:v1:permissions:{sessionId}:{ods}` | the user's levels at the practice (R29) | session end, at most 300 s |
 * | `platform:v1:vrs:{sessionId}` | VRS's answer for a delegated session (R5) | session end |
 * | `platform:v1:write:{sha256(clientId)}:{nhsNumber}:{requestId}` | a write in flight or its first answer (R28) | in flight: deadline; done: 24 h |
 *
 * @module
 */

const prefix = "platform:v1:";

/** Lower-case hex SHA-256 of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Key of a used client assertion `jti`. */
export async function jtiKey(clientId: string, jti: string): Promise<string> {
  return `${prefix}jti:${await sha256Hex(clientId)}:${await sha256Hex(jti)}`;
}

/** Key of an access token. */
export async function accessTokenKey(token: string): Promise<string> {
  return `${prefix}access:${await sha256Hex(token)}`;
}

/** Key of a refresh token. */
export async function refreshTokenKey(token: string): Promise<string> {
  return `${prefix}refresh:${await sha256Hex(token)}`;
}

/** Key of a practice's access token for one patient session. */
export function providerTokenKey(sessionId: string, odsCode: string): string {
  return `${prefix}provider-token:${sessionId}:${odsCode}`;
}

/** Key of a session's permission levels at a practice (chain/permission-gate.ts). */
export function permissionsKey(sessionId: string, odsCode: string): string {
  return `${prefix}permissions:${sessionId}:${odsCode}`;
}

/** Key of VRS's answer for a delegated session (chain/delegation.ts). */
export function delegationKey(sessionId: string): string {
  return `${prefix}vrs:${sessionId}`;
}

/** Key of a write by `clientId` for `nhsNumber` with `requestId` (chain/write-dedupe.ts). */
export async function writeKey(
  clientId: string,
  nhsNumber: string,
  requestId: string,
): Promise<string> {
  return `${prefix}write:${await sha256Hex(clientId)}:${nhsNumber}:${requestId.toLowerCase()}`;
}

/** A new opaque token: 32 random bytes, base64url. */
export function newOpaqueToken(): string {
  return crypto.getRandomValues(new Uint8Array(32)).toBase64({
    alphabet: "base64url",
    omitPadding: true,
  });
}
