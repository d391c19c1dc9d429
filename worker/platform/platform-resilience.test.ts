/**
 * The platform's resilience rows of B5, one test (or more) per row, named after it: per-call and
 * whole-request deadlines (R14, R15), read retries and their budget (R16, R17), concurrency caps
 * (R19), a practice's Retry-After (R21), the guarded HTTP/1.1 server in front of the platform
 * (R10, R13), mTLS to practices (R25); and the token endpoint's rate limits, the off switch and
 * `/_status`. Worlds from testing/platform-world.ts: in-process unless a socket is the point.
 */
import assert from "node:assert/strict";
import type { UpstreamFetch } from "../app-deps.ts";
import { createApp } from "../app.ts";
import { ConfigError, configFromEnv, defaultConfig, type GpcEdgeConfig } from "../config.ts";
import { createUpstreamTls, serveGpcEdge } from "../deno.ts";
import { createTimerWheel } from "../gateway/deadline-scheduler.ts";
import type { RateVerdict } from "../gateway/rate-limiter.ts";
import { RawConnection } from "../http1-server/raw-http-client.ts";
import { createMemoryBlobStore } from "../store/memory-blob-store.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
import { platformConfigFromEnv } from "./platform-config.ts";
import { createPlatformBreaker } from "./platform-gateway.ts";
import { createConcurrencyLimiter } from "./chain/concurrency-limit.ts";
import { retryAfterMs } from "./chain/upstream-retry.ts";
import {
  exchangeForm,
  platformPaths,
  type PlatformWorld,
  type PlatformWorldOptions,
  startPlatformWorld,
  structuredParameters,
  testAppId,
} from "./testing/platform-world.ts";
import { startOpensslServer, type TestPki, withTestPki } from "../../gpconnect/testing/test-pki.ts";

const { accessRecord: ar, appointments: am } = platformPaths;

const practicePath = "/patient-facing/access-record-fhir/";
// deno-lint-ignore no-explicit-any
type Json = any;

function headers(token: string, requestId: string = crypto.randomUUID()): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    "X-Request-ID": requestId,
    "Content-Type": "application/fhir+json",
  };
}

const booking = JSON.stringify({
  resourceType: "Appointment",
  participant: [{ actor: { reference: "Patient/9690937286" }, status: "accepted" }],
});

function structured(world: PlatformWorld, token: string, requestId?: string) {
  return world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "POST",
    headers: headers(token, requestId),
    body: structuredParameters("9690937286"),
  });
}

function book(world: PlatformWorld, token: string) {
  return world.edge(`${am}/Appointment`, {
    method: "POST",
    headers: headers(token),
    body: booking,
  });
}

/** The response's OperationOutcome, after checking status, shape and APIM's code. */
async function expectOutcome(res: Response, status: number, code: string): Promise<Json> {
  const body: Json = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  assert.equal(body.resourceType, "OperationOutcome");
  assert.equal(body.issue[0].details.coding[0].code, code);
  return body;
}

const operationOutcome = (code: string) =>
  Response.json({
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code: "transient", diagnostics: code }],
  }, { status: 503, headers: { "Content-Type": "application/fhir+json" } });

/** Waits `ms`, or rejects with the signal's reason when it aborts first (as a hung socket would). */
function upstreamDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A practice that never answers: it waits until the platform gives up on it. */
const hang = (request: Request) =>
  upstreamDelay(120_000, request.signal).then(() => new Response("late"));

/** Back-off waits recorded instead of slept (the world's clock, real time). */
function recordedSleeps(): {
  sleeps: number[];
  clock: { now(): number; sleep(ms: number): Promise<void> };
} {
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => Date.now(),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
  };
}

/** A world whose practice endpoint is answered by `practice` (undefined: the sandbox answers). */
async function worldWithPractice(
  practice: (
    request: Request,
    call: number,
  ) => Promise<Response | undefined> | Response | undefined,
  options: PlatformWorldOptions = {},
): Promise<{ world: PlatformWorld; calls: Request[] }> {
  const calls: Request[] = [];
  const world = await startPlatformWorld({
    ...options,
    intercept: (request) => {
      if (
        !request.url.includes(practicePath) &&
        !request.url.includes("/appointments-management-fhir/")
      ) {
        return options.intercept?.(request);
      }
      calls.push(request);
      return practice(request, calls.length);
    },
  });
  return { world, calls };
}

