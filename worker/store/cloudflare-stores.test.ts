/**
 * The Cloudflare records and blob adapters for real: the probe Worker (cloudflare-stores.probe.ts,
 * bundled as `deno task build:cloudflare` bundles the Worker) runs under workerd through Miniflare
 * with a SQLite-backed Durable Object and an R2 bucket, and each adapter passes its shared suite.
 */
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { bundleForWorkerd } from "../testing/workerd-bundle.ts";
import { fakeClock } from "../testing/cache-store-behaviour.ts";
import { blobStoreBehaviourSteps } from "../testing/blob-store-behaviour.ts";
import { recordsStoreBehaviourSteps } from "../testing/records-store-behaviour.ts";
import {
  type BlobInfo,
  type BlobPutOptions,
  type BlobStore,
  BlobTooLargeError,
} from "./blob-store.ts";
import {
  createDurableObjectRecordsStore,
  type DurableObjectNamespaceLike,
} from "./durable-object-records-store.ts";

const ORIGIN = "http://probe.local";

async function startProbe(): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: [{
      type: "ESModule",
      path: "probe.js",
      contents: await bundleForWorkerd(new URL("./cloudflare-stores.probe.ts", import.meta.url)),
    }],
    compatibilityDate: "2026-04-01",
    durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
    r2Buckets: ["GPC_EDGE_BLOBS"],
  });
  await mf.ready;
  return mf;
}

/** A `BlobStore` that calls `createR2BlobStore` inside the probe over HTTP, errors mapped back. */
function probeBlobStore(mf: Miniflare, root: string): BlobStore {
  const call = async (
    method: string,
    path: string,
    params: Record<string, string>,
    body?: unknown,
  ) => {
    const url = `${ORIGIN}${path}?${new URLSearchParams(params)}`;
    const response = await mf.dispatchFetch(url, { method, body: body as never, duplex: "half" });
    if (response.status < 400) return response;
    const { error } = await response.json() as { error: string };
    if (response.status === 413) throw new BlobTooLargeError(Number(params.maxBytes));
    throw response.status === 400 ? new TypeError(error) : new Error(error);
  };
  // Each step gets its own key space; an invalid key stays invalid with the root in front.
  const scoped = (key: string) => key === "" || key.startsWith("/") ? key : `${root}/${key}`;
  return {
    async put(key, body, options: BlobPutOptions = {}) {
      const params: Record<string, string> = { key: scoped(key) };
      if (options.maxBytes !== undefined) params.maxBytes = String(options.maxBytes);
      if (options.length !== undefined) params.length = String(options.length);
      return await (await call("PUT", "/blob", params, body)).json() as BlobInfo;
    },
    async get(key) {
      const response = await mf.dispatchFetch(
        `${ORIGIN}/blob?key=${encodeURIComponent(scoped(key))}`,
      );
      if (response.status === 404) return (await response.arrayBuffer(), undefined);
      if (response.status === 400) throw new TypeError(await response.text());
      assert.equal(response.status, 200);
      return { body: response.body!, size: Number(response.headers.get("X-Blob-Size")) };
    },
    async delete(key) {
      await call("DELETE", "/blob", { key: scoped(key) });
    },
    async deletePrefix(prefix) {
      await call("DELETE", "/blob-prefix", {
        prefix: prefix.startsWith("/") ? prefix : `${root}/${prefix}`,
      });
    },
  };
}

Deno.test({
  name: "createDurableObjectRecordsStore() with the records Durable Object under workerd",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const mf = await startProbe();
    try {
      const namespace = await mf.getDurableObjectNamespace(
        "GPC_EDGE_RECORDS",
      ) as unknown as DurableObjectNamespaceLike<unknown>;
      let object = 0;
      await recordsStoreBehaviourSteps(t, () => {
        const clock = fakeClock();
        const name = `behaviour-${object++}`;
        return {
          store: createDurableObjectRecordsStore(namespace, { name, now: clock.now }),
          ...clock,
        };
      });
      await t.step("the object refuses a request outside the protocol", async () => {
        const stub = namespace.get(namespace.idFromName("protocol"));
        const bad = await stub.fetch("https://records/", {
          method: "POST",
          body: '{"op":"drop","now":1}',
        });
        assert.equal(bad.status, 400);
        assert.match(await bad.text(), /op: getMany, commit or list/);
      });
      await t.step("objects of different names hold different stores", async () => {
        const a = createDurableObjectRecordsStore(namespace, { name: "a" });
        const b = createDurableObjectRecordsStore(namespace, { name: "b" });
        await a.commit([], [{ type: "set", key: "k", value: 1 }]);
        assert.equal((await a.get("k"))?.value, 1);
        assert.equal(await b.get("k"), undefined);
      });
    } finally {
      await mf.dispose();
    }
  },
});

Deno.test({
  name: "createR2BlobStore() on an R2 bucket under workerd",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const mf = await startProbe();
    try {
      let step = 0;
      await blobStoreBehaviourSteps(t, () => ({ store: probeBlobStore(mf, `step-${step++}`) }));
    } finally {
      await mf.dispose();
    }
  },
});
