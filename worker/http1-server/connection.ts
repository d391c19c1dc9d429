/**
 * One client connection: read a head, hand the app a `Request`, write its `Response`, and
 * repeat while both sides keep the connection alive; pipelined requests wait in the buffer
 * until the response before them is complete. Every wait on the client has a deadline, checked
 * by the server's one timer ({@linkcode Http1Connection.checkDeadline}), never a timer per
 * request.
 *
 * @module
 */
import { markWholeRequestBody } from "../whole-request-body.ts";
import { ConnectionReader } from "./connection-reader.ts";
import { DisconnectWatch } from "./disconnect-watch.ts";
import { abortHttp1Request, constructibleMethod, Http1Request } from "./http1-request.ts";
import type { Http1Limits } from "./limits.ts";
import { badRequest, Http1ProtocolError } from "./protocol-error.ts";
import { RequestBody } from "./request-body.ts";
import { HeadScanner, parseRequestHead, type RequestHead } from "./request-head.ts";
import { ResponseInterrupt, type ResponseOutcome, writeResponse } from "./response-writer.ts";
import { SocketWriter } from "./socket-writer.ts";
import { reasonPhrase } from "./status-text.ts";
import { HandlerInfo, type Http1Handler, plainText } from "./handler-info.ts";

/** What every connection of one server shares. */
export interface ConnectionContext {
  readonly limits: Http1Limits;
  /** `http://{listen address}`: the URL of every request starts with it, never with `Host`. */
  readonly origin: string;
  readonly handler: Http1Handler;
  /** Told about handler exceptions and responses that could not be sent. */
  readonly onError: (error: unknown) => void;
  /** Shapes the answer to a refused request; default plain text. */
  readonly rejectionResponse:
    | ((rejection: Http1ProtocolError) => Response | Promise<Response>)
    | undefined;
  /** The `Date` field value for now. */
  date(): string;
  /** Whether the server is shutting down (answer, then close). */
  shuttingDown(): boolean;
}

const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");
/** After refusing a request, input is read and dropped this long/much before closing. */
const LINGER_MS = 2000;
const LINGER_BYTES = 1024 * 1024;

/** One accepted connection. */
export class Http1Connection {
  /** When the current wait for client bytes expires (epoch ms; Infinity: none). */
  readDeadline = Infinity;
  /** When the current socket write expires (epoch ms; Infinity: none). */
  writeDeadline = Infinity;
  readonly #conn: Deno.TcpConn;
  readonly #context: ConnectionContext;
  readonly #reader: ConnectionReader;
  readonly #writer: SocketWriter;
  readonly #scanner: HeadScanner;
  #idle = true;
  #closed = false;
  #request: Http1Request | undefined;

