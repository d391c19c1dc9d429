/**
 * What the app's handler receives, and the plain-text answers the server gives itself.
 *
 * @module
 */

/** What the app's handler receives beside the request (the essentials of `Deno.serve`'s). */
export interface Http1HandlerInfo {
  /** The client's address. */
  readonly remoteAddr: Deno.NetAddr;
  /** Resolves once the response has been written, or has failed (it never rejects). */
  readonly completed: Promise<void>;
}

/** The app: a `Request` in, a `Response` out. */
export type Http1Handler = (
  request: Request,
  info: Http1HandlerInfo,
) => Response | Promise<Response>;

/**
 * A plain-text response (the server's own 400s and 500s: a fixed phrase, never a detail of the
 * failure).
 *
 * @example
 * ```ts
 * plainText(500, "Internal Server Error").status; // 500
 * ```
 */
export function plainText(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** Resolves `completed` for the app, creating the promise only if the app asks for it. */
export class HandlerInfo implements Http1HandlerInfo {
  readonly remoteAddr: Deno.NetAddr;
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  #done = false;

  /** @param remoteAddr the client's address */
  constructor(remoteAddr: Deno.NetAddr) {
    this.remoteAddr = remoteAddr;
  }

  get completed(): Promise<void> {
    if (this.#promise === undefined) {
      this.#promise = this.#done
        ? Promise.resolve()
        : new Promise<void>((resolve) => (this.#resolve = resolve));
    }
    return this.#promise;
  }

  /** The response has been written (or has failed). */
  complete(): void {
    this.#done = true;
    this.#resolve?.();
  }
}
