/**
 * {@linkcode BlobStore} over files under one directory (on Deno, the data directory's `blobs/`).
 * Deno-only: imported by the Deno entry and tests, never by the runtime-neutral core.
 *
 * Layout: key `mesh/m1/1` is the file `mesh.d/m1.d/1.blob`. Directories end in `.d` and blobs in
 * `.blob`, so `a` and `a/b` can both be blobs (as on R2), and a key, whose characters are checked
 * first, can never name anything outside the directory.
 *
 * A put streams into a temporary file beside its target (`<name>.tmp-<uuid>`, never a key's
 * file), checking `maxBytes` as bytes arrive, syncs it to disk and renames it over the target:
 * a reader sees the old blob or the whole new one, never part of one. A put that fails for any
 * reason removes its temporary file. Directories emptied by a delete are removed.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { assertBlobKey, assertBlobPrefix, checkedChunks } from "./blob-rules.ts";
import type { BlobBody, BlobInfo, BlobPutOptions, BlobStore } from "./blob-store.ts";

/** Attempts to create a temporary file, should a concurrent delete remove its new directory. */
const CREATE_ATTEMPTS = 3;

/**
 * Stores blobs as files under `dir` (created on the first put).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createFileBlobStore } from "./file-blob-store.ts";
 * const dir = await Deno.makeTempDir();
 * try {
 *   const blobs = createFileBlobStore(dir);
 *   await blobs.put("mesh/m1/1", new Blob(["chunk one"]).stream(), { maxBytes: 100 * 1024 * 1024 });
 *   const read = await blobs.get("mesh/m1/1");
 *   assert.equal(await new Response(read!.body).text(), "chunk one");
 * } finally {
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export function createFileBlobStore(dir: string): BlobStore {
  const root = resolve(dir);
  const paths = (key: string) => {
    const segments = key.split("/");
    const name = segments.pop()!;
    const parent = join(root, ...segments.map((segment) => `${segment}.d`));
    return { parent, name, file: join(parent, `${name}.blob`) };
  };
  /** Removes `from` and its parents below `root` while they are empty. */
  const pruneEmpty = async (from: string) => {
    for (
      let path = from;
      path.length > root.length && path.startsWith(root);
      path = dirname(path)
    ) {
      try {
        await Deno.remove(path);
      } catch {
        return; // not empty (or gone): stop
      }
    }
  };
  return {
    async put(
      key: string,
      body: ReadableStream<Uint8Array> | Uint8Array,
      options: BlobPutOptions = {},
    ): Promise<BlobInfo> {
      assertBlobKey(key);
      const { parent, name, file } = paths(key);
      const temp = join(parent, `${name}.tmp-${crypto.randomUUID()}`);
      const handle = await createTemp(parent, temp);
      let open = true;
      try {
        let size = 0;
        for await (const chunk of checkedChunks(body, options)) {
          for (let written = 0; written < chunk.length;) {
            written += await handle.write(chunk.subarray(written));
          }
          size += chunk.length;
        }
        await handle.sync();
        handle.close();
        open = false;
        await Deno.rename(temp, file);
        return { size };
      } catch (error) {
        if (open) handle.close();
        await Deno.remove(temp).catch(() => {});
        throw error;
      }
    },
    async get(key: string): Promise<BlobBody | undefined> {
      assertBlobKey(key);
      let handle: Deno.FsFile;
      try {
        handle = await Deno.open(paths(key).file, { read: true });
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        // The stream closes the file when it ends or its reader cancels it.
        return { body: handle.readable, size };
      } catch (error) {
        handle.close();
        throw error;
      }
    },
    async delete(key: string): Promise<void> {
      assertBlobKey(key);
      const { parent, file } = paths(key);
      await removeIfPresent(file, false);
      await pruneEmpty(parent);
    },
    async deletePrefix(prefix: string): Promise<void> {
      assertBlobPrefix(prefix);
      const segments = prefix.split("/");
      const partial = segments.pop()!;
      const base = join(root, ...segments.map((segment) => `${segment}.d`));
      if (partial === "" && segments.length > 0) {
        await removeIfPresent(base, true);
        await pruneEmpty(dirname(base));
        return;
      }
      const doomed: string[] = [];
      try {
        for await (const entry of Deno.readDir(base)) {
          const stem = entry.isDirectory && entry.name.endsWith(".d")
            ? entry.name.slice(0, -2)
            : entry.isFile && entry.name.endsWith(".blob")
            ? entry.name.slice(0, -5)
            : undefined; // a temporary file of a put in progress
          if (stem?.startsWith(partial)) doomed.push(join(base, entry.name));
        }
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return;
        throw error;
      }
      for (const path of doomed) await removeIfPresent(path, true);
      await pruneEmpty(base);
    },
  };
}

/** Creates `temp` (and its directory), retrying if a concurrent delete pruned the directory. */
async function createTemp(parent: string, temp: string): Promise<Deno.FsFile> {
  for (let attempt = 1;; attempt++) {
    await Deno.mkdir(parent, { recursive: true });
    try {
      return await Deno.open(temp, { write: true, createNew: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || attempt >= CREATE_ATTEMPTS) throw error;
    }
  }
}

async function removeIfPresent(path: string, recursive: boolean): Promise<void> {
  try {
    await Deno.remove(path, { recursive });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
