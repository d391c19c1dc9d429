/**
 * In-process micro-benchmarks of the SSP hot path (Part B3, tier 1): no sockets, the upstream
 * fetch is the stub handler called directly, so each group isolates CPU cost. Run with
 * `deno task bench:micro` (`deno task bench` runs them after the load benchmark).
 *
 * @module
 */
import { sspRequestInit } from "../client/ssp-request.ts";
import type { UpstreamFetch } from "../worker/app-deps.ts";
import { systemClock } from "../worker/app-deps.ts";
import { createApp } from "../worker/app.ts";
import { defaultConfig } from "../worker/config.ts";
import { createDirectoryResolver } from "../worker/directory/directory-resolver.ts";
import { acceptedFhirFormat } from "../gpconnect/media-type.ts";
import {
  appendHeaders,
  headerPairs,
  receivedFields,
  receivedFrom,
} from "../gpconnect/header-pairs.ts";
import { base64urlDecodeBinary } from "../gpconnect/base64url.ts";
import { BytesResponse } from "../worker/http1-server/bytes-response.ts";
import { Http1Request } from "../worker/http1-server/http1-request.ts";
import { findInteraction } from "../gpconnect/specs.ts";
import { checkGpConnectJwt } from "../gpconnect/jwt/jwt-claims-check.ts";
import { forwardingIdentity, forwardToProvider } from "../worker/ssp/provider-forward.ts";
import { createTimerWheel } from "../worker/gateway/deadline-scheduler.ts";
import { createRecordsCircuitBreaker } from "../worker/gateway/circuit-breaker.ts";
import { sspAuditRecord } from "../worker/ssp/ssp-audit.ts";
import { sspHeaderRules } from "../gpconnect/ssp-header-rules.ts";
import type { SspEstablished } from "../worker/ssp/ssp-state.ts";
import { parseSspTarget } from "../worker/ssp/ssp-target.ts";
import { createDenoKvCacheStore } from "../worker/store/deno-kv-cache-store.ts";
import { createDenoKvRecordsStore } from "../worker/store/deno-kv-records-store.ts";
import { createMemoryBlobStore } from "../worker/store/memory-blob-store.ts";
import { constantDirectory } from "../worker/testing/ssp-fixtures.ts";
import { practiceOfKey } from "./bench-keys.ts";
import { benchSdsHandler } from "./directory-server.ts";
import { silentLogger } from "./edge-server.ts";
import { stubHandler } from "./stub-server.ts";
import { benchInteraction, stubRoot } from "./variants.ts";

/** The forward's shared deadline wheel and public identity, as the Deno entry builds them. */
const benchTimers = createTimerWheel();
const benchIdentity = forwardingIdentity("http://127.0.0.1:8080", []);

const stubUrl = "http://stub.bench";
const sdsUrl = "http://sds.bench";
const edgeUrl = "http://edge.bench";
const stub = stubHandler(0);
const sds = benchSdsHandler(stubUrl);
const root = stubRoot(stubUrl);
const { headers } = sspRequestInit({
  sspBaseUrl: edgeUrl,
  providerRoot: root,
  fhirPath: "/metadata",
  interactionId: benchInteraction,
});
const interaction = findInteraction(benchInteraction)!;
const authorization = headers.get("Authorization")!;
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** Upstream fetch without sockets: SDS sandbox or stub, called in-process. */
const inProcessFetch: UpstreamFetch = (input, init) => {
  const request = new Request(input, init);
  return Promise.resolve(request.url.startsWith(sdsUrl) ? sds(request) : stub(request));
};
const sspRequest = (ods = "B82617") =>
  new Request(`${edgeUrl}/${stubRoot(stubUrl, ods)}/metadata`, { headers });

const kv = await Deno.openKv(":memory:");
const store = createDenoKvCacheStore(kv);
const stores = {
  cache: store,
  records: createDenoKvRecordsStore(kv),
  blobs: createMemoryBlobStore(),
};
const config = {
  ...defaultConfig,
  directory: { ...defaultConfig.directory, sdsBaseUrl: sdsUrl, pdsBaseUrl: "http://pds.bench" },
  // As the wrk variants run: one ASID pair thousands of times would otherwise be answered 429
  // after its first 200 requests in 10 s, and the rows would measure refusals.
  ssp: { ...defaultConfig.ssp, rateLimits: { consumer: null, pair: null, asids: {} } },
};
const p0 = createApp({
  config,
  stores,
  fetch: inProcessFetch,
  logger: silentLogger,
  directory: constantDirectory(root),
}).app;
const cached = createApp({ config, stores, fetch: inProcessFetch, logger: silentLogger }).app;
await (await cached.fetch(sspRequest())).arrayBuffer();
let missKey = 1;

