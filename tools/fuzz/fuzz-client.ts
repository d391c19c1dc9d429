/**
 * The fuzzer's HTTP/1.1 client over raw TCP: writes a case's bytes exactly, reads one response
 * (status, headers, body by `Content-Length`, chunks or end of stream) within a time limit, and
 * keeps the connection for the next case unless either side said `close`. Nothing is validated
 * beyond what reading the answer needs: the server under test is what is being judged.
 *
 * @module
 */

/** What came back for one request. */
export type FuzzAnswer =
  | {
    readonly kind: "response";
    readonly status: number;
    readonly headers: ReadonlyMap<string, string>;
    readonly body: string;
  }
  /** The server closed (or reset) the connection without answering. */
  | { readonly kind: "closed" }
  /** No complete answer within the time limit. */
  | { readonly kind: "timeout" }
  /** Could not connect at all: the server is gone. */
  | { readonly kind: "refused"; readonly message: string };

const decoder = new TextDecoder();

/** How one request is sent (see {@linkcode FuzzConnection.exchange}). */
export interface ExchangeOptions {
  readonly alone: boolean;
  readonly timeoutMs: number;
  readonly halfClose?: boolean;
  readonly head?: boolean;
}

/** One connection, reused while both sides keep it alive. */
export class FuzzConnection {
  #conn: Deno.TcpConn | undefined;
  #buffer = new Uint8Array(0);
  #eof = false;
  readonly #hostname: string;
  readonly #port: number;

  constructor(hostname: string, port: number) {
    this.#hostname = hostname;
    this.#port = port;
  }

  /** Closes the connection (a new one is opened for the next request). */
  close(): void {
    try {
      this.#conn?.close();
    } catch {
      // Already closed.
    }
    this.#conn = undefined;
    this.#buffer = new Uint8Array(0);
    this.#eof = false;
  }

  /**
   * Sends `bytes` and reads the answer. `alone`: on a new connection, closed after the answer (a
   * case whose framing may be broken must not leave bytes for the next one to trip over);
   * `halfClose`: the client half-closes after sending (a body shorter than its framing, which
   * the server would otherwise wait for); `head`: the answer has no body.
   */
  async exchange(
    bytes: Uint8Array,
    options: ExchangeOptions,
  ): Promise<FuzzAnswer> {
    const reused = this.#conn !== undefined && !options.alone;
    const answer = await this.#exchangeOnce(bytes, options);
    // A kept-alive connection the server had already given up on: that says nothing of this
    // request, so it is sent once more on a new connection.
    if (reused && answer.kind === "closed") return this.#exchangeOnce(bytes, options);
    return answer;
  }

  async #exchangeOnce(
    bytes: Uint8Array,
    options: ExchangeOptions,
  ): Promise<FuzzAnswer> {
    if (options.alone) this.close();
    if (this.#conn === undefined) {
      try {
        this.#conn = await Deno.connect({ hostname: this.#hostname, port: this.#port });
      } catch (error) {
        return { kind: "refused", message: (error as Error).message } as const;
      }
    }
    const conn = this.#conn;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<FuzzAnswer>((resolve) => {
      timer = setTimeout(() => {
        this.close();
        resolve({ kind: "timeout" });
      }, options.timeoutMs);
    });
    try {
      const answer = await Promise.race([
        this.#send(conn, bytes, options.halfClose === true, options.head === true),
        timedOut,
      ]);
      if (answer.kind !== "response" || /\bclose\b/i.test(answer.headers.get("connection") ?? "")) {
        this.close();
      }
      if (options.alone) this.close();
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  async #send(
    conn: Deno.TcpConn,
    bytes: Uint8Array,
    halfClose: boolean,
    head: boolean,
  ): Promise<FuzzAnswer> {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
      if (halfClose) await conn.closeWrite();
    } catch {
      // The server may answer and close before reading everything (a 413, a 431): read on.
    }
    try {
      const answer = await this.#readResponse(conn, head);
      return answer ?? { kind: "closed" };
    } catch {
      return { kind: "closed" };
    }
  }

  async #more(conn: Deno.TcpConn): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = new Uint8Array(65_536);
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) {
      this.#eof = true;
      return false;
    }
    const joined = new Uint8Array(this.#buffer.length + n);
    joined.set(this.#buffer);
    joined.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = joined;
    return true;
  }

  async #readResponse(conn: Deno.TcpConn, head: boolean): Promise<FuzzAnswer | undefined> {
    let headEnd: number;
    for (;;) {
      headEnd = indexOfHeadEnd(this.#buffer);
      if (headEnd >= 0) break;
      if (!(await this.#more(conn))) return undefined;
    }
    const lines = decoder.decode(this.#buffer.subarray(0, headEnd)).split("\r\n");
    const status = Number(lines[0]!.split(" ")[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    this.#buffer = this.#buffer.slice(headEnd + 4);
    if (status === 100) return this.#readResponse(conn, head);
    let body: Uint8Array;
    if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      body = new Uint8Array(0);
    } else if ((headers.get("transfer-encoding") ?? "").toLowerCase().includes("chunked")) {
      body = await this.#readChunked(conn);
    } else if (headers.has("content-length")) {
      body = await this.#readExactly(conn, Number(headers.get("content-length")));
    } else {
      while (await this.#more(conn));
      body = this.#buffer;
      this.#buffer = new Uint8Array(0);
      headers.set("connection", "close");
    }
    return { kind: "response", status, headers, body: decoder.decode(body) };
  }

  async #readExactly(conn: Deno.TcpConn, length: number): Promise<Uint8Array> {
    while (this.#buffer.length < length) {
      if (!(await this.#more(conn))) throw new Error("body ended early");
    }
    const bytes = this.#buffer.slice(0, length);
    this.#buffer = this.#buffer.slice(length);
    return bytes;
  }

  async #readLine(conn: Deno.TcpConn): Promise<string> {
    let lf: number;
    while ((lf = this.#buffer.indexOf(0x0a)) < 0) {
      if (!(await this.#more(conn))) throw new Error("chunked body ended early");
    }
    const line = decoder.decode(this.#buffer.subarray(0, lf)).replace(/\r$/, "");
    this.#buffer = this.#buffer.slice(lf + 1);
    return line;
  }

  async #readChunked(conn: Deno.TcpConn): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (let chunks = 0; chunks < 1_000_000; chunks++) {
      const size = parseInt(await this.#readLine(conn), 16);
      if (!(size > 0)) break;
      parts.push(await this.#readExactly(conn, size));
      await this.#readExactly(conn, 2);
    }
    for (let trailers = 0; trailers < 1000 && (await this.#readLine(conn)) !== ""; trailers++);
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
    let i = bytes.indexOf(0x0d);
    i >= 0 && i + 3 < bytes.length;
    i = bytes.indexOf(0x0d, i + 1)
  ) {
    if (bytes[i + 1] === 0x0a && bytes[i + 2] === 0x0d && bytes[i + 3] === 0x0a) return i;
  }
  return -1;
}
