/**
 * The gateway on the SSP route, end to end (issue 9's findings, one regression test each): real
 * sockets where the runtime matters (a provider that stalls, closes or garbles its body mid-way,
 * big uploads, lower-case verbs), the app in-process where only the app does (rate limits and the
 * breaker with an injected clock).
 */
import assert from "node:assert/strict";
import { sspRequestInit } from "../../client/ssp-request.ts";
import { createApp } from "../app.ts";
import {
  FORWARD_CLIENTS,
  forwardClientUnderTest,
} from "../forward-client/forward-clients-under-test.ts";
import type { UpstreamFetch } from "../app-deps.ts";
import {
  defaultConfig,
  type ForwardClientKind,
  type GpcEdgeConfig,
  type SspConfig,
} from "../config.ts";
import type { DirectoryResolver } from "../directory/directory-types.ts";
import { GpcEdgeError } from "../errors.ts";
import { parseTrustedProxies } from "../gateway/forwarding-headers.ts";
import { startTestServer } from "../http1-server/test-server.ts";
import { markWholeRequestBody } from "../whole-request-body.ts";
import { fakeClock } from "../testing/directory-sandboxes.ts";
import { memoryStores } from "../testing/memory-stores.ts";
import { constantDirectory, recordingLogger, sspHeaderLines } from "../testing/ssp-fixtures.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const STRUCTURED = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
const MiB = 1024 * 1024;

interface EdgeOptions {
  readonly ssp?: Partial<SspConfig>;
  readonly server?: Partial<GpcEdgeConfig["server"]>;
  readonly root: string;
  readonly fetch?: UpstreamFetch;
  readonly directory?: DirectoryResolver;
  /** The forward's client over real sockets (default the runtime's `fetch`). */
  readonly client?: ForwardClientKind;
}

/** gpc-edge in-process, its clock and memory stores fake-timed together. */
function edge(options: EdgeOptions) {
  const clock = fakeClock(Date.now());
  const logger = recordingLogger();
  const directory = options.directory ?? constantDirectory(options.root);
  const client = forwardClientUnderTest(options.client ?? "fetch");
  const { app } = createApp({
    config: {
      ...defaultConfig,
      server: { ...defaultConfig.server, ...options.server },
      ssp: { ...defaultConfig.ssp, ...options.ssp },
    },
    stores: memoryStores({ now: clock.now }),
    directory,
    clock,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }, client.runtime);
  return { app, clock, logger, directory, client };
}

/**
 * `edge()` on a loopback socket, behind the guarded HTTP/1.1 server the Deno entry serves on (its
 * errors collected, not printed).
 */
function edgeServer(options: EdgeOptions) {
  const built = edge(options);
  const guarded = startTestServer(
    (request, info) => built.app.fetch(request, { clientAddress: info.remoteAddr.hostname }),
  );
  const server = {
    shutdown: async () => {
      await guarded.close();
      built.client.close();
    },
  };
  return { ...built, url: guarded.origin, port: guarded.port, server };
}

function sspRequest(
  base: string,
  root: string,
  options: {
    interaction?: string;
    path?: string;
    headers?: Record<string, string>;
    method?: string;
    body?: BodyInit;
    fromAsid?: string;
  } = {},
): Request {
  const { url, headers } = sspRequestInit({
    sspBaseUrl: base,
    providerRoot: root,
    fhirPath: options.path ?? "/metadata",
    interactionId: options.interaction ?? METADATA,
    ...(options.fromAsid ? { fromAsid: options.fromAsid } : {}),
  });
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  return new Request(url, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    ...(options.body === undefined ? {} : { body: options.body, duplex: "half" }),
  } as RequestInit);
}

/** The SSP error display of a JSON error body. */
async function display(response: Response): Promise<string> {
  const outcome = await response.json();
  return outcome.issue[0].details.coding[0].display;
}

/** A raw TCP provider: reads each request head, then does what `behaviour` says. */
function rawProvider(behaviour: (connection: Deno.Conn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections = new Set<Deno.Conn>();
  const accepting = (async () => {
    for await (const connection of listener) {
      connections.add(connection);
      (async () => {
        const buffer = new Uint8Array(65_536);
        let head = "";
        for (let reads = 0; reads < 100 && !head.includes("\r\n\r\n"); reads++) {
          const n = await connection.read(buffer);
          if (n === null) return;
          head += new TextDecoder().decode(buffer.subarray(0, n));
        }
        await behaviour(connection);
      })().catch(() => {});
    }
  })();
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    root: `http://127.0.0.1:${port}/B82617/STU3/1/gpconnect/fhir`,
    async close() {
      listener.close();
      for (const connection of connections) {
        try {
          connection.close();
        } catch {
          // Already closed by the behaviour.
        }
      }
      await accepting.catch(() => {});
    },
  };
}

