/**
 * The chunked transfer coding of a request body (RFC 9112 §7.1), decoded strictly as bytes are
 * pulled: hex sizes of at most 16 digits (no sign, no `0x`, no whitespace before them), chunk
 * extensions only in their grammar (and then ignored), exactly CRLF after each chunk's data,
 * trailer fields parsed like header fields and discarded. Anything else is a 400, because a
 * lenient decoder is where request smuggling lives.
 *
 * @module
 */
import type { ConnectionReader } from "./connection-reader.ts";
import { decodeLatin1, splitFieldLine } from "./header-fields.ts";
import type { Http1Limits } from "./limits.ts";
import { badRequest, Http1ProtocolError } from "./protocol-error.ts";

const LF = 0x0a;
const CR = 0x0d;
/** A chunk-size line with extensions; longer is refused (extensions are ignored anyway). */
const MAX_CHUNK_LINE_BYTES = 4096;
const TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
const QUOTED = '"(?:[\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*"';
/** chunk-size [ chunk-ext ] with BWS as RFC 9112 §7.1.1 allows. */
const CHUNK_LINE = new RegExp(
  `^([0-9A-Fa-f]{1,16})(?:[\\t ]*;[\\t ]*${TCHAR}+(?:[\\t ]*=[\\t ]*(?:${TCHAR}+|${QUOTED}))?)*$`,
);

type State = "size" | "data" | "data-end" | "trailers" | "done";

/** Pulls decoded body bytes through a {@linkcode ConnectionReader}. */
export class ChunkedDecoder {
  readonly #reader: ConnectionReader;
  readonly #limits: Http1Limits;
  #state: State = "size";
  #remaining = 0;
  #trailerBytes = 0;
  #trailerLines = 0;

  /**
   * @example
   * ```ts
   * import { ConnectionReader } from "./connection-reader.ts";
   * import { DEFAULT_HTTP1_LIMITS } from "./limits.ts";
   * const bytes = new TextEncoder().encode("3\r\nabc\r\n0\r\n\r\n");
   * let sent = false;
   * const reader = new ConnectionReader({
   *   read(into) {
   *     if (sent) return Promise.resolve(null);
   *     sent = true;
   *     into.set(bytes);
   *     return Promise.resolve(bytes.length);
   *   },
   * }, 65536);
   * const decoder = new ChunkedDecoder(reader, DEFAULT_HTTP1_LIMITS);
   * await decoder.read(1024); // "abc" as bytes
   * await decoder.read(1024); // null: the body ended
   * ```
   */
  constructor(reader: ConnectionReader, limits: Http1Limits) {
    this.#reader = reader;
    this.#limits = limits;
  }

  /** Whether the last chunk and the trailers have been read. */
  get done(): boolean {
    return this.#state === "done";
  }

  /**
   * Up to `max` decoded bytes, or null once the body has ended. Throws
   * {@linkcode Http1ProtocolError} on malformed framing or when the stream ends early.
   */
  async read(max: number): Promise<Uint8Array | null> {
    const reader = this.#reader;
    for (;;) {
      switch (this.#state) {
        case "done":
          return null;
        case "size": {
          const line = await this.#line(MAX_CHUNK_LINE_BYTES);
          const match = CHUNK_LINE.exec(line);
          const size = match ? parseInt(match[1]!, 16) : NaN;
          if (!Number.isSafeInteger(size)) {
            throw badRequest("bad-chunk", "A chunk size is malformed");
          }
          this.#remaining = size;
          this.#state = size === 0 ? "trailers" : "data";
          break;
        }
        case "data": {
          const bytes = await reader.next(Math.min(max, this.#remaining));
          if (bytes === null) {
            throw badRequest("body-truncated", "The connection ended inside a chunked body");
          }
          this.#remaining -= bytes.length;
          if (this.#remaining === 0) this.#state = "data-end";
          return bytes;
        }
        case "data-end": {
          while (reader.buffered < 2) await this.#more();
          const view = reader.view();
          if (view[0] !== CR || view[1] !== LF) {
            throw badRequest("bad-chunk", "Chunk data is not followed by CRLF");
          }
          reader.consume(2);
          this.#state = "size";
          break;
        }
        case "trailers": {
          const line = await this.#line(this.#limits.maxHeaderBytes);
          this.#trailerBytes += line.length + 2;
          if (line === "") {
            this.#state = "done";
            return null;
          }
          if (
            this.#trailerBytes > this.#limits.maxHeaderBytes ||
            ++this.#trailerLines > this.#limits.maxHeaderCount
          ) {
            throw new Http1ProtocolError(
              431,
              "headers-too-large",
              "The chunked trailers are too large",
            );
          }
          splitFieldLine(line);
          break;
        }
      }
    }
  }

  /** One CRLF-terminated line (without it), decoded byte per char. */
  async #line(maxBytes: number): Promise<string> {
    const reader = this.#reader;
    let scanned = 0;
    for (;;) {
      const view = reader.view();
      const lf = view.indexOf(LF, scanned);
      if (lf > maxBytes) throw badRequest("bad-chunk", "A chunked-body line is too long");
      if (lf >= 0) {
        if (lf === 0 || view[lf - 1] !== CR) {
          throw badRequest("bad-chunk", "A chunked-body line does not end in CRLF");
        }
        const line = decodeLatin1(view.subarray(0, lf - 1));
        reader.consume(lf + 1);
        if (line.includes("\r")) throw badRequest("bad-chunk", "A bare CR in a chunked-body line");
        return line;
      }
      scanned = view.length;
      if (scanned > maxBytes) throw badRequest("bad-chunk", "A chunked-body line is too long");
      await this.#more();
    }
  }

  async #more(): Promise<void> {
    if (!(await this.#reader.fill())) {
      throw badRequest("body-truncated", "The connection ended inside a chunked body");
    }
  }
}
