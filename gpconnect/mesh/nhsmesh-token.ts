/**
 * The NHSMESH `Authorization` token (shared/reference/mesh.md §2.1, §9): built by clients, parsed
 * and checked by the MESH service. Web APIs only (`crypto.subtle`), so it runs on Deno, Workers
 * and in the harness alike.
 *
 * `NHSMESH {mailbox}:{nonce}:{nonce_count}:{yyyyMMddHHmm UTC}:{hmac}` — the scheme, one space, five
 * `:`-separated parts; `hmac` is lowercase hex HMAC-SHA256 keyed with the environment's shared key
 * over `mailbox:nonce:nonce_count:password:timestamp`.
 *
 * Parsing is as strict as the spec (the sandbox is laxer, §9): exact `NHSMESH ` scheme, exactly
 * five parts, no whitespace in the mailbox or nonce, digits-only count, a real 12-digit UTC
 * timestamp and 64 hex digits. The timestamp window and replay checks need a clock and a store,
 * so they are the server's; {@linkcode meshTimestampMs} gives it the instant to compare.
 *
 * @module
 */

/** The scheme and its one space. */
export const nhsmeshScheme = "NHSMESH ";

/** The parts of a well-formed token. */
export interface NhsmeshToken {
  /** Mailbox id as written in the token (the server compares it with the path's). */
  readonly mailboxId: string;
  /** The nonce (a UUID from NHS's clients; not required to be one). */
  readonly nonce: string;
  /** The nonce count, digits only, as written. */
  readonly nonceCount: string;
  /** `yyyyMMddHHmm`, UTC. */
  readonly timestamp: string;
  /** The HMAC, 64 hex digits as written. */
  readonly hmac: string;
}

/** Why a header is not a well-formed token. */
export type NhsmeshTokenProblem =
  | "missing"
  | "scheme"
  | "parts"
  | "mailbox"
  | "nonce"
  | "nonce-count"
  | "timestamp"
  | "hmac";

/** A parse result: the token, or what is wrong with the header. */
export type NhsmeshTokenParse =
  | { readonly ok: true; readonly token: NhsmeshToken }
  | { readonly ok: false; readonly problem: NhsmeshTokenProblem };

/** What an HMAC is computed over (the password is never part of the token itself). */
export interface NhsmeshHmacInput {
  readonly mailboxId: string;
  readonly nonce: string;
  readonly nonceCount: string | number;
  readonly password: string;
  readonly timestamp: string;
}

/** What {@linkcode buildNhsmeshAuthorization} needs. */
export interface NhsmeshAuthorizationInput {
  readonly mailboxId: string;
  readonly password: string;
  /** The shared key, or a key from {@linkcode importMeshSharedKey}. */
  readonly sharedKey: string | CryptoKey;
  /** Default: a fresh UUID (as NHS's npm client: one nonce per request, count 0). */
  readonly nonce?: string;
  /** Default `0`. The Python client keeps one nonce and counts 0, 1, 2… */
  readonly nonceCount?: number;
  /** Default: now. */
  readonly timestamp?: string;
}

const encoder = new TextEncoder();

/**
 * Imports the shared key once for many HMACs (signing and constant-time verification).
 *
 * @example
 * ```ts
 * const key = await importMeshSharedKey("TestKey");
 * ```
 */
export function importMeshSharedKey(sharedKey: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(sharedKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

function keyOf(sharedKey: string | CryptoKey): Promise<CryptoKey> {
  return typeof sharedKey === "string"
    ? importMeshSharedKey(sharedKey)
    : Promise.resolve(sharedKey);
}

function hmacMessage(input: NhsmeshHmacInput): Uint8Array<ArrayBuffer> {
  const { mailboxId, nonce, nonceCount, password, timestamp } = input;
  return encoder.encode(`${mailboxId}:${nonce}:${nonceCount}:${password}:${timestamp}`);
}

/**
 * The lowercase hex HMAC-SHA256 of a token.
 *
 * @example
 * ```ts
 * await meshHmac("TestKey", {
 *   mailboxId: "X26ABC1", nonce: "2c001608-5f09-4840-9611-bea43e666a30", nonceCount: 1,
 *   password: "password", timestamp: "202401011200",
 * }); // "e72e9aa6b31085021ebb2de9ae7e5bf7197e3c3477b18f6a3833e6754b9f63fe"
 * ```
 */
export async function meshHmac(
  sharedKey: string | CryptoKey,
  input: NhsmeshHmacInput,
): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await keyOf(sharedKey), hmacMessage(input));
  return Array.from(new Uint8Array(signature), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * `yyyyMMddHHmm` in UTC for an instant.
 *
 * @example
 * ```ts
 * meshTimestamp(Date.UTC(2024, 0, 1, 12, 0)); // "202401011200"
 * ```
 */
export function meshTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 12);
}

