/** Old path of `createMemoryCacheStore`, kept while sandbox/ moves over. @module */
export { createMemoryCacheStore as createMemoryStore } from "./memory-cache-store.ts";