Deno.test("R14 a practice that hangs past the provider timeout: 504 GATEWAY_TIMEOUT, one attempt (a timeout is not retried)", async () => {
  const { world, calls } = await worldWithPractice(hang, { config: { providerTimeoutMs: 200 } });
  const token = await world.accessToken("9690937286");
  const body = await expectOutcome(await structured(world, token), 504, "GATEWAY_TIMEOUT");
  assert.match(body.issue[0].diagnostics, /The practice did not answer within 200 ms/);
  assert.equal(calls.length, 1);
});

Deno.test("R14 a practice's authorisation service that hangs past the token timeout: 504, the practice never called", async () => {
  const { world, calls } = await worldWithPractice(() => undefined, {
    config: { tokenTimeoutMs: 200 },
    intercept: (request) =>
      request.url.includes("/patient-facing/oauth2/token") ? hang(request) : undefined,
  });
  const token = await world.accessToken("9690937286");
  const body = await expectOutcome(await structured(world, token), 504, "GATEWAY_TIMEOUT");
  assert.match(body.issue[0].diagnostics, /authorisation service did not answer/);
  assert.equal(calls.length, 0);
});

Deno.test("R14 PDS that hangs past the directory timeout: 504 (not 502), no SDS or practice call", async () => {
  const { world, calls } = await worldWithPractice(() => undefined, {
    directoryConfig: { timeoutMs: 200, pdsMaxRetries: 0 },
    intercept: (request) => new URL(request.url).host === "pds.test" ? hang(request) : undefined,
  });
  const token = await world.accessToken("9690937286");
  await expectOutcome(await structured(world, token), 504, "GATEWAY_TIMEOUT");
  assert.equal(calls.length, 0);
  assert.equal(world.upstream.filter((call) => call.url.startsWith("http://sds.test")).length, 0);
});

Deno.test("R15 a chain of slow upstreams, each inside its own timeout: 504 when the whole request passes its deadline (on a timer wheel)", async () => {
  const pending: Promise<unknown>[] = [];
  const slow = (request: Request) => {
    const delay = upstreamDelay(250, request.signal).then(() => undefined);
    pending.push(delay.catch(() => {}));
    return delay;
  };
  const { world, calls } = await worldWithPractice((request) => slow(request), {
    config: { deadlineMs: 600 },
    deps: { scheduler: createTimerWheel({ tickMs: 10 }) },
    intercept: (request) => {
      const host = new URL(request.url).host;
      if (host === "pds.test" || host === "sds.test") return slow(request);
      if (request.url.includes("/patient-facing/oauth2/token")) return slow(request);
      return undefined;
    },
  });
  const token = await world.accessToken("9690937286");
  const body = await expectOutcome(await structured(world, token), 504, "GATEWAY_TIMEOUT");
  assert.match(body.issue[0].diagnostics, /did not complete within its 600 ms deadline/);
  assert.equal(calls.length, 0, "PDS, SDS (twice) and the token call took the budget");
  // The directory's calls are not aborted by the request's deadline, only no longer waited for.
  await Promise.all(pending);
});

Deno.test("R16 a read: 503, 503, then 200 is answered 200 after 3 attempts with one X-Request-ID, the back-off jittered and injected", async () => {
  const { sleeps, clock } = recordedSleeps();
  const { world, calls } = await worldWithPractice(
    (_request, call) => call <= 2 ? operationOutcome("busy") : undefined,
    { deps: { clock, random: () => 0.5 } },
  );
  const token = await world.accessToken("9690937286");
  const requestId = crypto.randomUUID();
  const res = await structured(world, token, requestId);
  const bundle: Json = await res.json();
  assert.equal(res.status, 200);
  assert.equal(bundle.id, requestId);
  assert.equal(calls.length, 3);
  assert.deepEqual(calls.map((call) => call.headers.get("X-Request-ID")), [
    requestId,
    requestId,
    requestId,
  ]);
  // Full jitter over base 100 ms doubling: random 0.5 → 50 ms, then 100 ms.
  assert.deepEqual(sleeps, [50, 100]);
});

