/**
 * MESH on Cloudflare for real (issue 10 item 7): the Worker bundle (`deno task build:cloudflare`'s
 * output) under workerd through Miniflare, its records in the SQLite-backed Durable Object and
 * bodies in R2, served on a loopback port and driven by gpc-edge's MESH client over real sockets:
 * send, a chunked send (never listed before its last chunk), download, acknowledge, tracking, and
 * GPPROVIDER routing — routed to B82617OT1, a wrong surname an EPL-154 REPORT, PDS unavailable a
 * 503 with nothing stored. The Worker's outbound PDS calls are answered by the PDS sandbox app in
 * this process (Miniflare's `outboundService`), so "PDS down" is a switch.
 */
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, CLOUDFLARE_WORKER_ENTRY } from "../testing/workerd-bundle.ts";
import { createMeshClient, MeshClientError } from "../../client/mesh/mesh-client.ts";
import { buildNhsmeshAuthorization } from "../../gpconnect/mesh/nhsmesh-token.ts";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import type { R2BucketLike } from "../store/r2-blob-store.ts";

/** Bytes that do not compress to nothing, so gzip chunks stay chunks. */
function payload(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let state = 2463534242;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = (state >>> 0) % 251;
  }
  return bytes;
}

/**
 * Byte equality that fails with a short message: node:assert's deepEqual diffs two large arrays
 * element by element, which takes minutes and gigabytes when they differ.
 */
function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const firstDifference = actual.findIndex((byte, i) => byte !== expected[i]);
  assert.ok(
    actual.length === expected.length && firstDifference === -1,
    `${what}: ${actual.length} bytes, expected ${expected.length}; first difference at ${firstDifference}`,
  );
}

type PdsState = "up" | "refusing" | "throttling";

