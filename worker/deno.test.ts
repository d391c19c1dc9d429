/**
 * The Deno entry over real sockets. `app.request` cannot reproduce what these test: Deno builds
 * `Request.url` from the `Host` header, so routing on the request line is only visible when the
 * request line and `Host` are written by hand.
 */
import assert from "node:assert/strict";
import { configVariables, defaultConfig } from "./config.ts";
import { serveGpcEdge } from "./deno.ts";
import { constantDirectory, recordingLogger, sspHeaderLines } from "./testing/ssp-fixtures.ts";
import { createMeshClient } from "../client/mesh/mesh-client.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** A provider stub that counts what reaches it, and gpc-edge in front of it. */
async function world() {
  const reached: string[] = [];
  const provider = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    reached.push(new URL(request.url).pathname + new URL(request.url).search);
    return Response.json({ resourceType: "CapabilityStatement" }, {
      headers: { "Content-Type": "application/fhir+json" },
    });
  });
  const root = `http://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/fhir`;
  const logger = recordingLogger();
  const edge = await serveGpcEdge({
    config: defaultConfig,
    dataDir: ":memory:",
    port: 0,
    logger,
    directory: constantDirectory(root),
  });
  const port = Number(new URL(edge.url).port);
  return {
    root,
    reached,
    logger,
    port,
    async close() {
      await edge.close();
      await provider.shutdown();
    },
  };
}

/** Writes `head` (request line and headers) on a fresh connection; returns status and body. */
async function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(new TextEncoder().encode(head));
    let raw = "";
    const buffer = new Uint8Array(16_384);
    for (let reads = 0; reads < 1000; reads++) {
      const n = await connection.read(buffer);
      if (n === null) break;
      raw += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const status = Number(raw.slice(9, 12));
    return { status, body: raw.slice(raw.indexOf("\r\n\r\n") + 4) };
  } finally {
    connection.close();
  }
}

Deno.test("a Host that embeds an SSP path does not turn a /_health request line into a proxied call (real socket)", async () => {
  const w = await world();
  try {
    const smuggled = `x/${w.root}/metadata?`;
    const { status, body } = await rawRequest(
      w.port,
      `GET /_health HTTP/1.1\r\nHost: ${smuggled}\r\n${
        sspHeaderLines(w.root, "/metadata", METADATA)
      }Connection: close\r\n\r\n`,
    );
    assert.equal(status, 400);
    // Refused by the HTTP server before Accept was read: the SSP's shape, in its default XML.
    assert.match(body, /<display value="MISSING_OR_INVALID_HEADER_Host"\/>/);
    assert.doesNotMatch(body, /<meta>/, "the SSP's shape");
    assert.deepEqual(w.reached, [], "nothing reached the provider");
    assert.equal(w.logger.records.filter((record) => record.type === "ssp-audit").length, 0);
    const errors = w.logger.records.filter((record) => record.type === "error");
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.audience, "gateway");
    assert.equal(errors[0]!.path, "/_health", "the request line's path");
  } finally {
    await w.close();
  }
});

Deno.test("an invalid Host is a 400 in the SSP's shape, never a 500 (real socket)", async () => {
  const w = await world();
  try {
    for (const host of ["x:99999", "a b", "[::1", "%2F", "x@y"]) {
      const { status, body } = await rawRequest(
        w.port,
        `GET /${w.root}/metadata HTTP/1.1\r\nHost: ${host}\r\nAccept: application/fhir+xml\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(status, 400, host);
      assert.match(body, /<display value="MISSING_OR_INVALID_HEADER_Host"\/>/, host);
    }
    assert.deepEqual(w.reached, []);
  } finally {
    await w.close();
  }
});

Deno.test("with a valid Host the request line decides the route, and the audit's targetUrl is the embedded URL exactly (real socket)", async () => {
  const w = await world();
  try {
    const health = await rawRequest(
      w.port,
      `GET /_health HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: "ok" });

    const embedded = `${w.root}/metadata?_format=json&x=/a//b`;
    const forwarded = await rawRequest(
      w.port,
      `GET /${embedded} HTTP/1.1\r\nHost: [::1]:${w.port}\r\n${
        sspHeaderLines(w.root, "/metadata", METADATA)
      }Connection: close\r\n\r\n`,
    );
    assert.equal(forwarded.status, 200, forwarded.body);
    assert.deepEqual(w.reached, ["/B82617/STU3/1/gpconnect/fhir/metadata?_format=json&x=/a//b"]);
    const audit = w.logger.records.find((record) => record.type === "ssp-audit")!;
    assert.equal(audit.targetUrl, embedded);
    assert.equal(audit.outcome, "forwarded");
  } finally {
    await w.close();
  }
});