Deno.bench({ group: "ssp request", name: "stub handler direct", baseline: true }, async () => {
  await (await stub(new Request(`${root}/metadata`, { headers })))!.arrayBuffer();
});
Deno.bench(
  { group: "ssp request", name: "minimal proxy (fetch and re-wrap, no checks)" },
  async () => {
    const request = sspRequest();
    const upstream = await inProcessFetch(`${root}/metadata`, { headers: request.headers });
    await new Response(upstream.body, { status: upstream.status, headers: upstream.headers })
      .arrayBuffer();
  },
);
/** Reads an SSP answer, failing the benchmark unless the provider's answer came through. */
async function forwarded(response: Response | Promise<Response>): Promise<void> {
  const answer = await response;
  await answer.arrayBuffer();
  if (answer.status !== 200) throw new Error(`The SSP route answered ${answer.status}`);
}
Deno.bench({ group: "ssp request", name: "P0 SSP route, constant directory" }, async () => {
  await forwarded(p0.fetch(sspRequest()));
});
Deno.bench({ group: "ssp request", name: "PH SSP route, warm LRU" }, async () => {
  await forwarded(cached.fetch(sspRequest()));
});
Deno.bench(
  { group: "ssp request", name: "PM SSP route, miss (SDS sandbox in-process)" },
  async () => {
    await forwarded(cached.fetch(sspRequest(practiceOfKey(missKey++))));
  },
);

const constant = constantDirectory(root);
const resolver = createDirectoryResolver({
  config: config.directory,
  store,
  fetch: inProcessFetch,
  clock: systemClock,
  randomUUID: () => crypto.randomUUID(),
});
await resolver.lookupEndpoint("B82617", benchInteraction);
Deno.bench({ group: "directory lookup", name: "constant directory", baseline: true }, async () => {
  await constant.lookupEndpoint("B82617", benchInteraction);
});
Deno.bench({ group: "directory lookup", name: "cache hit (in-isolate LRU)" }, async () => {
  await resolver.lookupEndpoint("B82617", benchInteraction);
});

const requestUrl = sspRequest().url;
Deno.bench({ group: "checks", name: "SSP header rules" }, () => {
  for (const rule of sspHeaderRules) {
    if (!rule.valid(headers.get(rule.name)!.trim())) throw new Error(rule.name);
  }
});
Deno.bench({ group: "checks", name: "target URL parse" }, () => {
  parseSspTarget(requestUrl);
});
Deno.bench({ group: "checks", name: "Accept check" }, () => {
  acceptedFhirFormat(headers.get("Accept"), "STU3");
});
Deno.bench({ group: "checks", name: "JWT decode and claims check" }, () => {
  checkGpConnectJwt(authorization, {
    interaction,
    nowSeconds: Math.floor(Date.now() / 1000),
    leewaySeconds: 5,
  });
});
Deno.bench({ group: "checks", name: "audit record, serialised" }, () => {
  const startedAt = Date.now();
  const facts: SspEstablished = {
    sspTarget: parseSspTarget(requestUrl),
    sspHeadersSent: {
      traceId: headers.get("Ssp-TraceID")!,
      from: "200000000359",
      to: "918999198738",
      interactionId: benchInteraction,
    },
    sspInteraction: interaction,
    sspEndpoint: {
      endpoint: {
        odsCode: "B82617",
        interactionId: benchInteraction,
        address: root,
        partyKey: "B82617-0000806",
        asid: "918999198738",
        cpaId: undefined,
      },
      source: "memory",
    },
    sspUpstream: { status: 200, latencyMs: 1 },
  };
  JSON.stringify(sspAuditRecord(facts, {
    method: "GET",
    status: 200,
    error: undefined,
    jwtMode: "log",
    startedAt,
    now: Date.now(),
  }));
});

Deno.bench({ group: "forward", name: "stub handler direct", baseline: true }, async () => {
  await (await stub(new Request(`${root}/metadata`, { headers })))!.arrayBuffer();
});
Deno.bench({ group: "forward", name: "forwardToProvider (headers, signal, re-wrap)" }, async () => {
  const { response } = await forwardToProvider(sspRequest(), `${root}/metadata`, {
    fetch: inProcessFetch,
    clock: systemClock,
    timeoutMs: 30_000,
    scheduler: benchTimers,
    clientAddress: "127.0.0.1",
    identity: benchIdentity,
    fetchDecodesBody: true,
  });
  await response.arrayBuffer();
});