const write = (connection: Deno.Conn, text: string) =>
  connection.write(new TextEncoder().encode(text));
const chunkedHead = "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json;charset=utf-8\r\n" +
  "Transfer-Encoding: chunked\r\n\r\n";

/** Reads a response body to its end or its failure, bounded so a broken deadline fails the test. */
async function readToEnd(response: Response, guardMs = 15_000) {
  let guard: ReturnType<typeof setTimeout> | undefined;
  const bounded = new Promise<"hung">((resolve) =>
    guard = setTimeout(() => resolve("hung"), guardMs)
  );
  try {
    const read = response.text().then((text) => ({ text, failed: false }), () => ({
      text: "",
      failed: true,
    }));
    const outcome = await Promise.race([read, bounded]);
    assert.notEqual(outcome, "hung", "the body never ended");
    return outcome as { text: string; failed: boolean };
  } finally {
    clearTimeout(guard);
  }
}

/** The audit line, once written (it is written when the streamed body ends). */
async function auditLine(logger: ReturnType<typeof recordingLogger>) {
  for (let i = 0; i < 200; i++) {
    const audit = logger.records.find((record) => record.type === "ssp-audit");
    if (audit) return audit;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail("no audit line");
}

for (const client of FORWARD_CLIENTS) {
  Deno.test(`a provider's whole answer reaches the consumer and is audited complete with its bytes (real sockets) [${client}]`, async () => {
    const body = JSON.stringify({ resourceType: "CapabilityStatement", name: "x".repeat(500) });
    const provider = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response(body, { headers: { "Content-Type": "application/fhir+json" } }),
    );
    const root = `http://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/fhir`;
    const gpcEdge = edgeServer({ root, client });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(sspRequest(gpcEdge.url, root));
        assert.equal(response.status, 200);
        assert.equal(await response.text(), body);
      }
      const audits = gpcEdge.logger.records.filter((record) => record.type === "ssp-audit");
      for (let i = 0; i < 200 && audits.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        audits.splice(
          0,
          audits.length,
          ...gpcEdge.logger.records.filter((r) => r.type === "ssp-audit"),
        );
      }
      assert.equal(audits.length, 2);
      for (const audit of audits) {
        assert.equal(audit.outcome, "forwarded");
        assert.equal(audit.bodyOutcome, "complete");
        assert.equal(audit.responseBytes, body.length);
      }
    } finally {
      await gpcEdge.server.shutdown();
      await provider.shutdown();
    }
  });
}

for (const client of FORWARD_CLIENTS) {
  Deno.test(`issue 9 #4: a provider that stalls mid-body is cut at the request deadline; the audit says so (real sockets) [${client}]`, async () => {
    const provider = rawProvider(async (connection) => {
      await write(connection, `${chunkedHead}10\r\n{"resourceType":\r\n`);
      // …and nothing more, ever.
    });
    const gpcEdge = edgeServer({ root: provider.root, ssp: { deadlineMs: 300 }, client });
    try {
      const response = await fetch(sspRequest(gpcEdge.url, provider.root));
      assert.equal(response.status, 200, "the provider's headers came back");
      const { failed } = await readToEnd(response);
      assert.ok(failed, "the consumer sees a cut connection, not a short body passed off as whole");
      const audit = await auditLine(gpcEdge.logger);
      assert.equal(audit.outcome, "forwarded");
      assert.equal(audit.bodyOutcome, "deadline");
      assert.equal(audit.responseBytes, 16);
    } finally {
      await gpcEdge.server.shutdown();
      await provider.close();
    }
  });
}

/**
 * Asks gpc-edge (request deadline 300 ms) for a provider behaving as `behaviour`, asserts the SSP's
 * error answer (`status`, and the display naming the provider's URL after `displayPrefix`), and
 * returns the request's audit line and gpc-edge's `/_status`.
 */
