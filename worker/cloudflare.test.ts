/**
 * The Cloudflare path for real: the Worker bundle (`deno task build:cloudflare`'s output) runs
 * under workerd through Miniflare with its KV namespace, records Durable Object and R2 bucket,
 * reaches the PDS and SDS sandboxes and a provider stub over loopback, resolves a patient (the KV
 * write-backs deferred with `waitUntil`), forwards an SSP request and carries a MESH message.
 */
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, CLOUDFLARE_WORKER_ENTRY } from "./testing/workerd-bundle.ts";
import { sspRequestInit } from "../client/ssp-request.ts";
import { createMeshClient, MeshClientError } from "../client/mesh/mesh-client.ts";
import { type CloudflareEnv, createWorkerHandler } from "./cloudflare.ts";
import type { KvNamespaceLike } from "./store/cloudflare-kv-cache-store.ts";
import {
  createDurableObjectRecordsStore,
  type DurableObjectNamespaceLike,
} from "./store/durable-object-records-store.ts";
import type { R2BucketLike } from "./store/r2-blob-store.ts";
import { RawConnection } from "./http1-server/raw-http-client.ts";
import { createPdsSandbox } from "../sandbox/pds/pds-sandbox.ts";
import { createSdsSandbox } from "../sandbox/sds/sds-sandbox.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

function serve(handler: (request: Request) => Response | Promise<Response>) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
}

