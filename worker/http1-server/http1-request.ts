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
 * It is constructed from a per-origin template `Request` (`new Request(template, init)`), not
 * from the URL: Deno 2.9's `Request(url)` keeps its state in an object literal with accessors,
 * which V8 allocates in the old generation, so every header of every request it points to
 * survived young-generation collections until a full one (issue 15: ~2 MB promoted per
 * scavenge at 1,000 requests a second; `bench/heap-profile.ts`). The copy path builds plain
 * objects: nothing survives, and it is ~1.6 µs instead of ~4. The runtime's own view of the URL
 * is then the template's (the origin), so `url` and `method` are always read through the
 * getters here, a body is replaced with {@linkcode withRequestBody} (not
 * `new Request(request, { body })`), and `clone()` keeps them. The server gives the fields as its
 * parser checked them, and they go into the `Headers` without Deno's checks of each value again
 * (checked-fields.ts, decision G13).
 *
 * @module
 */
import { appendHeaders, receivedFrom } from "../../gpconnect/header-pairs.ts";
import { REPLACE_REQUEST_BODY } from "../request-body-replace.ts";
import { fillCheckedFields } from "./checked-fields.ts";

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

/** One template per origin (one per server): what each request is copied from. */
const templates = new Map<string, Request>();

function templateFor(url: string): Request {
  const origin = url.slice(0, url.indexOf("/", url.indexOf("//") + 2) >>> 0);
  let template = templates.get(origin);
  if (template === undefined) {
    template = new Request(`${origin}/`);
    // One server listens on one origin; a bounded map all the same.
    if (templates.size >= 64) templates.clear();
    templates.set(origin, template);
  }
  return template;
}

/** `init` without its fields and with no signal: what a request is copied from the template with. */
function copyInit(init: RequestInit): RequestInit {
  const { headers: _appendedAfter, ...rest } = init;
  return { ...rest, signal: null };
}

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
   * @param checkedFields the field lines as the server's parser read and checked them, given
   * instead of `init.headers` (filled without Deno's checks of each value, checked-fields.ts)
   *
   * @example
   * ```ts
   * const request = new Http1Request("http://127.0.0.1:8080/a/../b", "get", { method: "GET" });
   * request.method; // "get"
   * request.url; // "http://127.0.0.1:8080/a/../b"
   * ```
   */
  constructor(
    url: string,
    method: string,
    init: RequestInit,
    checkedFields?: ReadonlyArray<readonly [string, string]>,
  ) {
    // `signal: null`: no dependent signal on the template's. The fields are appended afterwards:
    // the constructor's `HeadersInit` conversion walks them through iterators (~0.8 µs more for a
    // dozen).
    super(templateFor(url), copyInit(init));
    this.#url = url;
    this.#method = method;
    if (checkedFields !== undefined) {
      fillCheckedFields(this.headers, checkedFields);
      receivedFrom(this.headers, checkedFields);
    } else if (init.headers !== undefined) appendHeaders(this.headers, init.headers);
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

  /** A copy with the same URL and method (the body is teed, as `Request.clone` does). */
  override clone(): Http1Request {
    const copy = super.clone();
    return this[REPLACE_REQUEST_BODY](copy.body);
  }

  /**
   * This request with `body` instead of its own: same URL, method and fields. Its signal is its
   * own, as a `new Request(request, { body })` copy's was: a body the client breaks off is the
   * client's malformed message (400), not a disconnect (issue 9).
   */
  [REPLACE_REQUEST_BODY](body: ReadableStream<Uint8Array> | null): Http1Request {
    // The copy appends this request's fields itself (appendHeaders walks a `Headers` once).
    return new Http1Request(this.#url, this.#method, {
      method: constructibleMethod(this.#method),
      headers: this.headers,
      body,
      duplex: "half",
    } as RequestInit);
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}
