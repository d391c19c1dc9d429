/**
 * The behaviour every {@linkcode RecordsStore} adapter shares, registered as one `Deno.test` per
 * behaviour from each adapter's test file (memory, Deno KV, Durable Object). Test-only.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  MAX_RECORD_VALUE_BYTES,
  RecordLimitError,
  type RecordsStore,
} from "../store/records-store.ts";

/** A records store under test, with the clock its expiry reads. */
export interface RecordsStoreUnderTest {
  readonly store: RecordsStore;
  /** Moves the store's injected clock forward. */
  advance(milliseconds: number): void;
  /** The store's clock now. */
  now(): number;
  /** Releases what the store holds. */
  close?(): void | Promise<void>;
}

type Step = (subject: RecordsStoreUnderTest) => Promise<void>;

const set = (key: string, value: unknown, expiresAt?: number) =>
  expiresAt === undefined
    ? { type: "set" as const, key, value }
    : { type: "set" as const, key, value, expiresAt };

const steps: ReadonlyArray<readonly [string, Step]> = [
  ["get() and getMany() of absent keys are undefined", async ({ store }) => {
    assert.equal(await store.get("missing"), undefined);
    assert.deepEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
    assert.deepEqual(await store.getMany([]), []);
  }],
  [
    "a commit checked absent creates once; the second fails and changes nothing",
    async ({ store }) => {
      assert.equal(await store.commit([{ key: "k", version: null }], [set("k", { n: 1 })]), true);
      const first = await store.get<{ n: number }>("k");
      assert.equal(first?.key, "k");
      assert.deepEqual(first?.value, { n: 1 });
      assert.equal(typeof first?.version, "string");
      assert.equal(first?.expiresAt, undefined);
      assert.equal(await store.commit([{ key: "k", version: null }], [set("k", { n: 2 })]), false);
      assert.deepEqual(await store.get("k"), first);
    },
  ],
  [
    "compare-and-set succeeds on the current version only, and each write changes it",
    async ({ store }) => {
      await store.commit([], [set("cas", 1)]);
      const v1 = (await store.get("cas"))!.version;
      assert.equal(await store.commit([{ key: "cas", version: v1 }], [set("cas", 2)]), true);
      const v2 = (await store.get("cas"))!.version;
      assert.notEqual(v2, v1);
      assert.equal(await store.commit([{ key: "cas", version: v1 }], [set("cas", 3)]), false);
      assert.equal(
        await store.commit([{ key: "cas", version: "not-a-version" }], [set("cas", 3)]),
        false,
      );
      assert.equal((await store.get("cas"))!.value, 2);
      await store.commit([{ key: "cas", version: v2 }], [set("cas", 2)]);
      assert.notEqual((await store.get("cas"))!.version, v2, "same value, new version");
    },
  ],
  ["a key deleted and written again does not match its old version", async ({ store }) => {
    await store.commit([], [set("aba", "x")]);
    const old = (await store.get("aba"))!.version;
    await store.commit([], [{ type: "delete", key: "aba" }]);
    assert.equal(await store.get("aba"), undefined);
    assert.equal(await store.commit([{ key: "aba", version: null }], [set("aba", "x")]), true);
    assert.equal(await store.commit([{ key: "aba", version: old }], [set("aba", "y")]), false);
    assert.equal(
      await store.commit([{ key: "never", version: null }], [{ type: "delete", key: "never" }]),
      true,
    );
  }],
  ["one failing check writes none of the commit's mutations", async ({ store }) => {
    await store.commit([], [set("a", "a0"), set("b", "b0")]);
    const [a, b] = await store.getMany<string>(["a", "b"]);
    const failed = await store.commit(
      [{ key: "a", version: a!.version }, { key: "b", version: null }],
      [set("a", "a1"), { type: "delete", key: "b" }, set("c", "c1")],
    );
    assert.equal(failed, false);
    assert.deepEqual(await store.getMany(["a", "b", "c"]), [a, b, undefined]);
    const applied = await store.commit(
      [{ key: "a", version: a!.version }, { key: "b", version: b!.version }, {
        key: "c",
        version: null,
      }],
      [set("a", "a1"), { type: "delete", key: "b" }, set("c", "c1")],
    );
    assert.equal(applied, true);
    const values = (await store.getMany<string>(["a", "b", "c"])).map((r) => r?.value);
    assert.deepEqual(values, ["a1", undefined, "c1"]);
  }],
  [
    "getMany() answers in the order asked, for more keys than one backend read",
    async ({ store }) => {
      const keys = Array.from({ length: 25 }, (_, i) => `many:${String(i).padStart(2, "0")}`);
      await store.commit([], keys.filter((_, i) => i % 3 !== 0).map((key) => set(key, key)));
      const asked = [...keys].reverse();
      const read = await store.getMany<string>(asked);
      assert.deepEqual(
        read.map((r) => r?.value),
        asked.map((key, i) => (24 - i) % 3 ? key : undefined),
      );
    },
  ],
  [
    "a record expires at expiresAt on the injected clock, everywhere",
    async ({ store, now, advance }) => {
      // 100 s: long enough that a backend's own real-time expiry cannot race the assertions.
      const expiresAt = now() + 100_000;
      await store.commit([], [set("ttl:a", 1, expiresAt), set("ttl:b", 2)]);
      advance(99_999);
      const live = await store.get("ttl:a");
      assert.equal(live?.expiresAt, expiresAt);
      advance(1);
      assert.equal(await store.get("ttl:a"), undefined);
      assert.deepEqual(
        await store.getMany(["ttl:a", "ttl:b"]).then((r) => r.map((x) => x?.value)),
        [undefined, 2],
      );
      assert.deepEqual((await store.list("ttl:")).map((r) => r.key), ["ttl:b"]);
      assert.equal(
        await store.commit([{ key: "ttl:a", version: live!.version }], []),
        false,
        "expired is absent",
      );
      assert.equal(await store.commit([{ key: "ttl:a", version: null }], [set("ttl:a", 3)]), true);
      assert.deepEqual(await store.get("ttl:a").then((r) => [r?.value, r?.expiresAt]), [
        3,
        undefined,
      ]);
      await store.commit([], [set("ttl:past", 1, now() - 1)]);
      assert.equal(await store.get("ttl:past"), undefined);
    },
  ],
  ["list() orders by code point with prefix, after, limit and reverse", async ({ store }) => {
    const keys = [
      "l:b",
      "l:a",
      "l:",
      "l:a:1",
      "l:z",
      "l:\u00e9",
      "l:\uffff",
      "l:\u{1F600}",
      "lx",
      "k",
    ];
    await store.commit([], keys.map((key) => set(key, key)));
    const ordered = ["l:", "l:a", "l:a:1", "l:b", "l:z", "l:\u00e9", "l:\uffff", "l:\u{1F600}"];
    const list = async (prefix: string, options = {}) =>
      (await store.list<string>(prefix, options)).map((r) => r.key);
    assert.deepEqual(await list("l:"), ordered);
    for (const r of await store.list<string>("l:")) assert.equal(r.value, r.key);
    assert.deepEqual(await list("l:", { reverse: true }), [...ordered].reverse());
    assert.deepEqual(await list("l:", { after: "l:a", limit: 2 }), ["l:a:1", "l:b"]);
    assert.deepEqual(await list("l:", { after: "l:b", reverse: true }), ["l:a:1", "l:a", "l:"]);
    assert.deepEqual(await list("l:", { after: "l:\uffff" }), ["l:\u{1F600}"]);
    assert.deepEqual(await list("l:", { after: "a" }), ordered, "after below the prefix");
    assert.deepEqual(await list("l:", { after: "m" }), []);
    assert.deepEqual(await list("l:", { after: "m", reverse: true, limit: 1 }), ["l:\u{1F600}"]);
    assert.deepEqual(await list("l:", { limit: 0 }), []);
    assert.deepEqual(await list("l:\u{1F600}"), ["l:\u{1F600}"]);
    assert.deepEqual(await list("nothing"), []);
    assert.deepEqual(await list(""), ["k", ...ordered, "lx"]);
  }],
  ["list() skips expired records before counting the limit", async ({ store, now, advance }) => {
    await store.commit([], [set("e:1", 1, now() + 100_000), set("e:2", 2), set("e:3", 3)]);
    advance(100_000);
    assert.deepEqual((await store.list("e:", { limit: 1 })).map((r) => r.key), ["e:2"]);
  }],
  ["values are copies: mutating what was committed or read changes nothing", async ({ store }) => {
    const value = { nested: { n: 1 }, list: [1] };
    await store.commit([], [set("copy", value)]);
    value.nested.n = 99;
    const read = await store.get<typeof value>("copy");
    read!.value.list.push(2);
    const [listed] = await store.list<typeof value>("copy");
    listed!.value.nested.n = 42;
    assert.deepEqual((await store.get("copy"))!.value, { nested: { n: 1 }, list: [1] });
    await store.commit([], [set("dates", { at: new Date(0), skip: undefined })]);
    assert.deepEqual((await store.get("dates"))!.value, { at: "1970-01-01T00:00:00.000Z" });
  }],
  ["of concurrent commits checked against one state, exactly one wins", async ({ store }) => {
    const creates = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) => store.commit([{ key: "race", version: null }], [set("race", i)]),
      ),
    );
    assert.equal(creates.filter(Boolean).length, 1);
    assert.equal((await store.get("race"))!.value, creates.indexOf(true));
    const { version } = (await store.get("race"))!;
    const increments = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) => store.commit([{ key: "race", version }], [set("race", 100 + i)]),
      ),
    );
    assert.equal(increments.filter(Boolean).length, 1);
    assert.equal((await store.get("race"))!.value, 100 + increments.indexOf(true));
  }],
  ["limits and bad keys are rejected before anything is written", async ({ store }) => {
    const big = "x".repeat(MAX_RECORD_VALUE_BYTES);
    await assert.rejects(store.commit([], [set("ok", 1), set("big", big)]), RecordLimitError);
    await assert.rejects(store.commit([], [set("ok", 1), set("\ud800", 1)]), TypeError);
    await assert.rejects(store.commit([], [set("ok", 1), set("undefined", undefined)]), TypeError);
    assert.deepEqual(await store.getMany(["ok", "big"]), [undefined, undefined]);
    await store.commit([], [set("fits", "x".repeat(MAX_RECORD_VALUE_BYTES - 2))]);
    assert.equal((await store.get<string>("fits"))!.value.length, MAX_RECORD_VALUE_BYTES - 2);
    await assert.rejects(store.get("a\0b"), TypeError);
    await assert.rejects(store.list("x", { limit: -1 }), TypeError);
  }],
];

/**
 * Registers one `Deno.test` per shared behaviour for an adapter; `make` builds a fresh, empty
 * store on a fake clock for each test.
 */
export function recordsStoreBehaviour(
  adapter: string,
  make: () => RecordsStoreUnderTest | Promise<RecordsStoreUnderTest>,
): void {
  for (const [behaviour, step] of steps) {
    Deno.test(`${adapter}: ${behaviour}`, () => runStep(step, make));
  }
}

/**
 * Runs every shared behaviour as a step of one test, for adapters whose backend is costly to
 * start (Miniflare): the test starts it once, and `make` hands each step a fresh, empty store.
 */
export async function recordsStoreBehaviourSteps(
  t: Deno.TestContext,
  make: () => RecordsStoreUnderTest | Promise<RecordsStoreUnderTest>,
): Promise<void> {
  for (const [behaviour, step] of steps) {
    const passed = await t.step(behaviour, () => runStep(step, make));
    assert.ok(passed, behaviour);
  }
}

async function runStep(
  step: Step,
  make: () => RecordsStoreUnderTest | Promise<RecordsStoreUnderTest>,
): Promise<void> {
  const subject = await make();
  try {
    await step(subject);
  } finally {
    await subject.close?.();
  }
}