Deno.test("R16 a read after a connect failure and a 504 is retried; 3 retries at most, then the last answer", async () => {
  const { sleeps, clock } = recordedSleeps();
  const { world, calls } = await worldWithPractice((_request, call) => {
    if (call === 1) throw new TypeError("connection refused");
    return new Response("<html>gateway timeout</html>", { status: 504 });
  }, { deps: { clock, random: () => 0.99 } });
  const token = await world.accessToken("9690937286");
  await expectOutcome(await structured(world, token), 502, "502");
  assert.equal(calls.length, 4, "the first attempt and 3 retries");
  // Cap 10 × base = 1000 ms: 99, 198, 396.
  assert.deepEqual(sleeps, [99, 198, 396]);
});

Deno.test("R16 a 500 and a 400 from the practice are not retried", async () => {
  for (const status of [500, 400]) {
    const { world, calls } = await worldWithPractice(() =>
      Response.json({ resourceType: "OperationOutcome", issue: [] }, {
        status,
        headers: { "Content-Type": "application/fhir+json" },
      })
    );
    const token = await world.accessToken("9690937286");
    const res = await structured(world, token);
    assert.equal(res.status, status);
    await res.body?.cancel();
    assert.equal(calls.length, 1, `HTTP ${status}`);
  }
});

Deno.test("R16 writes: a booking answered 503 or unreachable is sent exactly once", async () => {
  const { sleeps, clock } = recordedSleeps();
  const { world, calls } = await worldWithPractice(() => operationOutcome("busy"), {
    deps: { clock },
  });
  const token = await world.accessToken("9690937286");
  const res = await book(world, token);
  const body: Json = await res.json();
  assert.equal(res.status, 503);
  assert.equal(body.issue[0].diagnostics, "busy", "the practice's OperationOutcome, unchanged");
  assert.equal(calls.length, 1);

  const down = await worldWithPractice(() => {
    throw new TypeError("connection refused");
  }, { deps: { clock } });
  const token2 = await down.world.accessToken("9690937286");
  await expectOutcome(await book(down.world, token2), 502, "502");
  assert.equal(down.calls.length, 1);
  assert.deepEqual(sleeps, []);
});

Deno.test("R17 a practice that hangs on every attempt: retries stop when another could not finish inside the deadline, 504", async () => {
  // Deadline 1 s, 300 ms per attempt: an attempt starts only with 300 ms + back-off left, so at
  // most 3 of the 4 attempts R16 allows can start.
  const { world, calls } = await worldWithPractice(hang, {
    config: { deadlineMs: 1_000, providerTimeoutMs: 300 },
    deps: { random: () => 0 },
  });
  const token = await world.accessToken("9690937286");
  await expectOutcome(await structured(world, token), 504, "GATEWAY_TIMEOUT");
  assert.ok(calls.length >= 1 && calls.length <= 3, `${calls.length} attempts`);
});

Deno.test("R17 a fast 503 with too little budget left for a whole attempt: no retry, the practice's 503 answered", async () => {
  const { sleeps, clock } = recordedSleeps();
  const { world, calls } = await worldWithPractice(() => operationOutcome("busy"), {
    config: { deadlineMs: 2_000, providerTimeoutMs: 1_950 },
    deps: { clock, random: () => 0.5 },
  });
  const token = await world.accessToken("9690937286");
  const res = await structured(world, token);
  assert.equal(res.status, 503);
  await res.body?.cancel();
  assert.equal(calls.length, 1);
  assert.deepEqual(sleeps, []);
});

Deno.test("R21 a practice's 429 with a Retry-After longer than the deadline allows: 429 with its Retry-After, no retry", async () => {
  const { sleeps, clock } = recordedSleeps();
  const { world, calls } = await worldWithPractice(
    () =>
      new Response("<html>slow down</html>", { status: 429, headers: { "Retry-After": "120" } }),
    { deps: { clock } },
  );
  const token = await world.accessToken("9690937286");
  const res = await structured(world, token);
  assert.equal(res.headers.get("Retry-After"), "120");
  const body = await expectOutcome(res, 429, "THROTTLED");
  assert.equal(body.issue[0].details.coding[0].display, "The practice is throttling requests");
  assert.equal(calls.length, 1);
  assert.deepEqual(sleeps, []);
});

