/**
 * The request head: finding where it ends in the bytes received so far (with the size limits
 * checked as bytes arrive, so a trickled or oversized head is refused early), and parsing it
 * strictly (RFC 9112 §2–§6): one request line of exactly three parts, CRLF line endings only,
 * field lines by {@linkcode splitFieldLine}, unambiguous body framing.
 *
 * @module
 */
import {
  decodeLatin1,
  isValidHost,
  listElements,
  mergeContentLength,
  splitFieldLine,
  TOKEN,
} from "./header-fields.ts";
import type { Http1Limits } from "./limits.ts";
import { badRequest, Http1ProtocolError } from "./protocol-error.ts";

/** A parsed request head. */
export interface RequestHead {
  /** The method token exactly as sent (`get` stays `get`). */
  readonly method: string;
  /** The origin-form target exactly as sent: path and query. */
  readonly target: string;
  /** `HTTP/1.1` or `HTTP/1.0`. */
  readonly version: "HTTP/1.1" | "HTTP/1.0";
  /** Field lines as sent, in order: `[name, value]` with the value's outer whitespace trimmed. */
  readonly fields: Array<[string, string]>;
  /** Body length from `Content-Length`; -1 when there is none (or the body is chunked). */
  readonly contentLength: number;
  /** `Transfer-Encoding: chunked`. */
  readonly chunked: boolean;
  /** Whether the client allows another request on this connection. */
  readonly keepAlive: boolean;
  /** `Expect: 100-continue` on an HTTP/1.1 request. */
  readonly expectContinue: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds the end of a request head in bytes that arrive piece by piece, scanning each byte once.
 * Empty lines before the request line are skipped (RFC 9112 §2.2).
 */
export class HeadScanner {
  #offset = 0;
  #lineStart = 0;
  #requestLineEnd = -1;
  #fieldLines = 0;
  readonly #limits: Http1Limits;

  /** @param limits the request-line, header-block and field-count limits to enforce */
  constructor(limits: Http1Limits) {
    this.#limits = limits;
  }

  /** Forgets the previous head. */
  reset(): void {
    this.#offset = 0;
    this.#lineStart = 0;
    this.#requestLineEnd = -1;
    this.#fieldLines = 0;
  }

  /**
   * The length of the head (through its empty line) if `bytes` holds all of it, -1 if more bytes
   * are needed. Throws 400 on a bare LF, 414 past the request-line limit, 431 past the header
   * limits. `bytes` must start at the head and only grow between calls.
   *
   * @example
   * ```ts
   * import { DEFAULT_HTTP1_LIMITS } from "./limits.ts";
   * const scanner = new HeadScanner(DEFAULT_HTTP1_LIMITS);
   * scanner.scan(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); // 27
   * ```
   */
  scan(bytes: Uint8Array): number {
    const limits = this.#limits;
    for (;;) {
      const lf = bytes.indexOf(LF, this.#offset);
      if (lf < 0) {
        this.#offset = bytes.length;
        this.#checkOpenLine(bytes.length);
        return -1;
      }
      if (lf === 0 || bytes[lf - 1] !== CR) {
        throw badRequest("bad-line-ending", "A line of the request head does not end in CRLF");
      }
      const lineLength = lf - 1 - this.#lineStart;
      this.#offset = lf + 1;
      if (this.#requestLineEnd < 0) {
        if (lineLength > limits.maxRequestLineBytes || lf + 1 > limits.maxRequestLineBytes + 64) {
          throw new Http1ProtocolError(
            414,
            "request-line-too-long",
            "The request line is too long",
          );
        }
        if (lineLength > 0) this.#requestLineEnd = lf;
      } else if (lineLength === 0) {
        return lf + 1;
      } else if (++this.#fieldLines > limits.maxHeaderCount) {
        throw new Http1ProtocolError(
          431,
          "too-many-headers",
          "The request has too many header fields",
        );
      }
      this.#lineStart = lf + 1;
      this.#checkOpenLine(lf + 1);
    }
  }

  /** Limits that apply before a line is complete (a trickle never ends it). */
  #checkOpenLine(received: number): void {
    const limits = this.#limits;
    if (this.#requestLineEnd < 0) {
      if (received - this.#lineStart > limits.maxRequestLineBytes + 1) {
        throw new Http1ProtocolError(414, "request-line-too-long", "The request line is too long");
      }
    } else if (received - (this.#requestLineEnd + 1) > limits.maxHeaderBytes + 1) {
      throw new Http1ProtocolError(
        431,
        "headers-too-large",
        "The request header fields are too large",
      );
    }
  }
}

/** origin-form (RFC 9112 §3.2.1): `/` then visible ASCII; no fragment, no space or control. */
const ORIGIN_FORM = /^\/[\x21-\x22\x24-\x7e]*$/;

/**
 * Parses a complete head (the bytes {@linkcode HeadScanner.scan} measured). Throws
 * {@linkcode Http1ProtocolError} for anything malformed or ambiguous.
 *
 * @example
 * ```ts
 * const head = parseRequestHead(new TextEncoder().encode("GET /_health HTTP/1.1\r\nHost: x\r\n\r\n"));
 * head.target; // "/_health"
 * ```
 */
export function parseRequestHead(bytes: Uint8Array): RequestHead {
  let requestLine: { method: string; target: string } | undefined;
  try {
    return parseHead(bytes, (method, target) => requestLine = { method, target });
  } catch (error) {
    // The request line, once read, goes with the refusal: the log names the request refused.
    if (error instanceof Http1ProtocolError && requestLine) error.requestLine = requestLine;
    throw error;
  }
}

function parseHead(
  bytes: Uint8Array,
  requestLineRead: (method: string, target: string) => void,
): RequestHead {
  const lines = decodeLatin1(bytes).split("\r\n");
  let index = 0;
  while (lines[index] === "") index++;
  const requestLine = lines[index++] ?? "";
  const firstSpace = requestLine.indexOf(" ");
  const secondSpace = requestLine.indexOf(" ", firstSpace + 1);
  if (firstSpace <= 0 || secondSpace < 0 || requestLine.indexOf(" ", secondSpace + 1) >= 0) {
    throw badRequest("bad-request-line", "The request line is not: method SP target SP version");
  }
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, secondSpace);
  const version = requestLine.slice(secondSpace + 1);
  if (!TOKEN.test(method)) throw badRequest("bad-request-line", "The method is not a token");
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") {
    throw badRequest("unsupported-version", "Only HTTP/1.1 and HTTP/1.0 are served");
  }
  if (!ORIGIN_FORM.test(target)) {
    throw badRequest(
      "bad-request-target",
      "The request target must be origin-form: a path starting with / and visible ASCII",
    );
  }
  requestLineRead(method, target);