Deno.test({
  name:
    "the Worker bundle under workerd resolves through KV, forwards an SSP request and carries a MESH message",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const seen: Array<{ url: string; headers: Headers }> = [];
    const provider = serve((request) => {
      seen.push({ url: request.url, headers: new Headers(request.headers) });
      return Response.json({ resourceType: "CapabilityStatement", fhirVersion: "3.0.1" }, {
        headers: { "Content-Type": "application/fhir+json", "Cache-Control": "no-store" },
      });
    });
    const providerUrl = `http://127.0.0.1:${provider.addr.port}`;
    const sds = serve(createSdsSandbox({ providerBaseUrl: providerUrl }).fetch);
    const pds = serve(createPdsSandbox().fetch);
    const source = await bundleForWorkerd(CLOUDFLARE_WORKER_ENTRY);
    // The Worker's console lines (audit and error lines), collected rather than printed.
    const logs: string[] = [];
    const mf = new Miniflare({
      handleStructuredLogs: ({ message }: { message: string }) => {
        logs.push(message);
      },
      modules: [{ type: "ESModule", path: "cloudflare.js", contents: source }],
      compatibilityDate: "2026-04-01",
      kvNamespaces: ["GPC_EDGE_KV"],
      durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
      r2Buckets: ["GPC_EDGE_BLOBS"],
      bindings: {
        GPC_EDGE_PDS_URL: `http://127.0.0.1:${pds.addr.port}`,
        GPC_EDGE_SDS_URL: `http://127.0.0.1:${sds.addr.port}`,
      },
    });
    try {
      const resolveUrl =
        `http://gpc-edge.local/directory/resolve?nhs-number=9690937278&interaction=${METADATA}`;
      const first = await mf.dispatchFetch(resolveUrl);
      const answer = await first.json() as Json;
      assert.equal(first.status, 200, JSON.stringify(answer));
      assert.equal(answer.odsCode, "B82617");
      assert.equal(answer.endpoint.asid, "918999198738");
      assert.equal(answer.endpoint.address, `${providerUrl}/B82617/STU3/1/gpconnect/fhir`);
      assert.deepEqual(answer.cache, { pds: "upstream", sds: "upstream" });

      const second = await mf.dispatchFetch(resolveUrl);
      assert.deepEqual((await second.json() as Json).cache, {
        pds: "memory",
        sds: "memory",
      });

      // The write-backs ran under waitUntil, after the answers: wait (boundedly) until they land.
      const kv = await mf.getKVNamespace("GPC_EDGE_KV") as unknown as {
        list(): Promise<{ keys: Array<{ name: string }> }>;
      };
      let keys: string[] = [];
      for (let attempt = 0; attempt < 100 && keys.length < 2; attempt++) {
        keys = (await kv.list()).keys.map((key) => key.name).sort();
        if (keys.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual(keys, [
        "gpc-edge:v1:pds:9690937278",
        `gpc-edge:v1:sds:B82617:${METADATA}`,
      ]);

      const { url, headers } = sspRequestInit({
        sspBaseUrl: "http://gpc-edge.local",
        providerRoot: answer.endpoint.address,
        fhirPath: "/metadata",
        interactionId: METADATA,
      });
      const forwarded = await mf.dispatchFetch(url, { headers: Object.fromEntries(headers) });
      assert.equal(forwarded.status, 200);
      assert.deepEqual(await forwarded.json(), {
        resourceType: "CapabilityStatement",
        fhirVersion: "3.0.1",
      });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.headers.get("ssp-traceid"), headers.get("Ssp-TraceID"));
      assert.equal(new URL(seen[0]!.url).pathname, "/B82617/STU3/1/gpconnect/fhir/metadata");

      const wrongReceiver = new Headers(headers);
      wrongReceiver.set("Ssp-To", "918999198739");
      wrongReceiver.set("Accept", "application/fhir+json");
      const rejected = await mf.dispatchFetch(url, { headers: Object.fromEntries(wrongReceiver) });
      assert.equal(rejected.status, 403);
      assert.match(
        await rejected.text(),
        /PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_918999198739/,
      );
      const records = logs.flatMap((line) =>
        line.startsWith("{") ? [JSON.parse(line) as Json] : []
      );
      assert.deepEqual(
        records.filter((record) => record.type === "ssp-audit").map((record) => record.status),
        [200, 403],
      );
      const errors = records.filter((record) => record.type === "error");
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.requestId, headers.get("Ssp-TraceID"));

      // MESH at /messageexchange, over the records Durable Object and the R2 bucket.
      const local = {
        baseUrl: "http://gpc-edge.local",
        password: "password",
        sharedKey: "TestKey",
        fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
          mf.dispatchFetch(
            input instanceof Request ? input.url : String(input),
            init as never,
          )) as unknown as typeof fetch,
        maxRetries: 0,
      };
      const consumer = createMeshClient({ ...local, mailboxId: "A11111OT1" });
      const practice = createMeshClient({ ...local, mailboxId: "B82617OT1" });
      const document = new TextEncoder().encode(JSON.stringify({ resourceType: "Bundle" }));
      const messageId = await consumer.send({
        to: "B82617OT1",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: document,
      });
      assert.deepEqual(await practice.inbox(), [messageId]);
      assert.deepEqual((await practice.downloadBytes(messageId)).body, document);
      await practice.acknowledge(messageId);
      assert.deepEqual(await practice.inbox(), []);
    } finally {
      await mf.dispose();
      await Promise.all([provider.shutdown(), sds.shutdown(), pds.shutdown()]);
    }
  },
});