Deno.test("R21 a short Retry-After on a read is waited out inside the deadline; a write's is answered", async () => {
  const { sleeps, clock } = recordedSleeps();
  const { world, calls } = await worldWithPractice(
    (_request, call) =>
      call === 1
        ? new Response(null, { status: 503, headers: { "Retry-After": "1" } })
        : call === 3
        ? Response.json({ resourceType: "OperationOutcome", issue: [] }, {
          status: 429,
          headers: { "Retry-After": "2", "Content-Type": "application/fhir+json" },
        })
        : undefined,
    { deps: { clock, random: () => 0.5 } },
  );
  const token = await world.accessToken("9690937286");
  const read = await structured(world, token);
  assert.equal(read.status, 200);
  await read.body?.cancel();
  assert.equal(calls.length, 2);
  assert.deepEqual(sleeps, [1000], "the Retry-After, not the 50 ms back-off");
  const write = await book(world, token);
  assert.equal(write.status, 429);
  assert.equal(write.headers.get("Retry-After"), "2");
  assert.equal((await write.json()).resourceType, "OperationOutcome");
  assert.equal(calls.length, 3);
});

const allowAll = {
  take: (): Promise<RateVerdict> =>
    Promise.resolve({
      allowed: true,
      limit: 0,
      remaining: 0,
      resetSeconds: 0,
      retryAfterSeconds: 0,
    }),
};

Deno.test("R19 20 parallel requests to one practice: 4 in flight, 8 queued, the rest 503 with Retry-After at once", async () => {
  let holding = false;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let inFlight = 0;
  let most = 0;
  const world = await startPlatformWorld({
    config: { providerMaxInFlight: 4, providerMaxQueued: 8 },
    deps: { gateway: { rateLimiter: allowAll } },
    wrapFetch: (inner: UpstreamFetch): UpstreamFetch => async (input, init) => {
      const request = new Request(input, init);
      if (!holding || !request.url.includes(practicePath)) return await inner(request);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await gate;
        return await inner(request);
      } finally {
        inFlight--;
      }
    },
  });
  const token = await world.accessToken("9690937286");
  const warm = await structured(world, token); // the practice's token and the directory cached
  assert.equal(warm.status, 200);
  await warm.body?.cancel();
  holding = true;
  const settled: Response[] = [];
  const all = Array.from({ length: 20 }, () =>
    structured(world, token).then((res) => {
      settled.push(res);
      return res;
    }));
  for (let i = 0; i < 500 && (settled.length < 8 || inFlight < 4); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(inFlight, 4);
  assert.equal(settled.length, 8, "the 8 beyond 4 in flight and 8 queued are refused at once");
  for (const refused of settled) {
    assert.equal(refused.headers.get("Retry-After"), "1");
    await expectOutcome(refused, 503, "SERVICE_UNAVAILABLE");
  }
  release();
  const responses = await Promise.all(all);
  const ok = responses.filter((res) => res.status === 200);
  assert.equal(ok.length, 12);
  for (const res of ok) await res.body?.cancel();
  assert.equal(most, 4);
});

Deno.test("R19 one request keeps at most one upstream call open at a time (never more than 6)", async () => {
  let inFlight = 0;
  let most = 0;
  const world = await startPlatformWorld({
    wrapFetch: (inner: UpstreamFetch): UpstreamFetch => async (input, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await inner(input, init);
      } finally {
        inFlight--;
      }
    },
  });
  const token = await world.accessToken("9690937286");
  const before = world.upstream.length;
  const res = await structured(world, token);
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const made = world.upstream.slice(before).map((call) => new URL(call.url).host);
  assert.ok(
    made.includes("pds.test") && made.includes("sds.test") && made.includes("provider.test"),
  );
  assert.equal(most, 1, "the chain is sequential");
  assert.ok(most <= 6);
});

/** gpc-edge's Deno entry (the guarded HTTP/1.1 server) in front of a socket world's platform. */
async function servedEdge(
  world: PlatformWorld,
  practiceCalls: string[],
  tls: GpcEdgeConfig["tls"] = defaultConfig.tls,
) {
  const logs: Array<Readonly<Record<string, unknown>>> = [];
  const edge = await serveGpcEdge({
    config: { ...defaultConfig, directory: world.directoryConfig, platform: world.config, tls },
    configAtUrl: (config, url) => ({
      ...config,
      platform: { ...config.platform, publicBaseUrl: url },
    }),
    dataDir: ":memory:",
    port: 0,
    logger: { log: (record) => logs.push(record) },
    wrapFetch: (inner) => (input, init) => {
      const request = new Request(input, init);
      if (request.url.includes(practicePath)) practiceCalls.push(request.url);
      return inner(request);
    },
  });
  // The test app's token, exchanged at this gpc-edge (its token URL is the assertion's aud).
  const tokenUrl = `${edge.url}/oauth2/token`;
  const exchanged = await fetch(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(exchangeForm(
      await world.idToken("9690937286", { aud: testAppId }),
      await world.clientAssertion(testAppId, { aud: tokenUrl }),
    )),
  });
  const body: Json = await exchanged.json();
  assert.equal(exchanged.status, 200, JSON.stringify(body));
  return { edge, logs, token: body.access_token as string, port: Number(new URL(edge.url).port) };
}

