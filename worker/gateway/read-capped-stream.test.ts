import assert from "node:assert/strict";
import { readCappedStream } from "./read-capped-stream.ts";

class Overflow extends Error {}
const overflow = () => new Overflow("over the cap");

/** A stream of `chunks` that records whether it was cancelled and how many chunks were pulled. */
function chunkedStream(chunks: string[]) {
  const state = { pulled: 0, cancelled: false };
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[state.pulled];
      if (chunk === undefined) return controller.close();
      state.pulled++;
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

Deno.test("a body in several chunks comes back whole, in order", async () => {
  const { stream, state } = chunkedStream(["ab", "cde", "f"]);
  const bytes = await readCappedStream(stream, 6, overflow);
  assert.equal(new TextDecoder().decode(bytes), "abcdef");
  assert.equal(state.cancelled, false);
});

Deno.test("no body reads as zero bytes", async () => {
  const bytes = await readCappedStream(null, 0, overflow);
  assert.equal(bytes.byteLength, 0);
});

Deno.test("passing the cap cancels the stream at that chunk and throws the caller's error", async () => {
  const { stream, state } = chunkedStream(["abcd", "efgh", "ijkl", "mnop"]);
  await assert.rejects(readCappedStream(stream, 6, overflow), Overflow);
  assert.equal(state.cancelled, true);
  assert.equal(state.pulled, 2);
});
