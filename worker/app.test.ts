import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { sspRequestInit } from "../client/ssp-request.ts";
import { createApp } from "./app.ts";
import { defaultConfig } from "./config.ts";
import type { DirectoryResolver } from "./directory/directory-types.ts";
import { createMemoryRecordsStore } from "./store/memory-records-store.ts";
import { memoryStores } from "./testing/memory-stores.ts";
import { constantDirectory, recordingLogger, testProviderRoot } from "./testing/ssp-fixtures.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

function setup(directory: DirectoryResolver = constantDirectory()) {
  const logger = recordingLogger();
  let upstreamCalls = 0;
  const { app } = createApp({
    config: defaultConfig,
    stores: memoryStores(),
    directory,
    logger,
    fetch: () => {
      upstreamCalls++;
      return Promise.resolve(
        new Response("{}", { headers: { "Content-Type": "application/fhir+json" } }),
      );
    },
  });
  return { app, logger, upstreamCalls: () => upstreamCalls };
}

function sspRequest(root = testProviderRoot, headers: Record<string, string> = {}): Request {
  const init = sspRequestInit({
    sspBaseUrl: "http://edge.local",
    providerRoot: root,
    fhirPath: "/metadata",
    interactionId: METADATA,
  });
  for (const [name, value] of Object.entries(headers)) init.headers.set(name, value);
  return new Request(init.url, { headers: init.headers });
}

const errorLines = (records: Record<string, unknown>[]) =>
  records.filter((record) => record.type === "error");

Deno.test("createApp(): /_health answers ok, never cached", async () => {
  const { app, logger } = setup();
  const response = await app.request("/_health");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  assert.deepEqual(await response.json(), { status: "ok" });
  assert.equal(logger.records.length, 0);
});

Deno.test("createApp(): a path no sub-app owns is a 404 in the directory API's shape, logged once", async () => {
  for (
    const path of [
      "/nowhere",
      "/directory/nowhere",
      "/https:/provider.example/x",
      "/ftp://x/y",
      "/",
    ]
  ) {
    const { app, logger } = setup();
    const response = await app.request(path, { headers: { Accept: "application/fhir+xml" } });
    assert.equal(response.status, 404, path);
    assert.match(response.headers.get("Content-Type")!, /^application\/fhir\+xml/);
    const text = await response.text();
    assert.match(text, /<code value="NO_RECORD_FOUND"\/>/, path);
    assert.match(text, /GPConnect-OperationOutcome-1/);
    const lines = errorLines(logger.records);
    assert.equal(lines.length, 1, path);
    assert.equal(lines[0]!.requestId, response.headers.get("X-Request-ID"));
    assert.equal(lines[0]!.status, 404);
  }
});

Deno.test("createApp(): the SSP answers the embedded-URL form only, its scheme in any case", async () => {
  const { app, upstreamCalls } = setup();
  assert.equal((await app.fetch(sspRequest())).status, 200);
  assert.equal(upstreamCalls(), 1);
  // Another case of the scheme still reaches the SSP, whose target check then refuses it.
  const upper = await app.fetch(
    sspRequest(testProviderRoot.replace("https:", "HTTPS:"), { Accept: "application/fhir+json" }),
  );
  assert.equal(upper.status, 400);
  const outcome = await upper.json();
  assert.match(outcome.issue[0].details.coding[0].display, /^ENDPOINT_.*_VARIES_FROM_TARGETURL_/);
  assert.equal(outcome.meta, undefined, "the SSP's own shape");
  assert.equal(upstreamCalls(), 1);
});

Deno.test("createApp(): the SSP's fast lane changes no answer: refusals and encoded paths take the root's way", async () => {
  const { app, logger, upstreamCalls } = setup();
  // A percent-encoded scheme is not the lane's; Hono decodes it and routes it to the SSP.
  const encoded = sspRequest(testProviderRoot.replace("https://", "https%3A//"), {
    Accept: "application/fhir+json",
  });
  const viaRoot = await app.fetch(encoded);
  assert.equal(viaRoot.headers.get("Content-Type")?.startsWith("application/fhir+json"), true);
  assert.equal((await viaRoot.json()).resourceType, "OperationOutcome");
  // A method the gateway does not know: the root's 405 with Allow, in the SSP's shape.
  const lower = sspRequest(testProviderRoot, { Accept: "application/fhir+json" });
  const refused = await app.fetch(
    new Request(lower.url, { method: "PROPFIND", headers: lower.headers }),
  );
  assert.equal(refused.status, 405);
  assert.match(refused.headers.get("Allow") ?? "", /GET/);
  // An invalid Host on an SSP path: the gateway's refusal, logged as the gateway's.
  const badHost = await app.fetch(sspRequest(testProviderRoot, { Host: "a b" }));
  assert.equal(badHost.status, 400);
  const errors = errorLines(logger.records);
  assert.equal(errors.at(-1)!.audience, "gateway");
  assert.equal(upstreamCalls(), 0);
  // The lane itself: a plain SSP request is forwarded and answered.
  assert.equal((await app.fetch(sspRequest())).status, 200);
  assert.equal(upstreamCalls(), 1);
});

