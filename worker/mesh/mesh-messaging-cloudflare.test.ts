/**
 * Issue 11 item 5: the messaging loop on Cloudflare. The Worker bundle (`deno task
 * build:cloudflare`'s output) runs under workerd through Miniflare — MESH over the records Durable
 * Object and R2, GPPROVIDER routing through PDS — on a real loopback port, and serves the same
 * consumer sender (`task mesh`) and reference practice poller as on Deno; the filed PDF then comes
 * back byte for byte through the Worker's SSP from the provider's Access Document.
 */
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, CLOUDFLARE_WORKER_ENTRY } from "../testing/workerd-bundle.ts";
import { meshCli } from "../../client/mesh-sender/mesh-cli.ts";
import { sspRequestInit } from "../../client/ssp-request.ts";
import { startPracticeMeshPoller } from "../../sandbox/practice-mesh/practice-mesh-poller.ts";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import { createProviderSandbox } from "../../sandbox/provider/provider-sandbox.ts";
import { denoKvProviderStore } from "../../sandbox/provider/provider-store.ts";
import { createSdsSandbox } from "../../sandbox/sds/sds-sandbox.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function serve(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  return { server, url: `http://127.0.0.1:${server.addr.port}` };
}

const resources = (bundle: Json, type: string): Json[] =>
  (bundle.entry ?? []).map((e: Json) => e.resource).filter((r: Json) => r.resourceType === type);

Deno.test({
  name:
    "on workerd: task mesh send-document and update-record, the practice poller, then the PDF through the Worker's SSP",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const kv = await Deno.openKv(":memory:");
    const store = denoKvProviderStore(kv);
    const pds = serve(createPdsSandbox());
    const provider = serve(createProviderSandbox({ store, pdsBaseUrl: pds.url }));
    const sds = serve(createSdsSandbox({ providerBaseUrl: provider.url }));
    const workerLogs: string[] = [];
    const mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      handleStructuredLogs: ({ message }: { message: string }) => {
        workerLogs.push(message);
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
      bindings: { GPC_EDGE_PDS_URL: pds.url, GPC_EDGE_SDS_URL: sds.url },
    });
    const pollerLog: Array<Readonly<Record<string, unknown>>> = [];
    let poller: { stop(): Promise<void> } | undefined;
    try {
      const workerUrl = (await mf.ready).origin;
      poller = startPracticeMeshPoller({
        meshUrl: workerUrl,
        password: "password",
        sharedKey: "TestKey",
        store,
        pdsBaseUrl: pds.url,
        intervalMs: 50,
        logger: { log: (record) => pollerLog.push(record) },
      });
      const pdf = new Uint8Array(150_000).map((_, i) => (i * 7919) % 256);
      pdf.set(new TextEncoder().encode("%PDF-1.7\n"));
      const files: Record<string, Uint8Array> = {
        "report.pdf": pdf,
        "bp.json": await Deno.readFile(
          new URL("../../client/mesh-sender/examples/blood-pressure.json", import.meta.url),
        ),
      };
      const cli = async (args: string[]) => {
        const out: string[] = [];
        const error: string[] = [];
        const status = await meshCli([
          ...args,
          "--mesh-url",
          workerUrl,
          "--pds-url",
          pds.url,
          "--timeout",
          "30",
          "--poll-interval",
          "0.05",
        ], {
          out: (line) => out.push(line),
          error: (line) => error.push(line),
          env: {},
          readFile: (path) => Promise.resolve(files[path]!),
        });
        return { status, out, error };
      };

      const sent = await cli([
        "send-document",
        "--nhs-number",
        "9690937286",
        "--pdf",
        "report.pdf",
        "--title",
        "Minor illness consultation",
      ]);
      assert.deepEqual(sent.error, []);
      assert.equal(sent.status, 0);
      assert.deepEqual(sent.out.slice(-2), [
        "InfAck 20013 Success",
        "BusAck 30001 Patient known here",
      ]);
      const updated = await cli([
        "update-record",
        "--nhs-number",
        "9690937278",
        "--payload",
        "bp.json",
      ]);
      assert.equal(updated.status, 0, updated.error.join("\n"));
      assert.deepEqual(updated.out.slice(-2), [
        "InfAck 20013 Success",
        "BusAck 30001 Patient known here",
      ]);

      // Access Document through the Worker's SSP route.
      const root = `${provider.url}/B82617/STU3/1/gpconnect/documents/fhir`;
      const ssp = async (interaction: string, path: string) => {
        const { url, headers } = sspRequestInit({
          sspBaseUrl: workerUrl,
          providerRoot: root,
          fhirPath: path,
          interactionId: `urn:nhs:names:services:gpconnect:documents:fhir:rest:${interaction}`,
        });
        const response = await fetch(url, { headers });
        return { status: response.status, body: await response.json() as Json };
      };
      const search = await ssp(
        "search:documentreference-1",
        "/Patient/2/DocumentReference?_include=DocumentReference:subject:Patient" +
          "&_include=DocumentReference:custodian:Organization" +
          "&_include=DocumentReference:author:Organization" +
          "&_include=DocumentReference:author:Practitioner" +
          "&_revinclude:recurse=PractitionerRole:practitioner",
      );
      assert.equal(search.status, 200, JSON.stringify(search.body));
      const filed = resources(search.body, "DocumentReference")
        .filter((d) => d.description === "Minor illness consultation");
      assert.equal(filed.length, 1);
      const url = filed[0]!.content[0].attachment.url as string;
      const binary = await ssp("read:binary-1", url.slice(url.indexOf("/Binary/")));
      assert.equal(binary.status, 200);
      assert.deepEqual(Uint8Array.fromBase64(binary.body.content), pdf);

      const audit = workerLogs.flatMap((line) => line.startsWith("{") ? [JSON.parse(line)] : []);
      assert.ok(
        audit.some((record) => record.type === "mesh-audit" && record.endpoint === "send"),
        "MESH ran inside the Worker",
      );
      assert.deepEqual(pollerLog.filter((record) => String(record.event).includes("failed")), []);
    } finally {
      await poller?.stop();
      await mf.dispose();
      await Promise.all([pds.server, provider.server, sds.server].map((s) => s.shutdown()));
      kv.close();
    }
  },
});