async function answeredSspError(
  behaviour: (connection: Deno.Conn) => Promise<void>,
  client: (typeof FORWARD_CLIENTS)[number],
  status: number,
  displayPrefix: string,
) {
  const provider = rawProvider(behaviour);
  const gpcEdge = edgeServer({ root: provider.root, ssp: { deadlineMs: 300 }, client });
  try {
    const response = await fetch(
      sspRequest(gpcEdge.url, provider.root, { headers: { Accept: "application/fhir+json" } }),
    );
    assert.equal(response.status, status);
    assert.equal(await display(response), `${displayPrefix}${provider.root}/metadata`);
    const audit = await auditLine(gpcEdge.logger);
    return { audit, status: await (await gpcEdge.app.request("/_status")).json() };
  } finally {
    await gpcEdge.server.shutdown();
    await provider.close();
  }
}

const TIMEOUT = "TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_";

Deno.test("decision G14: a small Content-Length body the provider stalls after its head → 504 in the SSP's shape within the deadline, nothing passed on (pooled client, real sockets)", async () => {
  const { audit } = await answeredSspError(
    async (connection) => {
      await write(
        connection,
        "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 40\r\n\r\n" +
          '{"resourceType":',
      );
      // …and nothing more, ever.
    },
    "pooled",
    504,
    TIMEOUT,
  );
  assert.equal(audit.outcome, "rejected");
  assert.equal(audit.status, 504);
});

for (const client of FORWARD_CLIENTS) {
  Deno.test(`issue 9 #4: a provider whose headers never come → 504 in the SSP's shape within the deadline (real sockets) [${client}]`, async () => {
    await answeredSspError(() => new Promise(() => {}), client, 504, TIMEOUT);
  });
}

for (const client of FORWARD_CLIENTS) {
  Deno.test(`a provider whose body fails before its first byte → 502 in the SSP's shape, audited rejected, counted by the breaker (real sockets) [${client}]`, async () => {
    const { audit, status } = await answeredSspError(
      async (connection) => {
        await write(connection, chunkedHead);
        connection.close();
      },
      client,
      502,
      "ERROR_COMMUNICATING_TO_ENDPOINT_URL_",
    );
    assert.equal(audit.outcome, "rejected");
    assert.equal(status.breakers[0]?.consecutiveFailures, 1);
  });
}

for (
  const [label, tail] of [
    ["closes its connection mid-body", "5\r\nhello\r\n"],
    ["sends a bad chunk", "5\r\nhello\r\nzz\r\nnot a chunk\r\n"],
  ] as const
) {
  for (const client of FORWARD_CLIENTS) {
    Deno.test(`issue 9: a provider that ${label} → the consumer's stream fails, audited upstream-error, counted by the breaker (real sockets) [${client}]`, async () => {
      const provider = rawProvider(async (connection) => {
        await write(connection, chunkedHead + tail);
        connection.close();
      });
      const gpcEdge = edgeServer({ root: provider.root, client });
      try {
        const response = await fetch(sspRequest(gpcEdge.url, provider.root));
        const { failed } = await readToEnd(response);
        assert.ok(failed);
        const audit = await auditLine(gpcEdge.logger);
        assert.equal(audit.bodyOutcome, "upstream-error");
        for (let i = 0; i < 200; i++) {
          const status = await (await gpcEdge.app.request("/_status")).json();
          if (status.breakers.length > 0) {
            assert.equal(status.breakers[0].consecutiveFailures, 1);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        assert.fail("the breaker never heard of the failure");
      } finally {
        await gpcEdge.server.shutdown();
        await provider.close();
      }
    });
  }
}

for (const client of FORWARD_CLIENTS) {
  Deno.test(`issue 9 #5: a chunked upload past the cap → 413 while streaming, never buffered, the provider never answers it (real sockets) [${client}]`, async () => {
    let providerBytes = 0;
    const provider = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (request) => {
        try {
          for await (const chunk of request.body!) providerBytes += chunk.byteLength;
        } catch {
          // gpc-edge cut the upload off at its cap: the expected end of this request.
          return new Response(null, { status: 400 });
        }
        return Response.json({ resourceType: "Bundle" });
      },
    );
    const root = `http://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/structured/fhir`;
    const gpcEdge = edgeServer({ root, ssp: { maxRequestBytes: 1 * MiB }, client });
    try {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // 3 MiB in 64 KiB chunks, no Content-Length (chunked), generated as it is read.
          if (sent >= 3 * MiB) return controller.close();
          sent += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024).fill(32));
        },
      }, { highWaterMark: 0 });
      const response = await fetch(sspRequest(gpcEdge.url, root, {
        interaction: STRUCTURED,
        path: "/Patient/$gpc.getstructuredrecord",
        body,
        headers: { Accept: "application/fhir+json" },
      }));
      assert.equal(response.status, 413);
      assert.equal(await display(response), "REQUEST_ENTITY_TOO_LARGE");
      const audit = await auditLine(gpcEdge.logger);
      assert.equal(audit.status, 413);
      assert.equal(audit.upstreamStatus, null, "the provider's answer never came back");
      assert.ok(providerBytes <= 1 * MiB, `the provider got ${providerBytes} bytes`);
    } finally {
      await gpcEdge.server.shutdown();
      await provider.shutdown();
    }
  });
}

