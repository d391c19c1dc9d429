/**
 * A minimal HTTP/1.1 client connection for the paced load generator: one persistent (keep-alive)
 * TCP connection, one request at a time, responses framed by `Content-Length` or chunked
 * transfer coding (gpc-edge streams the provider's body, so its answers are chunked). Requests
 * are pre-encoded bytes; bodies are read and discarded, only their length is kept.
 *
 * @module
 */

/** What the generator keeps of a response. */
export interface Http1Response {
  /** The status code. */
  readonly status: number;
  /** Bytes of the (de-chunked) body. */
  readonly bodyBytes: number;
}

const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/**
 * The bytes of a `GET` request with keep-alive.
 *
 * @example
 * ```ts
 * encodeGet("127.0.0.1:8080", "/_health", [["Accept", "application/json"]]);
 * ```
 */
export function encodeGet(
  host: string,
  path: string,
  headers: ReadonlyArray<readonly [string, string]>,
): Uint8Array {
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`, "Connection: keep-alive"];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return encoder.encode(`${lines.join("\r\n")}\r\n\r\n`);
}

/** One keep-alive HTTP/1.1 connection. */
export class Http1Connection {
  readonly #conn: Deno.TcpConn;
  #buffer = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;
  #closed = false;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Opens a connection (Nagle off, as load generators do). */
  static async open(hostname: string, port: number): Promise<Http1Connection> {
    const conn = await Deno.connect({ hostname, port, transport: "tcp" });
    conn.setNoDelay(true);
    return new Http1Connection(conn);
  }

  /** Whether the server asked to close (or the connection broke); then open a new one. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a request and reads its whole response. Rejects when the connection breaks. */
  async request(bytes: Uint8Array): Promise<Http1Response> {
    if (this.#closed) throw new Error("Connection is closed");
    try {
      let written = 0;
      while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
      return await this.#readResponse();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer.
    }
  }

  async #readResponse(): Promise<Http1Response> {
    const head = latin1.decode(await this.#readUntilBlankLine());
    const status = Number(head.slice(9, 12));
    let length: number | undefined;
    let chunked = false;
    for (const line of head.split("\r\n").slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === "content-length") length = Number(value);
      else if (name === "transfer-encoding") chunked = value.endsWith("chunked");
      else if (name === "connection" && value === "close") this.#closed = true;
    }
    let bodyBytes = 0;
    if (chunked) {
      for (;;) {
        const size = parseInt(latin1.decode(await this.#readLine()).split(";")[0]!, 16);
        if (!Number.isFinite(size)) throw new Error("Malformed chunk size");
        if (size === 0) {
          while ((await this.#readLine()).length > 0) { /* trailers */ }
          break;
        }
        await this.#take(size + 2);
        bodyBytes += size;
      }
    } else if (length !== undefined) {
      await this.#take(length);
      bodyBytes = length;
    } else if (status >= 200 && status !== 204 && status !== 304) {
      throw new Error("Response has neither Content-Length nor chunked framing");
    }
    return { status, bodyBytes };
  }

  /** The head up to (without) the blank line, consumed. */
  #readUntilBlankLine(): Promise<Uint8Array> {
    return this.#readUntil([13, 10, 13, 10]);
  }

  /** One line without its CRLF, consumed. */
  #readLine(): Promise<Uint8Array> {
    return this.#readUntil([13, 10]);
  }

  /** The bytes before `marker`, consumed with the marker. */
  async #readUntil(marker: readonly number[]): Promise<Uint8Array> {
    // Offsets are relative to #start, which #fill may move when it compacts the buffer.
    let scanned = 0;
    for (;;) {
      const buffer = this.#buffer;
      const last = this.#end - marker.length;
      for (let i = this.#start + scanned; i <= last; i++) {
        let match = true;
        for (let k = 0; k < marker.length && match; k++) match = buffer[i + k] === marker[k];
        if (match) {
          const found = buffer.slice(this.#start, i);
          this.#start = i + marker.length;
          return found;
        }
      }
      scanned = Math.max(0, this.#end - this.#start - marker.length + 1);
      await this.#fill();
    }
  }

  /** Consumes `count` bytes. */
  async #take(count: number): Promise<void> {
    let remaining = count;
    for (;;) {
      const available = Math.min(remaining, this.#end - this.#start);
      this.#start += available;
      remaining -= available;
      if (remaining === 0) return;
      await this.#fill();
    }
  }

  /** Reads more bytes after `#end`, compacting or growing the buffer first when it is full. */
  async #fill(): Promise<void> {
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
    } else if (this.#end === this.#buffer.length) {
      if (this.#start > 0) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(this.#buffer.length * 2);
        grown.set(this.#buffer);
        this.#buffer = grown;
      }
      this.#end -= this.#start;
      this.#start = 0;
    }
    const read = await this.#conn.read(this.#buffer.subarray(this.#end));
    if (read === null) throw new Error("Connection closed by the server");
    this.#end += read;
  }
}