Deno.test({
  name:
    "under workerd, a provider's gzip answer reaches a client asking for identity uncompressed and labelled so",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const capability = { resourceType: "CapabilityStatement", fhirVersion: "3.0.1" };
    const acceptEncodings: Array<string | null> = [];
    // A provider that compresses whatever the request asked for.
    const provider = serve(async (request) => {
      acceptEncodings.push(request.headers.get("accept-encoding"));
      const gzipped = await new Response(
        new Blob([JSON.stringify(capability)]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer();
      return new Response(gzipped, {
        headers: { "Content-Type": "application/fhir+json", "Content-Encoding": "gzip" },
      });
    });
    const providerUrl = `http://127.0.0.1:${provider.addr.port}`;
    const sds = serve(createSdsSandbox({ providerBaseUrl: providerUrl }).fetch);
    const pds = serve(createPdsSandbox().fetch);
    const mf = new Miniflare({
      handleStructuredLogs: () => {},
      modules: [{
        type: "ESModule",
        path: "cloudflare.js",
        contents: await bundleForWorkerd(CLOUDFLARE_WORKER_ENTRY),
      }],
      compatibilityDate: "2026-04-01",
      kvNamespaces: ["GPC_EDGE_KV"],
      durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
      r2Buckets: ["GPC_EDGE_BLOBS"],
      bindings: {
        GPC_EDGE_PDS_URL: `http://127.0.0.1:${pds.addr.port}`,
        GPC_EDGE_SDS_URL: `http://127.0.0.1:${sds.addr.port}`,
      },
    });
    let connection: RawConnection | undefined;
    try {
      const edge = await mf.ready;
      const { url, headers } = sspRequestInit({
        sspBaseUrl: edge.origin,
        providerRoot: `${providerUrl}/B82617/STU3/1/gpconnect/fhir`,
        fhirPath: "/metadata",
        interactionId: METADATA,
      });
      // Over a raw socket: fetch would decode a gzip body itself and hide what was sent.
      connection = await RawConnection.open(Number(edge.port));
      const fields = [...headers].map(([name, value]) => `${name}: ${value}\r\n`).join("");
      await connection.send(
        `GET ${new URL(url).pathname} HTTP/1.1\r\nHost: ${edge.host}\r\n${fields}` +
          "Accept-Encoding: identity\r\nConnection: close\r\n\r\n",
      );
      const response = await connection.readResponse();
      assert.equal(response?.status, 200, response?.text);
      // workerd hands the Worker `Accept-Encoding: br, gzip` whatever the client sent, so the
      // provider was asked for gzip and answered it.
      assert.deepEqual(acceptEncodings, ["br, gzip"]);
      assert.equal(response.headers.get("content-encoding") ?? "identity", "identity");
      assert.deepEqual(JSON.parse(response.text), capability);
    } finally {
      connection?.close();
      await mf.dispose();
      await Promise.all([provider.shutdown(), sds.shutdown(), pds.shutdown()]);
    }
  },
});

/** Bindings that are never used by a request that fails or never reaches them. */
const unusedBindings = {
  GPC_EDGE_RECORDS: {} as never,
  GPC_EDGE_BLOBS: {} as never,
};

Deno.test("the Workers entry answers an invalid GPC_EDGE_* variable with a 500 OperationOutcome naming it, logged once", async () => {
  const logged: Array<Readonly<Record<string, unknown>>> = [];
  const worker = createWorkerHandler({ logger: { log: (record) => logged.push(record) } });
  const env: CloudflareEnv = {
    GPC_EDGE_KV: {} as never,
    ...unusedBindings,
    GPC_EDGE_JWT_MODE: "strict",
  };
  const response = await worker.fetch(new Request("http://gpc-edge.local/_health"), env, {
    waitUntil() {},
  });
  assert.equal(response.status, 500);
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  const body = await response.json() as Json;
  assert.equal(body.issue[0].details.coding[0].code, "INTERNAL_SERVER_ERROR");
  assert.match(body.issue[0].diagnostics, /GPC_EDGE_JWT_MODE/);
  assert.equal(logged.length, 1);
  assert.equal(logged[0]!.requestId, response.headers.get("X-Request-ID"));
  assert.match(String(logged[0]!.message), /GPC_EDGE_JWT_MODE/);
});

Deno.test("the Workers entry names a missing store binding", async () => {
  const worker = createWorkerHandler({ logger: { log() {} } });
  const env = { GPC_EDGE_KV: {} as never, GPC_EDGE_BLOBS: {} as never } as unknown as CloudflareEnv;
  const response = await worker.fetch(new Request("http://gpc-edge.local/_health"), env, {
    waitUntil() {},
  });
  assert.equal(response.status, 500);
  const body = await response.json() as Json;
  assert.match(body.issue[0].diagnostics, /GPC_EDGE_RECORDS: the binding is missing/);
});

Deno.test({
  name:
    "the Workers entry defers directory KV write-backs to waitUntil: the answer does not wait for them",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sds = serve(createSdsSandbox({ providerBaseUrl: "http://127.0.0.1:9" }).fetch);
    const pds = serve(createPdsSandbox().fetch);
    // A KV namespace whose writes hold until released: an inline write would hold the answer.
    const release = Promise.withResolvers<void>();
    const written: string[] = [];
    const kv: KvNamespaceLike = {
      get: () => Promise.resolve(null),
      put: async (key) => {
        await release.promise;
        written.push(key);
      },
      delete: () => Promise.resolve(),
      list: () => Promise.resolve({ keys: [], list_complete: true }),
    };
    const deferred: Array<Promise<unknown>> = [];
    const worker = createWorkerHandler({ logger: { log() {} } });
    // Should the answer wait for the writes (the regression), release them after a while so the
    // test fails on the assertions below instead of hanging.
    const safety = setTimeout(() => release.resolve(), 5_000);
    try {
      const response = await worker.fetch(
        new Request(
          `http://gpc-edge.local/directory/resolve?nhs-number=9690937278&interaction=${METADATA}`,
        ),
        {
          GPC_EDGE_KV: kv,
          ...unusedBindings,
          GPC_EDGE_PDS_URL: `http://127.0.0.1:${pds.addr.port}`,
          GPC_EDGE_SDS_URL: `http://127.0.0.1:${sds.addr.port}`,
        },
        { waitUntil: (promise) => deferred.push(promise) },
      );
      const writtenWhenAnswered = [...written];
      assert.equal(response.status, 200);
      assert.deepEqual((await response.json() as Json).cache, { pds: "upstream", sds: "upstream" });
      assert.deepEqual(writtenWhenAnswered, [], "answered while both writes were still held");
      assert.equal(deferred.length, 2, "both write-backs handed to waitUntil");
      release.resolve();
      await Promise.all(deferred);
      assert.deepEqual(written.sort(), [
        "gpc-edge:v1:pds:9690937278",
        `gpc-edge:v1:sds:B82617:${METADATA}`,
      ]);
    } finally {
      clearTimeout(safety);
      release.resolve();
      await Promise.all([sds.shutdown(), pds.shutdown()]);
    }
  },
});