for (const client of FORWARD_CLIENTS) {
  Deno.test(`decision G16: a small POST body reaches the provider byte for byte with its Content-Length, not re-chunked (real sockets) [${client}]`, async () => {
    const received: Array<{ body: string; length: string | null; chunked: boolean }> = [];
    const provider = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (request) => {
        received.push({
          body: await request.text(),
          length: request.headers.get("content-length"),
          chunked: request.headers.get("transfer-encoding") !== null,
        });
        return Response.json({ resourceType: "Bundle" });
      },
    );
    const root = `http://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/structured/fhir`;
    const gpcEdge = edgeServer({ root, client });
    const parameters = JSON.stringify({
      resourceType: "Parameters",
      parameter: [{ name: "patientNHSNumber", valueIdentifier: { value: "9690937278" } }],
    });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(sspRequest(gpcEdge.url, root, {
          interaction: STRUCTURED,
          path: "/Patient/$gpc.getstructuredrecord",
          method: "POST",
          body: parameters,
          headers: { Accept: "application/fhir+json", "Content-Type": "application/fhir+json" },
        }));
        assert.equal(response.status, 200);
        await response.body?.cancel();
      }
      const expected = { body: parameters, length: String(parameters.length), chunked: false };
      assert.deepEqual(received, [expected, expected]);
    } finally {
      await gpcEdge.server.shutdown();
      await provider.shutdown();
    }
  });
}

Deno.test("decision G16: a body its server read whole passes the cap and goes to the provider as those bytes, not as a stream; over the cap it is 413", async () => {
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/structured/fhir";
  const forwarded: unknown[] = [];
  const { app } = edge({
    root,
    ssp: { maxRequestBytes: 64 },
    fetch: (_input, init) => {
      forwarded.push(init?.body);
      return Promise.resolve(Response.json({ resourceType: "Bundle" }));
    },
  });
  const marked = (bytes: Uint8Array<ArrayBuffer>) =>
    markWholeRequestBody(
      sspRequest("http://ssp.local", root, {
        interaction: STRUCTURED,
        path: "/Patient/$gpc.getstructuredrecord",
        method: "POST",
        body: bytes,
        headers: { Accept: "application/fhir+json" },
      }),
      bytes,
    );
  const small = new TextEncoder().encode('{"resourceType":"Parameters"}');
  const response = await app.request(marked(small));
  assert.equal(response.status, 200);
  assert.equal(forwarded.length, 1);
  assert.ok(forwarded[0] instanceof Uint8Array, "bytes, not a stream");
  assert.deepEqual(forwarded[0], small);
  // Over the cap without a Content-Length to say so up front (the whole body's length decides).
  const request = marked(new Uint8Array(65));
  request.headers.delete("content-length");
  const refused = await app.request(request);
  assert.equal(refused.status, 413);
  assert.equal(await display(refused), "REQUEST_ENTITY_TOO_LARGE");
  assert.equal(forwarded.length, 1);
});