// The breaker on the hot path (issue 15): every call reading Deno KV, against the in-process view.
const breakerSettings = {
  failureThreshold: 5,
  openMs: 30_000,
  maxOpenMs: 300_000,
  probeTimeoutMs: 120_000,
};
const breakerEndpoint = `${root}`;
for (
  const [name, viewMs] of [["reads Deno KV each call (viewMs 0)", 0], [
    "in-process view",
    500,
  ]] as const
) {
  const breaker = createRecordsCircuitBreaker({
    records: stores.records,
    clock: systemClock,
    settings: breakerSettings,
    viewMs,
  });
  Deno.bench({
    group: "breaker",
    name: `admit and record a success, ${name}`,
    baseline: viewMs === 0,
  }, async () => {
    const admission = await breaker.admit(breakerEndpoint);
    await breaker.record(breakerEndpoint, true, admission);
  });
}

// What Deno 2.9's web classes cost on the hot path (issue 15): each "before" is what gpc-edge did,
// each "after" what it does now. GC behaviour is not visible here: run the server with
// --v8-flags=--trace-gc-nvp for that (bench/gc-trace.ts).
const twelveFields: Array<[string, string]> = Array.from(
  { length: 12 },
  (_, index) => [`x-field-${index}`, `value-${index}-abcdefghijkl`],
);
const twelveHeaders = new Headers(twelveFields);
Deno.bench({ group: "headers walk", name: "for…of over Headers", baseline: true }, () => {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of twelveHeaders) pairs.push([name, value]);
});
Deno.bench({ group: "headers walk", name: "headerPairs (forEach)" }, () => {
  headerPairs(twelveHeaders);
});
Deno.bench({ group: "request", name: "new Request(url, { headers })", baseline: true }, () => {
  new Request("http://127.0.0.1:8080/x", { method: "GET", headers: twelveFields });
});
Deno.bench({ group: "request", name: "Http1Request (template copy, fields appended)" }, () => {
  new Http1Request("http://127.0.0.1:8080/x", "GET", { method: "GET", headers: twelveFields });
});
const smallBody = new TextEncoder().encode("x".repeat(1024));
Deno.bench({ group: "response", name: "new Response(bytes, { headers })", baseline: true }, () => {
  new Response(smallBody, { status: 200, headers: twelveFields });
});
Deno.bench({ group: "response", name: "BytesResponse (fields appended)" }, () => {
  new BytesResponse(smallBody, { status: 200, headers: twelveFields });
});

// The SSP route's own reads (issue 15, third pass).
const jwtPayload = authorization.slice("Bearer ".length).split(".")[1]!;
Deno.bench({ group: "base64url", name: "Uint8Array.fromBase64 + UTF-8", baseline: true }, () => {
  utf8Decoder.decode(Uint8Array.fromBase64(jwtPayload, { alphabet: "base64url" }));
});
Deno.bench(
  { group: "base64url", name: "base64urlDecodeBinary (atob, strictness around it)" },
  () => {
    base64urlDecodeBinary(jwtPayload);
  },
);
const routeReads = [
  "host",
  "ssp-traceid",
  "ssp-from",
  "ssp-to",
  "ssp-interactionid",
  "authorization",
  "connection",
  "content-length",
  "accept",
  "content-type",
  "content-length",
  "transfer-encoding",
  "connection",
  "authorization",
];
// Each row builds a request's fields afresh, as the guarded server does, then reads them.
const requestPairs = headerPairs(headers);
const receivedHeaders = () => {
  const received = new Headers();
  appendHeaders(received, requestPairs);
  return received;
};
// The SSP request's own fields (its 1.3 KB Authorization included) into the request the guarded
// server builds: appended (Deno checks each character) or filled as the parser checked them (G13).
Deno.bench(
  { group: "received fields", name: "Http1Request, fields appended", baseline: true },
  () => {
    new Http1Request("http://127.0.0.1:8080/x", "GET", { method: "GET", headers: requestPairs });
  },
);
Deno.bench({ group: "received fields", name: "Http1Request, checked fields filled" }, () => {
  new Http1Request("http://127.0.0.1:8080/x", "GET", { method: "GET" }, requestPairs);
});
Deno.bench({ group: "field reads", name: "the fields built, not read", baseline: true }, () => {
  receivedHeaders();
});
Deno.bench({ group: "field reads", name: "Headers.get per read" }, () => {
  const received = receivedHeaders();
  for (const name of routeReads) received.get(name);
});
Deno.bench({ group: "field reads", name: "receivedFields (one forEach, then a Map)" }, () => {
  const fields = receivedFields(receivedHeaders());
  for (const name of routeReads) fields.get(name);
});
Deno.bench({ group: "field reads", name: "receivedFields from the parser's lines" }, () => {
  const received = receivedHeaders();
  receivedFrom(received, requestPairs);
  const fields = receivedFields(received);
  for (const name of routeReads) fields.get(name);
});
