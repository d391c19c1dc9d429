import assert from "node:assert/strict";
import { sspRequestInit } from "../../client/ssp-request.ts";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "../../gpconnect/jwt/gpc-jwt.ts";
import { createApp } from "../app.ts";
import {
  FORWARD_CLIENTS,
  forwardClientUnderTest,
} from "../forward-client/forward-clients-under-test.ts";
import type { UpstreamFetch } from "../app-deps.ts";
import { defaultConfig, type SspConfig } from "../config.ts";
import { memoryStores } from "../testing/memory-stores.ts";
import { constantDirectory, recordingLogger, testProviderRoot } from "../testing/ssp-fixtures.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const STRUCTURED = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

function setup(
  options: { ssp?: Partial<SspConfig>; provider?: UpstreamFetch; root?: string } = {},
) {
  const seen: Seen[] = [];
  const logger = recordingLogger();
  const provider: UpstreamFetch = options.provider ?? (async (input, init) => {
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
    return new Response(JSON.stringify({ resourceType: "CapabilityStatement" }), {
      status: 200,
      headers: {
        "Content-Type": "application/fhir+json;charset=utf-8",
        "Cache-Control": "no-store",
        "X-Provider": "yes",
        "Connection": "keep-alive",
        "Keep-Alive": "timeout=5",
      },
    });
  });
  const directory = constantDirectory(options.root);
  const { app } = createApp({
    config: { ...defaultConfig, ssp: { ...defaultConfig.ssp, ...options.ssp } },
    stores: memoryStores(),
    directory,
    fetch: provider,
    logger,
  });
  return { app, seen, logger, directory };
}

function request(
  interactionId = METADATA,
  fhirPath = "/metadata",
  extra: {
    headers?: Record<string, string | null>;
    root?: string;
    method?: string;
    body?: string;
  } = {},
): Request {
  const { url, headers } = sspRequestInit({
    sspBaseUrl: "http://ssp.local",
    providerRoot: extra.root ?? testProviderRoot,
    fhirPath,
    interactionId,
  });
  for (const [name, value] of Object.entries(extra.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return new Request(url, {
    method: extra.method ?? (extra.body === undefined ? "GET" : "POST"),
    headers,
    ...(extra.body === undefined ? {} : { body: extra.body }),
  });
}

async function sspError(response: Response) {
  const body = await response.json();
  const issue = body.issue[0];
  return { body, issue, display: issue.details.coding[0].display as string };
}

Deno.test("SSP forwards a valid request verbatim and passes the provider's answer back", async () => {
  const { app, seen, logger } = setup();
  const sent = request();
  const response = await app.fetch(sent, { clientAddress: "10.0.0.9" });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { resourceType: "CapabilityStatement" });
  assert.equal(response.headers.get("x-provider"), "yes");
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.equal(response.headers.get("keep-alive"), null, "hop-by-hop header removed");
  assert.equal(seen.length, 1);
  const forwarded = seen[0]!;
  assert.equal(forwarded.url, `${testProviderRoot}/metadata`);
  for (const name of ["Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID", "Authorization"]) {
    assert.equal(
      forwarded.headers.get(name),
      sent.headers.get(name),
      `${name} reaches the provider`,
    );
  }
  assert.equal(
    forwarded.headers.get("forwarded"),
    'for=10.0.0.9;host="127.0.0.1:8080";proto=http',
    "host= and proto= are gpc-edge's public URL's, never the caller's Host",
  );
  const audit = logger.records.find((record) => record.type === "ssp-audit")!;
  assert.equal(audit.status, 200);
  assert.equal(audit.outcome, "forwarded");
  assert.equal(audit.traceId, sent.headers.get("Ssp-TraceID"));
  assert.equal(audit.requestingOrganization, "A11111");
});

Deno.test("SSP streams a POST body to the provider unchanged", async () => {
  const { app, seen } = setup();
  const body = JSON.stringify({ resourceType: "Parameters", parameter: [] });
  const response = await app.fetch(
    request(STRUCTURED, "/Patient/$gpc.getstructuredrecord", { body }),
  );
  assert.equal(response.status, 200);
  assert.equal(seen[0]!.method, "POST");
  assert.equal(seen[0]!.body, body);
  assert.match(seen[0]!.headers.get("content-type")!, /application\/fhir\+json/);
});

Deno.test("SSP passes provider errors through unchanged", async () => {
  const outcome = { resourceType: "OperationOutcome", issue: [{ code: "not-found" }] };
  const { app } = setup({
    provider: () =>
      Promise.resolve(
        new Response(JSON.stringify(outcome), {
          status: 404,
          headers: { "Content-Type": "application/fhir+json", "X-Trace": "p" },
        }),
      ),
  });
  const response = await app.fetch(request());
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("x-trace"), "p");
  assert.deepEqual(await response.json(), outcome);
});