Deno.test("createApp(): an exception inside /directory/resolve is a 500, logged once with the request id", async () => {
  const broken: DirectoryResolver = {
    ...constantDirectory(),
    lookupPatient: () => Promise.reject(new TypeError("boom")),
  };
  const { app, logger } = setup(broken);
  const requestId = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
  const response = await app.request(
    `/directory/resolve?nhs-number=9690937278&interaction=${METADATA}`,
    { headers: { "X-Request-ID": requestId } },
  );
  assert.equal(response.status, 500);
  assert.equal(response.headers.get("X-Request-ID"), requestId);
  assert.ok(!(await response.text()).includes("boom"));
  const lines = errorLines(logger.records);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.audience, "directory");
  assert.equal(lines[0]!.requestId, requestId);
  assert.equal(lines[0]!.message, "TypeError: boom");
  assert.equal(lines[0]!.expected, false);
});

Deno.test("createApp(): an SSP rejection is logged once with the Ssp-TraceID, beside its audit line", async () => {
  const { app, logger } = setup();
  const request = sspRequest(testProviderRoot, { "Ssp-To": "918999198739" });
  const response = await app.fetch(request);
  assert.equal(response.status, 403);
  await response.body?.cancel();
  const lines = errorLines(logger.records);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.audience, "ssp");
  assert.equal(lines[0]!.requestId, request.headers.get("Ssp-TraceID"));
  assert.equal(lines[0]!.code, "PARTYKEY_CHECK_FAILED");
  assert.equal(lines[0]!.expected, true);
  assert.equal(logger.records.filter((record) => record.type === "ssp-audit").length, 1);
});

Deno.test("createApp(): an unexpected SSP exception is a 500, logged once with the trace id", async () => {
  const logger = recordingLogger();
  const { app } = createApp({
    config: defaultConfig,
    stores: memoryStores(),
    directory: constantDirectory(),
    logger,
    // Not a Response: the forward fails outside every check that raises a GpcEdgeError.
    fetch: () => Promise.resolve(undefined as unknown as Response),
  });
  const request = sspRequest();
  const response = await app.fetch(request);
  assert.equal(response.status, 500);
  assert.equal((await response.json()).issue[0].details.coding[0].code, "INTERNAL_SERVER_ERROR");
  const lines = errorLines(logger.records);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.requestId, request.headers.get("Ssp-TraceID"));
  assert.equal(lines[0]!.expected, false);
  assert.match(String(lines[0]!.message), /^TypeError: /);
  const audit = logger.records.find((record) => record.type === "ssp-audit")!;
  assert.equal(audit.status, 500);
});

Deno.test("createApp(): without a valid Ssp-TraceID the SSP error's OperationOutcome id is the logged request id", async () => {
  const { app, logger } = setup();
  const response = await app.fetch(sspRequest(testProviderRoot, { "Ssp-TraceID": "not-a-uuid" }));
  assert.equal(response.status, 400);
  const outcome = await response.json();
  const line = errorLines(logger.records)[0]!;
  assert.equal(outcome.id, line.requestId);
  assert.equal(outcome.issue[0].details.coding[0].display, "MISSING_OR_INVALID_HEADER_Ssp-TraceID");
});

Deno.test("createApp(): the request's defer reaches the directory lookups of the directory API and the SSP", async () => {
  const seen: Array<[string, unknown]> = [];
  const base = constantDirectory();
  const recording: DirectoryResolver = {
    ...base,
    lookupPatient: (_nhs, options) => {
      seen.push(["patient", options?.waitUntil]);
      return Promise.resolve({
        value: {
          requestedNhsNumber: "9690937278",
          nhsNumber: "9690937278",
          superseded: false,
          odsCode: "B82617",
          versionId: undefined,
          deceased: false,
        },
        source: "upstream" as const,
      });
    },
    lookupEndpoint: (ods, interaction, options) => {
      seen.push(["endpoint", options?.waitUntil]);
      return base.lookupEndpoint(ods, interaction);
    },
  };
  const { app } = setup(recording);
  const defer = (_promise: Promise<unknown>) => {};
  const resolved = await app.fetch(
    new Request(
      `http://edge.local/directory/resolve?nhs-number=9690937278&interaction=${METADATA}`,
    ),
    { defer },
  );
  assert.equal(resolved.status, 200);
  await resolved.body?.cancel();
  const forwarded = await app.fetch(sspRequest(), { defer });
  assert.equal(forwarded.status, 200);
  await forwarded.body?.cancel();
  assert.deepEqual(seen, [["patient", defer], ["endpoint", defer], ["endpoint", defer]]);
});

