/**
 * A server process of the MESH benchmark, so its peak memory is its own: `--mode mesh` serves
 * gpc-edge's MESH service as `task start` does on Deno (Deno KV in a SQLite file, bodies as files,
 * both under `--dir`); `--mode baseline` is a bare `Deno.serve` that streams an upload into a file
 * and streams a file back — no authentication, no records, and no sync to disk (the MESH blob
 * store syncs every chunk before it answers 202, so the gap includes that durability). Prints one
 * JSON line
 * `{"url": …}` when it listens on 127.0.0.1.
 *
 * Usage: `deno run --allow-all bench/mesh/mesh-server.ts --mode mesh|baseline --dir DIR`
 *
 * @module
 */
import { Hono } from "hono";
import { parseArgs } from "node:util";
import { systemClock } from "../../worker/app-deps.ts";
import { createMeshApp } from "../../worker/mesh/mesh-app.ts";
import { defaultMeshConfig } from "../../worker/mesh/mesh-config.ts";
import { createDenoKvRecordsStore } from "../../worker/store/deno-kv-records-store.ts";
import { createFileBlobStore } from "../../worker/store/file-blob-store.ts";

/** The bare file-stream server: `POST /files/{name}` stores, `GET /files/{name}` streams back. */
export function baselineHandler(dir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const name = /^\/files\/([A-Za-z0-9_-]{1,64})$/.exec(new URL(request.url).pathname)?.[1];
    if (name === undefined) return new Response(null, { status: 404 });
    const path = `${dir}/${name}`;
    if (request.method === "POST" && request.body) {
      const file = await Deno.open(path, { write: true, create: true, truncate: true });
      await request.body.pipeTo(file.writable, { preventClose: true });
      file.close();
      return new Response(null, { status: 201 });
    }
    if (request.method === "GET") {
      const file = await Deno.open(path, { read: true });
      const { size } = await file.stat();
      return new Response(file.readable, {
        headers: { "Content-Type": "application/octet-stream", "Content-Length": String(size) },
      });
    }
    return new Response(null, { status: 405 });
  };
}

/** The MESH service over Deno KV (a file) and file blobs, audit lines discarded. */
export async function meshHandler(dir: string): Promise<(request: Request) => Promise<Response>> {
  const kv = await Deno.openKv(`${dir}/mesh.sqlite3`);
  const mesh = createMeshApp({
    config: defaultMeshConfig,
    records: createDenoKvRecordsStore(kv),
    blobs: createFileBlobStore(`${dir}/blobs`),
    clock: systemClock,
    logger: { log: () => {} },
    randomUUID: () => crypto.randomUUID(),
  });
  const app = new Hono().route("/messageexchange", mesh);
  return async (request) => await app.fetch(request);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { mode: { type: "string" }, dir: { type: "string" } },
  });
  if ((values.mode !== "mesh" && values.mode !== "baseline") || !values.dir) {
    console.error("usage: mesh-server.ts --mode mesh|baseline --dir DIR");
    Deno.exit(2);
  }
  const handler = values.mode === "mesh"
    ? await meshHandler(values.dir)
    : baselineHandler(values.dir);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` })),
  }, handler);
  Deno.addSignalListener("SIGTERM", () => void server.shutdown());
  await server.finished;
}
