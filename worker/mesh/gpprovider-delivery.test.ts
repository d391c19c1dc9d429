/**
 * Issue 10's routing "done when", on a real socket: a Send Document to
 * `GPPROVIDER_9690937286_{DOB}_{surname}` lands in B82617OT1's inbox with the practice's mailbox
 * in `mex-To`; a wrong surname gives the sender an EPL-154 REPORT and the practice nothing.
 * PDS is the PDS sandbox app behind the directory; the client is client/mesh.
 */
import assert from "node:assert/strict";
import { createMeshClient } from "../../client/mesh/mesh-client.ts";
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