Deno.test({
  name:
    "MESH on workerd (Durable Object + R2): send, chunked send, download, ack, tracking and GPPROVIDER routing through PDS",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const pds = createPdsSandbox();
    let pdsState: PdsState = "up";
    const pdsCalls: string[] = [];
    const logs: string[] = [];
    const source = await bundleForWorkerd(CLOUDFLARE_WORKER_ENTRY);
    // The KV, Durable Object and R2 data go to a directory this test removes (Miniflare's own
    // temporary directory is removed only fire-and-forget). Not through TMPDIR: the environment
    // is the process's, and test files running in parallel would make their temporary
    // directories inside this one, removed under them at the end.
    const miniflareTmp = await Deno.makeTempDir({ prefix: "gpc-edge-mesh-workerd-mf-" });
    const mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      handleStructuredLogs: ({ message }: { message: string }) => {
        logs.push(message);
      },
      modules: [{ type: "ESModule", path: "cloudflare.js", contents: source }],
      compatibilityDate: "2026-04-01",
      kvNamespaces: ["GPC_EDGE_KV"],
      durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
      r2Buckets: ["GPC_EDGE_BLOBS"],
      defaultPersistRoot: miniflareTmp,
      kvPersist: true,
      durableObjectsPersist: true,
      r2Persist: true,
      bindings: { GPC_EDGE_PDS_URL: "http://pds.test", GPC_EDGE_SDS_URL: "http://sds.test" },
      // Every outbound request of the Worker: PDS is the sandbox app; nothing else is expected.
      outboundService: (request: Request) => {
        const url = new URL(request.url);
        if (url.host !== "pds.test") return new Response("unexpected host", { status: 599 });
        pdsCalls.push(url.pathname);
        if (pdsState === "refusing") throw new TypeError("connection refused");
        if (pdsState === "throttling") {
          return Response.json({ resourceType: "OperationOutcome", issue: [] }, {
            status: 503,
            headers: { "Retry-After": "120" },
          });
        }
        return pds.fetch(request);
      },
    });
    // A fresh connection per request: workerd behind Miniflare's dev server closes a connection
    // whose request body an early answer (the 503) left unread, and a pooled connection reused
    // after that is reset. (gpc-edge's own HTTP/1.1 server drains or closes such a connection
    // itself; on Cloudflare the edge holds the client's connection.)
    const httpClient = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    try {
      const origin = (await mf.ready).origin;
      const answers: Array<{ path: string; status: number; retryAfter: string | null }> = [];
      const local = {
        baseUrl: origin,
        password: "password",
        sharedKey: "TestKey",
        maxRetries: 0,
        fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
          const response = await fetch(input, { ...init, client: httpClient });
          answers.push({
            path: new URL(response.url).pathname,
            status: response.status,
            retryAfter: response.headers.get("retry-after"),
          });
          return response;
        }) as typeof fetch,
      };
      const consumer = createMeshClient({ ...local, mailboxId: "A11111OT1" });
      const practice = createMeshClient({ ...local, mailboxId: "B82617OT1" });
      const bucket = await mf.getR2Bucket("GPC_EDGE_BLOBS") as unknown as R2BucketLike;
      const blobCount = async (id: string) =>
        (await bucket.list({ prefix: `mesh/${id}/` })).objects.length;

      const raw = async (mailbox: string, path: string, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        headers.set(
          "Authorization",
          await buildNhsmeshAuthorization({
            mailboxId: mailbox,
            password: "password",
            sharedKey: "TestKey",
          }),
        );
        headers.set("Accept", "application/vnd.mesh.v2+json");
        if (!headers.has("Accept-Encoding")) headers.set("Accept-Encoding", "gzip");
        return await fetch(`${origin}/messageexchange/${mailbox}${path}`, {
          ...init,
          headers,
          client: httpClient,
        });
      };

      // Send, download, acknowledge, tracking.
      await consumer.handshake();
      const single = payload(40_000);
      const singleId = await consumer.send({
        to: "B82617OT1",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: single,
        localId: "A11111-single",
      });
      assert.match(singleId, /^\d{20}_[0-9A-F]{6}$/);
      assert.equal((await consumer.tracking(singleId)).status, "accepted");
      assert.deepEqual(await practice.inbox(), [singleId]);
      const singleDownload = await practice.downloadBytes(singleId);
      assertSameBytes(singleDownload.body, single, "single download");
      assert.equal(singleDownload.info.from, "A11111OT1");
      assert.equal(singleDownload.info.localId, "A11111-single");
      await practice.acknowledge(singleId);
      assert.deepEqual(await practice.inbox(), []);
      assert.equal((await consumer.tracking(singleId)).status, "acknowledged");

      // A 3-chunk gzip send by the client: three R2 objects, byte-identical download.
      const large = payload(600_000);
      answers.length = 0;
      const chunkedId = await consumer.send({
        to: "B82617OT1",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: large,
        chunkSize: 250_000,
        gzip: true,
      });
      assert.deepEqual(answers.map((a) => a.status), [202, 202, 202]);
      assert.equal(await blobCount(chunkedId), 3);
      assert.deepEqual(await practice.inbox(), [chunkedId]);
      const chunkedDownload = await practice.downloadBytes(chunkedId);
      assert.equal(chunkedDownload.info.totalChunks, 3);
      assertSameBytes(chunkedDownload.body, large, "3-chunk gzip download");
      // On Workers the Worker never sees the client's Accept-Encoding (the edge, and Miniflare
      // after it, hands it "br, gzip"), so even a client asking for identity gets the stored gzip,
      // declared as such, and octet-stream is not a type the edge re-encodes (decision M9).
      const identity = await raw("B82617OT1", `/inbox/${chunkedId}/2`, {
        headers: { "Accept-Encoding": "identity" },
      });
      assert.equal(identity.status, 206);
      assert.equal(identity.headers.get("mex-chunk-range"), "2:3");
      assert.equal(identity.headers.get("content-encoding"), "gzip");
      const gunzipped = identity.body!.pipeThrough(new DecompressionStream("gzip"));
      assertSameBytes(
        new Uint8Array(await new Response(gunzipped).arrayBuffer()),
        large.subarray(250_000, 500_000),
        "chunk 2 asked for without gzip",
      );
      await practice.acknowledge(chunkedId);
      assert.equal((await consumer.tracking(chunkedId)).status, "acknowledged");

      // By hand: not listed or downloadable until its last chunk is stored.
      const mex = (range: string) => ({
        "Mex-To": "B82617OT1",
        "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
        "Mex-Chunk-Range": range,
        "Content-Type": "application/octet-stream",
      });
      const first = await raw("A11111OT1", "/outbox", {
        method: "POST",
        headers: mex("1:2"),
        body: "first half|",
      });
      assert.equal(first.status, 202);
      const partId = (await first.json() as { message_id: string }).message_id;
      assert.deepEqual(await practice.inbox(), []);
      const early = await raw("B82617OT1", `/inbox/${partId}`);
      assert.equal(early.status, 410);
      await early.body?.cancel();
      assert.equal((await consumer.tracking(partId)).status, "uploading");
      const second = await raw("A11111OT1", `/outbox/${partId}/2`, {
        method: "POST",
        headers: mex("2:2"),
        body: "second half",
      });
      assert.equal(second.status, 202);
      assert.equal(await second.json(), null);
      const late = await raw("A11111OT1", `/outbox/${partId}/2`, {
        method: "POST",
        headers: mex("2:2"),
        body: "changed",
      });
      assert.equal(late.status, 423, "no change after completion");
      await late.body?.cancel();
      assert.deepEqual(await practice.inbox(), [partId]);
      assert.equal(
        new TextDecoder().decode((await practice.downloadBytes(partId)).body),
        "first half|second half",
      );
      await practice.acknowledge(partId);

      // GPPROVIDER routing: PDS (the sandbox, through the Worker's outbound fetch) says B82617.
      const document = new TextEncoder().encode(JSON.stringify({ resourceType: "Bundle" }));
      const routedId = await consumer.send({
        to: "GPPROVIDER_9690937286_19420203_Skelly",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: document,
      });
      assert.ok(pdsCalls.some((path) => path.endsWith("/Patient/9690937286")), pdsCalls.join());
      assert.deepEqual(await practice.inbox(), [routedId]);
      const routed = await practice.downloadBytes(routedId);
      assert.equal(routed.info.to, "B82617OT1");
      assertSameBytes(routed.body, document, "routed download");
      const routedTracking = await consumer.tracking(routedId);
      assert.equal(routedTracking.recipient, "B82617OT1");
      assert.equal(routedTracking.recipient_ods_code, "B82617");
      const routedText = JSON.stringify(routedTracking).toUpperCase();
      for (const detail of ["9690937286", "19420203", "SKELLY"]) {
        assert.ok(!routedText.includes(detail), `tracking shows ${detail}`);
      }
      await practice.acknowledge(routedId);

      // A wrong surname: 202, the message in error, an EPL-154 REPORT to the sender only.
      const wrongId = await consumer.send({
        to: "GPPROVIDER_9690937286_19420203_Smith",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: document,
        localId: "A11111-wrong",
      });
      assert.deepEqual(await practice.inbox(), []);
      const [reportId, ...others] = await consumer.inbox();
      assert.ok(reportId);
      assert.deepEqual(others, []);
      const report = await consumer.downloadBytes(reportId);
      assert.equal(report.info.messageType, "REPORT");
      assert.equal(report.info.statusCode, "EPL-154");
      assert.equal(report.info.statusSuccess, "ERROR");
      assert.equal(report.info.linkedMessageId, wrongId);
      assert.equal(report.info.localId, "A11111-wrong");
      assert.equal(report.body.length, 0);
      const wrongTracking = await consumer.tracking(wrongId);
      assert.equal(wrongTracking.status, "error");
      assert.equal(wrongTracking.recipient, null);
      await consumer.acknowledge(reportId);

      // PDS unavailable: 503 with Retry-After at the first chunk, nothing stored, no 500.
      for (const [state, retryAfter] of [["refusing", "30"], ["throttling", "120"]] as const) {
        pdsState = state;
        answers.length = 0;
        await assert.rejects(
          consumer.send({
            to: "GPPROVIDER_9690937278_19380412_Samual",
            workflowId: "GPCONNECT_SEND_DOCUMENT",
            body: payload(30_000),
            chunkSize: 10_000,
          }),
          (error: unknown) => error instanceof MeshClientError && error.status === 503,
        );
        assert.deepEqual(
          answers.map(({ status, retryAfter }) => [status, retryAfter]),
          [[503, retryAfter]],
          state,
        );
      }
      pdsState = "up";
      assert.deepEqual(await practice.inbox(), []);
      assert.deepEqual(await consumer.inbox(), []);

      const records = logs.flatMap((line) =>
        line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : []
      );
      const sends = records.filter((r) => r.type === "mesh-audit" && r.endpoint === "send");
      assert.deepEqual(sends.slice(-2).map((r) => [r.status, r.messageId]), [
        [503, null],
        [503, null],
      ]);
      assert.ok(!records.some((r) => r.status === 500), "no 500 anywhere");
      const allLogs = logs.join("\n");
      for (const detail of ["9690937286", "9690937278", "Skelly", "SKELLY", "Samual", "SAMUAL"]) {
        assert.ok(!allLogs.includes(detail), `a log line shows ${detail}`);
      }
    } finally {
      httpClient.close();
      await mf.dispose();
      await Deno.remove(miniflareTmp, { recursive: true });
    }
  },
});