for (const name of ["Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID", "Authorization"]) {
  Deno.test(`SSP rejects a request without ${name} with 400 in its own shape`, async () => {
    const { app, seen } = setup();
    const response = await app.fetch(
      request(METADATA, "/metadata", {
        headers: { [name]: null, Accept: "application/fhir+json" },
      }),
    );
    assert.equal(response.status, 400);
    const { body, issue, display } = await sspError(response);
    assert.equal(display, `MISSING_OR_INVALID_HEADER_${name}`);
    assert.equal(issue.details.coding[0].code, "400");
    assert.equal(
      issue.details.coding[0].system,
      "http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0",
    );
    assert.equal(body.meta, undefined, "the SSP's shape has no profile");
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    assert.equal(seen.length, 0, "nothing reached the provider");
  });
}

for (
  const [name, value] of [
    ["Ssp-TraceID", "not-a-uuid"],
    ["Ssp-From", "ASID-1"],
    ["Ssp-To", "12345678901234"],
    ["Ssp-InteractionID", "metadata"],
    ["Authorization", "Basic dXNlcjpwYXNz"],
  ]
) {
  Deno.test(`SSP rejects a malformed ${name} with 400`, async () => {
    const { app } = setup();
    const response = await app.fetch(
      request(METADATA, "/metadata", {
        headers: { [name!]: value!, Accept: "application/fhir+json" },
      }),
    );
    assert.equal(response.status, 400);
    assert.equal((await sspError(response)).display, `MISSING_OR_INVALID_HEADER_${name}`);
  });
}

Deno.test("SSP audit reports the headers as sent when a header check rejects the request", async () => {
  const { app, logger } = setup();
  const sent = request(METADATA, "/metadata", { headers: { "Ssp-To": "not-an-asid" } });
  const response = await app.fetch(sent);
  assert.equal(response.status, 400);
  await response.body?.cancel();
  const audit = logger.records.find((record) => record.type === "ssp-audit")!;
  assert.equal(audit.traceId, sent.headers.get("Ssp-TraceID"));
  assert.equal(audit.from, "200000000359");
  assert.equal(audit.to, "not-an-asid");
  assert.equal(audit.interactionId, METADATA);
  assert.equal(audit.targetUrl, `${testProviderRoot}/metadata`);
  assert.equal(audit.outcome, "rejected");
  assert.equal(audit.directorySource, null, "SDS was never asked");
  assert.deepEqual(audit.error, {
    code: "MISSING_OR_INVALID_HEADER",
    display: "MISSING_OR_INVALID_HEADER_Ssp-To",
  });
});

Deno.test("SSP audit reports where SDS answered from even when the receiver check then fails", async () => {
  const { app, logger } = setup();
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { "Ssp-To": "918999198739" } }),
  );
  assert.equal(response.status, 403);
  await response.body?.cancel();
  const audit = logger.records.find((record) => record.type === "ssp-audit")!;
  assert.equal(audit.directorySource, "memory");
  assert.equal(audit.upstreamStatus, null);
});

Deno.test("SSP error bodies are XML by default and JSON when asked", async () => {
  const { app } = setup();
  const xml = await app.fetch(
    request(METADATA, "/metadata", { headers: { "Ssp-From": null, Accept: null } }),
  );
  assert.equal(xml.status, 400);
  assert.match(xml.headers.get("content-type")!, /application\/fhir\+xml/);
  assert.equal(xml.headers.get("cache-control"), "no-store");
  const text = await xml.text();
  assert.match(text, /^<\?xml/);
  assert.match(text, /<OperationOutcome xmlns="http:\/\/hl7.org\/fhir">/);
  assert.match(text, /<display value="MISSING_OR_INVALID_HEADER_Ssp-From"\/>/);
});