Deno.test("issue 9 #5: a declared Content-Length over the cap → 413 before SDS or the provider", async () => {
  let calls = 0;
  const { app, directory } = edge({
    root: "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/structured/fhir",
    fetch: () => {
      calls++;
      return Promise.resolve(new Response("{}"));
    },
  });
  const request = sspRequest(
    "http://ssp.local",
    "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/structured/fhir",
    {
      interaction: STRUCTURED,
      path: "/Patient/$gpc.getstructuredrecord",
      body: new Uint8Array(16),
      headers: { "Content-Length": String(200 * MiB), Accept: "application/fhir+json" },
    },
  );
  const response = await app.request(request);
  assert.equal(response.status, 413);
  assert.equal(await display(response), "REQUEST_ENTITY_TOO_LARGE");
  assert.equal(calls, 0);
  assert.equal((directory as unknown as { calls: number }).calls, 0);
});

Deno.test("issue 9 #2: Connection naming a checked header → 400 MISSING_OR_INVALID_HEADER_Connection; other names are hop-by-hop", async () => {
  const seen: Headers[] = [];
  const { app } = edge({
    root: "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir",
    fetch: (_input, init) => {
      seen.push(new Headers(init?.headers));
      return Promise.resolve(Response.json({ resourceType: "CapabilityStatement" }));
    },
  });
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
  for (
    const connection of [
      "keep-alive, Ssp-To, Ssp-From, Authorization",
      "close, accept",
      "Content-Type",
      "ssp-interactionid",
      "Host",
    ]
  ) {
    const response = await app.request(sspRequest("http://ssp.local", root, {
      headers: { Connection: connection, Accept: "application/fhir+json" },
    }));
    assert.equal(response.status, 400, connection);
    assert.equal(await display(response), "MISSING_OR_INVALID_HEADER_Connection");
  }
  assert.equal(seen.length, 0, "nothing reached the provider");
  const ok = await app.request(sspRequest("http://ssp.local", root, {
    headers: { Connection: "keep-alive, X-Trace-Hop", "X-Trace-Hop": "1", "X-Kept": "2" },
  }));
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(seen[0]!.get("x-trace-hop"), null);
  assert.equal(seen[0]!.get("x-kept"), "2");
  for (const name of ["ssp-traceid", "ssp-from", "ssp-to", "ssp-interactionid", "authorization"]) {
    assert.ok(seen[0]!.get(name), name);
  }
});

Deno.test("issue 9 #6: forwarding headers from the consumer are dropped; from a trusted proxy they are kept", async () => {
  const seen: Headers[] = [];
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
  const { app } = edge({
    root,
    server: {
      publicUrl: "https://ssp.example.nhs.uk",
      trustedProxies: parseTrustedProxies("10.0.0.0/8"),
    },
    fetch: (_input, init) => {
      seen.push(new Headers(init?.headers));
      return Promise.resolve(Response.json({ resourceType: "CapabilityStatement" }));
    },
  });
  const invented = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Host": "evil.example",
    "X-Real-IP": "203.0.113.9",
    "Forwarded": "for=203.0.113.9;host=evil.example",
  };
  for (const clientAddress of ["192.0.2.1", "10.9.8.7"]) {
    const response = await app.fetch(
      sspRequest("http://caller-host.example", root, { headers: invented }),
      { clientAddress },
    );
    assert.equal(response.status, 200);
    await response.body?.cancel();
  }
  const [consumer, proxy] = seen;
  assert.equal(consumer!.get("forwarded"), "for=192.0.2.1;host=ssp.example.nhs.uk;proto=https");
  for (const name of ["x-forwarded-for", "x-forwarded-host", "x-real-ip"]) {
    assert.equal(consumer!.get(name), null, name);
  }
  assert.equal(
    proxy!.get("forwarded"),
    "for=203.0.113.9;host=evil.example, for=10.9.8.7;host=ssp.example.nhs.uk;proto=https",
  );
  assert.equal(proxy!.get("x-forwarded-for"), "203.0.113.9");
});

