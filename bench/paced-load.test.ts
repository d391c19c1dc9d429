import assert from "node:assert/strict";
import { keyOfPractice } from "./bench-keys.ts";
import { pacedLoad } from "./paced-load.ts";

/** A loopback server that records the key of every request and answers `status`. */
function recordingServer(status: number) {
  const keys: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const ods = new URL(request.url).pathname.split("/")[2] ?? "";
    keys.push(keyOfPractice(ods) ?? -1);
    return new Response("{}", { status });
  });
  return { keys, server, port: server.addr.port };
}

Deno.test("pacedLoad: the lead-in is sent first, on the same keys' sequence, and left out of the latencies", async () => {
  const { keys, server, port } = recordingServer(200);
  try {
    const result = await pacedLoad({
      host: "127.0.0.1",
      port,
      connections: 4,
      rate: 200,
      seconds: 0.2,
      leadInSeconds: 0.1,
      drainSeconds: 2,
      path: "/p/{key}",
      headers: [],
      keyKind: "ods",
      firstKey: 10,
    });
    assert.equal(result.leadIn, 20);
    assert.equal(result.intended, 40);
    assert.equal(result.completed, 40);
    assert.equal(result.timeouts, 0);
    assert.equal(result.errors, 0);
    assert.equal(result.latencyMs.count, 40);
    assert.equal(result.sendLagMs.count, 40);
    // The warm passes use key firstKey − 1; then every key once, lead-in first.
    const sent = keys.filter((key) => key !== 9).sort((a, b) => a - b);
    assert.deepEqual(sent, Array.from({ length: 60 }, (_, i) => 10 + i));
  } finally {
    await server.shutdown();
  }
});

Deno.test("pacedLoad: an error in the lead-in is still counted", async () => {
  const { server, port } = recordingServer(503);
  try {
    const result = await pacedLoad({
      host: "127.0.0.1",
      port,
      connections: 2,
      rate: 100,
      seconds: 0.1,
      leadInSeconds: 0.1,
      drainSeconds: 2,
      path: "/p/x",
      headers: [],
    });
    assert.equal(result.intended, 10);
    assert.equal(result.completed, 10);
    assert.equal(result.errors, 20);
    assert.deepEqual(result.errorStatuses, { "503": 20 });
  } finally {
    await server.shutdown();
  }
});
