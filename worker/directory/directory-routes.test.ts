import assert from "node:assert/strict";
import { Hono } from "hono";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import { createDirectoryResolver } from "./directory-resolver.ts";
import { createDirectoryApp, type ResolveAnswer } from "./directory-routes.ts";
import type { DirectoryResolver } from "./directory-types.ts";
import { recordingLogger } from "../testing/ssp-fixtures.ts";
import {
  directorySandboxes,
  fakeClock,
  pdsErrorResponse,
  pdsSandboxApp,
  sdsBase,
  sdsSandboxApp,
  sequentialUuids,
  structured,
  testConfig,
} from "../testing/directory-sandboxes.ts";

// Fixture patients of the PDS sandbox: 9990000204 registered at A20047, 9990000123 superseded by
// 9990000131, 9990000107 restricted (R).

function setup(fetch = directorySandboxes().fetch) {
  const clock = fakeClock();
  const resolver = createDirectoryResolver({
    config: testConfig(),
    store: createMemoryCacheStore({ now: clock.now }),
    fetch,
    clock,
    randomUUID: sequentialUuids(),
  });
  const logger = recordingLogger();
  const app = new Hono().route(
    "/directory",
    createDirectoryApp(resolver, { randomUUID: sequentialUuids(), logger, clock }),
  );
  return { app, resolver, logger };
}

const resolvePath = (nhs: string, interaction = structured) =>
  `/directory/resolve?nhs-number=${nhs}&interaction=${encodeURIComponent(interaction)}`;

interface Outcome {
  resourceType: string;
  meta: { profile: string[] };
  issue: Array<{
    severity: string;
    code: string;
    details: { coding: Array<{ system: string; code: string; display: string }> };
    diagnostics?: string;
  }>;
}

async function outcome(response: Response, status: number, code: string): Promise<Outcome> {
  assert.equal(response.status, status);
  assert.match(response.headers.get("Content-Type")!, /^application\/fhir\+json/);
  const body = await response.json() as Outcome;
  assert.equal(body.resourceType, "OperationOutcome");
  assert.deepEqual(body.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1",
  ]);
  assert.equal(body.issue.length, 1);
  const coding = body.issue[0]!.details.coding[0]!;
  assert.equal(coding.system, "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1");
  assert.equal(coding.code, code);
  return body;
}

Deno.test("routes: /resolve answers the whole chain, no-store, with cache sources", async () => {
  const { app } = setup();
  const response = await app.request(resolvePath("9990000204"));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
  const body = await response.json() as ResolveAnswer;
  assert.deepEqual(body, {
    nhsNumber: "9990000204",
    requestedNhsNumber: "9990000204",
    superseded: false,
    deceased: false,
    versionId: "4",
    odsCode: "A20047",
    interactionId: structured,
    endpoint: {
      address: "https://provider.example.nhs.uk/A20047/STU3/1/gpconnect/structured/fhir",
      asid: "200000000985",
      partyKey: "A20047-821870",
      cpaId: "S20001A000602",
    },
    cache: { pds: "upstream", sds: "upstream" },
  });
  const again = await (await app.request(resolvePath("9990000204"))).json() as ResolveAnswer;
  assert.deepEqual(again.cache, { pds: "memory", sds: "memory" });
});

Deno.test("routes: Cache-Control: no-cache bypasses both caches", async () => {
  const { app } = setup();
  await app.request(resolvePath("9990000204"));
  const response = await app.request(resolvePath("9990000204"), {
    headers: { "Cache-Control": "max-age=0, no-cache" },
  });
  assert.deepEqual((await response.json() as ResolveAnswer).cache, {
    pds: "upstream",
    sds: "upstream",
  });
});

Deno.test("routes: superseded number reports both numbers", async () => {
  const { app } = setup();
  const body = await (await app.request(resolvePath("9990000123"))).json() as ResolveAnswer;
  assert.equal(body.nhsNumber, "9990000131");
  assert.equal(body.requestedNhsNumber, "9990000123");
  assert.equal(body.superseded, true);
});

Deno.test("routes: X-Request-ID is used when a UUID and echoed", async () => {
  const upstream = directorySandboxes();
  const { app } = setup(upstream.fetch);
  const requestId = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
  const response = await app.request(resolvePath("9990000204"), {
    headers: { "X-Request-ID": requestId },
  });
  assert.equal(response.headers.get("X-Request-ID"), requestId);
  assert.equal(upstream.requests[0]!.headers.get("X-Request-ID"), requestId);
});