/** Runs `deno run worker/deno.ts` with `env`; for start-ups that must end on their own. */
async function runEntry(env: Record<string, string>) {
  const entry = new URL("./deno.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", entry],
    env: { GPC_EDGE_DATA_DIR: ":memory:", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("deno.ts: an invalid variable ends start-up with one line naming it and exit 2", async () => {
  for (
    const [env, line] of [
      [{ GPC_EDGE_PORT: "abc" }, /^gpc-edge: Invalid GPC_EDGE_PORT: expected an integer/],
      [{ GPC_EDGE_JWT_MODE: "strict" }, /^gpc-edge: Invalid GPC_EDGE_JWT_MODE: /],
    ] as const
  ) {
    const { code, stderr } = await runEntry(env);
    assert.equal(code, 2, stderr);
    assert.match(stderr, line);
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
  }
});

Deno.test("deno.ts: a busy port ends start-up with one line naming it and exit 2", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const { code, stderr } = await runEntry({ GPC_EDGE_PORT: String(port) });
    assert.equal(code, 2, stderr);
    assert.equal(stderr.trimEnd(), `gpc-edge: port ${port} on 127.0.0.1 is in use (GPC_EDGE_PORT)`);
  } finally {
    listener.close();
  }
});

Deno.test("deno.ts --help lists every configuration variable by section and exits 0", async () => {
  const entry = new URL("./deno.ts", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", entry, "--help"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0);
  const text = new TextDecoder().decode(output.stdout);
  for (const { name } of configVariables) assert.ok(text.includes(name), name);
  for (const section of ["server:", "directory:", "ssp:", "mesh:", "platform:"]) {
    assert.ok(text.includes(section));
  }
});

Deno.test("serveGpcEdge: MESH housekeeping runs on its timer over Deno KV and stops with the server", async () => {
  const logger = recordingLogger();
  let offsetMs = 0;
  const edge = await serveGpcEdge({
    config: defaultConfig,
    dataDir: ":memory:",
    port: 0,
    logger,
    clock: {
      now: () => Date.now() + offsetMs,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
    meshHousekeepingIntervalMs: 5,
  });
  try {
    const consumer = createMeshClient({
      baseUrl: edge.url,
      mailboxId: "A11111OT1",
      password: "password",
      sharedKey: "TestKey",
      maxRetries: 0,
    });
    const messageId = await consumer.send({
      to: "B82617OT1",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: new TextEncoder().encode("{}"),
    });
    assert.ok(messageId);
    // Five days on, the uncollected message expires at the next tick.
    offsetMs = 5 * 86_400_000 + 60_000;
    const done = () => logger.records.some((record) => record.type === "mesh-housekeeping");
    for (let tick = 0; tick < 1000 && !done(); tick++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const lines = logger.records.filter((record) => record.type === "mesh-housekeeping");
    assert.equal(lines.length, 1, JSON.stringify(logger.records));
    assert.equal(lines[0]!.expired, 1);
  } finally {
    await edge.close();
  }
  // Stopped: no run touches the closed store afterwards (a run would log an error line).
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(logger.records.filter((record) => record.type === "error"), []);
});

Deno.test("serveGpcEdge: configAtUrl sees the listening URL before the first request", async () => {
  const edge = await serveGpcEdge({
    config: defaultConfig,
    dataDir: ":memory:",
    port: 0,
    logger: recordingLogger(),
    configAtUrl: (config, url) => ({
      ...config,
      platform: { ...config.platform, publicBaseUrl: url },
    }),
  });
  try {
    assert.equal(edge.config.platform.publicBaseUrl, edge.url);
    // The token endpoint (the only accepted `aud` is that URL + /oauth2/token) answers.
    const response = await fetch(`${edge.url}/oauth2/token`);
    assert.equal(response.status, 405);
    await response.body?.cancel();
  } finally {
    await edge.close();
  }
});
