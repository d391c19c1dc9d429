/**
 * Test support: a raw HTTP/1.1 client over `Deno.connect`, for sending what `fetch` never would
 * (malformed heads, pipelined requests, half-closes) and reading responses byte-exactly.
 *
 * @module
 */

/** One response as read off the socket. */
export interface RawResponse {
  readonly status: number;
  /** Field names lower-cased; repeated fields joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** The body, de-chunked. */
  readonly body: Uint8Array;
  /** The body as text. */
  readonly text: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A raw client connection. */
export class RawConnection {
  readonly conn: Deno.TcpConn;
  #buffer = new Uint8Array(0);
  #eof = false;

  private constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  /**
   * Connects to 127.0.0.1:`port`.
   *
   * @example
   * ```ts
   * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("ok"));
   * const connection = await RawConnection.open(server.addr.port);
   * await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
   * (await connection.readResponse())?.status; // 200
   * connection.close();
   * await server.shutdown();
   * ```
   */
  static async open(port: number): Promise<RawConnection> {
    return new RawConnection(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Writes text (as UTF-8) or bytes, all of it. */
  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    let offset = 0;
    while (offset < bytes.length) offset += await this.conn.write(bytes.subarray(offset));
  }

  /** Half-closes: the server reads end-of-stream. */
  async closeWrite(): Promise<void> {
    await this.conn.closeWrite();
  }

  /** Closes; safe to call twice. */
  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }

  /** Reads more bytes; false at end of stream or on a reset. */
  async #more(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = new Uint8Array(64 * 1024);
    let count: number | null;
    try {
      count = await this.conn.read(chunk);
    } catch {
      count = null;
    }
    if (count === null) {
      this.#eof = true;
      return false;
    }
    const joined = new Uint8Array(this.#buffer.length + count);
    joined.set(this.#buffer);
    joined.set(chunk.subarray(0, count), this.#buffer.length);
    this.#buffer = joined;
    return true;
  }

  /** Whether the server has closed the connection (reads to end of stream, dropping bytes). */
  async isClosed(): Promise<boolean> {
    while (await this.#more()) this.#buffer = new Uint8Array(0);
    return true;
  }

  /**
   * The next response, or null if the connection ends first. `noBody` for a response to HEAD.
   * A body without `Content-Length` or chunked coding runs to end of stream.
   */
  async readResponse(options: { noBody?: boolean } = {}): Promise<RawResponse | null> {
    let headEnd: number;
    while ((headEnd = indexOfHeadEnd(this.#buffer)) < 0) {
      if (!(await this.#more())) return null;
    }
    const lines = decoder.decode(this.#buffer.subarray(0, headEnd)).split("\r\n");
    const status = Number(lines[0]!.split(" ")[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    this.#buffer = this.#buffer.slice(headEnd + 4);
    let body: Uint8Array = new Uint8Array(0);
    if (!(options.noBody || status < 200 || status === 204 || status === 304)) {
      if (headers.get("transfer-encoding") === "chunked") body = await this.#readChunked();
      else if (headers.has("content-length")) {
        body = await this.#readExactly(Number(headers.get("content-length")));
      } else {
        while (await this.#more());
        body = this.#buffer;
        this.#buffer = new Uint8Array(0);
      }
    }
    return { status, headers, body, text: decoder.decode(body) };
  }

  async #readExactly(length: number): Promise<Uint8Array> {
    while (this.#buffer.length < length) {
      if (!(await this.#more())) {
        throw new Error(`The body ended after ${this.#buffer.length} of ${length} bytes`);
      }
    }
    const bytes = this.#buffer.slice(0, length);
    this.#buffer = this.#buffer.slice(length);
    return bytes;
  }

  async #readLine(): Promise<string> {
    let lf: number;
    while ((lf = this.#buffer.indexOf(0x0a)) < 0) {
      if (!(await this.#more())) throw new Error("The chunked body ended early");
    }
    const line = decoder.decode(this.#buffer.subarray(0, lf - 1));
    this.#buffer = this.#buffer.slice(lf + 1);
    return line;
  }

  async #readChunked(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const size = parseInt(await this.#readLine(), 16);
      if (size === 0) break;
      parts.push(await this.#readExactly(size));
      await this.#readExactly(2);
    }
    while ((await this.#readLine()) !== "");
    const body = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      body.set(part, offset);
      offset += part.length;
    }
    return body;
  }
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (
    let index = bytes.indexOf(0x0d);
    index >= 0 && index + 3 < bytes.length;
    index = bytes.indexOf(0x0d, index + 1)
  ) {
    if (bytes[index + 1] === 0x0a && bytes[index + 2] === 0x0d && bytes[index + 3] === 0x0a) {
      return index;
    }
  }
  return -1;
}

/**
 * Sends `data` on a new connection and reads every response until the server closes. With
 * `halfClose` the client then half-closes, which the server takes as the client leaving (the
 * request in flight is aborted, nothing after it is served); without it, the data must end the
 * connection itself (`Connection: close`, an error) or the server's timeouts must.
 */
export async function exchange(
  port: number,
  data: string | Uint8Array,
  options: { halfClose?: boolean } = {},
): Promise<RawResponse[]> {
  const connection = await RawConnection.open(port);
  try {
    await connection.send(data).catch(() => {});
    if (options.halfClose) await connection.closeWrite().catch(() => {});
    const responses: RawResponse[] = [];
    for (let response; (response = await connection.readResponse()) !== null;) {
      responses.push(response);
    }
    return responses;
  } finally {
    connection.close();
  }
}