/** A raw request head (CRLFs), then the body as given. */
function rawRequest(line: string, fields: string[], body = ""): string {
  return `${line}\r\n${fields.join("\r\n")}\r\n\r\n${body}`;
}

/** A raw structured-record POST on `port` with the token, a new request id, `framing` and `body`. */
function rawStructured(port: number, token: string, framing: string[], body: string): string {
  return rawRequest(`POST ${ar}/Patient/$gpc.getstructuredrecord HTTP/1.1`, [
    `Host: 127.0.0.1:${port}`,
    `Authorization: Bearer ${token}`,
    `X-Request-ID: ${crypto.randomUUID()}`,
    ...framing,
  ], body);
}

async function readAll(port: number, wire: string) {
  const connection = await RawConnection.open(port);
  try {
    await connection.send(wire).catch(() => {});
    const responses = [];
    for (let response; (response = await connection.readResponse()) !== null;) {
      responses.push(response);
    }
    return responses;
  } finally {
    connection.close();
  }
}

Deno.test("R10 smuggling on the platform's routes through the Deno entry's guarded server: TE + CL is 400 and closed, the practice never sees the request behind it", async () => {
  const world = await startPlatformWorld({ sockets: true });
  const practiceCalls: string[] = [];
  const { edge, logs, token, port } = await servedEdge(world, practiceCalls);
  try {
    const smuggledId = crypto.randomUUID();
    const smuggled = rawRequest(`GET ${ar}/documents/Patient/9690937286 HTTP/1.1`, [
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${token}`,
      `X-Request-ID: ${smuggledId}`,
    ]);
    // The same request honestly framed reaches the practice (the control).
    const body = structuredParameters("9690937286");
    const [control] = await readAll(
      port,
      rawStructured(port, token, [
        "Content-Type: application/fhir+json",
        `Content-Length: ${new TextEncoder().encode(body).length}`,
        "Connection: close",
      ], body),
    );
    assert.equal(control?.status, 200);
    assert.equal(practiceCalls.length, 1);

    const chunked = `0\r\n\r\n${smuggled}`;
    const responses = await readAll(
      port,
      rawStructured(port, token, [
        "Content-Type: application/fhir+json",
        `Content-Length: ${chunked.length}`,
        "Transfer-Encoding: chunked",
      ], chunked),
    );
    assert.deepEqual(responses.map((response) => response.status), [400]);
    assert.equal(responses[0]!.headers.get("connection"), "close");
    assert.equal(practiceCalls.length, 1, "the practice saw no second request");
    assert.ok(!JSON.stringify(logs).includes(smuggledId), "the smuggled request never ran");

    // Two differing Content-Lengths: the same.
    const twice = await readAll(
      port,
      rawStructured(port, token, [
        "Content-Length: 2",
        `Content-Length: ${2 + smuggled.length}`,
      ], `{}${smuggled}`),
    );
    assert.deepEqual(twice.map((response) => response.status), [400]);
    assert.equal(practiceCalls.length, 1);
  } finally {
    await edge.close();
    await world.close();
  }
});

Deno.test("R13 a 17 KB URL is 414 and a 40 KB header 431 on the platform's routes, before any upstream call", async () => {
  const world = await startPlatformWorld({ sockets: true });
  const practiceCalls: string[] = [];
  const { edge, token, port } = await servedEdge(world, practiceCalls);
  try {
    const before = world.upstream.length;
    const fields = [
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${token}`,
      `X-Request-ID: ${crypto.randomUUID()}`,
    ];
    const longUrl = await readAll(
      port,
      rawRequest(
        `GET ${ar}/documents/Patient/9690937286?padding=${"a".repeat(17 * 1024)} HTTP/1.1`,
        fields,
      ),
    );
    assert.deepEqual(longUrl.map((response) => response.status), [414]);
    assert.equal(longUrl[0]!.headers.get("connection"), "close");
    const bigHeader = await readAll(
      port,
      rawRequest(`GET ${ar}/documents/Patient/9690937286 HTTP/1.1`, [
        ...fields,
        `X-Big: ${"a".repeat(40 * 1024)}`,
      ]),
    );
    assert.deepEqual(bigHeader.map((response) => response.status), [431]);
    assert.deepEqual(practiceCalls, []);
    assert.equal(world.upstream.length, before, "the world's own platform was not involved either");
  } finally {
    await edge.close();
    await world.close();
  }
});

Deno.test("token endpoint rate limits: per app once authenticated, per source before anything is read; 429 in the identity service's shape", async () => {
  const world = await startPlatformWorld({
    config: { tokenClientPerMinute: 2, tokenSourcePerMinute: 3 },
  });
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 3; i++) {
    last = await world.token(exchangeForm(
      await world.idToken("9690937286"),
      await world.clientAssertion(),
    ));
    statuses.push(last.status);
    if (i < 2) await last.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 200, 429]);
  const refused: Json = await last!.json();
  assert.equal(refused.error, "rate_limit_exceeded");
  assert.equal(typeof refused.error_description, "string");
  assert.match(refused.message_id, /^[0-9a-f-]{36}$/);
  assert.ok(Number(last!.headers.get("Retry-After")) >= 1);
  assert.equal(last!.headers.get("Cache-Control"), "no-store");

  // Per source: counted before the form is read, so even nonsense counts.
  const fromSource = (clientAddress: string) =>
    (world.platform as unknown as {
      request(url: string, init: RequestInit, env: unknown): Promise<Response>;
    }).request(`${world.edgeUrl}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=nonsense",
    }, { clientAddress });
  const bySource: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await fromSource("192.0.2.7");
    bySource.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(bySource, [400, 400, 400, 429]);
  const other = await fromSource("192.0.2.8");
  assert.equal(other.status, 400);
  await other.body?.cancel();
});

function appWith(
  config: GpcEdgeConfig,
  platformRecords?: ReturnType<typeof createMemoryRecordsStore>,
) {
  return createApp({
    config,
    stores: {
      cache: createMemoryCacheStore(),
      records: createMemoryRecordsStore(),
      blobs: createMemoryBlobStore(),
      ...(platformRecords ? { platformRecords } : {}),
    },
    logger: { log() {} },
  }).app;
}

Deno.test("GPC_EDGE_PLATFORM_ENABLED=false: the platform's paths are 404 like any unknown path, /_status says disabled, production asks nothing of the platform", async () => {
  const app = appWith({
    ...defaultConfig,
    platform: { ...defaultConfig.platform, enabled: false },
  });
  const unknown = await app.request("/no-such-path", { headers: { "X-Request-ID": "x" } });
  const unknownBody: Json = await unknown.json();
  assert.equal(unknown.status, 404);
  for (
    const [path, method] of [
      ["/oauth2/token", "POST"],
      [`${ar}/Patient/$gpc.getstructuredrecord`, "POST"],
      [`${am}/Slot`, "GET"],
    ] as const
  ) {
    const res = await app.request(path, {
      method,
      headers: { "X-Request-ID": crypto.randomUUID() },
    });
    const body: Json = await res.json();
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get("Content-Type"), unknown.headers.get("Content-Type"));
    assert.deepEqual(
      body.issue.map((issue: Json) => issue.details.coding[0].code),
      unknownBody.issue.map((issue: Json) => issue.details.coding[0].code),
    );
  }
  const status: Json = await (await app.request("/_status")).json();
  assert.equal(status.platform, "disabled");

  const production = { GPC_EDGE_ENVIRONMENT: "production" };
  assert.throws(() => platformConfigFromEnv(production), ConfigError);
  const off = platformConfigFromEnv({ ...production, GPC_EDGE_PLATFORM_ENABLED: "false" });
  assert.equal(off.enabled, false);
  assert.throws(
    () => platformConfigFromEnv({ GPC_EDGE_PLATFORM_ENABLED: "no" }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_PLATFORM_ENABLED",
  );
});

Deno.test("/_status lists the platform's practice breakers also when the platform has its own records store", async () => {
  const endpoint = "https://practice.example/pfs/access-record";
  for (const separate of [true, false]) {
    const platformRecords = createMemoryRecordsStore();
    const records = separate ? platformRecords : undefined;
    const app = createApp({
      config: defaultConfig,
      stores: {
        cache: createMemoryCacheStore(),
        records: separate ? createMemoryRecordsStore() : platformRecords,
        blobs: createMemoryBlobStore(),
        ...(records ? { platformRecords: records } : {}),
      },
      logger: { log() {} },
    }).app;
    const breaker = createPlatformBreaker(platformRecords, {
      now: () => Date.now(),
      sleep: () => Promise.resolve(),
    }, 30_000);
    for (let i = 0; i < 5; i++) {
      await breaker.record(endpoint, false, await breaker.admit(endpoint));
    }
    const status: Json = await (await app.request("/_status")).json();
    assert.equal(status.platform, "enabled");
    const listed = status.breakers.filter((entry: Json) => entry.endpoint === endpoint);
    assert.equal(listed.length, 1, separate ? "from the platform's store" : "listed once");
    assert.equal(listed[0].state, "open");
  }
});

/** A trusted and a rogue test PKI, each in a temporary directory removed afterwards. */
function withPki(run: (pkis: { trusted: TestPki; rogue: TestPki }) => Promise<void>) {
  return withTestPki(
    (trusted) => withTestPki((rogue) => run({ trusted, rogue }), "rogue"),
    "trusted",
  );
}

Deno.test("R25 tls section: a client certificate needs its key (and the reverse); production with the platform and no client certificate does not start", async () => {
  assert.throws(
    () => configFromEnv({ GPC_EDGE_TLS_CLIENT_CERT_FILE: "/etc/gpc-edge/client.pem" }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_TLS_CLIENT_CERT_FILE" &&
      error.message.includes("GPC_EDGE_TLS_CLIENT_KEY_FILE"),
  );
  assert.throws(
    () => configFromEnv({ GPC_EDGE_TLS_CLIENT_KEY_FILE: "/etc/gpc-edge/client.key" }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_TLS_CLIENT_KEY_FILE" &&
      error.message.includes("GPC_EDGE_TLS_CLIENT_CERT_FILE"),
  );
  const production: GpcEdgeConfig = {
    ...defaultConfig,
    server: { ...defaultConfig.server, environment: "production" },
  };
  await assert.rejects(
    serveGpcEdge({ config: production, dataDir: ":memory:", port: 0, logger: { log() {} } }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_TLS_CLIENT_CERT_FILE",
  );
  // An SSP-only production deployment needs no client certificate for the platform.
  const sspOnly = await serveGpcEdge({
    config: { ...production, platform: { ...production.platform, enabled: false } },
    dataDir: ":memory:",
    port: 0,
    logger: { log() {} },
  });
  await sspOnly.close();
  await assert.rejects(
    createUpstreamTls({
      caFile: "/nonexistent/ca.pem",
      clientCertFile: undefined,
      clientKeyFile: undefined,
    }),
    (error: unknown) => error instanceof ConfigError && error.variable === "GPC_EDGE_TLS_CA_FILE",
  );
});

Deno.test("R25 a practice over HTTPS: trusted through GPC_EDGE_TLS_CA_FILE it answers 200; with a certificate from an untrusted CA it is 502, never 200", async () => {
  await withPki(async (pkis) => {
    const upstream = await createUpstreamTls({
      caFile: pkis.trusted.files.ca,
      clientCertFile: pkis.trusted.files.clientCert,
      clientKeyFile: pkis.trusted.files.clientKey,
    });
    try {
      for (const [name, status] of [["trusted", 200], ["rogue", 502]] as const) {
        const world = await startPlatformWorld({
          sockets: true,
          upstreamFetch: upstream.fetch,
          providerTls: {
            cert: pkis[name].serverCert,
            key: pkis[name].serverKey,
          },
        });
        try {
          const token = await world.accessToken("9690937286");
          const res = await structured(world, token);
          const body: Json = await res.json();
          assert.equal(res.status, status, `${name}: ${JSON.stringify(body)}`);
          assert.ok(world.upstream.some((call) => call.url.startsWith("https://127.0.0.1:")));
          if (status === 200) assert.equal(body.resourceType, "Bundle");
        } finally {
          await world.close();
        }
      }
    } finally {
      upstream.close();
    }
  });
});

Deno.test("R25 mutual TLS: a server that requires a client certificate (openssl s_server -Verify) answers with GPC_EDGE_TLS_CLIENT_CERT_FILE set, and refuses without", async () => {
  await withPki(async (pkis) => {
    await Deno.writeTextFile(
      `${pkis.trusted.dir}/metadata.json`,
      '{"resourceType":"CapabilityStatement"}',
    );
    // Deno.serve cannot ask for a client certificate; openssl's test server can (and must get one).
    const server = await startOpensslServer(pkis.trusted, "-WWW");
    const port = server.port;
    const withCert = await createUpstreamTls({
      caFile: pkis.trusted.files.ca,
      clientCertFile: pkis.trusted.files.clientCert,
      clientKeyFile: pkis.trusted.files.clientKey,
    });
    const withoutCert = await createUpstreamTls({
      caFile: pkis.trusted.files.ca,
      clientCertFile: undefined,
      clientKeyFile: undefined,
    });
    try {
      const url = `https://127.0.0.1:${port}/metadata.json`;
      const answered = await withCert.fetch(url);
      assert.equal(answered.status, 200);
      assert.match(await answered.text(), /CapabilityStatement/);
      await assert.rejects(
        withoutCert.fetch(url).then((res) => res.text()),
        "no client certificate: the handshake fails",
      );
    } finally {
      withCert.close();
      withoutCert.close();
      await server.close();
    }
  });
});

