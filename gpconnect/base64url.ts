/**
 * base64url without padding (RFC 4648 §5), as JWS and JWT use it (RFC 7515 §2): the one encoder
 * and the one strict decoder of worker, sandbox and harness.
 *
 * Both are the runtime's native `Uint8Array.fromBase64` / `toBase64` with the base64url alphabet
 * (V8 ≥ 14: Deno 2.6+ and workerd). Decoding is on the SSP's hot path (every request's JWT): the
 * earlier `Uint8Array.from(atob(…), mapFn)` walked the string through the iterator protocol and
 * took a quarter of the SSP route's CPU time (bench/hot-path.bench.ts, README "Benchmarks").
 *
 * @module
 */

/** Why a text is not unpadded base64url. */
export type Base64urlDefect =
  /** Ends in `=` padding, which JWS forbids. */
  | "padded"
  /** Uses `+` or `/`, the standard base64 alphabet. */
  | "standard-alphabet"
  /** Has a character outside `A–Z a–z 0–9 - _`. */
  | "not-base64url"
  /** A length of 4n + 1 characters, which no byte string encodes to. */
  | "impossible-length";

const base64urlShape = /^[A-Za-z0-9_-]*$/;

/**
 * Why `text` is not unpadded base64url, or `undefined` when it is. The empty string is valid (it
 * encodes no bytes).
 *
 * @example
 * ```ts
 * base64urlDefect("eyJhbGciOiJub25lIn0"); // undefined
 * base64urlDefect("eyJhbGciOiJub25lIn0="); // "padded"
 * base64urlDefect("a+b/"); // "standard-alphabet"
 * ```
 */
export function base64urlDefect(text: string): Base64urlDefect | undefined {
  // One regular expression on the common, valid path; the rest only names what is wrong.
  if (base64urlShape.test(text)) return text.length % 4 === 1 ? "impossible-length" : undefined;
  if (text.includes("=")) return "padded";
  if (text.includes("+") || text.includes("/")) return "standard-alphabet";
  return "not-base64url";
}

/**
 * The bytes of unpadded base64url `text`; throws a `SyntaxError` naming the
 * {@linkcode Base64urlDefect} when it is not (no whitespace, padding or `+`/`/` is accepted).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(base64urlDecode("eyJhIjoxfQ")); // '{"a":1}'
 * ```
 */
export function base64urlDecode(text: string): Uint8Array {
  const defect = base64urlDefect(text);
  if (defect !== undefined) throw new SyntaxError(`Not unpadded base64url: ${defect}`);
  return Uint8Array.fromBase64(text, { alphabet: "base64url" });
}

const utf8 = new TextEncoder();

/**
 * Unpadded base64url of `data`; a string is encoded as UTF-8 first.
 *
 * @example
 * ```ts
 * base64urlEncode('{"alg":"none","typ":"JWT"}'); // "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"
 * base64urlEncode(new Uint8Array([0xfb, 0xff])); // "-_8"
 * ```
 */
export function base64urlEncode(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? utf8.encode(data) : data;
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}