Deno.test("SSP answers TRACE with 405 Method Not Allowed, severity fatal (real socket)", async () => {
  // `new Request` refuses TRACE, so this goes over a real socket as raw HTTP/1.1.
  const { app } = setup();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => app.fetch(request),
  );
  const port = server.addr.port;
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `TRACE /${testProviderRoot}/metadata HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Accept: application/fhir+json\r\nConnection: close\r\n\r\n`;
  await connection.write(new TextEncoder().encode(head));
  let raw = "";
  const buffer = new Uint8Array(16_384);
  for (let reads = 0; reads < 100; reads++) {
    const n = await connection.read(buffer);
    if (n === null) break;
    raw += new TextDecoder().decode(buffer.subarray(0, n));
  }
  connection.close();
  await server.shutdown();
  assert.match(raw, /^HTTP\/1\.1 405/);
  assert.match(raw, /allow: GET, POST, PUT/i);
  const outcome = JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4));
  const issue = outcome.issue[0];
  assert.equal(issue.severity, "fatal");
  assert.equal(issue.code, "forbidden");
  assert.equal(
    issue.details.coding[0].system,
    "https://fhir.nhs.uk/StructureDefinition/spine-operationoutcome-1",
  );
  assert.equal(issue.details.coding[0].display, "405: Method Not Allowed");
});

Deno.test("SSP answers DELETE with 405", async () => {
  const { app, seen } = setup();
  const response = await app.fetch(
    request(METADATA, "/metadata", {
      method: "DELETE",
      headers: { Accept: "application/fhir+json" },
    }),
  );
  assert.equal(response.status, 405);
  assert.equal(seen.length, 0);
});

Deno.test("SSP answers an unknown interaction with 415 ASID_CHECK_FAILED, like the live SSP", async () => {
  const { app } = setup();
  const response = await app.fetch(request(METADATA, "/metadata", {
    headers: {
      "Ssp-InteractionID": "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-9",
      Accept: "application/fhir+json",
    },
  }));
  assert.equal(response.status, 415);
  assert.equal((await sspError(response)).display, "ASID_CHECK_FAILED_MESSAGESENDER_200000000359");
});

Deno.test("SSP rejects a sender not accredited for the interaction with 403", async () => {
  const { app } = setup();
  const response = await app.fetch(request(STRUCTURED, "/Patient/$gpc.getstructuredrecord", {
    body: "{}",
    headers: { "Ssp-From": "200000000117", Accept: "application/fhir+json" },
  }));
  assert.equal(response.status, 403);
  const { issue, display } = await sspError(response);
  assert.equal(display, "ASID_CHECK_FAILED_MESSAGESENDER_200000000117");
  assert.equal(issue.code, "forbidden");
});

Deno.test("SSP rejects a receiver ASID that SDS does not register for the interaction with 403", async () => {
  const { app } = setup();
  const response = await app.fetch(request(METADATA, "/metadata", {
    headers: { "Ssp-To": "918999198739", Accept: "application/fhir+json" },
  }));
  assert.equal(response.status, 403);
  assert.equal(
    (await sspError(response)).display,
    "PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_918999198739",
  );
});

Deno.test("SSP rejects a practice SDS does not know with 403 PARTYKEY", async () => {
  const { app } = setup();
  const response = await app.fetch(request(METADATA, "/metadata", {
    root: "https://provider.example.nhs.uk/Z99999/STU3/1/gpconnect/fhir",
    headers: { Accept: "application/fhir+json" },
  }));
  assert.equal(response.status, 403);
  assert.match(
    (await sspError(response)).display,
    /^PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_/,
  );
});

for (
  const [label, root] of [
    [":443 added", "https://provider.example.nhs.uk:443/B82617/STU3/1/gpconnect/fhir"],
    ["host spelt in capitals", "https://PROVIDER.example.nhs.uk/B82617/STU3/1/gpconnect/fhir"],
    ["another host", "https://10.1.2.3/B82617/STU3/1/gpconnect/fhir"],
    ["another root", "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/structured/fhir"],
  ]
) {
  Deno.test(`SSP rejects a target URL that differs from SDS (${label}) with 400 ENDPOINT_…_VARIES`, async () => {
    const { app, seen } = setup();
    const response = await app.fetch(
      request(METADATA, "/metadata", { root: root!, headers: { Accept: "application/fhir+json" } }),
    );
    assert.equal(response.status, 400);
    const { issue, display } = await sspError(response);
    assert.equal(
      display,
      `ENDPOINT_${testProviderRoot}_CPAID_S918999198738_VARIES_FROM_TARGETURL_${root}/metadata`,
    );
    assert.equal(issue.code, "invalid");
    assert.equal(seen.length, 0);
  });
}

