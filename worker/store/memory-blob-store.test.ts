import assert from "node:assert/strict";
import { blobStoreBehaviour } from "../testing/blob-store-behaviour.ts";
import { createMemoryBlobStore } from "./memory-blob-store.ts";

blobStoreBehaviour("createMemoryBlobStore()", () => ({ store: createMemoryBlobStore() }));

Deno.test("createMemoryBlobStore() keeps stores apart", async () => {
  const a = createMemoryBlobStore();
  const b = createMemoryBlobStore();
  await a.put("k", new Uint8Array([1]));
  assert.equal(await b.get("k"), undefined);
});
