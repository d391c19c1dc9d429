/**
 * Issue 10's routing "done when", on a real socket: a Send Document to
 * `GPPROVIDER_9690937286_{DOB}_{surname}` lands in B82617OT1's inbox with the practice's mailbox
 * in `mex-To`; a wrong surname gives the sender an EPL-154 REPORT and the practice nothing.
 * PDS is the PDS sandbox app behind the directory; the client is client/mesh. When PDS cannot be
 * asked, the send is a 503 with nothing stored, and the same send succeeds once PDS is back.
 */
import assert from "node:assert/strict";
import { createMeshClient, MeshClientError } from "../../client/mesh/mesh-client.ts";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import { systemClock, type UpstreamFetch } from "../app-deps.ts";
import { defaultConfig } from "../config.ts";
import { createDirectoryResolver } from "../directory/directory-resolver.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import { serveMeshOnLoopback } from "../testing/mesh-loopback.ts";
import { createGpProviderRouter, directoryDemographics } from "./gpprovider-routing.ts";
import { createMailboxDirectory } from "./mailbox-directory.ts";
import { defaultMeshConfig } from "./mesh-config.ts";

function pdsThroughFetch(): UpstreamFetch {
  const pds = createPdsSandbox();
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.pathname = url.pathname.replace(/^\/personal-demographics\/FHIR\/R4/, "");
    return await pds.fetch(new Request(url, request));
  };
}

Deno.test("GPPROVIDER delivery: routed to the registered practice; a wrong surname is an EPL-154 REPORT", async () => {
  const directory = createDirectoryResolver({
    config: {
      ...defaultConfig.directory,
      pdsBaseUrl: "http://pds.test/personal-demographics/FHIR/R4",
    },
    store: createMemoryCacheStore(),
    fetch: pdsThroughFetch(),
    clock: systemClock,
    randomUUID: () => crypto.randomUUID(),
  });
  const mesh = await serveMeshOnLoopback({
    routeGpProvider: createGpProviderRouter({
      demographics: directoryDemographics(directory),
      receiversFor: createMailboxDirectory(defaultMeshConfig.mailboxes).receiversFor,
    }),
  });
  const local = { baseUrl: mesh.url, password: "password", sharedKey: "TestKey" };
  const consumer = createMeshClient({ ...local, mailboxId: "A11111OT1" });
  const practice = createMeshClient({ ...local, mailboxId: "B82617OT1" });
  try {
    const document = new TextEncoder().encode(JSON.stringify({ resourceType: "Bundle" }));
    const routedId = await consumer.send({
      to: "GPPROVIDER_9690937286_19420203_Skelly",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: document,
      localId: "A11111",
    });
    assert.deepEqual(await practice.inbox(), [routedId]);
    const delivered = await practice.downloadBytes(routedId);
    assert.equal(delivered.info.to, "B82617OT1");
    assert.deepEqual(delivered.body, document);
    const tracking = await consumer.tracking(routedId);
    assert.equal(tracking.recipient, "B82617OT1");
    const trackingText = JSON.stringify(tracking).toUpperCase();
    for (const detail of ["9690937286", "19420203", "SKELLY"]) {
      assert.ok(!trackingText.includes(detail), `tracking shows ${detail}: ${trackingText}`);
    }
    await practice.acknowledge(routedId);

    const wrongId = await consumer.send({
      to: "GPPROVIDER_9690937286_19420203_Smith",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: document,
    });
    assert.deepEqual(await practice.inbox(), []);
    const reports = await consumer.inbox();
    assert.equal(reports.length, 1);
    const report = await consumer.downloadBytes(reports[0]!);
    assert.equal(report.info.messageType, "REPORT");
    assert.equal(report.info.statusCode, "EPL-154");
    assert.equal(report.info.statusSuccess, "ERROR");
    assert.equal(
      report.info.statusDescription,
      "NHS Number supplied does not match the demographics",
    );
    assert.equal(report.info.linkedMessageId, wrongId);
    assert.equal(report.body.length, 0);
    const failed = await consumer.tracking(wrongId);
    assert.equal(failed.status, "error");
    assert.ok(!JSON.stringify(failed).toUpperCase().includes("SMITH"));
  } finally {
    await mesh.close();
  }
});

