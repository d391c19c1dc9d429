/**
 * A test-only Worker that runs the Cloudflare store adapters inside workerd (under Miniflare) for
 * cloudflare-stores.test.ts: it exports the records Durable Object, and serves the R2 blob store
 * over HTTP so the shared blob behaviour runs against `createR2BlobStore` in its real runtime.
 *
 * `PUT /blob?key=…[&maxBytes=…][&length=…]` (body streamed) → `{ size }`; `GET /blob?key=…` →
 * the body, size in `X-Blob-Size`, or 404; `DELETE /blob?key=…`; `DELETE /blob-prefix?prefix=…`.
 * A `BlobTooLargeError` answers 413, a `TypeError` (a bad key) 400, anything else 500.
 *
 * @module
 */
import { type BlobPutOptions, BlobTooLargeError } from "./blob-store.ts";
import { createR2BlobStore, type R2BucketLike } from "./r2-blob-store.ts";

export { RecordsDurableObject } from "./records-durable-object.ts";

const number = (value: string | null) => value === null ? undefined : Number(value);

export default {
  async fetch(request: Request, env: { GPC_EDGE_BLOBS: R2BucketLike }): Promise<Response> {
    const url = new URL(request.url);
    const blobs = createR2BlobStore(env.GPC_EDGE_BLOBS);
    const key = url.searchParams.get("key") ?? "";
    try {
      switch (`${request.method} ${url.pathname}`) {
        case "PUT /blob": {
          const maxBytes = number(url.searchParams.get("maxBytes"));
          const length = number(url.searchParams.get("length"));
          const options: BlobPutOptions = {
            ...(maxBytes === undefined ? {} : { maxBytes }),
            ...(length === undefined ? {} : { length }),
          };
          return Response.json(await blobs.put(key, request.body ?? new Uint8Array(0), options));
        }
        case "GET /blob": {
          const blob = await blobs.get(key);
          if (!blob) return new Response(null, { status: 404 });
          return new Response(blob.body, { headers: { "X-Blob-Size": String(blob.size) } });
        }
        case "DELETE /blob":
          await blobs.delete(key);
          return new Response(null, { status: 204 });
        case "DELETE /blob-prefix":
          await blobs.deletePrefix(url.searchParams.get("prefix") ?? "");
          return new Response(null, { status: 204 });
      }
      return new Response(null, { status: 404 });
    } catch (error) {
      const status = error instanceof BlobTooLargeError
        ? 413
        : error instanceof TypeError
        ? 400
        : 500;
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, {
        status,
      });
    }
  },
};
