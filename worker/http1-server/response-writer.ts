/**
 * Writes a `Response` as HTTP/1.1: status line, header fields (every one checked: a name that is
 * not a token or a value with CR, LF or NUL fails the whole response before a byte is sent, so
 * the connection answers 500 instead), and the body framed by `Content-Length` when its length is
 * known (a string or bytes body, or a `Content-Length` the app set) or else chunked (HTTP/1.0:
 * unframed, then close). HEAD, 204 and 304 carry no body. A small body goes in the same write as
 * the head. A {@linkcode BytesResponse}'s bytes are written as they are, without a stream.
 *
 * @module
 */
import { BytesResponse } from "./bytes-response.ts";
import { TOKEN } from "./header-fields.ts";
import type { SocketWriter } from "./socket-writer.ts";
import { headerPairs } from "../../gpconnect/header-pairs.ts";
import { reasonPhrase } from "./status-text.ts";

/** What the writer needs to know about the request being answered. */
export interface ResponseContext {
  /** The request method as sent (`HEAD` gets no body; `head` is another method). */
  readonly method: string;
  /** Whether the request was HTTP/1.0 (no chunked coding, keep-alive only if asked). */
  readonly http10: boolean;
  /** Whether the connection may stay open after this response, as far as the request goes. */
  readonly keepAlive: boolean;
  /** The `Date` field value. */
  readonly date: string;
  /** Called just before the head is written (a late `100 Continue` must then not be sent). */
  headWritten(): void;
  /** Lets the connection stop a body that is waiting on the app when the client goes away. */
  readonly interrupt?: ResponseInterrupt;
}

/**
 * Stops a response body from outside: a client that goes away while the app's body waits (a
 * stalled provider) is found by the connection's disconnect watcher, not by a failed write,
 * because no write happens. Interrupting cancels the body and ends the response incomplete.
 */
export class ResponseInterrupt {
  /** Whether `interrupt` has been called. */
  interrupted = false;
  #cancel: ((reason: unknown) => void) | undefined;
  #reason: unknown = undefined;

  /** Stops the body being written (now, or as soon as one is). */
  interrupt(reason: unknown): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.#reason = reason;
    this.#cancel?.(reason);
  }

  /** Registers how to stop the body being written. */
  bind(cancel: (reason: unknown) => void): void {
    this.#cancel = cancel;
    if (this.interrupted) cancel(this.#reason);
  }
}

/** How a response went. */
export interface ResponseOutcome {
  /** Whether the connection may carry another request. */
  readonly keepAlive: boolean;
  /** Whether the whole response reached the socket (false: the app's body failed, or the client). */
  readonly complete: boolean;
}

/** A response the writer refuses to send (thrown before anything is written). */
export class UnsendableResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsendableResponseError";
  }
}

/** Bodies up to this size are probed for their length and written together with the head. */
const SMALL_BODY_BYTES = 64 * 1024;
const UNSAFE_VALUE = /[\r\n\0]/;
// deno-lint-ignore no-control-regex -- the ASCII range is the point
const NON_ASCII = /[^\x00-\x7f]/;
const CRLF = new Uint8Array([0x0d, 0x0a]);
const LAST_CHUNK = new TextEncoder().encode("0\r\n\r\n");
const encoder = new TextEncoder();
const NOT_READY = Symbol("not ready");

/**
 * Whatever a body has ready within two microtask turns, which is when a string or bytes body's
 * single chunk resolves; a streamed body is not waited for.
 */
async function readReady(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<
  {
    chunks: Uint8Array[];
    bytes: number;
    done: boolean;
    next?: Promise<ReadableStreamReadResult<Uint8Array>>;
  }
> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  // Past the small-body size, one more probe still tells a large bytes body (one chunk, then
  // done) from a stream, without holding more than one chunk beyond the limit.
  for (let overLimit = false; !overLimit;) {
    overLimit = bytes > SMALL_BODY_BYTES;
    const next = reader.read();
    const result = await Promise.race([next, twoTurns()]);
    if (result === NOT_READY) return { chunks, bytes, done: false, next };
    if (result.done) return { chunks, bytes, done: true };
    chunks.push(checkChunk(result.value));
    bytes += result.value.length;
  }
  return { chunks, bytes, done: false };
}

