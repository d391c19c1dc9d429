/**
 * A MESH server process for the kill tests (mesh-socket.test.ts): the MESH sub-app over Deno KV
 * records and file blobs in `Deno.args[0]`, on 127.0.0.1 with a free port, which it prints as
 * its only output. Tests SIGKILL it mid-request and start another over the same directory.
 *
 * @module
 */
import { Hono } from "hono";
import { systemClock } from "../app-deps.ts";
import { createDenoKvRecordsStore } from "../store/deno-kv-records-store.ts";
import { createFileBlobStore } from "../store/file-blob-store.ts";
import { createMeshApp } from "./mesh-app.ts";
import { defaultMeshConfig } from "./mesh-config.ts";

const dir = Deno.args[0];
if (!dir) throw new Error("usage: mesh-test-server.ts <data dir>");
const kv = await Deno.openKv(`${dir}/records.sqlite`);
const mesh = createMeshApp({
  config: defaultMeshConfig,
  records: createDenoKvRecordsStore(kv),
  blobs: createFileBlobStore(`${dir}/blobs`),
  clock: systemClock,
  logger: { log: () => {} },
  randomUUID: () => crypto.randomUUID(),
});
const app = new Hono().route("/messageexchange", mesh);
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(port),
}, app.fetch);
