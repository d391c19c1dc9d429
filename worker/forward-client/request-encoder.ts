/**
 * The bytes of a request to a provider: the request line, `Host` from the target, the caller's
 * fields (hop-by-hop ones and any framing field dropped: framing is this client's to set), then
 * `Content-Length` or `Transfer-Encoding: chunked`. Field names and values are checked, so a value
 * carrying CR or LF can never add a line of its own. Bytes are Latin-1 (header values are
 * ByteStrings), the body's chunks framed as RFC 9112 §7.1 says.
 *
 * @module
 */
import { HOP_BY_HOP_HEADERS } from "../gateway/connection-header.ts";
import { hasValueControl, TOKEN } from "../http1-server/header-fields.ts";

/** How the request body is framed: its length (0 for none sent), chunked, or no body at all. */
export type RequestFraming = number | "chunked" | "none";

const encoder = new TextEncoder();

/**
 * Encodes a string of chars up to U+00FF one byte each; throws a `TypeError` for any char above.
 *
 * @example
 * ```ts
 * encodeLatin1("é")[0]; // 0xe9
 * ```
 */
export function encodeLatin1(text: string): Uint8Array {
  // UTF-8 of all-ASCII text is one byte a char; any other char takes two or more. (A regular
  // expression test first would flatten the head, built by concatenation, a second time.)
  const utf8 = encoder.encode(text);
  if (utf8.length === text.length) return utf8;
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0xff) throw new TypeError("A request head char is not Latin-1 (above U+00FF)");
    bytes[index] = code;
  }
  return bytes;
}

/** Whether a caller's field is this client's to write instead. */
function isOwnField(lower: string): boolean {
  return lower === "host" || lower === "content-length" || HOP_BY_HOP_HEADERS.has(lower);
}

/**
 * The request head as a string, to be encoded by {@linkcode encodeLatin1} (which refuses a char
 * above U+00FF). Throws a `TypeError` for a field name that is not a token or a value with a
 * control character other than HTAB.
 *
 * @example
 * ```ts
 * encodeRequestHead("GET", "/metadata", "provider.example", [["accept", "application/fhir+json"]], "none");
 * // "GET /metadata HTTP/1.1\r\nhost: provider.example\r\naccept: application/fhir+json\r\n\r\n"
 * ```
 */
export function encodeRequestHead(
  method: string,
  target: string,
  authority: string,
  fields: Iterable<readonly [string, string]>,
  framing: RequestFraming,
): string {
  if (!TOKEN.test(method)) throw new TypeError("The request method is not a token");
  let head = `${method} ${target} HTTP/1.1\r\nhost: ${authority}\r\n`;
  for (const [name, value] of fields) {
    if (!TOKEN.test(name) || hasValueControl(value)) {
      throw new TypeError(`Header ${JSON.stringify(name)} is not a valid header field`);
    }
    if (isOwnField(name.toLowerCase())) continue;
    head += `${name}: ${value}\r\n`;
  }
  if (framing === "chunked") head += "transfer-encoding: chunked\r\n";
  else if (framing !== "none") head += `content-length: ${framing}\r\n`;
  return `${head}\r\n`;
}

const CRLF = encoder.encode("\r\n");
/** The last chunk and an empty trailer section. */
export const LAST_CHUNK: Uint8Array = encoder.encode("0\r\n\r\n");

/**
 * One chunk of a chunked body: size line, data, CRLF, in one buffer (one socket write).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(encodeChunk(new TextEncoder().encode("abc"))); // "3\r\nabc\r\n"
 * ```
 */
export function encodeChunk(data: Uint8Array): Uint8Array {
  const size = encoder.encode(`${data.length.toString(16)}\r\n`);
  const chunk = new Uint8Array(size.length + data.length + 2);
  chunk.set(size);
  chunk.set(data, size.length);
  chunk.set(CRLF, size.length + data.length);
  return chunk;
}
