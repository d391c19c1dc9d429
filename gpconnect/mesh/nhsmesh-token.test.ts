import assert from "node:assert/strict";
import {
  buildNhsmeshAuthorization,
  importMeshSharedKey,
  meshHmac,
  meshTimestamp,
  meshTimestampMs,
  nhsmeshHmacMatches,
  parseNhsmeshAuthorization,
} from "./nhsmesh-token.ts";

// mesh.md §2.1: computed with the sandbox's own test values.
const vector = {
  mailboxId: "X26ABC1",
  nonce: "2c001608-5f09-4840-9611-bea43e666a30",
  nonceCount: "1",
  password: "password",
  timestamp: "202401011200",
};
const vectorHmac = "e72e9aa6b31085021ebb2de9ae7e5bf7197e3c3477b18f6a3833e6754b9f63fe";

Deno.test("nhsmesh: the HMAC of mesh.md's test vector", async () => {
  assert.equal(await meshHmac("TestKey", vector), vectorHmac);
  assert.equal(await meshHmac(await importMeshSharedKey("TestKey"), vector), vectorHmac);
  assert.notEqual(await meshHmac("OtherKey", vector), vectorHmac);
});

Deno.test("nhsmesh: build gives the header of mesh.md's test vector, and it parses back", async () => {
  const header = await buildNhsmeshAuthorization({
    mailboxId: "X26ABC1",
    password: "password",
    sharedKey: "TestKey",
    nonce: vector.nonce,
    nonceCount: 1,
    timestamp: vector.timestamp,
  });
  assert.equal(header, `NHSMESH X26ABC1:${vector.nonce}:1:202401011200:${vectorHmac}`);
  const parsed = parseNhsmeshAuthorization(header);
  const { password: _password, ...tokenParts } = vector;
  assert.deepEqual(parsed, { ok: true, token: { ...tokenParts, hmac: vectorHmac } });
});

Deno.test("nhsmesh: defaults are a fresh UUID nonce, count 0 and the current minute", async () => {
  const before = meshTimestamp(Date.now());
  const header = await buildNhsmeshAuthorization({
    mailboxId: "A11111OT1",
    password: "password",
    sharedKey: "TestKey",
  });
  const parsed = parseNhsmeshAuthorization(header);
  assert.ok(parsed.ok);
  assert.match(
    parsed.token.nonce,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(parsed.token.nonceCount, "0");
  assert.ok(parsed.token.timestamp >= before);
  assert.ok(await nhsmeshHmacMatches(parsed.token, "password", "TestKey"));
});

Deno.test("nhsmesh: the HMAC check rejects a wrong password, key or tampered field", async () => {
  const token = { ...vector, hmac: vectorHmac };
  const key = await importMeshSharedKey("TestKey");
  assert.equal(await nhsmeshHmacMatches(token, "password", key), true);
  assert.equal(
    await nhsmeshHmacMatches({ ...token, hmac: vectorHmac.toUpperCase() }, "password", key),
    true,
  );
  assert.equal(await nhsmeshHmacMatches(token, "Password", key), false);
  assert.equal(await nhsmeshHmacMatches(token, "password", "testkey"), false);
  assert.equal(await nhsmeshHmacMatches({ ...token, nonceCount: "2" }, "password", key), false);
  assert.equal(
    await nhsmeshHmacMatches({ ...token, mailboxId: "X26ABC2" }, "password", key),
    false,
  );
  assert.equal(await nhsmeshHmacMatches({ ...token, hmac: "zz" }, "password", key), false);
});

Deno.test("nhsmesh: malformed headers say what is wrong", () => {
  const hmac = vectorHmac;
  const cases: Array<[string | null | undefined, string]> = [
    [null, "missing"],
    [undefined, "missing"],
    ["  ", "missing"],
    [`nhsmesh X26ABC1:n:1:202401011200:${hmac}`, "scheme"],
    [`NHSMESH  X26ABC1:n:1:202401011200:${hmac}`, "mailbox"],
    [`NHSMESH:X26ABC1:n:1:202401011200:${hmac}`, "scheme"],
    [`X26ABC1:n:1:202401011200:${hmac}`, "scheme"],
    [`NHSMESH X26ABC1:n:1:202401011200`, "parts"],
    [`NHSMESH X26ABC1:n:1:202401011200:${hmac}:x`, "parts"],
    [`NHSMESH X26 ABC1:n:1:202401011200:${hmac}`, "mailbox"],
    [`NHSMESH X26ABC1::1:202401011200:${hmac}`, "nonce"],
    [`NHSMESH X26ABC1:n:one:202401011200:${hmac}`, "nonce-count"],
    [`NHSMESH X26ABC1:n:-1:202401011200:${hmac}`, "nonce-count"],
    [`NHSMESH X26ABC1:n:1:20240101120:${hmac}`, "timestamp"],
    [`NHSMESH X26ABC1:n:1:202402301200:${hmac}`, "timestamp"],
    [`NHSMESH X26ABC1:n:1:202401012400:${hmac}`, "timestamp"],
    [`NHSMESH X26ABC1:n:1:202401011200:${hmac.slice(1)}`, "hmac"],
    [`NHSMESH X26ABC1:n:1:202401011200:${hmac.slice(1)}g`, "hmac"],
  ];
  for (const [header, problem] of cases) {
    assert.deepEqual(parseNhsmeshAuthorization(header), { ok: false, problem }, String(header));
  }
});

Deno.test("nhsmesh: timestamps are UTC minutes", () => {
  assert.equal(meshTimestamp(Date.UTC(2024, 0, 1, 12, 0, 59, 999)), "202401011200");
  assert.equal(meshTimestampMs("202401011200"), Date.UTC(2024, 0, 1, 12, 0));
  assert.equal(meshTimestampMs("202402291200"), Date.UTC(2024, 1, 29, 12, 0));
  assert.equal(meshTimestampMs("202302291200"), undefined);
  assert.equal(meshTimestampMs("202413011200"), undefined);
  assert.equal(meshTimestampMs("202401011260"), undefined);
  assert.equal(meshTimestampMs("2024010112000"), undefined);
});
