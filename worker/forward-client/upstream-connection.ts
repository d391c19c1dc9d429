/**
 * One HTTP/1.1 connection to a provider: the socket, its buffered read side (the server's
 * {@linkcode ConnectionReader}, so bytes are read once and shared by the head parser, the body
 * reader and the idle watch), whole writes, and reading a response head (interim 1xx heads
 * skipped). A connection is used by one exchange at a time and closed for good after any error.
 *
 * @module
 */
import { ConnectionReader } from "../http1-server/connection-reader.ts";
import type { ByteSource } from "../http1-server/connection-reader.ts";
import { HeadScanner } from "../http1-server/request-head.ts";
import type { ByteSink } from "../http1-server/socket-writer.ts";
import { parseResponseHead, RESPONSE_HEAD_LIMITS, type ResponseHead } from "./response-head.ts";
import { asUpstreamError, UpstreamProtocolError } from "./upstream-error.ts";

/** What a connection needs of its socket (a `Deno.Conn`, a `Deno.TlsConn`, or a fake). */
export interface UpstreamSocket extends ByteSource, ByteSink {
  close(): void;
}

/** The failure of a reused connection the provider had closed before it saw the request. */
export class StaleConnection extends UpstreamProtocolError {
  constructor() {
    super("connection-closed", "The provider closed the connection before answering");
    this.name = "StaleConnection";
  }
}

/** One connection to one origin. */
export class UpstreamConnection {
  /** `scheme://host:port`: which pool it belongs to. */
  readonly origin: string;
  readonly reader: ConnectionReader;
  /** Exchanges completed on it. */
  exchanges = 0;
  /** Whether it is closed (by either side, or after an error). */
  closed = false;
  /** Whether it waits in its pool. */
  idle = false;
  /** When it last went back to its pool (the pool's clock). */
  idleSince = 0;
  /** What its pool does when bytes or the end of the stream arrive while it is idle. */
  onIdleRead: (() => void) | undefined = undefined;
  readonly #socket: UpstreamSocket;

  /**
   * @example
   * ```ts
   * const connection = new UpstreamConnection("http://127.0.0.1:1", {
   *   read: () => Promise.resolve(null),
   *   write: (bytes) => Promise.resolve(bytes.length),
   *   close() {},
   * });
   * connection.close();
   * ```
   */
  constructor(origin: string, socket: UpstreamSocket) {
    this.origin = origin;
    this.#socket = socket;
    this.reader = new ConnectionReader(socket, RESPONSE_HEAD_LIMITS.maxHeaderBytes + 16 * 1024);
  }

  /** Writes all of `bytes`. */
  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.#socket.write(bytes.subarray(offset));
  }

  /**
   * Reads the next final response head to a `method` request. Throws
   * {@linkcode UpstreamProtocolError}, a {@linkcode StaleConnection} when a reused connection
   * ended before any byte of an answer.
   */
  async readHead(method: string): Promise<ResponseHead> {
    const reader = this.reader;
    const scanner = new HeadScanner(RESPONSE_HEAD_LIMITS);
    let answered = false;
    try {
      for (;;) {
        let length = reader.buffered > 0 ? scanner.scan(reader.view()) : -1;
        while (length < 0) {
          if (!(await reader.fill())) {
            if (!answered && reader.buffered === 0 && this.exchanges > 0) {
              throw new StaleConnection();
            }
            throw new UpstreamProtocolError(
              "connection-closed",
              "The provider closed the connection before its response head ended",
              reader.error === undefined ? undefined : { cause: reader.error },
            );
          }
          length = scanner.scan(reader.view());
        }
        answered = true;
        const head = parseResponseHead(reader.view().subarray(0, length), method);
        reader.consume(length);
        if (head.status >= 200) return head;
        scanner.reset();
      }
    } catch (error) {
      throw asUpstreamError(error);
    }
  }

  /** Closes the socket (idempotent). Reads and writes in flight end. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.idle = false;
    try {
      this.#socket.close();
    } catch {
      // Already closed by the runtime.
    }
  }
}
