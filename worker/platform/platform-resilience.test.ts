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
import {
  exchangeForm,
  type PlatformWorld,
  type PlatformWorldOptions,
  startPlatformWorld,
  testAppId,
} from "./testing/platform-world.ts";

const ar = "/gp-connect/patient-facing/access-record-fhir/FHIR/STU3";
const am = "/gp-connect/patient-facing/appointments-management-fhir/FHIR/STU3";
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

const parameters = (nhs: string) =>
  JSON.stringify({
    resourceType: "Parameters",
    parameter: [{
      name: "patientNHSNumber",
      valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhs },
    }],
  });

const booking = JSON.stringify({
  resourceType: "Appointment",
  participant: [{ actor: { reference: "Patient/9690937286" }, status: "accepted" }],
});

function structured(world: PlatformWorld, token: string, requestId?: string) {
  return world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "POST",
    headers: headers(token, requestId),
    body: parameters("9690937286"),
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
