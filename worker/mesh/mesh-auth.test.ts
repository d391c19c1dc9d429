import assert from "node:assert/strict";
import { buildNhsmeshAuthorization, meshTimestamp } from "../../gpconnect/mesh/nhsmesh-token.ts";
import { createMeshWorld, token } from "./mesh-test-kit.ts";

const handshakeHeaders = {
  "mex-ClientVersion": "test==1",
  "mex-OSName": "Linux",
  "mex-OSVersion": "6",
  accept: "application/vnd.mesh.v2+json",
};

async function handshake(
  world: ReturnType<typeof createMeshWorld>,
  authorization: string | undefined,
  path = "/messageexchange/B82617OT1",
) {
  const response = await world.app.request(path, {
    headers: { ...handshakeHeaders, ...(authorization ? { authorization } : {}) },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

Deno.test("handshake answers GET and POST with a valid token (v2 empty, v1 mailboxId)", async () => {
  const world = createMeshWorld();
  const get = await handshake(world, await token(world.clock, "B82617OT1"));
  assert.equal(get.status, 200);
  assert.equal(get.body, undefined);
  const post = await world.app.request("/messageexchange/B82617OT1", {
    method: "POST",
    headers: {
      ...handshakeHeaders,
      accept: "application/json",
      authorization: await token(world.clock, "B82617OT1"),
    },
  });
  assert.equal(post.status, 200);
  assert.deepEqual(await post.json(), { mailboxId: "B82617OT1" });
});

Deno.test("handshake without mex-ClientVersion is a 400", async () => {
  const world = createMeshWorld();
  const response = await world.request("B82617OT1", "/messageexchange/B82617OT1");
  assert.equal(response.status, 400);
  assert.match((await response.json()).detail[0].msg, /mex-ClientVersion/);
});

Deno.test("every NHSMESH failure is a 403 with MESH's JSON body", async (t) => {
  const world = createMeshWorld();
  const now = world.clock.now();
  const valid = await token(world.clock, "B82617OT1");
  const [, rest] = valid.split(" ") as [string, string];
  const [mailbox, nonce, count, ts, hmac] = rest.split(":") as [
    string,
    string,
    string,
    string,
    string,
  ];
  const cases: Array<[string, string | undefined, RegExp, string?]> = [
    ["no header", undefined, /Error reading from Authorization header/],
    ["other scheme", `Basic ${rest}`, /Error reading/],
    ["lower-case scheme", `nhsmesh ${rest}`, /Error reading/],
    ["four parts", `NHSMESH ${mailbox}:${nonce}:${count}:${ts}`, /Error reading/],
    ["six parts", `NHSMESH ${rest}:x`, /Error reading/],
    ["non-numeric count", `NHSMESH ${mailbox}:${nonce}:x1:${ts}:${hmac}`, /Error reading/],
    [
      "impossible timestamp",
      `NHSMESH ${mailbox}:${nonce}:${count}:202602301200:${hmac}`,
      /Error reading/,
    ],
    [
      "bad HMAC",
      `NHSMESH ${mailbox}:${nonce}:${count}:${ts}:${"0".repeat(64)}`,
      /Invalid Authentication Token/,
    ],
    [
      "wrong password",
      await token(world.clock, "B82617OT1", { password: "wrong" }),
      /Invalid Authentication Token/,
    ],
    [
      "wrong shared key",
      await token(world.clock, "B82617OT1", { sharedKey: "OtherKey" }),
      /Invalid Authentication Token/,
    ],
    [
      "mailbox in token differs from path",
      await token(world.clock, "A11111OT1"),
      /does not match token/,
    ],
    ["lower-case mailbox in token", await token(world.clock, "b82617ot1"), /does not match token/],
    [
      "unknown mailbox",
      await token(world.clock, "ZZZ999OT1"),
      /No mailbox matched/,
      "/messageexchange/ZZZ999OT1",
    ],
    [
      "timestamp 2 h 2 min old",
      await buildNhsmeshAuthorization({
        mailboxId: "B82617OT1",
        password: "password",
        sharedKey: "TestKey",
        timestamp: meshTimestamp(now - 2 * 3600_000 - 120_000),
      }),
      /outside the allowed window/,
    ],
    [
      "timestamp 2 h 2 min ahead",
      await buildNhsmeshAuthorization({
        mailboxId: "B82617OT1",
        password: "password",
        sharedKey: "TestKey",
        timestamp: meshTimestamp(now + 2 * 3600_000 + 120_000),
      }),
      /outside the allowed window/,
    ],
  ];
  for (const [name, authorization, message, path] of cases) {
    await t.step(name, async () => {
      const { status, body } = await handshake(world, authorization, path);
      assert.equal(status, 403);
      assert.match(body.detail[0].msg, message);
      assert.ok(body.internal_id);
    });
  }
});

Deno.test("the edges of the 2 h window pass", async () => {
  const world = createMeshWorld();
  const now = world.clock.now();
  for (const offset of [-2 * 3600_000, 2 * 3600_000 - 60_000]) {
    const authorization = await buildNhsmeshAuthorization({
      mailboxId: "B82617OT1",
      password: "password",
      sharedKey: "TestKey",
      timestamp: meshTimestamp(now + offset),
    });
    assert.equal((await handshake(world, authorization)).status, 200, `offset ${offset}`);
  }
});

Deno.test("a replayed token is refused; the same nonce with the next count is not", async () => {
  const world = createMeshWorld();
  const nonce = crypto.randomUUID();
  const first = await token(world.clock, "B82617OT1", { nonce, nonceCount: 0 });
  assert.equal((await handshake(world, first)).status, 200);
  const again = await handshake(world, first);
  assert.equal(again.status, 403);
  assert.match(again.body.detail[0].msg, /Duplicated/);
  const next = await token(world.clock, "B82617OT1", { nonce, nonceCount: 1 });
  assert.equal((await handshake(world, next)).status, 200);
  // A different mailbox may use the same nonce and count (the key includes the mailbox).
  const other = await token(world.clock, "A11111OT1", { nonce, nonceCount: 0 });
  assert.equal((await handshake(world, other, "/messageexchange/A11111OT1")).status, 200);
});

Deno.test("a replay record outlives the window, then expires", async () => {
  const world = createMeshWorld({ config: { authWindowSeconds: 600 } });
  const first = await token(world.clock, "B82617OT1");
  assert.equal((await handshake(world, first)).status, 200);
  world.clock.advance(9 * 60_000);
  assert.equal((await handshake(world, first)).status, 403);
  world.clock.advance(3 * 60_000);
  const stale = await handshake(world, first);
  assert.equal(stale.status, 403);
  assert.match(stale.body.detail[0].msg, /window/);
  const left = await world.deps.records.list("mesh:replay:");
  assert.equal(left.length, 0);
});

Deno.test("the upper-case HMAC is accepted (hex case does not matter)", async () => {
  const world = createMeshWorld();
  const valid = await token(world.clock, "B82617OT1");
  const upper = valid.slice(0, -64) + valid.slice(-64).toUpperCase();
  assert.equal((await handshake(world, upper)).status, 200);
});

Deno.test("auth failures are audited with their reason and no token", async () => {
  const world = createMeshWorld();
  const bad = await token(world.clock, "B82617OT1", { password: "wrong" });
  await handshake(world, bad);
  const line = world.logs.find((l) => l.type === "mesh-audit");
  assert.ok(line);
  assert.equal(line.status, 403);
  assert.equal(line.authFailure, "bad-hmac");
  assert.equal(line.mailbox, "B82617OT1");
  assert.ok(!JSON.stringify(world.logs).includes(bad.slice(-64)));
});
