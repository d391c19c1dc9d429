/**
 * The MESH service on a real loopback socket for tests and the MESH benchmark: `createMeshApp`
 * mounted at `/messageexchange`, served by `Deno.serve` on 127.0.0.1 and an ephemeral port, over
 * Deno KV records (in memory) and file blobs in a fresh temporary directory, with a logger that
 * keeps its lines instead of printing them. `close()` stops the server and removes everything.
 *
 * @module
 */
import { Hono } from "hono";
import { systemClock } from "../app-deps.ts";
import type { RouteGpProvider } from "../mesh/gpprovider-routing-types.ts";
import { createMeshApp } from "../mesh/mesh-app.ts";
import { defaultMeshConfig, type MeshConfig } from "../mesh/mesh-config.ts";
import { createDenoKvRecordsStore } from "../store/deno-kv-records-store.ts";
import { createFileBlobStore } from "../store/file-blob-store.ts";

/** What {@linkcode serveMeshOnLoopback} can be told. */
export interface MeshLoopbackOptions {
  /** Configuration (default: the local world). */
  readonly config?: MeshConfig;
  /** Extra send/receive permissions, e.g. NHS's npm client's fixed `API-DOCS-TEST` workflow. */
  readonly grant?: ReadonlyArray<
    { readonly mailbox: string; readonly send?: string[]; readonly receive?: string[] }
  >;
  /** GPPROVIDER routing. */
  readonly routeGpProvider?: RouteGpProvider;
}

/** A running MESH service. */
export interface MeshLoopback {
  /** `http://127.0.0.1:{port}` (MESH paths start with `/messageexchange`). */
  readonly url: string;
  /** Every audit and error line the service wrote. */
  readonly logged: Array<Readonly<Record<string, unknown>>>;
  /** Stops the server, closes the KV store and removes the blob directory. */
  close(): Promise<void>;
}

/**
 * Serves the MESH service on loopback.
 *
 * @example
 * ```ts
 * const mesh = await serveMeshOnLoopback();
 * const ping = await fetch(`${mesh.url}/messageexchange/_ping`);
 * await ping.body?.cancel();
 * await mesh.close();
 * ```
 */
export async function serveMeshOnLoopback(
  options: MeshLoopbackOptions = {},
): Promise<MeshLoopback> {
  const base = options.config ?? defaultMeshConfig;
  const config: MeshConfig = {
    ...base,
    mailboxes: base.mailboxes.map((mailbox) => {
      const grants = (options.grant ?? []).filter((g) => g.mailbox === mailbox.id);
      return {
        ...mailbox,
        send: [...new Set([...mailbox.send, ...grants.flatMap((g) => g.send ?? [])])],
        receive: [...new Set([...mailbox.receive, ...grants.flatMap((g) => g.receive ?? [])])],
      };
    }),
  };
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-mesh-" });
  // Whatever fails from here on, the directory goes with it.
  const removeDir = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  let kv: Deno.Kv | undefined;
  try {
    kv = await Deno.openKv(":memory:");
    const logged: Array<Readonly<Record<string, unknown>>> = [];
    const mesh = createMeshApp({
      config,
      records: createDenoKvRecordsStore(kv),
      blobs: createFileBlobStore(dir),
      clock: systemClock,
      logger: { log: (record) => logged.push(record) },
      randomUUID: () => crypto.randomUUID(),
      ...(options.routeGpProvider ? { routeGpProvider: options.routeGpProvider } : {}),
    });
    const app = new Hono().route("/messageexchange", mesh);
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    const openKv = kv;
    return {
      url: `http://127.0.0.1:${server.addr.port}`,
      logged,
      async close() {
        try {
          await server.shutdown();
        } finally {
          openKv.close();
          await removeDir();
        }
      },
    };
  } catch (error) {
    kv?.close();
    await removeDir();
    throw error;
  }
}
