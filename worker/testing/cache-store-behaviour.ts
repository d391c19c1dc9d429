/**
 * The behaviour every {@linkcode CacheStore} adapter shares, as test steps run against each
 * adapter's test file (memory, Deno KV, Cloudflare KV). Test-only; never imported by runtime code.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { CacheStore } from "../store/cache-store.ts";

/** A store under test, with the clock it reads expiry from. */
export interface StoreUnderTest {
  readonly store: CacheStore;
  /** Moves the injected clock forward. */
  advance(milliseconds: number): void;
  /** Releases what the store holds (e.g. closes Deno KV). */
  close?(): void | Promise<void>;
}

/** A clock for `now` injection, starting at a fixed instant. */
export function fakeClock(
  start = 1_700_000_000_000,
): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

const steps: ReadonlyArray<
  readonly [string, (store: CacheStore, advance: (ms: number) => void) => Promise<void>]
> = [
  ["get() of an absent key is undefined", async (store) => {
    assert.equal(await store.get("missing"), undefined);
  }],
  ["set() then get() round-trips JSON values and set() overwrites", async (store) => {
    const values = [{ a: 1, b: [true, null, "x"] }, [1, 2], "text", 0, false, null];
    for (const [i, value] of values.entries()) {
      await store.set(`round:${i}`, value);
      assert.deepEqual(await store.get(`round:${i}`), value);
    }
    await store.set("round:0", { replaced: true });
    assert.deepEqual(await store.get("round:0"), { replaced: true });
  }],
  ["delete() removes a key and is fine for an absent one", async (store) => {
    await store.set("gone", 1);
    await store.delete("gone");
    assert.equal(await store.get("gone"), undefined);
    await store.delete("never-there");
  }],
  ["list() returns live keys with the prefix, in key order", async (store) => {
    for (const key of ["sds:b", "sds:a", "sds:", "sdsx", "pds:a", "sds:a:1"]) {
      await store.set(key, { key });
    }
    const listed = await store.list<{ key: string }>("sds:");
    assert.deepEqual(listed.map((entry) => entry.key), ["sds:", "sds:a", "sds:a:1", "sds:b"]);
    for (const entry of listed) assert.deepEqual(entry.value, { key: entry.key });
    assert.deepEqual(await store.list("none:"), []);
    assert.ok((await store.list("")).length >= 6, "the empty prefix lists everything");
  }],
  ["list() finds keys that go on with U+FFFF or a non-BMP character", async (store) => {
    for (const key of ["odd:\uffff", "odd:\u{1F600}", "odd:a"]) await store.set(key, key);
    const keys = (await store.list<string>("odd:")).map((entry) => entry.key);
    assert.deepEqual([...keys].sort(), ["odd:\u{1F600}", "odd:a", "odd:\uffff"].sort());
  }],
  [
    "an entry expires after its ttl on the injected clock, in get() and list()",
    async (store, advance) => {
      await store.set("ttl:short", "s", { ttlSeconds: 10 });
      await store.set("ttl:forever", "f");
      advance(9_999);
      assert.equal(await store.get("ttl:short"), "s");
      advance(1);
      assert.equal(await store.get("ttl:short"), undefined, "expired at exactly ttl");
      assert.deepEqual(await store.list("ttl:"), [{ key: "ttl:forever", value: "f" }]);
      advance(365 * 24 * 3600 * 1000);
      assert.equal(await store.get("ttl:forever"), "f");
    },
  ],
  ["a ttl of 0 reads as absent at once, a fractional ttl is honoured", async (store, advance) => {
    await store.set("ttl0", 1, { ttlSeconds: 0 });
    assert.equal(await store.get("ttl0"), undefined);
    // 100000.5 ms: not whole milliseconds, and long enough that a real-time expiry (Deno KV's
    // expireIn) cannot race the assertions.
    await store.set("ttl-fraction", 1, { ttlSeconds: 100.0005 });
    advance(100_000);
    assert.equal(await store.get("ttl-fraction"), 1);
    advance(1);
    assert.equal(await store.get("ttl-fraction"), undefined);
  }],
  ["set() without a ttl makes an expiring entry permanent", async (store, advance) => {
    await store.set("renew", 1, { ttlSeconds: 1 });
    await store.set("renew", 2);
    advance(5_000);
    assert.equal(await store.get("renew"), 2);
  }],
  ["values are copies: mutating what was stored or read changes nothing", async (store) => {
    const value = { nested: { n: 1 }, list: [1] };
    await store.set("copy", value);
    value.nested.n = 99;
    value.list.push(2);
    const read = await store.get<typeof value>("copy");
    assert.deepEqual(read, { nested: { n: 1 }, list: [1] });
    read!.nested.n = 42;
    assert.deepEqual(await store.get("copy"), { nested: { n: 1 }, list: [1] });
    const [listed] = await store.list<typeof value>("copy");
    listed!.value.list.push(3);
    assert.deepEqual(await store.get("copy"), { nested: { n: 1 }, list: [1] });
  }],
];

/**
 * Registers one `Deno.test` per shared behaviour for an adapter. `make` builds a fresh store on a
 * fake clock for each test.
 */
export function cacheStoreBehaviour(
  adapter: string,
  make: () => StoreUnderTest | Promise<StoreUnderTest>,
): void {
  for (const [behaviour, step] of steps) {
    Deno.test(`${adapter}: ${behaviour}`, async () => {
      const subject = await make();
      try {
        await step(subject.store, subject.advance);
      } finally {
        await subject.close?.();
      }
    });
  }
}
