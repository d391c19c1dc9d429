import assert from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { rateLimit, type RateScope } from "./rate-limit.ts";
import type { RateLimit, RateVerdict, SharedRateLimiter } from "./rate-limiter.ts";

/** A limiter that allows `allowance` requests a scope, and records what it was asked. */
function countingLimiter(allowance: number) {
  const taken: string[] = [];
  const counts = new Map<string, number>();
  const limiter: SharedRateLimiter = {
    take(scope: string, limits: readonly RateLimit[]): Promise<RateVerdict> {
      taken.push(scope);
      const count = (counts.get(scope) ?? 0) + 1;
      counts.set(scope, count);
      const allowed = count <= allowance;
      return Promise.resolve({
        allowed,
        limit: limits[0]!.limit,
        remaining: Math.max(0, allowance - count),
        resetSeconds: 60,
        retryAfterSeconds: allowed ? 0 : 60,
      });
    },
  };
  return { limiter, taken };
}

function appWith(limiter: SharedRateLimiter, scopes: readonly RateScope[]) {
  const app = new Hono();
  app.onError((error) =>
    error instanceof HTTPException ? error.getResponse() : new Response("error", { status: 500 })
  );
  app.use(rateLimit({
    limiter,
    scopes: () => scopes,
    refuse: (_verdict, headers) =>
      new HTTPException(429, { res: new Response("throttled", { status: 429, headers }) }),
  }));
  app.get("/", (c) => c.text("ok"));
  return app;
}

const perMinute: RateLimit[] = [{ limit: 2, windowSeconds: 60 }];

Deno.test("rateLimit: no limit on any scope → the request goes on uncounted, without rate headers", async () => {
  const { limiter, taken } = countingLimiter(0);
  const app = appWith(limiter, [{ scope: "ssp:consumer:1", limits: [] }, {
    scope: "ssp:pair:1:2",
    limits: [],
  }]);
  for (let i = 0; i < 3; i++) {
    const response = await app.request("/");
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "ok");
    assert.equal(response.headers.get("x-rate-limit-limit"), null);
  }
  assert.deepEqual(taken, []);
});

Deno.test("rateLimit: limited scopes are counted, reported, and refused past the limit", async () => {
  const { limiter, taken } = countingLimiter(2);
  const app = appWith(limiter, [
    { scope: "ssp:consumer:1", limits: [] },
    { scope: "ssp:pair:1:2", limits: perMinute },
  ]);
  const first = await app.request("/");
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("x-rate-limit-limit"), "2");
  assert.equal(first.headers.get("x-rate-limit-remaining"), "1");
  assert.equal((await app.request("/")).headers.get("x-rate-limit-remaining"), "0");
  const third = await app.request("/");
  assert.equal(third.status, 429);
  assert.equal(third.headers.get("retry-after"), "60");
  assert.deepEqual(taken, ["ssp:pair:1:2", "ssp:pair:1:2", "ssp:pair:1:2"]);
});