async function twoTurns(): Promise<typeof NOT_READY> {
  await null;
  await null;
  return NOT_READY;
}

function checkChunk(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError("A response body chunk is not a Uint8Array");
}

/** The head as bytes, with room for `extra` bytes after it. */
function encodeHead(head: string, extra: number): Uint8Array {
  const bytes = new Uint8Array(head.length + extra);
  if (!NON_ASCII.test(head)) encoder.encodeInto(head, bytes);
  else for (let index = 0; index < head.length; index++) bytes[index] = head.charCodeAt(index);
  return bytes;
}

function frameChunk(chunk: Uint8Array): Uint8Array {
  const size = `${chunk.length.toString(16)}\r\n`;
  const framed = encodeHead(size, chunk.length + 2);
  framed.set(chunk, size.length);
  framed.set(CRLF, size.length + chunk.length);
  return framed;
}

/**
 * Writes `response` to `writer`. Throws {@linkcode UnsendableResponseError} (nothing written)
 * for an unsafe header or a non-bytes first chunk; otherwise resolves with the outcome, never
 * rejecting for a failed client or body (the body is cancelled then).
 *
 * @example
 * ```ts
 * import { SocketWriter } from "./socket-writer.ts";
 * const writer = new SocketWriter({ write: (bytes) => Promise.resolve(bytes.length) }, () => {});
 * await writeResponse(writer, new Response("ok"), {
 *   method: "GET",
 *   http10: false,
 *   keepAlive: true,
 *   date: new Date().toUTCString(),
 *   headWritten() {},
 * }); // { keepAlive: true, complete: true }
 * ```
 */
export async function writeResponse(
  writer: SocketWriter,
  response: Response,
  context: ResponseContext,
): Promise<ResponseOutcome> {
  const status = response.status;
  let head = `HTTP/1.1 ${status} ${response.statusText || reasonPhrase(status)}\r\n`;
  let declared = -1;
  let keepAlive = context.keepAlive;
  for (const [name, value] of headerPairs(response.headers)) {
    if (!TOKEN.test(name) || UNSAFE_VALUE.test(value)) {
      throw new UnsendableResponseError(`Response header ${JSON.stringify(name)} is not sendable`);
    }
    switch (name.toLowerCase()) {
      case "connection":
        if (/(?:^|,)\s*close\s*(?:,|$)/i.test(value)) keepAlive = false;
        continue;
      case "keep-alive":
      case "transfer-encoding":
        continue;
      case "content-length":
        if (/^[0-9]{1,15}$/.test(value)) declared = Number(value);
        continue;
    }
    head += `${name}: ${value}\r\n`;
  }
  head += `date: ${context.date}\r\n`;

  const noBody = context.method === "HEAD" || status === 204 || status === 304;
  if (!noBody && response instanceof BytesResponse && !response.bodyUsed) {
    // Bytes in hand: no stream, no reader (issue 15). Their length wins, as for any whole body.
    head += `content-length: ${response.wholeBody.length}\r\n`;
    return await finishHead(writer, head, keepAlive, context, [response.wholeBody]);
  }
  const body = response.body;
  if (noBody || body === null) {
    if (body !== null) body.cancel().catch(() => {});
    // A HEAD or 304 may state the length a GET would have had; a 204 never carries one.
    if (!noBody) head += "content-length: 0\r\n";
    else if (status !== 204 && declared >= 0) head += `content-length: ${declared}\r\n`;
    return await finishHead(writer, head, keepAlive, context, []);
  }

  let reader: ReadableStreamDefaultReader<Uint8Array>;
  let ready: Awaited<ReturnType<typeof readReady>>;
  try {
    reader = body.getReader();
  } catch (error) {
    throw new UnsendableResponseError(`The response body is not readable: ${error}`);
  }
  try {
    ready = await readReady(reader);
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw new UnsendableResponseError(`The response body failed before it started: ${error}`);
  }
  let mode: "length" | "chunked" | "close";
  if (ready.done) {
    // The body is all in hand: its own length wins over any the app declared.
    declared = ready.bytes;
    mode = "length";
  } else if (declared >= 0) {
    if (ready.bytes > declared) {
      reader.cancel().catch(() => {});
      throw new UnsendableResponseError("The response body exceeds its Content-Length");
    }
    mode = "length";
  } else if (context.http10) {
    mode = "close";
    keepAlive = false;
  } else mode = "chunked";
  if (mode === "length") head += `content-length: ${declared}\r\n`;
  else if (mode === "chunked") head += "transfer-encoding: chunked\r\n";

  const first = mode === "chunked" ? ready.chunks.map(frameChunk) : ready.chunks;
  const headOutcome = await finishHead(writer, head, keepAlive, context, first);
  if (ready.done || !headOutcome.complete) {
    if (!headOutcome.complete) reader.cancel().catch(() => {});
    return headOutcome;
  }
  const interrupt = context.interrupt;
  interrupt?.bind((reason) => void reader.cancel(reason).catch(() => {}));
  const outcome = await streamBody(
    writer,
    reader,
    ready.next,
    mode,
    declared - ready.bytes,
    headOutcome.keepAlive,
    interrupt,
  );
  // A cancelled reader reads as a finished body: it must not be answered as complete.
  return interrupt?.interrupted ? { keepAlive: false, complete: false } : outcome;
}

