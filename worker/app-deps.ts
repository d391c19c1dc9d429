/**
 * The seams `createApp` receives (ARCHITECTURE.md §3.2): configuration, the three stores by
 * purpose, upstream fetch, clock, ids and logger. Tests and benchmarks swap any of them. What
 * changes per request (the client's address, Workers' `waitUntil`) comes with the request instead
 * (request-bindings.ts).
 *
 * @module
 */
import type { GpcEdgeConfig } from "./config.ts";
import type { DirectoryResolver } from "./directory/directory-types.ts";
import type { BlobStore } from "./store/blob-store.ts";
import type { CacheStore } from "./store/cache-store.ts";
import type { RecordsStore } from "./store/records-store.ts";

/** A `fetch`-shaped function for every upstream call (PDS, SDS, providers). */
export type UpstreamFetch = (
  input: Request | string | URL,
  init?: RequestInit,
) => Promise<Response>;

/** Time, injectable so TTLs and JWT expiry are testable without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds (or sooner if `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Where structured log lines go. One JSON object per line; never a token. */
export interface Logger {
  /** Writes one structured record. */
  log(record: Readonly<Record<string, unknown>>): void;
  /**
   * Whether a record of `type` (e.g. `ssp-audit`) would be kept; absent, every record is. A
   * caller may skip building a record nobody wants (issue 15: the audit line on the hot path).
   */
  wants?(type: string): boolean;
}

/** The stores by purpose (ARCHITECTURE.md §3.3). */
export interface AppStores {
  /** TTL'd, eventually consistent: the directory cache (memory, Deno KV, Workers KV). */
  readonly cache: CacheStore;
  /**
   * Strongly consistent, atomic multi-key compare-and-set: MESH mailboxes and message state
   * (memory, Deno KV, a Durable Object).
   */
  readonly records: RecordsStore;
  /** Large bodies, streamed: MESH chunks (memory, files under the data directory, R2). */
  readonly blobs: BlobStore;
  /**
   * The patient-facing platform's records (access and refresh tokens, the `jti` replay cache,
   * practice tokens, rate-limit counters; keys under `platform:v1:`); default `records`. Workers
   * give it a Durable Object of its own, so token traffic never queues behind MESH's object.
   */
  readonly platformRecords?: RecordsStore;
}

/** Everything `createApp` needs. */
export interface AppDeps {
  /** Configuration. */
  readonly config: GpcEdgeConfig;
  /** The stores. */
  readonly stores: AppStores;
  /** Upstream fetch; defaults to the global `fetch`. */
  readonly fetch?: UpstreamFetch;
  /** Clock; defaults to the system clock. */
  readonly clock?: Clock;
  /** Logger for audit and error lines; defaults to one JSON line per record on stdout. */
  readonly logger?: Logger;
  /**
   * The directory service; defaults to PDS and SDS behind the cache built from `config` and
   * `stores.cache`. Tests and the benchmark's constant-directory variant swap it. When it can
   * also answer `demographics` (the default does), MESH routes `GPPROVIDER_…` addresses with it.
   */
  readonly directory?: DirectoryResolver;
  /** UUID generator; defaults to `crypto.randomUUID`. */
  readonly randomUUID?: () => string;
}

/** The system clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    }),
};

/** Writes each record as one JSON line on stdout. */
export const consoleLogger: Logger = {
  log: (record) => console.log(JSON.stringify(record)),
};