  /**
   * @example
   * ```ts
   * import { resolveHttp1Limits } from "./limits.ts";
   * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
   * const client = Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
   * const connection = new Http1Connection(await listener.accept(), {
   *   limits: resolveHttp1Limits(),
   *   origin: "http://127.0.0.1",
   *   handler: () => new Response("ok"),
   *   onError() {},
   *   rejectionResponse: undefined,
   *   date: () => new Date().toUTCString(),
   *   shuttingDown: () => false,
   * });
   * (await client).close();
   * await connection.serve();
   * listener.close();
   * ```
   */
  constructor(conn: Deno.TcpConn, context: ConnectionContext) {
    const limits = context.limits;
    this.#conn = conn;
    this.#context = context;
    this.#reader = new ConnectionReader(
      conn,
      limits.maxRequestLineBytes + limits.maxHeaderBytes + 1024,
    );
    this.#writer = new SocketWriter(conn, (active) => {
      this.writeDeadline = active ? Date.now() + limits.writeTimeoutMs : Infinity;
    });
    this.#scanner = new HeadScanner(limits);
  }

  /** Serves requests until either side ends the connection; never rejects. */
  async serve(): Promise<void> {
    const limits = this.#context.limits;
    let first = true;
    try {
      for (;;) {
        // A new connection gets the header deadline from accept: connecting and sending nothing
        // is the cheapest slowloris. Later requests get the idle deadline until their first byte.
        this.#idle = true;
        this.readDeadline = Date.now() + (first ? limits.headerTimeoutMs : limits.idleTimeoutMs);
        let head: RequestHead | null;
        try {
          head = await this.#readHead(first);
        } catch (error) {
          if (!(error instanceof Http1ProtocolError)) throw error;
          await this.#refuse(error);
          return;
        }
        if (head === null) return;
        first = false;
        if (!(await this.#exchange(head)) || this.#context.shuttingDown()) return;
      }
    } catch (error) {
      this.#context.onError(error);
    } finally {
      this.close();
    }
  }

  /** Closes the connection if its deadline has passed (aborting the request in flight). */
  checkDeadline(now: number): void {
    if (now < this.readDeadline && now < this.writeDeadline) return;
    if (this.#request) {
      abortHttp1Request(this.#request, new DOMException("The client stalled", "TimeoutError"));
    }
    this.close();
  }

  /** Closes the connection if it is waiting for a request that has not started (shutdown). */
  closeIfIdle(): void {
    if (this.#idle && this.#reader.buffered === 0) this.close();
  }

  /** Closes the socket now; pending reads end as end-of-stream, pending writes fail. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.readDeadline = Infinity;
    this.writeDeadline = Infinity;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer's reset.
    }
  }

  async #readHead(first: boolean): Promise<RequestHead | null> {
    const reader = this.#reader;
    this.#scanner.reset();
    for (;;) {
      if (reader.buffered > 0) {
        if (this.#idle) {
          this.#idle = false;
          if (!first) this.readDeadline = Date.now() + this.#context.limits.headerTimeoutMs;
        }
        const length = this.#scanner.scan(reader.view());
        if (length >= 0) {
          const head = parseRequestHead(reader.view().subarray(0, length));
          reader.consume(length);
          this.readDeadline = Infinity;
          return head;
        }
      }
      // End of stream before a complete head: nothing to answer (the client has gone).
      if (!(await reader.fill())) return null;
    }
  }

  /** One request and its response; true when the connection may carry another request. */
  async #exchange(head: RequestHead): Promise<boolean> {
    const context = this.#context;
    const limits = context.limits;
    const reader = this.#reader;
    let headWritten = false;
    let clientGone = false;
    let request: Http1Request | undefined;
    const interrupt = new ResponseInterrupt();
    // Started once the request has been read: the end of the stream then means the client left.
    const watch = new DisconnectWatch(reader, () => {
      clientGone = true;
      const reason = new DOMException("The client disconnected", "AbortError");
      if (request) abortHttp1Request(request, reason);
      interrupt.interrupt(reason);
    });
    const body = RequestBody.of(reader, head, limits, {
      waiting: (active) => {
        this.readDeadline = active ? Date.now() + limits.bodyTimeoutMs : Infinity;
      },
      // After the final response head, a 100 would be read as the next response: skip it.
      sendContinue: () => (headWritten ? Promise.resolve() : this.#writer.write(CONTINUE)),
      ended: () => watch.start(),
      // A body cut short by the end of the stream is a client that went away.
      failed: () => reader.eof && watch.start(),
    });
    const method = constructibleMethod(head.method);
    // GET and HEAD cannot carry a body in a `Request`: it is framed, read and dropped, as
    // `Deno.serve` does.
    const carriesBody = body !== undefined && method !== "GET" && method !== "HEAD";
    let whole: Uint8Array<ArrayBuffer> | undefined;
    if (carriesBody && body.readWhole) {
      // A small body is read before the app is called (decision G16).
      try {
        whole = await body.whole();
      } catch (error) {
        // Cut short, or cut off by the body deadline (the connection is then closed already).
        if (error instanceof Http1ProtocolError && !this.#closed) {
          error.requestLine = { method: head.method, target: head.target };
          await this.#refuse(error);
        }
        return false;
      }
    }
    try {
      request = new Http1Request(context.origin + head.target, head.method, {
        method,
        body: whole ?? (carriesBody ? body.stream() : null),
      }, head.fields);
      if (whole !== undefined) markWholeRequestBody(request, whole);
    } catch {
      // The parser admits nothing `Request` refuses; this is the belt to its braces.
      await this.#refuse(badRequest("bad-request-target", "The request cannot be represented"));
      return false;
    }
    this.#request = request;
    if (body === undefined) watch.start();

    const info = new HandlerInfo(this.#conn.remoteAddr);
    let response: Response;
    try {
      response = await context.handler(request, info);
      if (!(response instanceof Response)) {
        throw new TypeError("The handler did not return a Response");
      }
    } catch (error) {
      // A handler that failed because the body was malformed gets the client's 400, not a 500.
      if (body?.error instanceof Http1ProtocolError) {
        response = plainText(
          body.error.status,
          `${reasonPhrase(body.error.status)}: ${body.error.message}`,
        );
      } else {
        context.onError(error);
        response = plainText(500, "Internal Server Error");
      }
    }

    const respond = (answer: Response, keepAlive: boolean): Promise<ResponseOutcome> =>
      writeResponse(this.#writer, answer, {
        method: head.method,
        http10: head.version === "HTTP/1.0",
        keepAlive,
        date: context.date(),
        headWritten: () => (headWritten = true),
        interrupt,
      });
    // Say `Connection: close` up front when the connection cannot be reused anyway.
    const keepAlive = head.keepAlive && !clientGone && !context.shuttingDown() &&
      body?.error === undefined && !body?.unreusableIfUnread(limits.maxDrainBytes);
    let outcome: ResponseOutcome;
    try {
      outcome = await respond(response, keepAlive);
    } catch (error) {
      // Nothing was written (an unsafe header, an unreadable body): the client gets a 500.
      context.onError(error);
      outcome = headWritten
        ? { keepAlive: false, complete: false }
        : await respond(plainText(500, "Internal Server Error"), false).catch(() => ({
          keepAlive: false,
          complete: false,
        }));
    }
    watch.stop();
    if (!outcome.complete) {
      abortHttp1Request(request, new DOMException("The response was not completed", "AbortError"));
    }
    this.#request = undefined;
    info.complete();

    let reusable = outcome.keepAlive && !clientGone && !context.shuttingDown();
    if (body !== undefined) {
      reusable = await body.finish(reusable ? limits.maxDrainBytes : 0) && reusable;
    }
    if (!reusable && outcome.complete && (body?.done === false || reader.buffered > 0)) {
      await this.#linger();
    }
    return reusable;
  }

  /** Answers a refused request (connection closing), then lingers so the answer is not reset. */
  async #refuse(rejection: Http1ProtocolError): Promise<void> {
    let response = plainText(
      rejection.status,
      `${reasonPhrase(rejection.status)}: ${rejection.message}`,
    );
    if (this.#context.rejectionResponse) {
      try {
        response = await this.#context.rejectionResponse(rejection);
      } catch (error) {
        this.#context.onError(error);
      }
    }
    let outcome: ResponseOutcome;
    try {
      outcome = await writeResponse(this.#writer, response, {
        method: "GET",
        http10: false,
        keepAlive: false,
        date: this.#context.date(),
        headWritten() {},
      });
    } catch (error) {
      this.#context.onError(error);
      return;
    }
    if (outcome.complete) await this.#linger();
  }

  /**
   * Half-closes, then reads and drops what the client is still sending for a moment before the
   * close: closing a socket with unread input sends a reset, which can destroy the response the
   * client has not read yet (nginx's "lingering close").
   */
  async #linger(): Promise<void> {
    try {
      await this.#conn.closeWrite();
    } catch {
      return;
    }
    const reader = this.#reader;
    this.readDeadline = Date.now() + Math.min(LINGER_MS, this.#context.limits.headerTimeoutMs);
    let dropped = 0;
    while (dropped < LINGER_BYTES) {
      dropped += reader.buffered;
      reader.consume(reader.buffered);
      if (!(await reader.fill())) return;
    }
  }
}
