/**
 * The behaviour every {@linkcode BlobStore} adapter shares, registered from each adapter's test
 * file (memory, files, R2). Test-only. Large bodies come from a bounded generator stream and are
 * compared as they stream back, so no test holds a multi-MB body whole.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type BlobStore, BlobTooLargeError } from "../store/blob-store.ts";

/** A blob store under test. */
export interface BlobStoreUnderTest {
  readonly store: BlobStore;
  /** Releases what the store holds (e.g. removes its directory). */
  close?(): void | Promise<void>;
}

const MiB = 1024 * 1024;

/** The byte at `offset` of pattern `seed`: deterministic, and different for every seed. */
const patternByte = (offset: number, seed: number) =>
  (offset * 31 + seed * 7 + (offset >> 13)) & 0xff;

/**
 * A stream of `size` pattern bytes in `chunk`-byte pieces, made as it is read. With `failAfter`,
 * it errors once that many bytes have been read (a client that went away mid-upload).
 */
export function patternStream(
  size: number,
  options: { seed?: number; chunk?: number; failAfter?: number } = {},
): ReadableStream<Uint8Array> {
  const { seed = 1, chunk = 64 * 1024 + 1, failAfter } = options;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && offset >= failAfter) {
        controller.error(new Error("the client went away"));
        return;
      }
      if (offset >= size) return controller.close();
      const piece = new Uint8Array(Math.min(chunk, size - offset));
      for (let i = 0; i < piece.length; i++) piece[i] = patternByte(offset + i, seed);
      offset += piece.length;
      controller.enqueue(piece);
    },
  });
}

/** Reads `body` to its end, asserting it is exactly `size` bytes of pattern `seed`. */
export async function assertPattern(
  body: ReadableStream<Uint8Array>,
  size: number,
  seed = 1,
): Promise<void> {
  let offset = 0;
  for await (const chunk of body) {
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== patternByte(offset + i, seed)) assert.fail(`byte ${offset + i} differs`);
    }
    offset += chunk.length;
  }
  assert.equal(offset, size);
}

async function text(store: BlobStore, key: string): Promise<string | undefined> {
  const blob = await store.get(key);
  return blob && await new Response(blob.body).text();
}

const bytes = (value: string) => new TextEncoder().encode(value);

