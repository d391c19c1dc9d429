import assert from "node:assert/strict";
import { chunkBody, chunkRanges, npmClientChunkSize, payloadBlob } from "./mesh-chunks.ts";

Deno.test("mesh chunks: ranges cover the payload in order, the last one short", () => {
  assert.deepEqual(chunkRanges(25, 10), [[0, 10], [10, 20], [20, 25]]);
  assert.deepEqual(chunkRanges(20, 10), [[0, 10], [10, 20]]);
  assert.deepEqual(chunkRanges(0, 10), [[0, 0]]);
  assert.equal(chunkRanges(20 * 1024 * 1024 + 1, npmClientChunkSize).length, 3);
  assert.throws(() => chunkRanges(10, 0), RangeError);
  assert.throws(() => chunkRanges(10, 1.5), RangeError);
});

Deno.test("mesh chunks: each chunk gzips on its own and inflates back to its slice", async () => {
  const text = "GP Connect ".repeat(1000);
  const blob = payloadBlob(text);
  const ranges = chunkRanges(blob.size, 4096);
  const parts: string[] = [];
  for (const range of ranges) {
    const gz = await chunkBody(blob, range, true);
    const head = new Uint8Array(await gz.slice(0, 2).arrayBuffer());
    assert.deepEqual([...head], [0x1f, 0x8b]);
    const inflated = gz.stream().pipeThrough(new DecompressionStream("gzip"));
    parts.push(await new Response(inflated).text());
  }
  assert.equal(parts.join(""), text);
  assert.equal(await (await chunkBody(blob, [0, 11], false)).text(), "GP Connect ");
});