Deno.test("issue 9 #8: 11 requests in one second from one ASID with a limit of 10 → one 429 with X-Rate-Limit-*", async () => {
  let calls = 0;
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
  const { app } = edge({
    root,
    ssp: {
      rateLimits: { consumer: { limit: 10, windowSeconds: 1 }, pair: null, asids: {} },
    },
    fetch: () => {
      calls++;
      return Promise.resolve(Response.json({ resourceType: "CapabilityStatement" }));
    },
  });
  const responses: Response[] = [];
  for (let i = 0; i < 11; i++) {
    responses.push(
      await app.request(sspRequest("http://ssp.local", root, {
        headers: { Accept: "application/fhir+json" },
      })),
    );
  }
  assert.deepEqual(responses.map((r) => r.status), [...Array(10).fill(200), 429]);
  assert.equal(calls, 10);
  assert.equal(responses[0]!.headers.get("X-Rate-Limit-Limit"), "10");
  assert.equal(responses[0]!.headers.get("X-Rate-Limit-Remaining"), "9");
  assert.equal(responses[9]!.headers.get("X-Rate-Limit-Remaining"), "0");
  const refused = responses[10]!;
  assert.equal(refused.headers.get("X-Rate-Limit-Limit"), "10");
  assert.equal(refused.headers.get("X-Rate-Limit-Remaining"), "0");
  assert.equal(refused.headers.get("X-Rate-Limit-Reset"), "1");
  assert.ok(Number(refused.headers.get("Retry-After")) >= 1);
  assert.equal(refused.headers.get("Cache-Control"), "no-store");
  assert.equal(await display(refused), "THROTTLED_MESSAGESENDER_200000000359");
  const other = await app.request(
    sspRequest("http://ssp.local", root, { fromAsid: "200000000360" }),
  );
  assert.notEqual(other.status, 429, "another consumer has its own count");
  await Promise.all([...responses.slice(0, 10), other].map((r) => r.body?.cancel()));
});

Deno.test("issue 9 #8: the consumer and provider pair has its own limit, and /_status shows the counters", async () => {
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
  const { app } = edge({
    root,
    ssp: {
      rateLimits: {
        consumer: { limit: 100, windowSeconds: 1 },
        pair: { limit: 2, windowSeconds: 10 },
        asids: {},
      },
    },
    fetch: () => Promise.resolve(Response.json({ resourceType: "CapabilityStatement" })),
  });
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await app.request(sspRequest("http://ssp.local", root, {
      headers: { Accept: "application/fhir+json" },
    }));
    statuses.push(response.status);
    if (i === 2) {
      assert.equal(
        await display(response),
        "THROTTLED_MESSAGESENDER_200000000359_MESSAGERECEIVER_918999198738",
      );
    } else await response.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 200, 429]);
  const status = await (await app.request("/_status")).json();
  const counts = Object.fromEntries(
    status.rateLimits.map((r: { scope: string; count: number }) => [r.scope, r.count]),
  );
  assert.deepEqual(counts, {
    "ssp:consumer:200000000359": 3,
    "ssp:pair:200000000359:918999198738": 2,
  });
});

Deno.test("issue 9 #8: 6 provider failures in a row open the breaker (the 6th never goes upstream); after the open interval a probe recovers it", async () => {
  let healthy = false;
  let calls = 0;
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
  const { app, clock } = edge({
    root,
    fetch: () => {
      calls++;
      return Promise.resolve(
        healthy
          ? Response.json({ resourceType: "CapabilityStatement" })
          : new Response("<html>busy</html>", { status: 503 }),
      );
    },
  });
  const call = () =>
    app.request(sspRequest("http://ssp.local", root, {
      headers: { Accept: "application/fhir+json" },
    }));
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await call();
    statuses.push(response.status);
    if (i === 5) {
      assert.equal(await display(response), `ERROR_COMMUNICATING_TO_ENDPOINT_URL_${root}/metadata`);
      assert.equal(response.headers.get("Retry-After"), "30");
    } else await response.body?.cancel();
  }
  assert.deepEqual(statuses, [503, 503, 503, 503, 503, 502], "5 pass through, the 6th is refused");
  assert.equal(calls, 5, "no upstream attempt while open");
  const open = await (await app.request("/_status")).json();
  assert.equal(open.breakers[0].state, "open");
  assert.equal(open.breakers[0].endpoint, root);

  healthy = true;
  clock.advance(29_000);
  assert.equal((await call()).status, 502, "still open");
  clock.advance(1_000);
  const probe = await call();
  assert.equal(probe.status, 200, "the half-open probe goes through");
  await probe.body?.cancel();
  for (let i = 0; i < 100; i++) {
    const status = await (await app.request("/_status")).json();
    if (status.breakers[0].state === "closed") break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const after = await call();
  assert.equal(after.status, 200, "closed again");
  await after.body?.cancel();
  assert.equal(calls, 7);
});

