/**
 * How `createR2BlobStore` drives the R2 API, seen through a recording bucket: one `put` for a
 * body within a part, equal parts then a completion for a longer one, an abort when a long body
 * fails. (The adapter's behaviour against a real R2 bucket under workerd is in
 * cloudflare-stores.test.ts.)
 */
import assert from "node:assert/strict";
import { patternStream } from "../testing/blob-store-behaviour.ts";
import { BlobTooLargeError } from "./blob-store.ts";
import { createR2BlobStore, R2_PART_BYTES, type R2BucketLike } from "./r2-blob-store.ts";

function recordingBucket() {
  const calls: string[] = [];
  const bucket: R2BucketLike = {
    async put(key, value) {
      const size = value instanceof Uint8Array
        ? value.length
        : (await new Response(value).arrayBuffer()).byteLength;
      calls.push(`put ${key} ${size}`);
      return {};
    },
    get: () => Promise.resolve(null),
    delete: (keys) => Promise.resolve(void calls.push(`delete ${[keys].flat().join(",")}`)),
    list: () => Promise.resolve({ objects: [], truncated: false }),
    createMultipartUpload(key) {
      calls.push(`create ${key}`);
      return Promise.resolve({
        uploadPart(partNumber, value) {
          calls.push(`part ${partNumber} ${value.length}`);
          return Promise.resolve({ partNumber, etag: `e${partNumber}` });
        },
        complete(parts) {
          calls.push(`complete ${parts.map((part) => part.etag).join(",")}`);
          return Promise.resolve({});
        },
        abort: () => Promise.resolve(void calls.push("abort")),
      });
    },
  };
  return { bucket, calls };
}

Deno.test("createR2BlobStore() puts a body within one part with a single put", async () => {
  const { bucket, calls } = recordingBucket();
  const blobs = createR2BlobStore(bucket);
  assert.deepEqual(await blobs.put("a", patternStream(R2_PART_BYTES)), { size: R2_PART_BYTES });
  assert.deepEqual(await blobs.put("b", new Uint8Array(3)), { size: 3 });
  assert.deepEqual(calls, [`put a ${R2_PART_BYTES}`, "put b 3"]);
});

Deno.test("createR2BlobStore() uploads a longer body in equal parts, then completes", async () => {
  const { bucket, calls } = recordingBucket();
  const size = 2 * R2_PART_BYTES + 5;
  assert.deepEqual(await createR2BlobStore(bucket).put("m/1", patternStream(size)), { size });
  assert.deepEqual(calls, [
    "create m/1",
    `part 1 ${R2_PART_BYTES}`,
    `part 2 ${R2_PART_BYTES}`,
    "part 3 5",
    "complete e1,e2,e3",
  ]);
});

Deno.test("createR2BlobStore() aborts the upload when a long body fails or goes past maxBytes", async () => {
  const { bucket, calls } = recordingBucket();
  const blobs = createR2BlobStore(bucket);
  const tooBig = blobs.put("big", patternStream(2 * R2_PART_BYTES + 1), {
    maxBytes: 2 * R2_PART_BYTES,
  });
  await assert.rejects(tooBig, BlobTooLargeError);
  await assert.rejects(
    blobs.put("gone", patternStream(3 * R2_PART_BYTES, { failAfter: R2_PART_BYTES + 1 })),
  );
  assert.deepEqual(calls, [
    "create big",
    `part 1 ${R2_PART_BYTES}`,
    "abort",
    "create gone",
    `part 1 ${R2_PART_BYTES}`,
    "abort",
  ]);
});

Deno.test("createR2BlobStore() deletes a prefix page by page", async () => {
  const { bucket, calls } = recordingBucket();
  const pages = [["p/1", "p/2"], ["p/3"]];
  const blobs = createR2BlobStore({
    ...bucket,
    list: ({ cursor }) => {
      const page = Number(cursor ?? 0);
      const objects = pages[page]!.map((key) => ({ key }));
      return Promise.resolve(
        page + 1 < pages.length
          ? { objects, truncated: true, cursor: String(page + 1) }
          : { objects, truncated: false },
      );
    },
  });
  await blobs.deletePrefix("p/");
  assert.deepEqual(calls, ["delete p/1,p/2", "delete p/3"]);
});
