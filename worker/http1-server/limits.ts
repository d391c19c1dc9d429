/**
 * The limits and deadlines of {@linkcode serveHttp1}, with their defaults and the reasons for
 * them (numbers from ../shared/reference/patient-facing-and-security.md B4 and B5 R13).
 *
 * @module
 */

/** Every limit and deadline of the HTTP/1.1 server. Times in milliseconds, sizes in bytes. */
export interface Http1Limits {
  /**
   * From the first byte of a request head (for a new connection: from accept) until its empty
   * line. Default 10 s: a consumer sends its head in one write, so 10 s absorbs a slow link yet
   * ends a slowloris trickle long before the SSP's 30 s provider deadline would.
   */
  readonly headerTimeoutMs: number;
  /**
   * From the end of a response until the first byte of the next request on a kept-alive
   * connection. Default 60 s: GP Connect consumers call in bursts (PDS, SDS, then the provider
   * for one encounter), so a minute keeps their connection warm through a burst. Envoy (1 h) and
   * Cloudflare (400 s) hold idle clients far longer because their fleets pay for sockets
   * differently; at 60 s an idle socket costs gpc-edge one 16 KiB buffer for a minute. A proxy in
   * front that pools connections to gpc-edge must idle them out sooner than this (Envoy's
   * upstream `idle_timeout`), or it may reuse a socket gpc-edge is closing.
   */
  readonly idleTimeoutMs: number;
  /**
   * The longest wait for the next bytes of a request body the app is reading, or that is being
   * drained. Default 30 s, Cloudflare's write timeout towards an origin.
   */
  readonly bodyTimeoutMs: number;
  /**
   * The longest one socket write may stay pending (a client that stops reading its response).
   * Default 30 s, as above.
   */
  readonly writeTimeoutMs: number;
  /**
   * Request line (method, target, version) without its CRLF; longer → 414. Default 16 KiB,
   * Cloudflare's URL limit (B5 R13).
   */
  readonly maxRequestLineBytes: number;
  /**
   * Header block after the request line (field lines with their CRLFs); larger → 431. Default
   * 32 KiB, Cloudflare's floor (B5 R13; Envoy allows 60 KiB).
   */
  readonly maxHeaderBytes: number;
  /**
   * Field lines in one head (and in chunked trailers); more → 431. Default 100, the limit of the
   * hyper server under `Deno.serve`, so nothing accepted there is refused here.
   */
  readonly maxHeaderCount: number;
  /**
   * Unread request body the server reads and discards after the response to keep the connection;
   * beyond this the connection is closed instead. Default 256 KiB, as Go's `net/http`.
   */
  readonly maxDrainBytes: number;
}

/** The defaults, each explained on {@linkcode Http1Limits}. */
export const DEFAULT_HTTP1_LIMITS: Readonly<Http1Limits> = Object.freeze({
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  bodyTimeoutMs: 30_000,
  writeTimeoutMs: 30_000,
  maxRequestLineBytes: 16 * 1024,
  maxHeaderBytes: 32 * 1024,
  maxHeaderCount: 100,
  maxDrainBytes: 256 * 1024,
});

/**
 * The defaults overridden by `overrides`; throws a `RangeError` naming a value that is not a
 * positive integer (a zero timeout or size would make the server unusable, not safer).
 *
 * @example
 * ```ts
 * const limits = resolveHttp1Limits({ headerTimeoutMs: 300 });
 * limits.idleTimeoutMs; // 60_000
 * ```
 */
export function resolveHttp1Limits(overrides: Partial<Http1Limits> = {}): Http1Limits {
  const limits = { ...DEFAULT_HTTP1_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(
        `HTTP/1.1 server limit ${name} must be a positive integer, got ${value}`,
      );
    }
  }
  return limits;
}

/**
 * How often the server checks deadlines: a quarter of the shortest timeout, between 10 ms and
 * 1 s, so a timeout fires at most a quarter late.
 */
export function deadlineTickMs(limits: Http1Limits): number {
  const shortest = Math.min(
    limits.headerTimeoutMs,
    limits.idleTimeoutMs,
    limits.bodyTimeoutMs,
    limits.writeTimeoutMs,
  );
  return Math.min(1000, Math.max(10, Math.floor(shortest / 4)));
}
