/**
 * One MESH API call as NHS's clients make it (shared/reference/mesh.md §1.1, §4.2, §9): a fresh
 * NHSMESH token per attempt, `Accept: application/vnd.mesh.v2+json`, and retries only where MESH
 * allows them — status 425, 429, 502, 503 or 504, at most `maxRetries` times with exponential
 * backoff (honouring a short `Retry-After`), and never for the first `POST …/outbox` (a retried
 * first send could deliver the message twice; MESH does not de-duplicate on `Mex-LocalID`).
 *
 * Every MESH answer is JSON (errors included, §9); a non-2xx answer becomes a
 * {@linkcode MeshClientError} carrying MESH's code and description when the body has them.
 *
 * @module
 */
import { buildNhsmeshAuthorization } from "../../gpconnect/mesh/nhsmesh-token.ts";

/** What every call needs. */
export interface MeshHttpOptions {
  /** Server root, e.g. `http://127.0.0.1:8080` (paths start with `/messageexchange`). */
  readonly baseUrl: string;
  readonly mailboxId: string;
  readonly password: string;
  /** The environment's shared key (a string or an imported key). */
  readonly sharedKey: string | CryptoKey;
  /** The fetch to use (e.g. one with client certificates from `meshTlsFetch`). */
  readonly fetch: typeof fetch;
  /** Retries of a retryable status (default 3, as NHS's Python client). */
  readonly maxRetries: number;
  /** First backoff in ms, doubled per retry (default 500: the Python client's factor 0.5). */
  readonly retryBackoffMs: number;
  /** The longest `Retry-After` honoured, in seconds; longer ones fail at once. */
  readonly maxRetryAfterSeconds: number;
  /** Waits between retries (injectable for tests). */
  readonly sleep: (ms: number) => Promise<void>;
  /** `mex-ClientVersion` etc. sent on every request. */
  readonly clientHeaders: Readonly<Record<string, string>>;
  /** Nonce of this client; each request counts up from 0, as NHS's Python client. */
  readonly nonce: string;
}

/** Statuses MESH's clients retry. */
export const retryableStatuses: ReadonlySet<number> = new Set([425, 429, 502, 503, 504]);

/** A MESH call that did not succeed. */
export class MeshClientError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** MESH error code (`12`, `EPL-151`, `InvalidHeaderChunks`…), when the body named one. */
  readonly code: string | undefined;
  /** MESH error event (`SEND`, `TRANSFER`…), when the body named one. */
  readonly event: string | undefined;
  /** The parsed JSON body (or the text when it was not JSON). */
  readonly body: unknown;

  constructor(status: number, body: unknown, what: string) {
    const detail = errorDetail(body);
    super(
      `MESH ${what} failed: HTTP ${status}${detail.code ? ` code ${detail.code}` : ""}${
        detail.description ? ` (${detail.description})` : ""
      }`,
    );
    this.name = "MeshClientError";
    this.status = status;
    this.code = detail.code;
    this.event = detail.event;
    this.body = body;
  }
}

/** One request to make. */
export interface MeshCall {
  readonly method: "GET" | "POST" | "PUT" | "HEAD";
  /** Path from the root, e.g. `/messageexchange/X/inbox?max_results=10`. */
  readonly path: string;
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Body, rebuilt per attempt (a stream cannot be sent twice). */
  readonly body?: () => BodyInit;
  /** Whether a retryable status may be retried (false for the first `POST …/outbox`). */
  readonly retry: boolean;
  /** Without the NHSMESH token (`_ping`, endpoint lookup on MESH's sandbox). */
  readonly anonymous?: boolean;
  /** Words for an error message, e.g. `send`. */
  readonly what: string;
}

/** The request sender of one client. */
export interface MeshHttp {
  /** Sends `call`; resolves with a 2xx response, rejects with {@linkcode MeshClientError}. */
  request(call: MeshCall): Promise<Response>;
  /** Requests made so far (the next nonce count). */
  readonly count: number;
}

/**
 * Creates the request sender.
 *
 * @example
 * ```ts
 * const http = createMeshHttp({
 *   baseUrl: "http://127.0.0.1:8080", mailboxId: "A11111OT1", password: "password",
 *   sharedKey: "TestKey", fetch, maxRetries: 3, retryBackoffMs: 500, maxRetryAfterSeconds: 60,
 *   sleep: (ms) => new Promise((r) => setTimeout(r, ms)), clientHeaders: {},
 *   nonce: crypto.randomUUID(),
 * });
 * ```
 */
export function createMeshHttp(options: MeshHttpOptions): MeshHttp {
  const root = options.baseUrl.replace(/\/+$/, "");
  let count = 0;
  const headersFor = async (call: MeshCall) => {
    const headers = new Headers({
      "Accept": "application/vnd.mesh.v2+json",
      "Accept-Encoding": "gzip",
      ...options.clientHeaders,
      ...call.headers,
    });
    if (!call.anonymous) {
      headers.set(
        "Authorization",
        await buildNhsmeshAuthorization({
          mailboxId: options.mailboxId,
          password: options.password,
          sharedKey: options.sharedKey,
          nonce: options.nonce,
          nonceCount: count++,
        }),
      );
    }
    return headers;
  };
  return {
    async request(call) {
      for (let attempt = 0;; attempt++) {
        const response = await options.fetch(`${root}${call.path}`, {
          method: call.method,
          headers: await headersFor(call),
          ...(call.body ? { body: call.body() } : {}),
          redirect: "manual",
        });
        if (response.ok) return response;
        const body = await readBody(response);
        const wait = retryWaitMs(options, response, attempt);
        if (!call.retry || !retryableStatuses.has(response.status) || wait === undefined) {
          throw new MeshClientError(response.status, body, call.what);
        }
        await options.sleep(wait);
      }
    },
    get count() {
      return count;
    },
  };
}

/** The wait before retry `attempt + 1`, or `undefined` when no retry is left or allowed. */
function retryWaitMs(options: MeshHttpOptions, response: Response, attempt: number) {
  if (attempt >= options.maxRetries) return undefined;
  const retryAfter = response.headers.get("Retry-After")?.trim() ?? "";
  if (/^[0-9]+$/.test(retryAfter)) {
    const seconds = Number(retryAfter);
    return seconds > options.maxRetryAfterSeconds ? undefined : seconds * 1000;
  }
  return options.retryBackoffMs * 2 ** attempt;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** MESH's code, event and description from a v2 (`detail[0]`) or v1 (`errorCode`) error body. */
export function errorDetail(body: unknown): {
  code: string | undefined;
  event: string | undefined;
  description: string | undefined;
} {
  const record = typeof body === "object" && body !== null ? body as Record<string, unknown> : {};
  const detail = Array.isArray(record.detail) ? record.detail[0] as Record<string, unknown> : {};
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  return {
    code: text(detail?.code) ?? text(record.errorCode),
    event: text(detail?.event) ?? text(record.errorEvent),
    description: text(detail?.msg) ?? text(record.errorDescription),
  };
}
