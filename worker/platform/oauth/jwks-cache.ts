/**
 * A JWKS cache for verifying signatures with jose: NHS login's keys and each consumer app's.
 * A fetched key set is trusted for `maxAgeSeconds`; a token whose `kid` is not in it makes the
 * cache fetch the set again at once (keys rotate), but not more than once per `cooldownSeconds`
 * per URL, so a stream of tokens with made-up `kid`s cannot turn into a stream of fetches.
 * Concurrent fetches of one URL are shared. Inline key sets (an app registered with its JWKS)
 * need no fetch.
 *
 * Runtime-neutral: the injected `fetch` and clock; keys are resolved by jose's
 * `createLocalJWKSet`, which also applies `alg`/`kty`/`use` matching.
 *
 * @module
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWK } from "jose";
import type { Clock, UpstreamFetch } from "../../app-deps.ts";

/** Where a key set comes from. */
export type JwksSource =
  | { readonly url: string }
  | { readonly inline: { readonly keys: readonly JWK[] } };

/** The key set could not be fetched (network, status, not a JWKS). */
export class JwksUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JwksUnavailable";
  }
}

/** No key in the (freshly fetched) set matches the token's header. */
export class NoMatchingKey extends Error {
  constructor(kid: string | undefined) {
    super(`No key in the JWKS matches kid ${JSON.stringify(kid ?? null)}`);
    this.name = "NoMatchingKey";
  }
}

/** A key resolver as jose's `jwtVerify` takes it. */
export type KeyResolver = (header: { kid?: string; alg?: string }) => Promise<CryptoKey>;

/** The cache. */
export interface JwksCache {
  /** The key for a token header from `source`; throws {@linkcode NoMatchingKey} or {@linkcode JwksUnavailable}. */
  resolver(source: JwksSource): KeyResolver;
}

/** Options of {@linkcode createJwksCache}. */
export interface JwksCacheOptions {
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  readonly maxAgeSeconds: number;
  /** Least time between two fetches of one URL caused by unknown `kid`s (jose's default, 30 s). */
  readonly cooldownSeconds?: number;
  /** Deadline of a fetch (jose's default, 5 s). */
  readonly timeoutMs?: number;
}

interface Entry {
  readonly fetchedAt: number;
  readonly resolve: ReturnType<typeof createLocalJWKSet>;
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as { keys?: unknown }).keys);
}

/**
 * Creates a JWKS cache.
 *
 * @example
 * ```ts
 * import { jwtVerify } from "jose";
 * import { systemClock } from "../../app-deps.ts";
 * const cache = createJwksCache({ fetch, clock: systemClock, maxAgeSeconds: 3600 });
 * const keys = cache.resolver({ url: "http://127.0.0.1:8084/.well-known/jwks.json" });
 * // await jwtVerify(idToken, keys, { algorithms: ["RS512", "RS256"] });
 * ```
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  const cooldownMs = (options.cooldownSeconds ?? 30) * 1000;
  const timeoutMs = options.timeoutMs ?? 5000;

  const fetchSet = (url: string): Promise<Entry> => {
    let pending = inFlight.get(url);
    if (!pending) {
      pending = (async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
          const response = await options.fetch(url, {
            headers: { Accept: "application/json" },
            redirect: "manual",
            signal: controller.signal,
          });
          const body = await response.text();
          if (response.status !== 200) throw new JwksUnavailable(`HTTP ${response.status}`);
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch (error) {
            throw new JwksUnavailable("not JSON", { cause: error });
          }
          if (!isKeySet(parsed)) throw new JwksUnavailable("not a JWKS");
          const entry = { fetchedAt: options.clock.now(), resolve: createLocalJWKSet(parsed) };
          entries.set(url, entry);
          return entry;
        } catch (error) {
          if (error instanceof JwksUnavailable) throw error;
          throw new JwksUnavailable(error instanceof Error ? error.message : String(error), {
            cause: error,
          });
        } finally {
          clearTimeout(timer);
          inFlight.delete(url);
        }
      })();
      inFlight.set(url, pending);
    }
    return pending;
  };

  const lookup = async (entry: Entry, header: { kid?: string; alg?: string }) => {
    try {
      return await entry.resolve(header as Parameters<Entry["resolve"]>[0]) as CryptoKey;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) return undefined;
      // An algorithm no key can have (or none) matches no key either.
      if (error instanceof errors.JOSENotSupported) throw new NoMatchingKey(header.kid);
      // Several keys match a header without kid: APIM requires a kid anyway.
      if (error instanceof errors.JWKSMultipleMatchingKeys) throw new NoMatchingKey(header.kid);
      throw error;
    }
  };

  return {
    resolver(source) {
      if ("inline" in source) {
        const entry = { fetchedAt: 0, resolve: createLocalJWKSet(source.inline as JSONWebKeySet) };
        return async (header) =>
          (await lookup(entry, header)) ?? Promise.reject(
            new NoMatchingKey(header.kid),
          );
      }
      return async (header) => {
        const now = options.clock.now();
        let entry = entries.get(source.url);
        if (!entry || now - entry.fetchedAt >= options.maxAgeSeconds * 1000) {
          entry = await fetchSet(source.url);
        }
        const key = await lookup(entry, header);
        if (key) return key;
        if (now - entry.fetchedAt < cooldownMs) throw new NoMatchingKey(header.kid);
        const fresh = await fetchSet(source.url);
        return (await lookup(fresh, header)) ?? Promise.reject(new NoMatchingKey(header.kid));
      };
    },
  };
}