Deno.test("createApp(): MESH answers at /messageexchange over the records and blob stores", async () => {
  const { app } = setup();
  const ping = await app.request("/messageexchange/_ping");
  assert.equal(ping.status, 200);
  assert.equal((await ping.json()).status, "running");
  const unauthenticated = await app.request("/messageexchange/A11111OT1/inbox");
  assert.equal(unauthenticated.status, 403);
  const body = await unauthenticated.json();
  assert.equal(
    body.resourceType,
    undefined,
    "MESH's own JSON error shape, not an OperationOutcome",
  );
});

const STRUCTURED =
  "/gp-connect/patient-facing/access-record-fhir/FHIR/STU3/Patient/$gpc.getstructuredrecord";

Deno.test("createApp(): the platform owns POST /oauth2/token and /gp-connect/patient-facing/… only", async () => {
  const { app, upstreamCalls } = setup();
  // A patient-facing route without a token: the platform's 401, in APIM's OperationOutcome.
  const unauthorised = await app.request(STRUCTURED, {
    method: "POST",
    headers: { "X-Request-ID": crypto.randomUUID(), "Content-Type": "application/fhir+json" },
    body: "{}",
  });
  assert.equal(unauthorised.status, 401);
  const outcome = await unauthorised.json();
  assert.equal(outcome.resourceType, "OperationOutcome");
  assert.equal(outcome.issue[0].details.coding[0].code, "ACCESS_DENIED");
  assert.equal(upstreamCalls(), 0);
  // A patient-facing path no product has is the platform's own 404.
  const unknownProduct = await app.request("/gp-connect/patient-facing/nowhere", {
    headers: { "X-Request-ID": crypto.randomUUID() },
  });
  assert.equal(unknownProduct.status, 404);
  assert.doesNotMatch(await unknownProduct.text(), /GPConnect-OperationOutcome-1/);
  // The token endpoint speaks OAuth's JSON errors.
  const get = await app.request("/oauth2/token");
  assert.equal(get.status, 405);
  assert.equal((await get.json()).error, "invalid_request");
  // Paths beside the platform's still reach the directory-shaped 404.
  for (const path of ["/oauth2/tokens", "/oauth2", "/gp-connect", "/gp-connect/patient"]) {
    const response = await app.request(path, { method: "POST" });
    assert.equal(response.status, 404, path);
    assert.match(await response.text(), /GPConnect-OperationOutcome-1/, path);
  }
  // The SSP and MESH are untouched by the mount at "/".
  assert.equal((await app.fetch(sspRequest())).status, 200);
  assert.equal((await app.request("/messageexchange/_ping")).status, 200);
});

Deno.test("createApp(): the platform's records go to stores.platformRecords when given", async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS512", { extractable: true });
  const kid = "app-key-1";
  const stores = memoryStores();
  const platformRecords = createMemoryRecordsStore();
  const config = {
    ...defaultConfig,
    platform: {
      ...defaultConfig.platform,
      apps: [{
        clientId: "inline-app",
        nhsLoginClientId: "inline-app",
        jwks: { keys: [{ ...await exportJWK(publicKey), kid, alg: "RS512" }] },
        products: ["access-record" as const],
        rateLimits: { perSecond: 10, perMinute: 300 },
      }],
    },
  };
  const { app } = createApp({
    config,
    stores: { ...stores, platformRecords },
    directory: constantDirectory(),
    logger: recordingLogger(),
    fetch: () => Promise.reject(new Error("no upstream call expected")),
  });
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: "RS512", kid, typ: "JWT" })
    .setIssuer("inline-app")
    .setSubject("inline-app")
    .setAudience(`${config.platform.publicBaseUrl}/oauth2/token`)
    .setExpirationTime(now + 300)
    .sign(privateKey);
  const response = await app.request("/oauth2/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: "not-a-jwt",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    }).toString(),
  });
  // The app authenticated (its jti is recorded); the subject token is refused.
  assert.ok(response.status >= 400 && response.status < 500, String(response.status));
  await response.body?.cancel();
  assert.equal((await platformRecords.list("platform:v1:jti:")).length, 1);
  assert.deepEqual(await stores.records.list("platform:"), []);
});