Deno.test({
  name:
    "the Worker bundle's cron handler runs MESH housekeeping over the Durable Object and R2 at the trigger's time; the platform keeps its records in its own object",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { privateKey, publicKey } = await generateKeyPair("RS512", { extractable: true });
    const kid = "app-key-1";
    const logs: string[] = [];
    const mf = new Miniflare({
      handleStructuredLogs: ({ message }: { message: string }) => {
        logs.push(message);
      },
      modules: [{
        type: "ESModule",
        path: "cloudflare.js",
        contents: await bundleForWorkerd(CLOUDFLARE_WORKER_ENTRY),
      }],
      compatibilityDate: "2026-04-01",
      kvNamespaces: ["GPC_EDGE_KV"],
      durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
      r2Buckets: ["GPC_EDGE_BLOBS"],
      bindings: {
        GPC_EDGE_PUBLIC_URL: "http://gpc-edge.local",
        GPC_EDGE_PLATFORM_APPS: JSON.stringify([{
          clientId: "inline-app",
          jwks: { keys: [{ ...await exportJWK(publicKey), kid, alg: "RS512" }] },
        }]),
      },
    });
    try {
      const local = {
        baseUrl: "http://gpc-edge.local",
        password: "password",
        sharedKey: "TestKey",
        fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
          mf.dispatchFetch(
            input instanceof Request ? input.url : String(input),
            init as never,
          )) as unknown as typeof fetch,
        maxRetries: 0,
      };
      const consumer = createMeshClient({ ...local, mailboxId: "A11111OT1" });
      const practice = createMeshClient({ ...local, mailboxId: "B82617OT1" });
      const messageId = await consumer.send({
        to: "B82617OT1",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: new TextEncoder().encode("{}"),
      });
      const bucket = await mf.getR2Bucket("GPC_EDGE_BLOBS") as unknown as R2BucketLike;
      const blobsOf = async (id: string) =>
        (await bucket.list({ prefix: `mesh/${id}/` })).objects.length;
      assert.ok(await blobsOf(messageId) > 0);

      // Miniflare's Fetcher type needs @cloudflare/workers-types; only `scheduled` is used.
      const worker = await mf.getWorker() as unknown as {
        scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string }>;
      };
      const day = 86_400_000;
      const cron = "*/15 * * * *";
      // Now: nothing is old enough.
      assert.equal((await worker.scheduled({ cron })).outcome, "ok");
      assert.deepEqual(await practice.inbox(), [messageId]);
      // Five days on, uncollected: undeliverable, out of the inbox, a REPORT 14 to the sender.
      const fiveDaysOn = new Date(Date.now() + 5 * day + 60_000);
      assert.equal((await worker.scheduled({ cron, scheduledTime: fiveDaysOn })).outcome, "ok");
      assert.deepEqual(await practice.inbox(), []);
      const [reportId] = await consumer.inbox();
      assert.ok(reportId);
      const report = (await consumer.downloadBytes(reportId)).info;
      assert.equal(report.messageType, "REPORT");
      assert.equal(report.statusCode, "14");
      assert.equal(report.linkedMessageId, messageId);
      assert.equal((await consumer.tracking(messageId)).status, "undeliverable");
      // Thirty days on: the message, its indexes and its R2 chunks are purged.
      const monthOn = new Date(Date.now() + 31 * day);
      assert.equal((await worker.scheduled({ cron, scheduledTime: monthOn })).outcome, "ok");
      assert.equal(await blobsOf(messageId), 0);
      await assert.rejects(
        consumer.tracking(messageId),
        (error: unknown) => error instanceof MeshClientError && error.status === 404,
      );
      const runs = logs.flatMap((line) => line.startsWith("{") ? [JSON.parse(line) as Json] : [])
        .filter((record) => record.type === "mesh-housekeeping");
      assert.deepEqual(runs.map(({ expired, purged, time }) => ({ expired, purged, time })), [
        { expired: 1, purged: 0, time: fiveDaysOn.toISOString() },
        { expired: 0, purged: 1, time: monthOn.toISOString() },
      ]);

      // The platform's records: a client assertion's jti lands in the `platform` object only.
      const assertion = await new SignJWT({ jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: "RS512", kid, typ: "JWT" })
        .setIssuer("inline-app")
        .setSubject("inline-app")
        .setAudience("http://gpc-edge.local/oauth2/token")
        .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
        .sign(privateKey);
      const exchange = await mf.dispatchFetch("http://gpc-edge.local/oauth2/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: "not-a-jwt",
          subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }).toString(),
      });
      assert.ok(exchange.status >= 400 && exchange.status < 500, String(exchange.status));
      await exchange.body?.cancel();
      const namespace = await mf.getDurableObjectNamespace(
        "GPC_EDGE_RECORDS",
      ) as unknown as DurableObjectNamespaceLike<unknown>;
      const platformObject = createDurableObjectRecordsStore(namespace, { name: "platform" });
      const meshObject = createDurableObjectRecordsStore(namespace);
      assert.equal((await platformObject.list("platform:v1:jti:")).length, 1);
      assert.deepEqual(await meshObject.list("platform:"), []);
    } finally {
      await mf.dispose();
    }
  },
});

Deno.test("the Workers entry's cron handler logs a misconfiguration once and runs nothing", async () => {
  const logged: Array<Readonly<Record<string, unknown>>> = [];
  const worker = createWorkerHandler({ logger: { log: (record) => logged.push(record) } });
  const waited: Array<Promise<unknown>> = [];
  await worker.scheduled(
    { scheduledTime: Date.UTC(2026, 0, 1), cron: "*/15 * * * *" },
    { GPC_EDGE_KV: {} as never, ...unusedBindings, GPC_EDGE_MESH_MAX_CHUNKS: "0" },
    { waitUntil: (promise) => waited.push(promise) },
  );
  assert.equal(logged.length, 1);
  assert.equal(logged[0]!.type, "error");
  assert.equal(logged[0]!.time, "2026-01-01T00:00:00.000Z");
  assert.match(String(logged[0]!.message), /GPC_EDGE_MESH_MAX_CHUNKS/);
  assert.deepEqual(waited, []);
});
