import assert from "node:assert/strict";
import { blobStoreBehaviour } from "../testing/blob-store-behaviour.ts";
import { createFileBlobStore } from "./file-blob-store.ts";

async function tempStore() {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-blobs-" });
  return {
    dir,
    store: createFileBlobStore(`${dir}/blobs`),
    close: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Every file and directory under `dir`, relative, sorted. */
async function tree(dir: string, base = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${base}`)) {
    const path = base ? `${base}/${entry.name}` : entry.name;
    names.push(path, ...(entry.isDirectory ? await tree(dir, path) : []));
  }
  return names.sort();
}

blobStoreBehaviour("createFileBlobStore()", tempStore);

Deno.test("createFileBlobStore() lays keys out as .d directories and .blob files, nothing else", async () => {
  const { dir, store, close } = await tempStore();
  try {
    await store.put("a", new Uint8Array([1]));
    await store.put("a/b", new Uint8Array([2]));
    await assert.rejects(store.put("a/c", new Uint8Array(5), { maxBytes: 4 }));
    await assert.rejects(
      store.put("a/d", new ReadableStream({ pull: (c) => c.error(new Error("gone")) })),
    );
    assert.deepEqual(await tree(`${dir}/blobs`), ["a.blob", "a.d", "a.d/b.blob"]);
    await store.delete("a/b");
    assert.deepEqual(await tree(`${dir}/blobs`), ["a.blob"], "the emptied directory went too");
    assert.deepEqual([...(await (await store.get("a"))!.body.getReader().read()).value!], [1]);
  } finally {
    await close();
  }
});

Deno.test("createFileBlobStore() reads a blob replaced or deleted while it is being read", async () => {
  const { store, close } = await tempStore();
  try {
    await store.put("m/1", new TextEncoder().encode("old body"));
    const reading = await store.get("m/1");
    await store.put("m/1", new TextEncoder().encode("new body"));
    const replaced = await store.get("m/1");
    await store.delete("m/1");
    assert.equal(await new Response(reading!.body).text(), "old body");
    assert.equal(await new Response(replaced!.body).text(), "new body");
    assert.equal(await store.get("m/1"), undefined);
  } finally {
    await close();
  }
});
