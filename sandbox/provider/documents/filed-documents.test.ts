import assert from "node:assert/strict";
import { denoKvProviderStore } from "../provider-store.ts";
import { filedContentPartBytes, filedDocuments } from "./filed-documents.ts";

const record = (id: string, documentIdentifier: string) => ({
  id,
  binaryId: `${id}-content`,
  nhsNumber: "9690937286",
  type: { system: "http://snomed.info/sct", code: "371531000", display: "Report" },
  description: `document ${id}`,
  contentType: "application/pdf",
  created: "2025-01-15T10:00:00.000Z",
  indexed: "2025-01-15T10:05:00.000Z",
  author: { odsCode: "A11111", name: "A11111 consumer organisation" },
  documentIdentifier,
  meshMessageId: `mesh-${id}`,
});

Deno.test("filed documents: bytes over one KV value round-trip exactly; refiling rewrites; supersede hides", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const filed = filedDocuments(denoKvProviderStore(kv), "B82617");
    const bytes = new Uint8Array(filedContentPartBytes * 2 + 17).map((_, i) => (i * 31) % 256);
    await filed.file(record("d1", "uuid-1"), bytes);
    await filed.file(record("d1", "uuid-1"), bytes);
    assert.equal((await filed.all()).length, 1);
    assert.equal((await filed.get("d1"))?.parts, 3);

    const listed = await filed.forPatient("9690937286");
    assert.deepEqual(listed.map((d) => [d.id, d.content?.size]), [["d1", bytes.length]]);
    assert.throws(() => listed[0]!.content!.bytes(0, 1), /Binary retrieval/);
    const retrieved = await filed.byBinaryId("d1-content");
    assert.deepEqual(retrieved?.content?.bytes(0, bytes.length), bytes);
    assert.equal((await filed.byIdentifier("uuid-1"))?.id, "d1");
    assert.deepEqual(await filed.forPatient("9690937278"), []);

    await filed.file(record("d2", "uuid-2"), new Uint8Array([1]));
    await filed.supersede("d1", "d2");
    assert.deepEqual((await filed.forPatient("9690937286")).map((d) => d.id), ["d2"]);
    assert.ok(await filed.byBinaryId("d1-content"), "a superseded Binary stays retrievable");
    const author = (await filed.forPatient("9690937286"))[0]?.author;
    assert.equal(author?.kind === "Organization" && author.organization?.odsCode, "A11111");
  } finally {
    kv.close();
  }
});