Deno.test("R19 a call waiting for a practice's slot leaves the queue when its request's deadline passes; slots pass first come, first served", async () => {
  const limiter = createConcurrencyLimiter({ maxInFlight: 1, maxQueued: 2 });
  const key = "https://practice.example/pfs";
  const never = new AbortController();
  const first = await limiter.acquire(key, never.signal);
  assert.ok(first);
  const deadline = new AbortController();
  const leaving = limiter.acquire(key, deadline.signal);
  const waiting = limiter.acquire(key, never.signal);
  assert.equal(await limiter.acquire(key, never.signal), undefined, "the queue is full");
  deadline.abort(new Error("deadline"));
  await assert.rejects(leaving, /deadline/);
  first();
  const second = await waiting;
  assert.ok(second, "the slot went to the call still waiting");
  assert.equal(limiter.inFlight(key), 1);
  second();
  second(); // releasing twice gives back one slot
  assert.equal(limiter.inFlight(key), 0);
});

Deno.test("R21 Retry-After as seconds or an HTTP date; anything else is ignored", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfterMs("2", now), 2000);
  assert.equal(retryAfterMs("Thu, 01 Jan 2026 00:00:30 GMT", now), 30_000);
  assert.equal(retryAfterMs("soon", now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

Deno.test("R25 through the Deno entry: with GPC_EDGE_TLS_CA_FILE and the client certificate a practice on a private CA answers 200; without the CA it is 502", async () => {
  await withPki(async (pkis) => {
    const sandboxTls = await createUpstreamTls({
      caFile: pkis.trusted.files.ca,
      clientCertFile: undefined,
      clientKeyFile: undefined,
    });
    const world = await startPlatformWorld({
      sockets: true,
      upstreamFetch: sandboxTls.fetch,
      providerTls: {
        cert: pkis.trusted.serverCert,
        key: pkis.trusted.serverKey,
      },
    });
    try {
      const configured = {
        caFile: pkis.trusted.files.ca,
        clientCertFile: pkis.trusted.files.clientCert,
        clientKeyFile: pkis.trusted.files.clientKey,
      };
      for (const [tls, status] of [[configured, 200], [defaultConfig.tls, 502]] as const) {
        const practiceCalls: string[] = [];
        const { edge, token } = await servedEdge(world, practiceCalls, tls);
        try {
          const res = await fetch(`${edge.url}${ar}/Patient/$gpc.getstructuredrecord`, {
            method: "POST",
            headers: headers(token),
            body: structuredParameters("9690937286"),
          });
          const body: Json = await res.json();
          assert.equal(res.status, status, JSON.stringify(body));
          if (status === 200) {
            assert.equal(body.resourceType, "Bundle");
            assert.ok(practiceCalls.every((url) => url.startsWith("https://127.0.0.1:")));
            assert.equal(practiceCalls.length, 1);
          }
        } finally {
          await edge.close();
        }
      }
    } finally {
      await world.close();
      sandboxTls.close();
    }
  });
});