Deno.test("GPPROVIDER send while PDS is down or throttling: 503 with Retry-After, nothing stored; the same send lands once PDS is back", async () => {
  const pds = createPdsSandbox();
  // A loopback port nothing listens on: PDS refusing connections.
  const closed = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(),
  );
  const closedUrl = `http://127.0.0.1:${closed.addr.port}`;
  await closed.shutdown();
  let mode: "down" | "throttling" | "up" = "down";
  const pdsServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) =>
      mode === "throttling"
        ? Response.json({ resourceType: "OperationOutcome", issue: [] }, {
          status: 503,
          headers: { "Retry-After": "120" },
        })
        : pds.fetch(request),
  );
  const pdsUrl = `http://127.0.0.1:${pdsServer.addr.port}`;
  const directory = createDirectoryResolver({
    config: { ...defaultConfig.directory, pdsBaseUrl: "http://pds.test" },
    store: createMemoryCacheStore(),
    // Real HTTP either way: to the closed port while down, else to the PDS server.
    fetch: (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const base = mode === "down" ? closedUrl : pdsUrl;
      return fetch(new Request(`${base}${url.pathname}${url.search}`, request));
    },
    clock: systemClock,
    randomUUID: () => crypto.randomUUID(),
  });
  const mesh = await serveMeshOnLoopback({
    routeGpProvider: createGpProviderRouter({
      demographics: directoryDemographics(directory),
      receiversFor: createMailboxDirectory(defaultMeshConfig.mailboxes).receiversFor,
    }),
  });
  const answers: Array<[number, string | null]> = [];
  const local = {
    baseUrl: mesh.url,
    password: "password",
    sharedKey: "TestKey",
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      answers.push([response.status, response.headers.get("retry-after")]);
      return response;
    }) as typeof fetch,
  };
  const consumer = createMeshClient({ ...local, mailboxId: "A11111OT1" });
  const practice = createMeshClient({ ...local, mailboxId: "B82617OT1" });
  const document = new TextEncoder().encode("x".repeat(3_000));
  const send = () =>
    consumer.send({
      to: "GPPROVIDER_9690937286_19420203_Skelly",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: document,
      chunkSize: 1_000,
    });
  try {
    for (const [state, retryAfter] of [["down", "30"], ["throttling", "120"]] as const) {
      mode = state;
      answers.length = 0;
      await assert.rejects(send(), (error: unknown) => {
        assert.ok(error instanceof MeshClientError, String(error));
        assert.equal(error.status, 503);
        assert.equal(error.event, "SEND");
        assert.match(JSON.stringify(error.body), /nothing was stored/);
        return true;
      });
      // The first chunk was refused, so the client sent no other.
      assert.deepEqual(answers, [[503, retryAfter]], state);
    }
    assert.deepEqual(await practice.inbox(), []);
    assert.deepEqual(await consumer.inbox(), []);
    const sends = mesh.logged.filter((line) =>
      line.type === "mesh-audit" && line.endpoint === "send"
    );
    assert.deepEqual(sends.map((line) => [line.status, line.messageId]), [[503, null], [
      503,
      null,
    ]]);
    const errors = mesh.logged.filter((line) => line.type === "error");
    assert.equal(errors.length, 2);
    assert.ok(!JSON.stringify(mesh.logged).includes("9690937286"), "no NHS number in any line");

    mode = "up";
    const id = await send();
    assert.deepEqual(await practice.inbox(), [id]);
    assert.deepEqual((await practice.downloadBytes(id)).body, document);
  } finally {
    await mesh.close();
    await pdsServer.shutdown();
  }
});
