/**
 * Test support: a provider on a raw loopback socket that answers each request head with whatever
 * bytes its script gives, so tests can send answers no HTTP library would: malformed status
 * lines, conflicting framing, truncated bodies, a second response nobody asked for. It reads
 * request heads only (the pooled client's tests send no bodies to it) and counts connections.
 *
 * @module
 */

/** What the script answers one request with. */
export interface ScriptedAnswer {
  /** Bytes to write (in one write). */
  readonly bytes: Uint8Array | string;
  /** Close the connection this many milliseconds after writing (0: at once, nothing more read). */
  readonly closeAfterMs?: number;
  /** Bytes to write later, unasked, this many milliseconds after the answer. */
  readonly later?: { readonly afterMs: number; readonly bytes: string };
}

/** A running scripted provider. */
export interface ScriptedProvider {
  /** `http://127.0.0.1:{port}` */
  readonly origin: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Request lines received, in order, with the connection number (1-based) each came on. */
  readonly requests: Array<
    { readonly line: string; readonly connection: number; readonly head: string }
  >;
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Starts a provider answering each request head with `script(requestLine)`.
 *
 * @example
 * ```ts
 * const provider = startScriptedProvider(() => ({
 *   bytes: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
 * }));
 * await provider.close();
 * ```
 */
export function startScriptedProvider(
  script: (requestLine: string) => ScriptedAnswer,
): ScriptedProvider {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const requests: Array<{ line: string; connection: number; head: string }> = [];
  let connections = 0;
  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const serve = async (conn: Deno.Conn, number: number) => {
    const buffer = new Uint8Array(64 * 1024);
    let text = "";
    for (let reads = 0; reads < 10_000; reads++) {
      const count = await conn.read(buffer).catch(() => null);
      if (count === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, count));
      let end: number;
      while ((end = text.indexOf("\r\n\r\n")) >= 0) {
        const line = text.slice(0, text.indexOf("\r\n"));
        const head = text.slice(0, end);
        text = text.slice(end + 4);
        requests.push({ line, connection: number, head });
        const answer = script(line);
        const bytes = typeof answer.bytes === "string"
          ? encoder.encode(answer.bytes)
          : answer.bytes;
        await conn.write(bytes).catch(() => {});
        if (answer.later) {
          const extra = encoder.encode(answer.later.bytes);
          later(answer.later.afterMs, () => void conn.write(extra).catch(() => {}));
        }
        if (answer.closeAfterMs !== undefined) {
          const close = () => {
            open.delete(conn);
            try {
              conn.close();
            } catch { /* closed */ }
          };
          if (answer.closeAfterMs > 0) later(answer.closeAfterMs, close);
          else return close();
        }
      }
    }
    open.delete(conn);
    try {
      conn.close();
    } catch { /* closed */ }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      open.add(conn);
      void serve(conn, ++connections);
    }
  })().catch(() => {});
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      await accepting;
    },
  };
}
