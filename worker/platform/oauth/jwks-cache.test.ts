import assert from "node:assert/strict";
import { exportJWK, generateKeyPair } from "jose";
import { createJwksCache, JwksUnavailable, NoMatchingKey } from "./jwks-cache.ts";

async function jwk(kid: string) {
  const { publicKey } = await generateKeyPair("RS512", { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: "RS512" };
}

Deno.test("JWKS cache: cached for its max age; an unknown kid refetches once, then not within the cooldown", async () => {
  let now = 1_000_000;
  let keys = [await jwk("k1")];
  let fetches = 0;
  const cache = createJwksCache({
    fetch: () => {
      fetches++;
      return Promise.resolve(Response.json({ keys }));
    },
    clock: { now: () => now, sleep: () => Promise.resolve() },
    maxAgeSeconds: 3600,
  });
  const resolve = cache.resolver({ url: "http://keys.test/jwks.json" });
  await resolve({ kid: "k1", alg: "RS512" });
  await resolve({ kid: "k1", alg: "RS512" });
  assert.equal(fetches, 1);
  keys = [...keys, await jwk("k2")];
  await assert.rejects(resolve({ kid: "k2", alg: "RS512" }), NoMatchingKey); // within 30 s cooldown
  assert.equal(fetches, 1);
  now += 31_000;
  await resolve({ kid: "k2", alg: "RS512" }); // rotated key: refetched at once
  assert.equal(fetches, 2);
  await assert.rejects(resolve({ kid: "made-up", alg: "RS512" }), NoMatchingKey);
  await assert.rejects(resolve({ kid: "made-up-2", alg: "RS512" }), NoMatchingKey);
  assert.equal(fetches, 2, "made-up kids within the cooldown cost no fetch");
  now += 3_600_000;
  await resolve({ kid: "k1", alg: "RS512" });
  assert.equal(fetches, 3, "refetched after max age");
});

Deno.test("JWKS cache: unreachable, non-200 and non-JWKS answers are JwksUnavailable; inline sets need no fetch", async () => {
  const clock = { now: () => 0, sleep: () => Promise.resolve() };
  for (
    const answer of [
      () => Promise.reject(new TypeError("connection refused")),
      () => Promise.resolve(new Response("nope", { status: 500 })),
      () => Promise.resolve(Response.json({ not: "a jwks" })),
    ]
  ) {
    const cache = createJwksCache({ fetch: answer, clock, maxAgeSeconds: 60 });
    await assert.rejects(
      cache.resolver({ url: "http://keys.test/jwks.json" })({ kid: "k1" }),
      JwksUnavailable,
    );
  }
  const inline = createJwksCache({
    fetch: () => Promise.reject(new Error("no fetch expected")),
    clock,
    maxAgeSeconds: 60,
  });
  const key = await jwk("k9");
  await inline.resolver({ inline: { keys: [key] } })({ kid: "k9", alg: "RS512" });
  await assert.rejects(inline.resolver({ inline: { keys: [key] } })({ kid: "zz" }), NoMatchingKey);
});
