/** Old path of `createCloudflareKvCacheStore`, kept while importers move over. @module */
export {
  createCloudflareKvCacheStore as createCloudflareKvStore,
  type KvNamespaceLike,
} from "./cloudflare-kv-cache-store.ts";
