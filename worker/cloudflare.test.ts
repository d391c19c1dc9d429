/**
 * The Cloudflare path for real: the Worker bundle (`deno task build:cloudflare`'s output) runs
 * under workerd through Miniflare with a KV namespace, reaches the PDS and SDS sandboxes and a
 * provider stub over loopback, resolves a patient and forwards an SSP request.
 */
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { sspRequestInit } from "../client/ssp-request.ts";
import { createWorkerHandler } from "./cloudflare.ts";
import { createPdsSandbox } from "../sandbox/pds/pds-sandbox.ts";
import { createSdsSandbox } from "../sandbox/sds/sds-sandbox.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** Bundles worker/cloudflare.ts the way `deno task build:cloudflare` does; returns its source. */
async function bundleWorker(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-cf-" });
  const output = `${dir}/cloudflare.js`;
  const entry = new URL("./cloudflare.ts", import.meta.url).pathname;
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", "--output", output, entry],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  const source = await Deno.readTextFile(output);
  await Deno.remove(dir, { recursive: true });
  return source;
}

function serve(handler: (request: Request) => Response | Promise<Response>) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
}

Deno.test({
  name: "the Worker bundle under workerd resolves through KV and forwards an SSP request",
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
    const source = await bundleWorker();
    // The Worker's console lines (audit and error lines), collected rather than printed.
    const logs: string[] = [];
    const mf = new Miniflare({
      handleStructuredLogs: ({ message }: { message: string }) => {
        logs.push(message);
      },
      modules: [{ type: "ESModule", path: "cloudflare.js", contents: source }],
      compatibilityDate: "2026-04-01",
      kvNamespaces: ["GPC_EDGE_KV"],
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

      const kv = await mf.getKVNamespace("GPC_EDGE_KV") as unknown as {
        list(): Promise<{ keys: Array<{ name: string }> }>;
      };
      const keys = (await kv.list()).keys.map((key) => key.name).sort();
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
    } finally {
      await mf.dispose();
      await Promise.all([provider.shutdown(), sds.shutdown(), pds.shutdown()]);
    }
  },
});

Deno.test("the Workers entry answers an invalid GPC_EDGE_* variable with a 500 OperationOutcome naming it, logged once", async () => {
  const logged: Array<Readonly<Record<string, unknown>>> = [];
  const worker = createWorkerHandler({ logger: { log: (record) => logged.push(record) } });
  const env = { GPC_EDGE_KV: {} as never, GPC_EDGE_JWT_MODE: "strict" };
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