Deno.test("routes: missing parameters → 422 INVALID_PARAMETER OperationOutcome", async () => {
  const { app } = setup();
  for (
    const [path, missing] of [
      [`/directory/resolve?interaction=${encodeURIComponent(structured)}`, "nhs-number"],
      ["/directory/resolve?nhs-number=9990000204", "interaction"],
      ["/directory/resolve?nhs-number=&interaction=", "nhs-number"],
    ] as const
  ) {
    const body = await outcome(await app.request(path), 422, "INVALID_PARAMETER");
    assert.equal(body.issue[0]!.diagnostics, `Missing query parameter ${missing}`);
    assert.equal(body.issue[0]!.details.coding[0]!.display, "Invalid parameter");
  }
});

Deno.test("routes: unknown interaction → 422 INVALID_PARAMETER", async () => {
  const { app } = setup();
  const response = await app.request(
    resolvePath("9990000204", "urn:nhs:names:services:gpconnect:fhir:rest:read:nothing-1"),
  );
  const body = await outcome(response, 422, "INVALID_PARAMETER");
  assert.match(body.issue[0]!.diagnostics ?? "", /^Unknown interaction/);
});

Deno.test("routes: invalid NHS number → 400 INVALID_NHS_NUMBER", async () => {
  const { app } = setup();
  const body = await outcome(await app.request(resolvePath("12345")), 400, "INVALID_NHS_NUMBER");
  assert.match(body.issue[0]!.diagnostics ?? "", /must be 10 digits/);
});

Deno.test("routes: restricted patient → 404 PATIENT_NOT_FOUND with the reason", async () => {
  const { app } = setup();
  const body = await outcome(
    await app.request(resolvePath("9990000107")),
    404,
    "PATIENT_NOT_FOUND",
  );
  assert.equal(body.issue[0]!.code, "not-found");
  assert.match(body.issue[0]!.diagnostics ?? "", /restricted \(R\)/);
});

Deno.test("routes: PDS 503 with a long Retry-After → 503 with Retry-After", async () => {
  const { app } = setup(
    directorySandboxes({
      fault: () => pdsErrorResponse(503, "SERVICE_UNAVAILABLE", { "Retry-After": "60" }),
    }).fetch,
  );
  const response = await app.request(resolvePath("9990000204"));
  const body = await outcome(response, 503, "INTERNAL_SERVER_ERROR");
  assert.equal(response.headers.get("Retry-After"), "60");
  assert.match(body.issue[0]!.diagnostics ?? "", /^PDS is throttling/);
});

Deno.test("routes: SDS down → 502 'SDS unavailable'", async () => {
  const { app } = setup(
    directorySandboxes({
      fault: (request, sandboxes) =>
        request.url.startsWith(new URL(sdsBase).origin)
          ? Promise.reject(new TypeError("connection reset"))
          : sandboxes(request),
    }).fetch,
  );
  const body = await outcome(
    await app.request(resolvePath("9990000204")),
    502,
    "INTERNAL_SERVER_ERROR",
  );
  assert.equal(body.issue[0]!.code, "transient");
  assert.equal(body.issue[0]!.diagnostics, "SDS unavailable: network error: connection reset");
});

/** A server that accepts requests and never answers them (until the caller gives up). */
function stallingServer() {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) =>
      new Promise<Response>((resolve) =>
        request.signal.addEventListener("abort", () => resolve(new Response(null)))
      ),
  );
}

for (const stalled of ["PDS", "SDS"] as const) {
  Deno.test(`routes: ${stalled} accepting but never answering → 504 with GP Connect's OperationOutcome (real sockets, issue 9)`, async () => {
    const stalling = stallingServer();
    const pdsServer = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      pdsSandboxApp().fetch,
    );
    const sdsServer = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      sdsSandboxApp().fetch,
    );
    const base = (server: Deno.HttpServer<Deno.NetAddr>, path: string) =>
      `http://127.0.0.1:${server.addr.port}${path}`;
    try {
      const clock = fakeClock();
      const resolver = createDirectoryResolver({
        config: testConfig({
          pdsBaseUrl: base(
            stalled === "PDS" ? stalling : pdsServer,
            "/personal-demographics/FHIR/R4",
          ),
          sdsBaseUrl: base(stalled === "SDS" ? stalling : sdsServer, "/spine-directory/FHIR/R4"),
          timeoutMs: 200,
        }),
        store: createMemoryCacheStore({ now: clock.now }),
        fetch,
        clock,
        randomUUID: () => crypto.randomUUID(),
      });
      const app = new Hono().route(
        "/directory",
        createDirectoryApp(resolver, {
          randomUUID: () => crypto.randomUUID(),
          logger: recordingLogger(),
          clock,
        }),
      );
      const body = await outcome(
        await app.request(resolvePath("9990000204")),
        504,
        "INTERNAL_SERVER_ERROR",
      );
      assert.equal(body.issue[0]!.code, "timeout");
      assert.equal(body.issue[0]!.diagnostics, `${stalled} timed out: no answer within 200 ms`);
    } finally {
      await Promise.all([stalling, pdsServer, sdsServer].map((server) => server.shutdown()));
    }
  });
}