Deno.test("SSP rejects a sender without a sharing agreement with the receiver with 403 FOT", async () => {
  const { app } = setup();
  const response = await app.fetch(request(METADATA, "/metadata", {
    headers: { "Ssp-From": "200000000118", Accept: "application/fhir+json" },
  }));
  assert.equal(response.status, 403);
  assert.equal(
    (await sspError(response)).display,
    "FOT_CHECK_FAILED_MESSAGESENDER_200000000118_MESSAGERECEIVER_918999198738",
  );
});

Deno.test("SSP rejects an unsupported Accept with 415", async () => {
  const { app } = setup();
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { Accept: "text/html" } }),
  );
  assert.equal(response.status, 415);
  assert.match(await response.text(), /Unsupported_Media_Type/);
});

Deno.test("SSP rejects a body whose Content-Type is not FHIR with 415", async () => {
  const { app } = setup();
  const response = await app.fetch(request(STRUCTURED, "/Patient/$gpc.getstructuredrecord", {
    body: "hello",
    headers: { "Content-Type": "text/plain", Accept: "application/fhir+json" },
  }));
  assert.equal(response.status, 415);
  assert.equal((await sspError(response)).display, "Unsupported_Media_Type");
});

Deno.test("SSP rejects a non-canonical provider path with 400", async () => {
  const { app, seen } = setup();
  const response = await app.fetch(
    request(METADATA, "//metadata", { headers: { Accept: "application/fhir+json" } }),
  );
  assert.equal(response.status, 400);
  assert.equal(seen.length, 0);
});

Deno.test("SSP in log mode forwards a request with a bad JWT and audits the findings, never the token", async () => {
  const { app, seen, logger } = setup();
  const claims = gpConnectJwtClaims({ requestedScope: "patient/*.read" }); // wrong scope for metadata
  const token = encodeUnsignedJwt({ ...claims, exp: (claims.iat as number) + 299 });
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { Authorization: `Bearer ${token}` } }),
  );
  assert.equal(response.status, 200);
  await response.text(); // the audit line of a forwarded request is written when its body ends
  assert.equal(seen.length, 1);
  const audit = logger.records.find((record) => record.type === "ssp-audit")!;
  const findings = (audit.jwt as { findings: Array<{ claim: string }> }).findings;
  assert.ok(findings.some((finding) => finding.claim === "exp"));
  assert.ok(findings.some((finding) => finding.claim === "requested_scope"));
  assert.ok(!JSON.stringify(logger.records).includes(token), "the token is never logged");
  assert.ok(!JSON.stringify(logger.records).includes(token.split(".")[1]!));
});

Deno.test("SSP in log mode judges the JWT as of the request's arrival, however long the provider takes", async () => {
  let now = Date.now();
  const claims = gpConnectJwtClaims({ requestedScope: "organization/*.read" });
  const token = encodeUnsignedJwt({
    ...claims,
    iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + 300,
  });
  const logger = recordingLogger();
  const { app } = createApp({
    config: defaultConfig,
    stores: memoryStores(),
    directory: constantDirectory(),
    clock: { now: () => now, sleep: () => Promise.resolve() },
    fetch: () => {
      // The provider takes ten minutes: the token has expired by the time the audit is written.
      now += 600_000;
      return Promise.resolve(new Response("{}"));
    },
    logger,
  });
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { Authorization: `Bearer ${token}` } }),
  );
  await response.text();
  assert.equal(response.status, 200);
  const audit = logger.records.find((record) => record.type === "ssp-audit")!;
  const findings = (audit.jwt as { findings: Array<{ claim: string }> }).findings;
  assert.deepEqual(findings.filter((finding) => finding.claim === "exp"), []);
});

Deno.test("SSP builds no audit line for a logger that wants none, and still forwards and rejects", async () => {
  const kept: unknown[] = [];
  const logger = {
    log: (record: Readonly<Record<string, unknown>>) => void kept.push(record),
    wants: (type: string) => type !== "ssp-audit",
  };
  const { app } = createApp({
    config: defaultConfig,
    stores: memoryStores(),
    directory: constantDirectory(),
    fetch: () => Promise.resolve(new Response("{}")),
    logger,
  });
  const forwarded = await app.fetch(request());
  assert.equal(forwarded.status, 200);
  await forwarded.text();
  const rejected = await app.fetch(
    request(METADATA, "/metadata", { headers: { "Ssp-From": null } }),
  );
  assert.equal(rejected.status, 400);
  await rejected.text();
  assert.ok(kept.every((record) => (record as { type: string }).type !== "ssp-audit"));
});

