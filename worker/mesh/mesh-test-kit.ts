/**
 * Test scaffolding for the MESH service: a world (memory stores, a settable clock, a logger that
 * collects lines, the sub-app mounted at `/messageexchange`) and NHSMESH-authenticated requests.
 * Tests only; the worker never imports it.
 *
 * @module
 */
import { Hono } from "hono";
import type { Clock } from "../app-deps.ts";
import type { BlobStore } from "../store/blob-store.ts";
import type { RecordsStore } from "../store/records-store.ts";
import { createMemoryBlobStore } from "../store/memory-blob-store.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
import { buildNhsmeshAuthorization, meshTimestamp } from "../../gpconnect/mesh/nhsmesh-token.ts";
import type { RouteGpProvider } from "./gpprovider-routing-types.ts";
import { defaultMeshConfig, type MeshConfig } from "./mesh-config.ts";
import type { MeshDeps } from "./mesh-deps.ts";
import { createMeshApp } from "./mesh-app.ts";

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  /** Moves time forward. */
  advance(ms: number): void;
}

/** A clock starting at `start` that only moves when told to. */
export function manualClock(start = Date.UTC(2026, 11, 5, 9, 0, 0)): ManualClock {
  let now = start;
  return {
    now: () => now,
    sleep: () => Promise.resolve(),
    advance: (ms) => {
      now += ms;
    },
  };
}

/** One MESH service under test. */
export interface MeshWorld {
  readonly deps: MeshDeps;
  readonly clock: ManualClock;
  readonly logs: Array<Readonly<Record<string, unknown>>>;
  /** The parent app with the MESH sub-app at `/messageexchange`. */
  readonly app: Hono;
  /** Sends a request with a fresh valid token for `mailbox` (v2 `Accept` unless given). */
  request(mailbox: string, path: string, init?: RequestInit): Promise<Response>;
}

/** Options for {@linkcode createMeshWorld}. */
export interface MeshWorldOptions {
  readonly config?: Partial<MeshConfig>;
  readonly records?: RecordsStore;
  readonly blobs?: BlobStore;
  readonly routeGpProvider?: RouteGpProvider;
  readonly clock?: ManualClock;
}

/**
 * Builds a MESH world over memory stores (or the given ones), admin API on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const world = createMeshWorld();
 * const response = await world.request("B82617OT1", "/messageexchange/B82617OT1/inbox");
 * assert.deepEqual((await response.json()).messages, []);
 * ```
 */
export function createMeshWorld(options: MeshWorldOptions = {}): MeshWorld {
  const clock = options.clock ?? manualClock();
  const logs: Array<Readonly<Record<string, unknown>>> = [];
  const deps: MeshDeps = {
    config: { ...defaultMeshConfig, adminApi: true, ...options.config },
    records: options.records ?? createMemoryRecordsStore({ now: clock.now }),
    blobs: options.blobs ?? createMemoryBlobStore(),
    clock,
    logger: { log: (record) => logs.push(record) },
    randomUUID: () => crypto.randomUUID(),
    ...(options.routeGpProvider ? { routeGpProvider: options.routeGpProvider } : {}),
  };
  const app = new Hono().route("/messageexchange", createMeshApp(deps));
  return {
    deps,
    clock,
    logs,
    app,
    request: async (mailbox, path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has("authorization")) {
        headers.set("authorization", await token(clock, mailbox));
      }
      if (!headers.has("accept")) headers.set("accept", "application/vnd.mesh.v2+json");
      return await app.request(path, { ...init, headers });
    },
  };
}

/** A valid NHSMESH token for `mailbox` at the clock's time (local password and key). */
export function token(
  clock: Clock,
  mailbox: string,
  overrides: { password?: string; sharedKey?: string; nonce?: string; nonceCount?: number } = {},
): Promise<string> {
  return buildNhsmeshAuthorization({
    mailboxId: mailbox,
    password: overrides.password ?? "password",
    sharedKey: overrides.sharedKey ?? "TestKey",
    timestamp: meshTimestamp(clock.now()),
    ...(overrides.nonce !== undefined ? { nonce: overrides.nonce } : {}),
    ...(overrides.nonceCount !== undefined ? { nonceCount: overrides.nonceCount } : {}),
  });
}

/** Headers of a Send Document send from the consumer to practice B82617. */
export function sendHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "Mex-To": "B82617OT1",
    "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
    "Mex-Chunk-Range": "1:1",
    "Content-Type": "application/octet-stream",
    ...extra,
  };
}

/** Sends `body` from `sender` and returns the message id (asserting 202). */
export async function sendOne(
  world: MeshWorld,
  body: string | Uint8Array,
  extra: Record<string, string> = {},
  sender = "A11111OT1",
): Promise<string> {
  const response = await world.request(sender, `/messageexchange/${sender}/outbox`, {
    method: "POST",
    headers: sendHeaders(extra),
    body: body as BodyInit,
  });
  const json = await response.json();
  if (response.status !== 202) throw new Error(`send: ${response.status} ${JSON.stringify(json)}`);
  return json.message_id;
}

/** The inbox ids of `mailbox`. */
export async function inboxIds(world: MeshWorld, mailbox: string): Promise<string[]> {
  const response = await world.request(mailbox, `/messageexchange/${mailbox}/inbox`);
  return (await response.json()).messages;
}

/** A blob store that also knows which keys it holds, so tests can look for leftovers. */
export interface ListedBlobStore extends BlobStore {
  /** Keys stored now, sorted. */
  keys(): string[];
}

/** Wraps `inner` (memory by default) and tracks its keys. */
export function listedBlobStore(inner: BlobStore = createMemoryBlobStore()): ListedBlobStore {
  const live = new Set<string>();
  return {
    keys: () => [...live].sort(),
    put: async (key, body, options) => {
      const info = await inner.put(key, body, options);
      live.add(key);
      return info;
    },
    get: (key) => inner.get(key),
    delete: async (key) => {
      await inner.delete(key);
      live.delete(key);
    },
    deletePrefix: async (prefix) => {
      await inner.deletePrefix(prefix);
      for (const key of [...live]) if (key.startsWith(prefix)) live.delete(key);
    },
  };
}

/** Gzips bytes. */
export async function gzip(data: string | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
