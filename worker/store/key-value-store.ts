/** Old name of `CacheStore`, kept while sandbox/ moves over. @module */
export type { CacheStore as KeyValueStore, SetOptions } from "./cache-store.ts";
