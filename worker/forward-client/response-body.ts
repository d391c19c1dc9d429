/**
 * A provider's response body as a `ReadableStream` read straight off its connection: framed by
 * `Content-Length`, decoded from chunked (the server's strict {@linkcode ChunkedDecoder}), or
 * read until the provider closes. Nothing is read ahead (`highWaterMark: 0`): a consumer that
 * reads slowly slows the provider through TCP. Content codings are not touched (a gzip body
 * passes as gzip). How the body ended decides the connection's fate: whole and framed beyond
 * doubt → back to the pool; anything else (an error, a cancel, bytes after the body) → closed.
 *
 * @module
 */
import { ChunkedDecoder } from "../http1-server/chunked-decoder.ts";
import type { ConnectionReader } from "../http1-server/connection-reader.ts";
import type { BodyFraming } from "./response-head.ts";
import { RESPONSE_HEAD_LIMITS } from "./response-head.ts";
import { asUpstreamError, UpstreamProtocolError } from "./upstream-error.ts";

/** The most one pull hands on. */
const MAX_PULL_BYTES = 64 * 1024;

/** Reads a framed body piece by piece. */
export class FramedBodyReader {
  readonly #reader: ConnectionReader;
  readonly #decoder: ChunkedDecoder | undefined;
  readonly #untilClose: boolean;
  #remaining: number;

  /**
   * @example
   * ```ts
   * import { ConnectionReader } from "../http1-server/connection-reader.ts";
   * const reader = new ConnectionReader({ read: () => Promise.resolve(null) }, 65536);
   * await new FramedBodyReader(reader, { kind: "until-close" }).read(); // null
   * ```
   */
  constructor(reader: ConnectionReader, framing: BodyFraming) {
    this.#reader = reader;
    this.#decoder = framing.kind === "chunked"
      ? new ChunkedDecoder(reader, RESPONSE_HEAD_LIMITS)
      : undefined;
    this.#untilClose = framing.kind === "until-close";
    this.#remaining = framing.kind === "length" ? framing.length : 0;
  }

  /** Whether the body has been read to its end. */
  get done(): boolean {
    if (this.#decoder) return this.#decoder.done;
    return !this.#untilClose && this.#remaining === 0;
  }

  /**
   * The next bytes, or null at the body's end. Throws {@linkcode UpstreamProtocolError} for bad
   * chunked framing or a body that ends before its framing said it would.
   */
  async read(): Promise<Uint8Array | null> {
    try {
      if (this.#decoder) return await this.#decoder.read(MAX_PULL_BYTES);
      if (this.#untilClose) {
        const bytes = await this.#reader.next(MAX_PULL_BYTES);
        if (bytes === null && this.#reader.error !== undefined) {
          throw new UpstreamProtocolError(
            "body-truncated",
            "The provider's connection failed inside a body delimited by its close",
            { cause: this.#reader.error },
          );
        }
        return bytes;
      }
      if (this.#remaining === 0) return null;
      const bytes = await this.#reader.next(Math.min(MAX_PULL_BYTES, this.#remaining));
      if (bytes === null) {
        throw new UpstreamProtocolError(
          "body-truncated",
          "The provider closed the connection before its Content-Length was reached",
        );
      }
      this.#remaining -= bytes.length;
      return bytes;
    } catch (error) {
      throw asUpstreamError(error);
    }
  }
}

/** How a streamed body ended, for its connection. */
export type BodyEnding = "complete" | "failed";

/**
 * The body as a stream; `ended` is called exactly once: `complete` after the last byte,
 * `failed` on an error, an abort or a cancel. `abortReason` is what the stream fails with once
 * the exchange was aborted.
 *
 * @example
 * ```ts
 * import { ConnectionReader } from "../http1-server/connection-reader.ts";
 * const reader = new ConnectionReader({ read: () => Promise.resolve(null) }, 65536);
 * const body = responseBodyStream(
 *   new FramedBodyReader(reader, { kind: "until-close" }),
 *   () => {},
 *   () => undefined,
 * );
 * await new Response(body).text(); // ""
 * ```
 */
export function responseBodyStream(
  body: FramedBodyReader,
  ended: (ending: BodyEnding) => void,
  abortReason: () => unknown,
): ReadableStream<Uint8Array> {
  let finished = false;
  const finish = (ending: BodyEnding) => {
    if (finished) return;
    finished = true;
    ended(ending);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let bytes: Uint8Array | null;
      try {
        bytes = await body.read();
      } catch (error) {
        finish("failed");
        controller.error(abortReason() ?? error);
        return;
      }
      if (bytes === null) {
        const aborted = abortReason();
        if (aborted !== undefined) {
          finish("failed");
          controller.error(aborted);
          return;
        }
        finish("complete");
        controller.close();
        return;
      }
      controller.enqueue(bytes);
      if (body.done) {
        finish("complete");
        controller.close();
      }
    },
    cancel() {
      finish("failed");
    },
  }, { highWaterMark: 0 });
}