/** Writes the head and the body bytes already in hand in one write. */
async function finishHead(
  writer: SocketWriter,
  head: string,
  keepAlive: boolean,
  context: ResponseContext,
  chunks: readonly Uint8Array[],
): Promise<ResponseOutcome> {
  if (!keepAlive) head += "connection: close\r\n";
  else if (context.http10) head += "connection: keep-alive\r\n";
  head += "\r\n";
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  // Small bodies share the head's write; large ones are written as they are, not copied.
  const together = length <= SMALL_BODY_BYTES;
  const bytes = encodeHead(head, together ? length : 0);
  let offset = head.length;
  if (together) {
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
  }
  context.headWritten();
  try {
    await writer.write(bytes);
    if (!together) { for (const chunk of chunks) await writer.write(chunk); }
    return { keepAlive, complete: true };
  } catch {
    return { keepAlive: false, complete: false };
  }
}

/** Streams the rest of the body, one socket write per chunk (backpressure: read after write). */
async function streamBody(
  writer: SocketWriter,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined,
  mode: "length" | "chunked" | "close",
  remaining: number,
  keepAlive: boolean,
  interrupt: ResponseInterrupt | undefined,
): Promise<ResponseOutcome> {
  let bodyOk = false;
  try {
    for (;;) {
      const result = await (pending ?? reader.read());
      pending = undefined;
      if (result.done || interrupt?.interrupted) break;
      const chunk = checkChunk(result.value);
      if (chunk.length === 0) continue;
      if (mode === "length") {
        // More than the app declared would be read as the next response: stop.
        if (chunk.length > remaining) {
          throw new RangeError("The response body exceeds its Content-Length");
        }
        remaining -= chunk.length;
      }
      try {
        await writer.write(mode === "chunked" ? frameChunk(chunk) : chunk);
      } catch {
        reader.cancel(new DOMException("The client went away", "AbortError")).catch(() => {});
        return { keepAlive: false, complete: false };
      }
    }
    bodyOk = !interrupt?.interrupted && (mode !== "length" || remaining === 0);
  } catch (error) {
    reader.cancel(error).catch(() => {});
  }
  if (!bodyOk) return { keepAlive: false, complete: false };
  if (mode === "chunked") {
    try {
      await writer.write(LAST_CHUNK);
    } catch {
      return { keepAlive: false, complete: false };
    }
  }
  return { keepAlive: keepAlive && mode !== "close", complete: true };
}
