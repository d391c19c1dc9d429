/**
 * The messaging world for tests, on loopback with free ports: the PDS sandbox, the reference
 * provider over a provider store the test holds, the SDS sandbox, and gpc-edge (its Deno entry:
 * SSP, directory and MESH with GPPROVIDER routing through PDS), plus MESH clients of the local
 * mailboxes and the practice poller over the same store. Like `startWorld`, but the provider's
 * store is the test's (the poller files into it; the crash test opens it in another process).
 *
 * @module
 */
import { createMeshClient, type MeshClient } from "../../client/mesh/mesh-client.ts";
import { sspRequestInit } from "../../client/ssp-request.ts";
import { defaultConfig, type Logger, serveGpcEdge } from "../../worker/deno.ts";
import { createPdsSandbox } from "../pds/pds-sandbox.ts";
import { createProviderSandbox } from "../provider/provider-sandbox.ts";
import { denoKvProviderStore, type ProviderStore } from "../provider/provider-store.ts";
import { createSdsSandbox } from "../sds/sds-sandbox.ts";
import {
  createPracticeMeshPoller,
  type PracticeMeshPoller,
  type PracticeMeshPollerOptions,
} from "./practice-mesh-poller.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** A running messaging world. */
export interface MessagingWorld {
  readonly edgeUrl: string;
  readonly pdsUrl: string;
  readonly providerUrl: string;
  /** The provider's store (filed documents, processing states). */
  readonly store: ProviderStore;
  /** gpc-edge's and the poller's log lines. */
  readonly logged: Array<Readonly<Record<string, unknown>>>;
  /** A MESH client of a local mailbox. */
  mesh(mailboxId: string, meshFetch?: typeof globalThis.fetch): MeshClient;
  /** A practice poller over the world's MESH, PDS and store (not started). */
  poller(options?: Partial<PracticeMeshPollerOptions>): PracticeMeshPoller;
  /** An SSP request to the provider's documents root through gpc-edge. */
  documents(interaction: string, path: string): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

function serve(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => app.fetch(request),
  );
  return { server, url: `http://127.0.0.1:${server.addr.port}` };
}

/**
 * Starts the world. `kvPath` is the provider store's Deno KV file (default in memory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const world = await startMessagingWorld();
 * try {
 *   assert.deepEqual(await world.mesh("B82617OT1").inbox(), []);
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function startMessagingWorld(
  options: { readonly kvPath?: string } = {},
): Promise<MessagingWorld> {
  const logged: Array<Readonly<Record<string, unknown>>> = [];
  const logger: Logger = { log: (record) => logged.push(record) };
  const kv = await Deno.openKv(options.kvPath ?? ":memory:");
  const store = denoKvProviderStore(kv);
  const pds = serve(createPdsSandbox());
  const provider = serve(createProviderSandbox({ store, pdsBaseUrl: pds.url }));
  const sds = serve(createSdsSandbox({ providerBaseUrl: provider.url }));
  const edge = await serveGpcEdge({
    config: {
      ...defaultConfig,
      directory: { ...defaultConfig.directory, pdsBaseUrl: pds.url, sdsBaseUrl: sds.url },
    },
    dataDir: ":memory:",
    port: 0,
    logger,
  });
  const documentsRoot = `${provider.url}/B82617/STU3/1/gpconnect/documents/fhir`;
  return {
    edgeUrl: edge.url,
    pdsUrl: pds.url,
    providerUrl: provider.url,
    store,
    logged,
    mesh: (mailboxId, meshFetch) =>
      createMeshClient({
        baseUrl: edge.url,
        mailboxId,
        password: "password",
        sharedKey: "TestKey",
        ...(meshFetch ? { fetch: meshFetch } : {}),
      }),
    poller: (overrides = {}) =>
      createPracticeMeshPoller({
        meshUrl: edge.url,
        password: "password",
        sharedKey: "TestKey",
        store,
        pdsBaseUrl: pds.url,
        logger,
        ...overrides,
      }),
    async documents(interaction, path) {
      const { url, headers } = sspRequestInit({
        sspBaseUrl: edge.url,
        providerRoot: documentsRoot,
        fhirPath: path,
        interactionId: `urn:nhs:names:services:gpconnect:documents:fhir:rest:${interaction}`,
      });
      const response = await fetch(url, { headers });
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await edge.close();
      await Promise.all([pds.server, provider.server, sds.server].map((s) => s.shutdown()));
      kv.close();
    },
  };
}