Deno.test("issue 9 #7: a lower-case or unknown verb → 405 in the SSP's shape, never forwarded (real socket)", async () => {
  let reached = 0;
  const provider = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    reached++;
    return Response.json({});
  });
  const root = `http://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/fhir`;
  const gpcEdge = edgeServer({ root });
  try {
    const lines = sspHeaderLines(root, "/metadata", METADATA);
    for (const method of ["get", "Get", "BREW"]) {
      const connection = await Deno.connect({ hostname: "127.0.0.1", port: gpcEdge.port });
      await write(
        connection,
        `${method} /${root}/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines}Accept: application/fhir+json\r\nConnection: close\r\n\r\n`,
      );
      let raw = "";
      const buffer = new Uint8Array(16_384);
      for (let reads = 0; reads < 100; reads++) {
        const n = await connection.read(buffer);
        if (n === null) break;
        raw += new TextDecoder().decode(buffer.subarray(0, n));
      }
      connection.close();
      assert.match(raw, /^HTTP\/1\.1 405/, method);
      assert.match(raw, /"display":"405: Method Not Allowed"/, method);
    }
    assert.equal(reached, 0);
  } finally {
    await gpcEdge.server.shutdown();
    await provider.shutdown();
  }
});

Deno.test("issue 9 #7: an ODS segment that cannot be an ODS code → 400 before SDS is asked", async () => {
  const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
  const { app, directory } = edge({ root });
  for (const ods of ["B82617B82617B", "B8-2617", "%42"]) {
    const response = await app.request(
      sspRequest(
        "http://ssp.local",
        `https://provider.example.nhs.uk/${ods}/STU3/1/gpconnect/fhir`,
        {
          headers: { Accept: "application/fhir+json" },
        },
      ),
    );
    assert.equal(response.status, 400, ods);
    assert.equal(await display(response), "REQUEST_UNMATCHED_INVALID_ODS_CODE");
  }
  assert.equal((directory as unknown as { calls: number }).calls, 0);
});

for (
  const [status, expected, code] of [
    [504, 504, "TIMEOUT_COMMUNICATING_TO_SDS"],
    [502, 502, "ERROR_COMMUNICATING_TO_SDS"],
  ] as const
) {
  Deno.test(`issue 9 #7: SDS ${status === 504 ? "too slow" : "down"} → ${expected} ${code}`, async () => {
    const root = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
    const failing: DirectoryResolver = {
      ...constantDirectory(root),
      lookupEndpoint: () =>
        Promise.reject(GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", { status })),
    };
    const { app } = edge({ root, directory: failing });
    const response = await app.request(sspRequest("http://ssp.local", root, {
      headers: { Accept: "application/fhir+json" },
    }));
    assert.equal(response.status, expected);
    assert.equal(await display(response), code);
  });
}

for (const client of FORWARD_CLIENTS) {
  Deno.test(`issue 9 (found by task fuzz): a chunked body the consumer breaks off → 400 MESSAGE_NOT_WELL_FORMED, not the provider's 502, and not counted against it (real sockets) [${client}]`, async () => {
    const provider = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (request) => {
        await request.body?.cancel();
        return Response.json({ resourceType: "Bundle" });
      },
    );
    const root = `http://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/structured/fhir`;
    const gpcEdge = edgeServer({ root, client });
    try {
      const lines = sspHeaderLines(root, "/Patient/$gpc.getstructuredrecord", STRUCTURED);
      const connection = await Deno.connect({ hostname: "127.0.0.1", port: gpcEdge.port });
      await write(
        connection,
        `POST /${root}/Patient/$gpc.getstructuredrecord HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines}` +
          `Accept: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab`,
      );
      await connection.closeWrite();
      let raw = "";
      const buffer = new Uint8Array(16_384);
      for (let reads = 0; reads < 100; reads++) {
        const n = await connection.read(buffer).catch(() => null);
        if (n === null) break;
        raw += new TextDecoder().decode(buffer.subarray(0, n));
      }
      connection.close();
      assert.match(raw, /^HTTP\/1\.1 400/);
      assert.match(raw, /MESSAGE_NOT_WELL_FORMED/);
      const audit = await auditLine(gpcEdge.logger);
      assert.equal(audit.status, 400);
      const status = await (await gpcEdge.app.request("/_status")).json();
      assert.deepEqual(status.breakers, [], "the provider's breaker heard nothing");
    } finally {
      await gpcEdge.server.shutdown();
      await provider.shutdown();
    }
  });
}