  const fields: Array<[string, string]> = [];
  let host: string | undefined;
  let contentLength = -1;
  let transferCodings: string[] | undefined;
  let close = false;
  let keepAliveAsked = false;
  let expectContinue = false;
  // The split leaves two empty strings after the final CRLF CRLF.
  for (const end = lines.length - 2; index < end; index++) {
    const field = splitFieldLine(lines[index]!);
    fields.push(field);
    const [name, value] = field;
    switch (name.length) {
      case 4:
        if (name.toLowerCase() !== "host") break;
        if (host !== undefined) throw badRequest("duplicate-host", "More than one Host field");
        if (!isValidHost(value)) {
          throw badRequest("bad-host", "Host is not host[:port] or [IPv6][:port]");
        }
        host = value;
        break;
      case 6:
        if (name.toLowerCase() !== "expect") break;
        if (version === "HTTP/1.0") break; // RFC 9110 §10.1.1: ignored in HTTP/1.0
        if (value.toLowerCase() !== "100-continue") {
          throw new Http1ProtocolError(
            417,
            "expectation-failed",
            "Only Expect: 100-continue is met",
          );
        }
        expectContinue = true;
        break;
      case 10:
        if (name.toLowerCase() !== "connection") break;
        for (const option of listElements(value)) {
          const lower = option.toLowerCase();
          if (lower === "close") close = true;
          else if (lower === "keep-alive") keepAliveAsked = true;
        }
        break;
      case 14:
        if (name.toLowerCase() === "content-length") {
          contentLength = mergeContentLength(contentLength, value);
        }
        break;
      case 17:
        if (name.toLowerCase() !== "transfer-encoding") break;
        transferCodings ??= [];
        // Every element counts, empty ones too (`chunked,` is refused): framing beyond doubt.
        for (const coding of value.split(",")) {
          transferCodings.push(coding.replace(/^[\t ]+|[\t ]+$/g, "").toLowerCase());
        }
        break;
    }
  }

  if (host === undefined && version === "HTTP/1.1") {
    throw badRequest("missing-host", "An HTTP/1.1 request must carry Host");
  }
  let chunked = false;
  if (transferCodings !== undefined) {
    // RFC 9112 §6.1 and §6.3: only a lone, final "chunked" frames a request unambiguously here.
    if (version === "HTTP/1.0") {
      throw badRequest("bad-transfer-encoding", "Transfer-Encoding is not valid in HTTP/1.0");
    }
    if (contentLength >= 0) {
      throw badRequest(
        "content-length-with-transfer-encoding",
        "Transfer-Encoding and Content-Length together are ambiguous",
      );
    }
    if (transferCodings.length !== 1 || transferCodings[0] !== "chunked") {
      throw badRequest("bad-transfer-encoding", "Transfer-Encoding must be exactly chunked");
    }
    chunked = true;
  }
  const keepAlive = !close && (version === "HTTP/1.1" || keepAliveAsked);
  return { method, target, version, fields, contentLength, chunked, keepAlive, expectContinue };
}
