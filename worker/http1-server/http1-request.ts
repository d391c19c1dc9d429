/**
 * The `Request` the app receives. Three properties differ from what `new Request(url, init)`
 * would give, to match `Deno.serve` and to stay cheap:
 *
 * - `url` is the server's fixed origin plus the request target exactly as sent (not normalised
 *   by URL parsing, so the SSP's byte-for-byte target check sees what the client sent; never
 *   built from `Host`, so `Host` cannot rewrite the path);
 * - `method` is the token exactly as sent (`get` stays `get` for the app to refuse; the
 *   constructor would upper-case it, and would throw for `TRACE` or `CONNECT`);
 * - `signal` is created on first use and aborted when the client disconnects. A signal passed
 *   to the constructor would make a dependent signal per request, held through WeakRefs until a
 *   full GC (the retention worker/ssp/provider-forward.ts documents). Copies made with
 *   `new Request(request)` or `fetch(request)` read the constructor's signal, which never
 *   aborts: pass `request.signal` explicitly, as the forward does.
 *
 * @module
 */

/** Methods `Request` upper-cases (fetch's "normalize a method"). */
const NORMALISED = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
/** Methods `Request` refuses (fetch's forbidden methods). */
const FORBIDDEN = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The method to construct the `Request` with, so construction neither rewrites nor refuses it:
 * upper-cased when fetch would normalise it (body rules then match: `get` carries no body),
 * `POST` in place of a forbidden one, else as sent. The getter still answers the method as sent.
 */
export function constructibleMethod(method: string): string {
  const upper = method.toUpperCase();
  if (NORMALISED.has(upper)) return upper;
  if (FORBIDDEN.has(upper)) return "POST";
  return method;
}

/** Aborts a request's signal (module-private to the server: the app cannot call it). */
export let abortHttp1Request: (request: Http1Request, reason: unknown) => void;

/** A `Request` with the URL and method as received and a signal aborted on disconnect. */
export class Http1Request extends Request {
  readonly #url: string;
  readonly #method: string;
  #controller: AbortController | undefined;
  #abortReason: unknown = undefined;
  #aborted = false;

  static {
    abortHttp1Request = (request, reason) => request.#abort(reason);
  }

  /**
   * @param url the fixed origin plus the target as sent
   * @param method the method as sent
   * @param init headers and body; its method must be {@linkcode constructibleMethod}'s
   *
   * @example
   * ```ts
   * const request = new Http1Request("http://127.0.0.1:8080/a/../b", "get", { method: "GET" });
   * request.method; // "get"
   * request.url; // "http://127.0.0.1:8080/a/../b"
   * ```
   */
  constructor(url: string, method: string, init: RequestInit) {
    super(url, init);
    this.#url = url;
    this.#method = method;
  }

  /** The fixed origin plus the request target as sent. */
  override get url(): string {
    return this.#url;
  }

  /** The method token as sent. */
  override get method(): string {
    return this.#method;
  }

  /** Aborted when the client disconnects before the response is complete. */
  override get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}