const steps: ReadonlyArray<readonly [string, (store: BlobStore) => Promise<void>]> = [
  [
    "put() then get() streams the same bytes back; put() replaces; absent is undefined",
    async (store) => {
      assert.deepEqual(await store.put("a/b.txt", bytes("first")), { size: 5 });
      const blob = await store.get("a/b.txt");
      assert.equal(blob?.size, 5);
      assert.equal(await new Response(blob!.body).text(), "first");
      await store.put("a/b.txt", new Blob(["second!"]).stream());
      assert.equal(await text(store, "a/b.txt"), "second!");
      assert.equal((await store.get("a/b.txt"))?.size, 7);
      assert.equal(await store.get("a/none"), undefined);
      assert.deepEqual(await store.put("empty", new Uint8Array(0)), { size: 0 });
      assert.equal(await text(store, "empty"), "");
    },
  ],
  [
    "a multi-MB stream goes in and comes out byte-identical, with or without a length",
    async (store) => {
      const unknown = 12 * MiB + 123;
      assert.deepEqual(await store.put("big/unknown", patternStream(unknown, { seed: 2 })), {
        size: unknown,
      });
      const known = 6 * MiB + 5;
      const put = await store.put("big/known", patternStream(known, { seed: 3 }), {
        length: known,
        maxBytes: known,
      });
      assert.deepEqual(put, { size: known });
      const first = await store.get("big/unknown");
      assert.equal(first?.size, unknown);
      await assertPattern(first!.body, unknown, 2);
      await assertPattern((await store.get("big/known"))!.body, known, 3);
    },
  ],
  ["maxBytes: a body at the limit is stored, one byte over stores nothing", async (store) => {
    await store.put("limit/old", bytes("old"));
    await assert.rejects(
      store.put("limit/old", patternStream(1000), { maxBytes: 999 }),
      BlobTooLargeError,
    );
    await assert.rejects(store.put("limit/old", bytes("four"), { maxBytes: 3 }), BlobTooLargeError);
    await assert.rejects(
      store.put("limit/old", patternStream(10), { maxBytes: 9, length: 10 }),
      BlobTooLargeError,
    );
    assert.equal(await text(store, "limit/old"), "old");
    await assert.rejects(
      store.put("limit/new", patternStream(9 * MiB + 1), { maxBytes: 9 * MiB }),
      BlobTooLargeError,
    );
    assert.equal(await store.get("limit/new"), undefined);
    await store.put("limit/new", patternStream(1000), { maxBytes: 1000 });
    await assertPattern((await store.get("limit/new"))!.body, 1000);
  }],
  ["a body that errors midway stores nothing and keeps the old blob", async (store) => {
    await store.put("fail/old", bytes("old"));
    await assert.rejects(store.put("fail/old", patternStream(1000, { failAfter: 100, chunk: 50 })));
    await assert.rejects(store.put("fail/new", patternStream(1000, { failAfter: 100, chunk: 50 })));
    // Past 8 MiB, so an adapter that uploads in parts (R2) has stored one before the failure.
    await assert.rejects(store.put("fail/big", patternStream(12 * MiB, { failAfter: 9 * MiB })));
    const known = { length: 1000 };
    await assert.rejects(
      store.put("fail/known", patternStream(1000, { failAfter: 100, chunk: 50 }), known),
    );
    assert.equal(await text(store, "fail/old"), "old");
    assert.equal(await store.get("fail/new"), undefined);
    assert.equal(await store.get("fail/big"), undefined);
    assert.equal(await store.get("fail/known"), undefined);
  }],
  ["a body shorter or longer than its declared length stores nothing", async (store) => {
    await assert.rejects(store.put("length/short", patternStream(9), { length: 10 }));
    await assert.rejects(store.put("length/long", patternStream(11), { length: 10 }));
    assert.deepEqual([await store.get("length/short"), await store.get("length/long")], [
      undefined,
      undefined,
    ]);
  }],
  ["concurrent puts to one key leave one whole body", async (store) => {
    const size = 2 * MiB + 7;
    await Promise.all([1, 2, 3].map((seed) => store.put("race", patternStream(size, { seed }))));
    const blob = await store.get("race");
    assert.equal(blob?.size, size);
    const reader = blob!.body.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    const seed = [1, 2, 3].find((s) =>
      value![0] === patternByte(0, s) && value![1] === patternByte(1, s)
    )!;
    await assertPattern((await store.get("race"))!.body, size, seed);
  }],
  ["delete() and deletePrefix() remove exactly what they name", async (store) => {
    const keys = ["mesh/m1/1", "mesh/m1/2", "mesh/m10/1", "mesh/m2/1", "other"];
    for (const key of keys) await store.put(key, bytes(key));
    await store.delete("mesh/m1/2");
    await store.delete("mesh/absent");
    assert.equal(await store.get("mesh/m1/2"), undefined);
    await store.deletePrefix("mesh/m1/");
    const left = async () =>
      (await Promise.all(keys.map((key) => text(store, key)))).map((t) => t ?? "-");
    assert.deepEqual(await left(), ["-", "-", "mesh/m10/1", "mesh/m2/1", "other"]);
    await store.deletePrefix("mesh/m");
    assert.deepEqual(await left(), ["-", "-", "-", "-", "other"]);
    await store.deletePrefix("nothing/");
    await store.put("mesh/m1/1", bytes("again"));
    assert.equal(await text(store, "mesh/m1/1"), "again");
  }],
  ["bad keys and prefixes are rejected", async (store) => {
    const badKeys = [
      "",
      "/abs",
      "../x",
      "a/../b",
      "a/./b",
      "a//b",
      "a/",
      ".",
      "a b",
      "\u00e9",
      "a\\b",
      "a:b",
    ];
    for (const key of badKeys) {
      await assert.rejects(store.put(key, bytes("x")), TypeError, key);
      await assert.rejects(store.get(key), TypeError, key);
      await assert.rejects(store.delete(key), TypeError, key);
    }
    for (const prefix of ["/", "../", "a/../", "a//", "\u00e9"]) {
      await assert.rejects(store.deletePrefix(prefix), TypeError, prefix);
    }
  }],
];

/** Registers one `Deno.test` per shared behaviour; `make` builds a fresh, empty store for each. */
export function blobStoreBehaviour(
  adapter: string,
  make: () => BlobStoreUnderTest | Promise<BlobStoreUnderTest>,
): void {
  for (const [behaviour, step] of steps) {
    Deno.test(`${adapter}: ${behaviour}`, () => runStep(step, make));
  }
}

/** Runs every shared behaviour as a step of one test (for a backend started once, e.g. Miniflare). */
export async function blobStoreBehaviourSteps(
  t: Deno.TestContext,
  make: () => BlobStoreUnderTest | Promise<BlobStoreUnderTest>,
): Promise<void> {
  for (const [behaviour, step] of steps) {
    assert.ok(await t.step(behaviour, () => runStep(step, make)), behaviour);
  }
}

async function runStep(
  step: (store: BlobStore) => Promise<void>,
  make: () => BlobStoreUnderTest | Promise<BlobStoreUnderTest>,
): Promise<void> {
  const subject = await make();
  try {
    await step(subject.store);
  } finally {
    await subject.close?.();
  }
}
