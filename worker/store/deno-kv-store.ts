/** Old path of `createDenoKvCacheStore`, kept while sandbox/ moves over. @module */
export { createDenoKvCacheStore as createDenoKvStore } from "./deno-kv-cache-store.ts";