Deno.test("routes: an unexpected exception → 500 OperationOutcome without a stack trace", async () => {
  const broken: DirectoryResolver = {
    lookupPatient: () => Promise.reject(new TypeError("boom at secret/place.ts:12")),
    lookupEndpoint: () => Promise.reject(new Error("unreachable")),
    stats: () => ({ pds: zero(), sds: zero(), lruSize: 0 }),
  };
  const logger = recordingLogger();
  const app = createDirectoryApp(broken, {
    randomUUID: sequentialUuids(),
    logger,
    clock: fakeClock(),
  });
  const response = await app.request(resolvePath("9990000204").replace("/directory", ""));
  const text = await response.clone().text();
  const body = await outcome(response, 500, "INTERNAL_SERVER_ERROR");
  assert.equal(body.issue[0]!.diagnostics, "gpc-edge could not complete the request");
  assert.ok(!text.includes("boom") && !text.includes(".ts:"));
  assert.equal(logger.records.length, 1, "logged once");
  const logged = logger.records[0]!;
  assert.equal(logged.type, "error");
  assert.equal(logged.audience, "directory");
  assert.equal(logged.requestId, response.headers.get("X-Request-ID"));
  assert.equal(logged.status, 500);
  assert.equal(logged.expected, false);
  assert.equal(logged.message, "TypeError: boom at secret/place.ts:12");
});

Deno.test("routes: an expected error is logged once with the caller's X-Request-ID", async () => {
  const { app, logger } = setup();
  const requestId = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
  const response = await app.request(resolvePath("12345"), {
    headers: { "X-Request-ID": requestId },
  });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("X-Request-ID"), requestId);
  assert.deepEqual(
    logger.records.map(({ type, audience, requestId, code, expected, path }) => ({
      type,
      audience,
      requestId,
      code,
      expected,
      path,
    })),
    [{
      type: "error",
      audience: "directory",
      requestId,
      code: "INVALID_NHS_NUMBER",
      expected: true,
      path: "/directory/resolve",
    }],
  );
});

Deno.test("routes: /stats returns the counters", async () => {
  const { app } = setup();
  await app.request(resolvePath("9990000204"));
  await app.request(resolvePath("9990000204"));
  const response = await app.request("/directory/stats");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  assert.deepEqual(await response.json(), {
    pds: { memoryHits: 1, kvHits: 0, misses: 1, negativeHits: 0, upstreamErrors: 0 },
    sds: { memoryHits: 1, kvHits: 0, misses: 1, negativeHits: 0, upstreamErrors: 0 },
    lruSize: 2,
  });
});

Deno.test("routes: end to end over real sockets (PDS and SDS sandboxes on loopback)", async () => {
  const pdsPath = "/personal-demographics/FHIR/R4";
  const sdsPath = "/spine-directory/FHIR/R4";
  const pdsServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    pdsSandboxApp().fetch,
  );
  const sdsServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    sdsSandboxApp().fetch,
  );
  try {
    const clock = fakeClock();
    const resolver = createDirectoryResolver({
      config: testConfig({
        pdsBaseUrl: `http://127.0.0.1:${pdsServer.addr.port}${pdsPath}`,
        sdsBaseUrl: `http://127.0.0.1:${sdsServer.addr.port}${sdsPath}`,
      }),
      store: createMemoryCacheStore({ now: clock.now }),
      fetch,
      clock,
      randomUUID: () => crypto.randomUUID(),
    });
    const app = createDirectoryApp(resolver, {
      randomUUID: () => crypto.randomUUID(),
      logger: recordingLogger(),
      clock,
    });
    const response = await app.request(
      `/resolve?nhs-number=9990000204&interaction=${encodeURIComponent(structured)}`,
    );
    assert.equal(response.status, 200);
    const body = await response.json() as ResolveAnswer;
    assert.equal(body.endpoint.asid, "200000000985");
    assert.equal(body.odsCode, "A20047");
  } finally {
    await pdsServer.shutdown();
    await sdsServer.shutdown();
  }
});

function zero() {
  return { memoryHits: 0, kvHits: 0, misses: 0, negativeHits: 0, upstreamErrors: 0 };
}
