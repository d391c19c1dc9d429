import assert from "node:assert/strict";
import {
  meshTimestampMs,
  nhsmeshHmacMatches,
  parseNhsmeshAuthorization,
} from "../../gpconnect/mesh/nhsmesh-token.ts";
import type { MeshEndpoint } from "./mesh-endpoint.ts";
import { buildMeshRequest, type MeshBuildContext, unknownMailboxId } from "./mesh-request.ts";
import type { MeshAuth } from "./mesh-scenario.ts";

const endpoint: MeshEndpoint = {
  url: "http://127.0.0.1:9",
  sender: { id: "A11111OT1", password: "pw-a" },
  recipient: { id: "Y88888OT1", password: "pw-y" },
  sharedKey: "TestKey",
  workflow: "GPCONNECT_SEND_DOCUMENT",
  replyWorkflow: "GPCONNECT_SEND_DOCUMENT_ACK",
  adminApi: false,
  routing: false,
  ackWindowMs: 1000,
};

const context = (tokens = new Map<string, string>()): MeshBuildContext => ({
  endpoint,
  tokens,
  values: {
    sender: "A11111OT1",
    recipient: "Y88888OT1",
    workflow: "GPCONNECT_SEND_DOCUMENT",
    replyWorkflow: "GPCONNECT_SEND_DOCUMENT_ACK",
    odsCode: "B82617",
    caseId: "mesh.test",
    run: "RUN1",
    now: Date.UTC(2026, 11, 5, 9, 0),
    steps: new Map(),
  },
});

async function tokenFor(auth: MeshAuth, as: "sender" | "recipient" = "sender") {
  const built = await buildMeshRequest({ as, method: "POST", path: "/{mailbox}", auth }, context());
  return { built, header: built.headers.get("authorization") };
}

Deno.test("a valid token verifies for the path's mailbox with its own password", async () => {
  const { built, header } = await tokenFor({ kind: "valid" });
  assert.equal(built.url, "http://127.0.0.1:9/messageexchange/A11111OT1");
  const parsed = parseNhsmeshAuthorization(header);
  assert.ok(parsed.ok);
  assert.equal(parsed.token.mailboxId, "A11111OT1");
  assert.equal(await nhsmeshHmacMatches(parsed.token, "pw-a", "TestKey"), true);
  assert.equal(built.authorization, header);
  assert.equal(built.headers.get("accept"), "application/vnd.mesh.v2+json");
  assert.ok(built.headers.get("mex-clientversion"));
});

Deno.test("each broken token breaks exactly its rule", async () => {
  const hmacFails = async (auth: MeshAuth, password = "pw-a") => {
    const parsed = parseNhsmeshAuthorization((await tokenFor(auth)).header);
    assert.ok(parsed.ok, auth.kind);
    assert.equal(await nhsmeshHmacMatches(parsed.token, password, "TestKey"), false, auth.kind);
  };
  await hmacFails({ kind: "wrong-hmac" });
  await hmacFails({ kind: "wrong-password" });
  await hmacFails({ kind: "wrong-key" });
  const problem = async (auth: MeshAuth) => {
    const parsed = parseNhsmeshAuthorization((await tokenFor(auth)).header);
    return parsed.ok ? "ok" : parsed.problem;
  };
  assert.equal(await problem({ kind: "four-parts" }), "parts");
  assert.equal(await problem({ kind: "count-not-numeric" }), "nonce-count");
  assert.equal(await problem({ kind: "scheme", scheme: "nhsmesh " }), "scheme");
  assert.equal(await problem({ kind: "scheme", scheme: "" }), "scheme");
  assert.equal(await problem({ kind: "timestamp-text", text: "202613011200" }), "timestamp");
  assert.equal((await tokenFor({ kind: "none" })).header, null);
});

Deno.test("timestamps move by the offset and still verify; other mailboxes' tokens are theirs", async () => {
  const parsed = parseNhsmeshAuthorization(
    (await tokenFor({ kind: "timestamp-offset", minutes: -130 })).header,
  );
  assert.ok(parsed.ok);
  assert.equal(meshTimestampMs(parsed.token.timestamp), Date.UTC(2026, 11, 5, 6, 50));
  assert.equal(await nhsmeshHmacMatches(parsed.token, "pw-a", "TestKey"), true);
  const other = await tokenFor({ kind: "token-of", role: "recipient" });
  assert.equal(other.built.url, "http://127.0.0.1:9/messageexchange/A11111OT1");
  const token = parseNhsmeshAuthorization(other.header);
  assert.ok(token.ok);
  assert.equal(token.token.mailboxId, "Y88888OT1");
  assert.equal(await nhsmeshHmacMatches(token.token, "pw-y", "TestKey"), true);
  const unknown = await tokenFor({ kind: "unknown-mailbox" });
  assert.equal(unknown.built.url, `http://127.0.0.1:9/messageexchange/${unknownMailboxId}`);
});

Deno.test("a replay sends the earlier step's very token; a missing one cannot be built", async () => {
  const tokens = new Map([["first", "NHSMESH A11111OT1:n:0:202612050900:" + "a".repeat(64)]]);
  const built = await buildMeshRequest(
    { as: "sender", method: "POST", path: "/{mailbox}", auth: { kind: "replay", step: "first" } },
    context(tokens),
  );
  assert.equal(built.headers.get("authorization"), tokens.get("first"));
  await assert.rejects(
    buildMeshRequest(
      { as: "sender", method: "POST", path: "/{mailbox}", auth: { kind: "replay", step: "x" } },
      context(),
    ),
    /step x sent no token/,
  );
});

Deno.test("bodies: text with placeholders, seeded bytes, gzip with Content-Encoding; headers removable", async () => {
  const text = await buildMeshRequest({
    as: "sender",
    method: "POST",
    path: "/{mailbox}/outbox",
    headers: { "Mex-To": "{recipient}", "Accept": null },
    body: { kind: "text", text: "{caseId} {run}" },
  }, context());
  assert.equal(new TextDecoder().decode(text.body), "mesh.test RUN1");
  assert.equal(text.headers.get("mex-to"), "Y88888OT1");
  assert.equal(text.headers.get("accept"), null);
  assert.equal(text.headers.get("content-type"), "application/octet-stream");
  const bytes = { kind: "bytes", size: 500, seed: "s" } as const;
  const plain = await buildMeshRequest(
    { as: "sender", method: "POST", path: "/x", body: bytes },
    context(),
  );
  const again = await buildMeshRequest(
    { as: "sender", method: "POST", path: "/x", body: bytes },
    context(),
  );
  assert.deepEqual(plain.body, again.body);
  const gz = await buildMeshRequest(
    { as: "sender", method: "POST", path: "/x", body: bytes, gzip: true },
    context(),
  );
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  const unzipped = new Uint8Array(
    await new Response(new Blob([gz.body!]).stream().pipeThrough(new DecompressionStream("gzip")))
      .arrayBuffer(),
  );
  assert.deepEqual(unzipped, plain.body);
});
