/**
 * The reference provider's own store: bookings and registrations as JSON values under
 * `:`-separated string keys (schemas where they are made: `appointment-store.ts`,
 * `patient-registrations.ts`). The sandbox is Deno-only, so this is Deno KV directly: the world
 * opens `provider.sqlite` under its data directory, tests `Deno.openKv(":memory:")`. It is not
 * gpc-edge's store and shares no code with it (ARCHITECTURE.md §3.7).
 *
 * Layout: key `a:b:c` at the Deno KV key `["provider", "a:b:c"]`, the value as JSON would carry
 * it (a value that does not survive `JSON.stringify` is stored as it would read back).
 *
 * @module
 */

/** The provider's store. Values never expire. */
export interface ProviderStore {
  /** The value at `key`, or `undefined` when absent. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` at `key`. */
  set(key: string, value: unknown): Promise<void>;
  /** Every key starting with `prefix`, with its value, in key order. */
  list<T>(prefix: string): Promise<Array<{ key: string; value: T }>>;
  /** The value at `key` with its version (`null` when absent), for a later {@linkcode ProviderStore.commit}. */
  getVersioned<T>(key: string): Promise<VersionedValue<T>>;
  /**
   * One atomic write: every `set` and `delete` happens only when each `check`ed key still has
   * the version read (`null`: still absent); `false`, writing nothing, when one changed.
   */
  commit(write: AtomicWrite): Promise<boolean>;
}

/** A value read with its version (Deno KV's versionstamp). */
export interface VersionedValue<T> {
  readonly value: T | undefined;
  readonly version: string | null;
}

/** What {@linkcode ProviderStore.commit} writes, and on what condition. */
export interface AtomicWrite {
  readonly checks?: ReadonlyArray<{ readonly key: string; readonly version: string | null }>;
  readonly sets?: ReadonlyArray<{ readonly key: string; readonly value: unknown }>;
  readonly deletes?: readonly string[];
}

const ROOT = "provider";

/**
 * The provider's store over an open `Deno.Kv`; the caller opens and closes it.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:");
 * const store = denoKvProviderStore(kv);
 * await store.set("provider:B82617:appointment-sequence", 1);
 * kv.close();
 * ```
 */
export function denoKvProviderStore(kv: Deno.Kv): ProviderStore {
  return kvStore(() => Promise.resolve(kv));
}

/**
 * A provider store over an in-memory Deno KV opened on first use: the default of a provider
 * sandbox created without a store (tests that never book, the harness self-test). It lives as
 * long as the process; a test that shares or inspects a store opens its own.
 *
 * @example
 * ```ts
 * const store = inMemoryProviderStore();
 * await store.list("provider:B82617:"); // []
 * ```
 */
export function inMemoryProviderStore(): ProviderStore {
  let opened: Promise<Deno.Kv> | undefined;
  return kvStore(() => opened ??= Deno.openKv(":memory:"));
}

function kvStore(open: () => Promise<Deno.Kv>): ProviderStore {
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const entry = await (await open()).get<T>([ROOT, key]);
      return entry.value ?? undefined;
    },
    async set(key: string, value: unknown): Promise<void> {
      await (await open()).set([ROOT, key], JSON.parse(JSON.stringify(value)));
    },
    async list<T>(prefix: string): Promise<Array<{ key: string; value: T }>> {
      const result: Array<{ key: string; value: T }> = [];
      // String keys sort by their UTF-8 bytes inside [ROOT], so the keys with `prefix` are one run
      // starting at [ROOT, prefix].
      for await (const entry of (await open()).list<T>({ prefix: [ROOT], start: [ROOT, prefix] })) {
        const key = entry.key[1];
        if (typeof key !== "string" || !key.startsWith(prefix)) break;
        result.push({ key, value: entry.value });
      }
      return result;
    },
    async getVersioned<T>(key: string): Promise<VersionedValue<T>> {
      const entry = await (await open()).get<T>([ROOT, key]);
      return { value: entry.value ?? undefined, version: entry.versionstamp };
    },
    async commit(write: AtomicWrite): Promise<boolean> {
      const atomic = (await open()).atomic();
      for (const check of write.checks ?? []) {
        atomic.check({ key: [ROOT, check.key], versionstamp: check.version });
      }
      for (const set of write.sets ?? []) {
        atomic.set([ROOT, set.key], JSON.parse(JSON.stringify(set.value)));
      }
      for (const key of write.deletes ?? []) atomic.delete([ROOT, key]);
      return (await atomic.commit()).ok;
    },
  };
}
