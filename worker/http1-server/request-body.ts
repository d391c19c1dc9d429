/**
 * A request body as the app sees it: a `ReadableStream` that pulls from the socket only when the
 * app reads (high-water mark 0, so backpressure reaches the client through TCP), framed by
 * `Content-Length` or decoded from chunked. After the response, whatever the app left unread is
 * drained (bounded) so the connection can carry the next request, or the connection is closed.
 * A small `Content-Length` body is instead read whole before the app is called (decision G16,
 * {@linkcode RequestBody.readWhole}).
 *
 * @module
 */
import { ChunkedDecoder } from "./chunked-decoder.ts";
import type { ConnectionReader } from "./connection-reader.ts";
import type { Http1Limits } from "./limits.ts";
import { badRequest } from "./protocol-error.ts";
import type { RequestHead } from "./request-head.ts";

/** What a body needs from its connection. */
export interface RequestBodyHooks {
  /** Arms (true) or disarms (false) the body read deadline around a wait on the socket. */
  waiting(active: boolean): void;
  /** Sends `100 Continue`; called once, before the first byte is pulled, if the client asked. */
  sendContinue(): Promise<void>;
  /** The body has been read to its end (the connection may now watch for a disconnect). */
  ended(): void;
  /** Reading the body failed (bad framing, or the client went away mid-body). */
  failed(error: unknown): void;
}

/** The most a single pull hands the app. */
const MAX_PULL_BYTES = 64 * 1024;

/**
 * A `Content-Length` body up to this size is read whole before the app is called (decision G16),
 * unless the client waits for `100 Continue`.
 */
export const WHOLE_REQUEST_BODY_MAX_BYTES = 64 * 1024;

/** The body of one request. */
export class RequestBody {
  /** Read to its end. */
  done = false;
  /** Why reading failed (framing error or lost connection), if it did. */
  error: unknown = undefined;
  readonly #reader: ConnectionReader;
  readonly #hooks: RequestBodyHooks;
  readonly #decoder: ChunkedDecoder | undefined;
  readonly #expectsContinue: boolean;
  #remaining: number;
  #started = false;
  #detached = false;
  #busy: Promise<unknown> | undefined;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;

  private constructor(
    reader: ConnectionReader,
    head: RequestHead,
    limits: Http1Limits,
    hooks: RequestBodyHooks,
  ) {
    this.#reader = reader;
    this.#hooks = hooks;
    this.#decoder = head.chunked ? new ChunkedDecoder(reader, limits) : undefined;
    this.#remaining = head.chunked ? 0 : head.contentLength;
    this.#expectsContinue = head.expectContinue;
  }

  /**
   * The body of a request, or undefined when it has none (no `Content-Length`, or 0, and not
   * chunked: RFC 9112 §6.3 says such a request has no content).
   */
  static of(
    reader: ConnectionReader,
    head: RequestHead,
    limits: Http1Limits,
    hooks: RequestBodyHooks,
  ): RequestBody | undefined {
    if (!head.chunked && head.contentLength <= 0) return undefined;
    return new RequestBody(reader, head, limits, hooks);
  }

  /**
   * Whether, if the app has not begun reading, the connection can no longer be reused: the
   * client may be waiting for `100 Continue` before it sends the body, or the declared body is
   * larger than the server will drain.
   */
  unreusableIfUnread(maxDrainBytes: number): boolean {
    if (this.#started || this.done) return false;
    return this.#expectsContinue || (!this.#decoder && this.#remaining > maxDrainBytes);
  }

  /**
   * Whether this body is read whole before the app is called: `Content-Length` framed, at most
   * {@linkcode WHOLE_REQUEST_BODY_MAX_BYTES}, and no `Expect: 100-continue` (that client waits
   * until the app decides to read).
   */
  get readWhole(): boolean {
    return !this.#decoder && !this.#expectsContinue && !this.#started &&
      this.#remaining <= WHOLE_REQUEST_BODY_MAX_BYTES;
  }

  /**
   * The whole body, read under the body deadline. Rejects as a streamed read does: a body cut
   * short is a 400 `body-truncated` refusal (the connection's deadline cuts a stalled one).
   */
  async whole(): Promise<Uint8Array<ArrayBuffer>> {
    const first = await this.#read(this.#remaining, true);
    // Usually there in one piece: the client wrote the head and the body together. (The reader
    // hands out copies or fresh buffers, never views of shared memory.)
    if (this.done) return (first ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>;
    const bytes = new Uint8Array(first!.length + this.#remaining);
    bytes.set(first!);
    let at = first!.length;
    // Not done means bytes remain: a read gives some or throws (cut short, or the deadline).
    while (!this.done) {
      const chunk = (await this.#read(this.#remaining, true))!;
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  }

  /** The stream to hand the app: one pull reads from the socket once. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: async (controller) => {
        const chunk = await this.read(MAX_PULL_BYTES);
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 });
  }

  /** Up to `max` bytes of the body, or null at its end. Rejects once the response has been sent. */
  read(max: number): Promise<Uint8Array | null> {
    if (this.#detached) {
      return Promise.reject(
        new TypeError("The request body is gone: the response was already sent"),
      );
    }
    const read = this.#read(max, true);
    this.#busy = read;
    return read;
  }

  /**
   * Ends the app's access to the body (later reads fail) and drains what it left unread, up to
   * `maxBytes`. True when the body was read to its end, so the connection may carry another
   * request; false when it must close (too much left, bad framing, or a client that still
   * waits for `100 Continue` and may never send the body). `maxBytes` 0 only detaches.
   */
  async finish(maxBytes: number): Promise<boolean> {
    this.#detached = true;
    await this.#busy?.catch(() => {});
    this.#controller?.error(
      new TypeError("The request body is gone: the response was already sent"),
    );
    if (this.done) return true;
    if (maxBytes <= 0 || this.error !== undefined) return false;
    if (this.#expectsContinue && !this.#started) return false;
    let drained = 0;
    try {
      while (drained <= maxBytes) {
        const chunk = await this.#read(maxBytes + 1 - drained, false);
        if (chunk === null) return true;
        drained += chunk.length;
      }
    } catch {
      return false;
    }
    return false;
  }

  async #read(max: number, forApp: boolean): Promise<Uint8Array | null> {
    if (this.done) return null;
    if (forApp && !this.#started && this.#expectsContinue) await this.#hooks.sendContinue();
    this.#started = true;
    this.#hooks.waiting(true);
    try {
      const chunk = this.#decoder ? await this.#decoder.read(max) : await this.#readLength(max);
      if (chunk === null || (!this.#decoder && this.#remaining === 0)) {
        this.done = true;
        this.#hooks.ended();
      }
      return chunk;
    } catch (error) {
      this.error ??= error;
      this.#hooks.failed(error);
      throw error;
    } finally {
      this.#hooks.waiting(false);
    }
  }

  async #readLength(max: number): Promise<Uint8Array | null> {
    if (this.#remaining === 0) return null;
    const chunk = await this.#reader.next(Math.min(max, this.#remaining));
    if (chunk === null) {
      throw badRequest("body-truncated", "The connection ended before Content-Length bytes");
    }
    this.#remaining -= chunk.length;
    return chunk;
  }
}