Deno.test("SSP in enforce mode rejects a bad JWT with GP Connect's 400 BAD_REQUEST", async () => {
  const { app, seen } = setup({ ssp: { jwtMode: "enforce" } });
  const claims = gpConnectJwtClaims({ requestedScope: "organization/*.read" });
  const token = encodeUnsignedJwt({ ...claims, exp: (claims.iat as number) + 301 });
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { Authorization: `Bearer ${token}` } }),
  );
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(
    body.meta.profile[0],
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1",
  );
  assert.equal(body.issue[0].details.coding[0].code, "BAD_REQUEST");
  assert.equal(seen.length, 0);
});

Deno.test("SSP in enforce mode rejects an invalid requesting_device with 422 INVALID_RESOURCE", async () => {
  const { app } = setup({ ssp: { jwtMode: "enforce" } });
  const claims = gpConnectJwtClaims({ requestedScope: "organization/*.read" });
  const token = encodeUnsignedJwt({ ...claims, requesting_device: { resourceType: "Patient" } });
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { Authorization: `Bearer ${token}` } }),
  );
  assert.equal(response.status, 422);
  assert.equal((await response.json()).issue[0].details.coding[0].code, "INVALID_RESOURCE");
});

Deno.test("SSP in enforce mode forwards a valid JWT", async () => {
  const { app, seen } = setup({ ssp: { jwtMode: "enforce" } });
  assert.equal((await app.fetch(request())).status, 200);
  assert.equal(seen.length, 1);
});

Deno.test("SSP answers 504 when the provider does not answer in time", async () => {
  const { app, logger } = setup({
    ssp: { upstreamTimeoutMs: 20 },
    provider: (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () =>
          reject(new DOMException("aborted", "AbortError")));
      }),
  });
  const response = await app.fetch(
    request(METADATA, "/metadata", { headers: { Accept: "application/fhir+json" } }),
  );
  assert.equal(response.status, 504);
  const { issue, display } = await sspError(response);
  assert.equal(issue.code, "transient");
  assert.equal(display, `TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_${testProviderRoot}/metadata`);
  assert.equal(logger.records.find((record) => record.type === "ssp-audit")!.status, 504);
});

for (const kind of FORWARD_CLIENTS) {
  Deno.test(`SSP answers 502 when the provider refuses the connection [${kind}]`, async () => {
    const client = forwardClientUnderTest(kind);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close(); // nothing listens on this port any more
    const root = `http://127.0.0.1:${port}/B82617/STU3/1/gpconnect/fhir`;
    const { app } = setup({ root, provider: client.fetch });
    const response = await app.fetch(
      request(METADATA, "/metadata", { root, headers: { Accept: "application/fhir+json" } }),
    );
    assert.equal(response.status, 502);
    assert.equal(
      (await sspError(response)).display,
      `ERROR_COMMUNICATING_TO_ENDPOINT_URL_${root}/metadata`,
    );
    client.close();
  });
}

for (const kind of FORWARD_CLIENTS) {
  Deno.test(`SSP answers 502 when the provider answers garbage [${kind}]`, async () => {
    const client = forwardClientUnderTest(kind);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    const serving = (async () => {
      const connection = await listener.accept();
      await connection.read(new Uint8Array(4096));
      await connection.write(new TextEncoder().encode("THIS IS NOT HTTP\r\n\r\n"));
      connection.close();
    })();
    const root = `http://127.0.0.1:${port}/B82617/STU3/1/gpconnect/fhir`;
    const { app } = setup({ root, provider: client.fetch });
    const response = await app.fetch(
      request(METADATA, "/metadata", { root, headers: { Accept: "application/fhir+json" } }),
    );
    assert.equal(response.status, 502);
    await response.body?.cancel();
    await serving;
    listener.close();
    client.close();
  });
}

Deno.test("a path that is neither SSP nor directory answers 404 in GP Connect's shape", async () => {
  const { app } = setup();
  const response = await app.request("/nowhere");
  assert.equal(response.status, 404);
  const body = await response.json();
  assert.equal(body.issue[0].details.coding[0].code, "NO_RECORD_FOUND");
});
