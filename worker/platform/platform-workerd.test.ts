/**
 * The platform under workerd (issue 12 item 6): the probe Worker (testing/platform-workerd.probe.ts)
 * bundled as `deno task build:cloudflare` bundles the Worker, run through Miniflare with the
 * records store in a SQLite-backed Durable Object. NHS login, PDS, SDS and the practice answer
 * its outbound requests from the test process (the sandbox apps, in-process).
 */
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { bundleForWorkerd } from "../testing/workerd-bundle.ts";
import {
  exchangeForm,
  platformWorkerdBindings,
  startPlatformWorld,
  structuredParameters,
} from "./testing/platform-world.ts";

Deno.test("workerd: token exchange, jti replay, the chain and rate limits with Durable Object records", async () => {
  const world = await startPlatformWorld();
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    modules: [{
      type: "ESModule",
      path: "probe.js",
      contents: await bundleForWorkerd(
        new URL("./testing/platform-workerd.probe.ts", import.meta.url),
      ),
    }],
    compatibilityDate: "2026-04-01",
    durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
    bindings: platformWorkerdBindings(world, { rateLimits: { perSecond: 100, perMinute: 6 } }),
    outboundService: (request: Request) => world.sandboxFetch(request.url, request),
  });
  const httpClient = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    await mf.ready;
    const assertion = await world.clientAssertion();
    const form = exchangeForm(await world.idToken("9690937286"), assertion);
    const exchange = () =>
      mf.dispatchFetch(world.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
    const first = await exchange();
    const tokens = await first.json() as { access_token: string; expires_in: string };
    assert.equal(first.status, 200, JSON.stringify(tokens));
    assert.equal(tokens.expires_in, "599");
    const replay = await exchange();
    assert.equal(replay.status, 400);
    assert.equal(
      (await replay.json() as { error_description: string }).error_description,
      "Non-unique 'jti' claim in client_assertion JWT",
    );

    const requestId = crypto.randomUUID();
    // A fresh connection per request: workerd behind Miniflare's dev server closes a connection
    // whose request body an early answer (403, 429) left unread, and a pooled connection reused
    // after that is reset (ECONNRESET). On Cloudflare the edge holds the client's connection.
    const origin = (await mf.ready).origin;
    const call = (nhs: string, id = crypto.randomUUID()) =>
      fetch(
        `${origin}/gp-connect/patient-facing/access-record-fhir/FHIR/STU3/Patient/$gpc.getstructuredrecord`,
        {
          method: "POST",
          headers: {
            Authorization: `Bearer ${tokens.access_token}`,
            "X-Request-ID": id,
            "Content-Type": "application/fhir+json",
          },
          body: structuredParameters(nhs),
          client: httpClient,
        },
      );
    const record = await call("9690937286", requestId);
    const bundle = await record.json() as { id: string; resourceType: string };
    assert.equal(record.status, 200, JSON.stringify(bundle));
    assert.equal(bundle.id, requestId);
    const other = await call("9690937294");
    assert.equal(other.status, 403);
    await other.body?.cancel();
    // 6 per minute: within a few more requests one is refused (at most one window boundary).
    const statuses: number[] = [];
    for (let i = 0; i < 10 && !statuses.includes(429); i++) {
      const res = await call("9690937286");
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.ok(statuses.includes(429), String(statuses));
  } finally {
    httpClient.close();
    await mf.dispose();
  }
});