/**
 * The instant a token's timestamp names, or `undefined` unless it is 12 digits naming a real
 * UTC minute.
 */
export function meshTimestampMs(timestamp: string): number | undefined {
  const match = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(timestamp);
  if (!match) return undefined;
  const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  // Date.UTC rolls 2024-02-30 over to March: a round trip catches every impossible field.
  return meshTimestamp(ms) === timestamp ? ms : undefined;
}

/**
 * The full `Authorization` header value.
 *
 * @example
 * ```ts
 * const authorization = await buildNhsmeshAuthorization({
 *   mailboxId: "A11111OT1", password: "password", sharedKey: "TestKey",
 * });
 * ```
 */
export async function buildNhsmeshAuthorization(input: NhsmeshAuthorizationInput): Promise<string> {
  const nonce = input.nonce ?? crypto.randomUUID();
  const nonceCount = String(input.nonceCount ?? 0);
  const timestamp = input.timestamp ?? meshTimestamp(Date.now());
  const hmac = await meshHmac(input.sharedKey, {
    mailboxId: input.mailboxId,
    nonce,
    nonceCount,
    password: input.password,
    timestamp,
  });
  return `${nhsmeshScheme}${input.mailboxId}:${nonce}:${nonceCount}:${timestamp}:${hmac}`;
}

/**
 * Parses an `Authorization` header value (or its absence) into a token.
 *
 * @example
 * ```ts
 * const parsed = parseNhsmeshAuthorization("NHSMESH X26ABC1:n:1:202401011200:" + "0".repeat(64));
 * if (parsed.ok) parsed.token.mailboxId; // "X26ABC1"
 * ```
 */
export function parseNhsmeshAuthorization(header: string | null | undefined): NhsmeshTokenParse {
  const fail = (problem: NhsmeshTokenProblem) => ({ ok: false, problem }) as const;
  if (header === null || header === undefined || header.trim() === "") return fail("missing");
  if (!header.startsWith(nhsmeshScheme)) return fail("scheme");
  const parts = header.slice(nhsmeshScheme.length).split(":");
  if (parts.length !== 5) return fail("parts");
  const [mailboxId, nonce, nonceCount, timestamp, hmac] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^[^\s]+$/.test(mailboxId)) return fail("mailbox");
  if (!/^[^\s]+$/.test(nonce)) return fail("nonce");
  if (!/^[0-9]+$/.test(nonceCount)) return fail("nonce-count");
  if (meshTimestampMs(timestamp) === undefined) return fail("timestamp");
  if (!/^[0-9a-fA-F]{64}$/.test(hmac)) return fail("hmac");
  return { ok: true, token: { mailboxId, nonce, nonceCount, timestamp, hmac } };
}

/**
 * Whether the token's HMAC is right for `password` under the shared key. The comparison is
 * `crypto.subtle.verify`'s, constant-time, over the bytes (so hex case does not matter, as in
 * MESH's sandbox).
 *
 * @example
 * ```ts
 * const request = new Request("http://127.0.0.1/messageexchange/A11111OT1", {
 *   headers: { Authorization: "NHSMESH A11111OT1:n:0:202401011200:" + "0".repeat(64) },
 * });
 * const parsed = parseNhsmeshAuthorization(request.headers.get("Authorization"));
 * const key = await importMeshSharedKey("TestKey");
 * const good = parsed.ok && await nhsmeshHmacMatches(parsed.token, "password", key); // false
 * ```
 */
export async function nhsmeshHmacMatches(
  token: NhsmeshToken,
  password: string,
  sharedKey: string | CryptoKey,
): Promise<boolean> {
  if (!/^[0-9a-fA-F]{64}$/.test(token.hmac)) return false;
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = parseInt(token.hmac.slice(i * 2, i * 2 + 2), 16);
  return await crypto.subtle.verify(
    "HMAC",
    await keyOf(sharedKey),
    signature,
    hmacMessage({ ...token, password }),
  );
}
