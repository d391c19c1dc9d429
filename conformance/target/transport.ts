/**
 * The harness's HTTP transport: `fetch` through a `Deno.createHttpClient` holding the client
 * certificate and key and any extra CA certificates (PEM files), a per-request timeout, and
 * redirects never followed (a 3xx is judged as it is). Server certificate verification stays on;
 * `--insecure` is honoured by re-running Deno with `--unsafely-ignore-certificate-errors`
 * (`insecure-rerun.ts`), since an HTTP client cannot turn it off.
 *
 * @module
 */
import type { TlsFiles } from "../config/harness-config.ts";
import { ConfigError } from "../config/config-error.ts";

/** A request as the transport sends it. */
export interface TransportRequest {
  readonly method: string;
  readonly headers: Headers;
  /** Text, or bytes (MESH chunks, gzip). */
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/** A response, its body read in full. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body's bytes (as `fetch` delivered them), when the transport kept them. */
  readonly bytes?: Uint8Array;
}

/** Sends requests to a target. */
export interface Transport {
  /**
   * Sends a request and reads the whole response; the timeout covers both. A timeout or a
   * connection failure rejects with the reason.
   */
  send(url: string, request: TransportRequest): Promise<TransportResponse>;
  /** Releases the HTTP client. */
  close(): void;
}

/** Options for {@linkcode createTransport}. */
export interface TransportOptions {
  readonly tls: TlsFiles;
  readonly timeoutMs: number;
  /** A fetch to use instead of the real one (tests). */
  readonly fetch?: typeof fetch;
}

/** The PEM texts of the TLS files, read and roughly checked. */
export async function readTlsPems(
  tls: TlsFiles,
): Promise<{ cert?: string; key?: string; caCerts?: string[] }> {
  const read = async (path: string | undefined, flag: string, marker: RegExp) => {
    if (path === undefined) return undefined;
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      throw new ConfigError(flag, `cannot read ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!marker.test(text)) {
      throw new ConfigError(flag, `${path} is not a PEM file of the right kind`);
    }
    return text;
  };
  const cert = await read(tls.clientCert, "--client-cert", /-----BEGIN CERTIFICATE-----/);
  const key = await read(tls.clientKey, "--client-key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  const ca = await read(tls.caCert, "--ca-cert", /-----BEGIN CERTIFICATE-----/);
  return {
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(ca === undefined ? {} : { caCerts: [ca] }),
  };
}

/**
 * A transport for the TLS files and timeout.
 *
 * @example
 * ```ts
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   new Response("ok")
 * );
 * const transport = await createTransport({ tls: { insecure: false }, timeoutMs: 30_000 });
 * const { status } = await transport.send(`http://127.0.0.1:${server.addr.port}/`, {
 *   method: "GET",
 *   headers: new Headers(),
 * });
 * transport.close();
 * await server.shutdown();
 * ```
 */
export async function createTransport(options: TransportOptions): Promise<Transport> {
  const pems = await readTlsPems(options.tls);
  let client: Deno.HttpClient | undefined;
  if (!options.fetch) {
    try {
      client = pems.cert !== undefined && pems.key !== undefined
        ? Deno.createHttpClient({ cert: pems.cert, key: pems.key, ...caOption(pems.caCerts) })
        : Deno.createHttpClient({ ...caOption(pems.caCerts) });
    } catch (error) {
      throw new ConfigError(
        "--client-cert/--client-key/--ca-cert",
        `cannot build the TLS client: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  const doFetch = options.fetch ?? fetch;
  return {
    async send(url, request) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const response = await doFetch(url, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          redirect: "manual",
          signal,
          ...(client ? { client } : {}),
        });
        const bytes = new Uint8Array(await response.arrayBuffer());
        return {
          status: response.status,
          headers: response.headers,
          body: new TextDecoder().decode(bytes),
          bytes,
        };
      } catch (error) {
        if (signal.aborted) {
          throw new Error(`timeout after ${options.timeoutMs} ms`, { cause: error });
        }
        throw new Error(describe(error), { cause: error });
      }
    },
    close() {
      client?.close();
    },
  };
}

function caOption(caCerts: string[] | undefined): { caCerts?: string[] } {
  return caCerts === undefined ? {} : { caCerts };
}

/** An error and its causes in one line ("fetch failed" alone says nothing). */
function describe(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e !== undefined && messages.length < 5; e = (e as Error).cause) {
    const message = e instanceof Error ? e.message : String(e);
    if (!messages.some((m) => m.includes(message))) messages.push(message);
    if (!(e instanceof Error)) break;
  }
  return messages.join(": ");
}
