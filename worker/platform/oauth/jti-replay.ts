/**
 * The replay cache of client assertion `jti`s (A3: "Non-unique 'jti'", kept 2592000 s = 30
 * days), in the records store so every isolate and process sees the same set. A `jti` is
 * recorded only once its assertion's signature has verified — an unsigned guess cannot burn
 * a client's `jti` — and recording is a compare-and-set, so of two concurrent requests with the
 * same assertion exactly one wins.
 *
 * @module
 */
import type { Clock } from "../../app-deps.ts";
import type { RecordsStore } from "../../store/records-store.ts";
import { jtiKey } from "../platform-keys.ts";

/** How long a `jti` is remembered (APIM's PopulateCache.JTIClaim). */
export const jtiReplaySeconds = 2_592_000;

/** The replay cache. */
export interface JtiReplayCache {
  /** Whether `jti` was already used by `clientId`. */
  seen(clientId: string, jti: string): Promise<boolean>;
  /** Records `jti`; `false` when it was recorded already (a replay). */
  record(clientId: string, jti: string): Promise<boolean>;
}

/**
 * Creates the cache over the records store.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../../store/memory-records-store.ts";
 * import { systemClock } from "../../app-deps.ts";
 * const replay = createJtiReplayCache(createMemoryRecordsStore(), systemClock);
 * await replay.record("app", "jti-1"); // true
 * await replay.record("app", "jti-1"); // false
 * ```
 */
export function createJtiReplayCache(records: RecordsStore, clock: Clock): JtiReplayCache {
  return {
    async seen(clientId, jti) {
      return (await records.get(await jtiKey(clientId, jti))) !== undefined;
    },
    async record(clientId, jti) {
      const key = await jtiKey(clientId, jti);
      return await records.commit([{ key, version: null }], [{
        type: "set",
        key,
        value: {},
        expiresAt: clock.now() + jtiReplaySeconds * 1000,
      }]);
    },
  };
}
