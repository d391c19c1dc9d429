/**
 * A provider's response head (RFC 9112 §4–§6), parsed as strictly as gpc-edge's server parses
 * requests, with the same field-line grammar (../http1-server/header-fields.ts): one status line
 * `HTTP/1.x SP 3DIGIT SP reason`, CRLF line endings only, no obsolete line folding, and framing
 * beyond doubt. Where RFC 9112 lets a recipient repair an ambiguous answer (`Transfer-Encoding`
 * beside `Content-Length`, §6.3), this client refuses it instead: a gateway that guesses is where
 * response splitting lives, and the provider is answered a 502 it can be told about.
 *
 * @module
 */
import {
  decodeLatin1,
  listElements,
  mergeContentLength,
  splitFieldLine,
} from "../http1-server/header-fields.ts";
import { DEFAULT_HTTP1_LIMITS, type Http1Limits } from "../http1-server/limits.ts";
import { UpstreamProtocolError } from "./upstream-error.ts";

/** How the body after a head is delimited. */
export type BodyFraming =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" }
  | { readonly kind: "until-close" };

/** A parsed response head. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** Field lines as sent, in order, values trimmed. */
  readonly fields: Array<[string, string]>;
  readonly framing: BodyFraming;
  /** Whether the connection may carry another request after this response's body. */
  readonly keepAlive: boolean;
}

/**
 * The head-size limits of responses (the scanner is the server's: its "request line" is the
 * status line here). Providers send more and longer fields than consumers (`Set-Cookie`, CSPs),
 * so the header block may be twice the server's.
 */
export const RESPONSE_HEAD_LIMITS: Readonly<Http1Limits> = Object.freeze({
  ...DEFAULT_HTTP1_LIMITS,
  maxRequestLineBytes: 8 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 256,
});

const STATUS_LINE = /^HTTP\/1\.([01]) ([0-9]{3})(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
const NONE: BodyFraming = { kind: "none" };
const CHUNKED: BodyFraming = { kind: "chunked" };
const UNTIL_CLOSE: BodyFraming = { kind: "until-close" };

/**
 * Parses a complete head (through its empty line) of a response to `method`. Interim 1xx heads
 * come back with framing `none` for the caller to skip; 101 and a status outside 100–599 are
 * refused (nothing here asked to switch protocols). Throws {@linkcode UpstreamProtocolError} for
 * anything malformed or ambiguous.
 *
 * @example
 * ```ts
 * const head = parseResponseHead(
 *   new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"),
 *   "GET",
 * );
 * head.framing; // { kind: "length", length: 2 }
 * ```
 */
export function parseResponseHead(bytes: Uint8Array, method: string): ResponseHead {
  const lines = decodeLatin1(bytes).split("\r\n");
  const match = STATUS_LINE.exec(lines[0] ?? "");
  if (!match) {
    throw new UpstreamProtocolError("bad-status-line", "The provider's status line is malformed");
  }
  const http10 = match[1] === "0";
  const status = Number(match[2]);
  if (status < 100 || status > 599 || status === 101) {
    throw new UpstreamProtocolError("bad-status-line", "The provider's status code is not usable");
  }
  const fields: Array<[string, string]> = [];
  let contentLength = -1;
  let codings: string[] | undefined;
  let close = http10;
  // The split leaves two empty strings after the final CRLF CRLF.
  for (let index = 1, end = lines.length - 2; index < end; index++) {
    let field: [string, string];
    try {
      field = splitFieldLine(lines[index]!);
    } catch (cause) {
      throw new UpstreamProtocolError("bad-header-line", "A provider header line is malformed", {
        cause,
      });
    }
    fields.push(field);
    const [name, value] = field;
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      try {
        contentLength = mergeContentLength(contentLength, value);
      } catch (cause) {
        throw new UpstreamProtocolError("bad-framing", "The provider's Content-Length is bad", {
          cause,
        });
      }
    } else if (name.length === 17 && name.toLowerCase() === "transfer-encoding") {
      codings ??= [];
      for (const coding of value.split(",")) codings.push(coding.trim().toLowerCase());
    } else if (name.length === 10 && name.toLowerCase() === "connection") {
      for (const option of listElements(value)) {
        const lower = option.toLowerCase();
        if (lower === "close") close = true;
        else if (lower === "keep-alive" && http10) close = false;
      }
    }
  }
  let framing: BodyFraming;
  if (codings !== undefined) {
    if (http10 || contentLength >= 0 || codings.length !== 1 || codings[0] !== "chunked") {
      throw new UpstreamProtocolError(
        "bad-framing",
        "The provider's Transfer-Encoding is not a lone chunked (or comes with Content-Length)",
      );
    }
    framing = CHUNKED;
  } else {
    framing = contentLength >= 0 ? { kind: "length", length: contentLength } : UNTIL_CLOSE;
  }
  // RFC 9112 §6.3: these never have content, whatever the fields say.
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) framing = NONE;
  const keepAlive = !close && framing !== UNTIL_CLOSE;
  return { status, statusText: match[3] ?? "", fields, framing, keepAlive };
}
