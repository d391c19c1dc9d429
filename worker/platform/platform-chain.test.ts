/**
 * The per-request chain, one test per B5 row that applies (R1–R34), in-process: the platform app
 * called with `app.request`, its upstream `fetch` routed to the sandbox apps (recorded), a test
 * answering some upstream requests itself to play a failing practice.
 */
import assert from "node:assert/strict";
import {
  platformPaths,
  type PlatformWorld,
  startPlatformWorld,
  structuredParameters,
} from "./testing/platform-world.ts";

const { accessRecord: ar, appointments: am } = platformPaths;

const apimSystem = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";
// deno-lint-ignore no-explicit-any
type Json = any;

function headers(token: string | undefined, extra: Record<string, string> = {}) {
  return {
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    "X-Request-ID": crypto.randomUUID(),
    "Content-Type": "application/fhir+json",
    ...extra,
  };
}

async function expectOutcome(res: Response, status: number, code: string): Promise<Json> {
  const body: Json = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  assert.equal(body.resourceType, "OperationOutcome");
  const coding = body.issue[0].details.coding[0];
  assert.equal(coding.system, apimSystem);
  assert.equal(coding.version, "1");
  assert.equal(coding.code, code);
  assert.ok(!JSON.stringify(body).includes("    at "), "no stack frames");
  return body;
}

function structured(
  world: PlatformWorld,
  token: string | undefined,
  nhs = "9690937286",
  extra = {},
) {
  return world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "POST",
    headers: headers(token, extra),
    body: structuredParameters(nhs),
  });
}

const upstreamTo = (world: PlatformWorld, part: string) =>
  world.upstream.filter((call) => call.url.includes(part));

Deno.test("R1 no Authorization, a malformed one and an unknown token: 401 ACCESS_DENIED, no upstream call", async () => {
  const world = await startPlatformWorld();
  await expectOutcome(await structured(world, undefined), 401, "ACCESS_DENIED");
  await expectOutcome(await structured(world, "not-a-token"), 401, "ACCESS_DENIED");
  const res = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "POST",
    headers: { ...headers(undefined), Authorization: "Basic dXNlcjpwYXNz" },
    body: structuredParameters("9690937286"),
  });
  await expectOutcome(res, 401, "ACCESS_DENIED");
  assert.equal(world.upstream.length, 0);
});

Deno.test("R3 access token expiry: 599 s, then 401", async () => {
  let now = Date.now();
  const world = await startPlatformWorld({ now: () => now });
  const token = await world.accessToken("9690937286");
  // Another patient's NHS number: 403 while the token is valid (checked after it), 401 once expired.
  now += 590_000;
  await expectOutcome(await structured(world, token, "9690937294"), 403, "ACCESS_DENIED");
  now += 11_000;
  await expectOutcome(await structured(world, token, "9690937294"), 401, "ACCESS_DENIED");
});

Deno.test("R4 a P5 login and a token without the product's scope: 401, no upstream call", async () => {
  const world = await startPlatformWorld();
  const p5 = await world.accessToken("9690937286", { identity_proofing_level: "P5" });
  const before = world.upstream.length;
  await expectOutcome(await structured(world, p5), 401, "ACCESS_DENIED");
  // The test app is registered for Access Record only.
  const res = await world.token({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: await world.idToken("9690937286", { aud: "test-app" }),
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: await world.clientAssertion("test-app"),
  });
  const arOnly = (await res.json()).access_token;
  const slots = await world.edge(
    `${am}/Slot?start=ge2030-01-01&end=le2030-01-02&status=free&_include=Slot:schedule`,
    {
      headers: headers(arOnly),
    },
  );
  const body = await expectOutcome(slots, 401, "ACCESS_DENIED");
  assert.match(body.issue[0].details.coding[0].display, /gp-connect-appointments-management-fhir/);
  assert.equal(world.upstream.length, before);
});

Deno.test("R5 patient binding: another NHS number in path, query or body is 403 with no upstream call", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const before = world.upstream.length;
  await expectOutcome(await structured(world, token, "9690937294"), 403, "ACCESS_DENIED");
  await expectOutcome(
    await world.edge(`${am}/Patient/9690937294/Appointment?start=ge2030-01-01`, {
      headers: headers(token),
    }),
    403,
    "ACCESS_DENIED",
  );
  await expectOutcome(
    await world.edge(`${ar}/documents/Patient/9690937294`, { headers: headers(token) }),
    403,
    "ACCESS_DENIED",
  );
  await expectOutcome(
    await world.edge(`${ar}/documents/Binary/abc?patientNHSNumber=9690937294`, {
      headers: headers(token),
    }),
    403,
    "ACCESS_DENIED",
  );
  const booking = {
    resourceType: "Appointment",
    participant: [{ actor: { reference: "Patient/9690937294" }, status: "accepted" }],
  };
  await expectOutcome(
    await world.edge(`${am}/Appointment`, {
      method: "POST",
      headers: headers(token),
      body: JSON.stringify(booking),
    }),
    403,
    "ACCESS_DENIED",
  );
  // An NHS number identifier hidden anywhere in the body counts too.
  const hidden = {
    resourceType: "Parameters",
    parameter: [
      {
        name: "patientNHSNumber",
        valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" },
      },
      {
        name: "x",
        part: [{
          valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937294" },
        }],
      },
    ],
  };
  await expectOutcome(
    await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
      method: "POST",
      headers: headers(token),
      body: JSON.stringify(hidden),
    }),
    403,
    "ACCESS_DENIED",
  );
  assert.equal(world.upstream.length, before, "PDS and the provider were never called");
});

Deno.test("R6 NHS numbers are validated before any upstream call", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const before = world.upstream.length;
  await expectOutcome(await structured(world, token, "9000000008"), 400, "INVALID_NHS_NUMBER");
  await expectOutcome(await structured(world, token, "12345"), 400, "INVALID_NHS_NUMBER");
  await expectOutcome(
    await world.edge(`${am}/Patient/9000000008/Appointment`, { headers: headers(token) }),
    400,
    "INVALID_NHS_NUMBER",
  );
  await expectOutcome(
    await world.edge(`${am}/Patient/12345/Appointment`, { headers: headers(token) }),
    400,
    "INVALID_NHS_NUMBER",
  );
  assert.equal(world.upstream.length, before);
});

Deno.test("R7 X-Request-ID required and a UUID; mirrored with X-Correlation-ID and forwarded", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const missing = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/fhir+json" },
    body: structuredParameters("9690937286"),
  });
  await expectOutcome(missing, 400, "BAD_REQUEST");
  await expectOutcome(
    await structured(world, token, "9690937286", { "X-Request-ID": "abc" }),
    400,
    "BAD_REQUEST",
  );
  const id = crypto.randomUUID();
  const ok = await structured(world, token, "9690937286", {
    "X-Request-ID": id,
    "X-Correlation-ID": "c-42",
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("X-Request-ID"), id);
  assert.equal(ok.headers.get("X-Correlation-ID"), "c-42");
  assert.equal((await ok.json()).id, id);
  for (
    const call of [
      ...upstreamTo(world, "/Patient/9690937286"),
      ...upstreamTo(world, "getstructuredrecord"),
    ]
  ) {
    assert.equal(call.headers.get("X-Request-ID"), id, call.url);
  }
});

Deno.test("R8 gateway-owned headers: the practice sees the platform's Interaction-ID and token only", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const res = await structured(world, token, "9690937286", {
    "Interaction-ID":
      "urn:nhs:names:services:gpconnect:fhir:operation:gpc.providerauthorizationservice",
    "Ssp-To": "1",
    "Ssp-From": "2",
    "X-Forwarded-For": "10.0.0.1",
    "X-Forwarded-Host": "evil.example",
    apikey: "k",
    Cookie: "a=b",
    "Keep-Alive": "timeout=5",
  });
  assert.equal(res.status, 200);
  const [call] = upstreamTo(world, "/patient-facing/access-record-fhir");
  assert.ok(call);
  assert.equal(
    call.headers.get("Interaction-ID"),
    "urn:nhs:names:services:gpconnect:pfs:fhir:access-record-1",
  );
  for (
    const name of [
      "Ssp-To",
      "Ssp-From",
      "X-Forwarded-For",
      "X-Forwarded-Host",
      "apikey",
      "Cookie",
      "Keep-Alive",
    ]
  ) {
    assert.equal(call.headers.get(name), null, name);
  }
  assert.notEqual(
    call.headers.get("Authorization"),
    `Bearer ${token}`,
    "the consumer's token stays at the gateway",
  );
});

Deno.test("R9 CR/LF: percent-encoded line breaks in X-Correlation-ID and in a path parameter are 400", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  await expectOutcome(
    await structured(world, token, "9690937286", { "X-Correlation-ID": "a%0d%0aX-Evil: 1" }),
    400,
    "BAD_REQUEST",
  );
  const before = world.upstream.length;
  await expectOutcome(
    await world.edge(`${am}/Appointment/1%0d%0aX-Evil:%201`, { headers: headers(token) }),
    400,
    "BAD_REQUEST",
  );
  assert.equal(world.upstream.length, before);
});

Deno.test("R11 a 2 MiB body and a chunked one past 1 MiB: 413 before any upstream call", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const before = world.upstream.length;
  const big = "x".repeat(2 * 1024 * 1024);
  await expectOutcome(
    await world.edge(`${am}/Appointment`, { method: "POST", headers: headers(token), body: big }),
    413,
    "PAYLOAD_TOO_LARGE",
  );
  let sent = 0;
  const chunked = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 2 * 1024 * 1024) return controller.close();
      sent += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024).fill(32));
    },
  });
  await expectOutcome(
    await world.edge(`${am}/Appointment`, {
      method: "POST",
      headers: headers(token),
      body: chunked,
    }),
    413,
    "PAYLOAD_TOO_LARGE",
  );
  assert.ok(sent < 2 * 1024 * 1024, "the body was not read to its end");
  assert.equal(world.upstream.length, before);
});

Deno.test("R12 an 11 MB provider answer is 502 BAD_GATEWAY_BUFFER_OVERFLOW", async () => {
  const world = await startPlatformWorld({
    intercept: (request) =>
      request.url.includes("/patient-facing/access-record-fhir/")
        ? new Response(new Uint8Array(11 * 1000 * 1000).fill(32), {
          headers: { "Content-Type": "application/fhir+json" },
        })
        : undefined,
  });
  const token = await world.accessToken("9690937286");
  await expectOutcome(await structured(world, token), 502, "BAD_GATEWAY_BUFFER_OVERFLOW");
});

Deno.test("R18 5 practice failures in a row: the 6th is 503 without an upstream call; after 30 s one probe goes through and closes it", async () => {
  let time = Date.now();
  let failing = true;
  let practiceCalls = 0;
  const world = await startPlatformWorld({
    now: () => time,
    intercept: (request) => {
      if (!request.url.includes("/patient-facing/access-record-fhir/")) return undefined;
      practiceCalls++;
      return failing ? new Response("<html>down</html>", { status: 500 }) : undefined;
    },
  });
  const token = await world.accessToken("9690937286");
  for (let i = 0; i < 5; i++) {
    const res = await structured(world, token);
    assert.equal(res.status, 502, `call ${i + 1}`);
    await res.body?.cancel();
  }
  const refused = await structured(world, token);
  assert.equal(refused.headers.get("Retry-After"), "30");
  await expectOutcome(refused, 503, "SERVICE_UNAVAILABLE");
  assert.equal(practiceCalls, 5, "no upstream attempt while open");
  failing = false;
  time += 30_000;
  const probe = await structured(world, token);
  assert.equal(probe.status, 200);
  await probe.body?.cancel();
  const after = await structured(world, token);
  assert.equal(after.status, 200, "closed again");
  await after.body?.cancel();
  assert.equal(practiceCalls, 7);
});

Deno.test("R20 11 requests in a second from one app: the 11th is 429 THROTTLED with Retry-After", async () => {
  // A fixed clock 100 ms into a second: all 11 requests fall in one one-second window.
  const now = Math.floor(Date.now() / 1000) * 1000 + 100;
  const world = await startPlatformWorld({ now: () => now });
  const token = await world.accessToken("9690937286");
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 11; i++) {
    last = await world.edge(`${am}/Appointment/1`, { headers: headers(token) });
    statuses.push(last.status);
    if (i < 10) await last.body?.cancel();
  }
  assert.ok(statuses.slice(0, 10).every((status) => status !== 429), String(statuses));
  const body = await expectOutcome(last!, 429, "THROTTLED");
  assert.equal(last!.headers.get("Retry-After"), "1");
  assert.ok(body);
});

Deno.test("R20 writes per patient: bookings past the per-minute limit are 429", async () => {
  const world = await startPlatformWorld({ config: { patientWritesPerMinute: 2 } });
  const token = await world.accessToken("9690937286");
  const booking = JSON.stringify({
    resourceType: "Appointment",
    participant: [{ actor: { reference: "Patient/9690937286" }, status: "accepted" }],
  });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await world.edge(`${am}/Appointment`, {
      method: "POST",
      headers: headers(token),
      body: booking,
    });
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.notEqual(statuses[0], 429);
  assert.notEqual(statuses[1], 429);
  assert.equal(statuses[2], 429);
});

Deno.test("R22 PDS: no GP, GP registration ended, restricted, deceased, not on PDS: typed 404s, never 500", async () => {
  const world = await startPlatformWorld();
  for (const nhs of ["9990000166", "9990000174", "9990000107", "9990000158", "9476718943"]) {
    const token = await world.accessToken(nhs);
    const body = await expectOutcome(await structured(world, token, nhs), 404, "PATIENT_NOT_FOUND");
    assert.ok(body.issue[0].diagnostics, nhs);
  }
});

Deno.test("R23 a practice with no patient-facing endpoint is 404 'ODS code not found'; refused endpoint hosts are 502", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9990000204"); // registered at A20047
  const body = await expectOutcome(
    await structured(world, token, "9990000204"),
    404,
    "ODS_CODE_NOT_FOUND",
  );
  assert.match(body.issue[0].diagnostics, /A20047/);
  const strict = await startPlatformWorld({ config: { allowHttpProviders: false } });
  const token2 = await strict.accessToken("9690937286");
  await expectOutcome(await structured(strict, token2), 502, "502");
  assert.equal(
    upstreamTo(strict, "/patient-facing/").length,
    0,
    "nothing sent to a refused endpoint",
  );
  const foreign = await startPlatformWorld({ config: { providerHosts: ["provider.example"] } });
  const token3 = await foreign.accessToken("9690937286");
  await expectOutcome(await structured(foreign, token3), 502, "502");
});

Deno.test("R24 the provider token is obtained once per patient session; the PDS token once per lifetime", async () => {
  const pdsTokenCalls: Request[] = [];
  const world = await startPlatformWorld({
    config: { pdsTokenUrl: "http://pds.test/oauth2/token" },
    intercept: (request) => {
      if (request.url !== "http://pds.test/oauth2/token") return undefined;
      pdsTokenCalls.push(request);
      return Response.json({
        access_token: "pdsAppToken1",
        expires_in: "599",
        token_type: "Bearer",
      });
    },
  });
  const token = await world.accessToken("9690937286");
  assert.equal((await structured(world, token)).status, 200);
  assert.equal((await structured(world, token)).status, 200);
  const other = await world.accessToken("9690937294");
  assert.equal((await structured(world, other, "9690937294")).status, 200);
  assert.equal(
    upstreamTo(world, "/patient-facing/oauth2/token").length,
    2,
    "one exchange per session",
  );
  assert.equal(pdsTokenCalls.length, 1);
  const form = new URLSearchParams(await pdsTokenCalls[0]!.text());
  assert.equal(form.get("grant_type"), "client_credentials");
  const pdsCalls = upstreamTo(world, "pds.test/Patient/");
  assert.ok(
    pdsCalls.length > 0 &&
      pdsCalls.every((c) => c.headers.get("Authorization") === "Bearer pdsAppToken1"),
  );
});

Deno.test("R2 the client assertion gpc-edge sends the practice: RS512, kid, typ, iss = sub, aud, jti, exp = now + 300", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  assert.equal((await structured(world, token)).status, 200);
  const call = upstreamTo(world, "/patient-facing/oauth2/token")[0];
  assert.ok(call);
  const exchanges: string[] = [];
  const replay = await startPlatformWorld({
    intercept: async (request) => {
      if (request.url.endsWith("/patient-facing/oauth2/token")) {
        exchanges.push(await request.clone().text());
      }
      return undefined;
    },
  });
  const token2 = await replay.accessToken("9690937286");
  assert.equal((await structured(replay, token2)).status, 200);
  const form = new URLSearchParams(exchanges[0]);
  assert.equal(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:token-exchange");
  assert.equal(form.get("subject_token_type"), "urn:ietf:params:oauth:token-type:id_token");
  const [header, claims] = form.get("client_assertion")!.split(".").slice(0, 2).map((part) =>
    JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(part, { alphabet: "base64url" })))
  );
  assert.equal(header.alg, "RS512");
  assert.equal(header.typ, "JWT");
  assert.equal(header.kid, "gpc-edge-test");
  assert.equal(claims.iss, "gpc-edge");
  assert.equal(claims.sub, "gpc-edge");
  assert.equal(claims.aud, "http://provider.test/B82617/patient-facing/oauth2/token");
  assert.match(claims.jti, /^[0-9a-f-]{36}$/);
  assert.equal(claims.exp - claims.iat, 300);
  assert.equal(form.get("subject_token")!.split(".").length, 3, "the patient's id_token");
});

Deno.test("provider authorisation service failures: refused → 401 ACCESS_DENIED, failed → 502, never 500", async () => {
  for (
    const [answer, status, code] of [
      [new Response('{"error":"invalid_grant"}', { status: 400 }), 401, "ACCESS_DENIED"],
      [
        new Response("<html>oops</html>", {
          status: 500,
          headers: { "Content-Type": "text/html" },
        }),
        502,
        "502",
      ],
      [new Response("not json", { status: 200 }), 502, "502"],
    ] as const
  ) {
    const world = await startPlatformWorld({
      intercept: (request) =>
        request.url.endsWith("/patient-facing/oauth2/token") ? answer.clone() : undefined,
    });
    const token = await world.accessToken("9690937286");
    await expectOutcome(await structured(world, token), status, code);
  }
  const down = await startPlatformWorld({
    intercept: (request) => {
      if (request.url.endsWith("/patient-facing/oauth2/token")) {
        throw new TypeError("connection refused");
      }
      return undefined;
    },
  });
  await expectOutcome(await structured(down, await down.accessToken("9690937286")), 502, "502");
});

Deno.test("R26 R27 provider OperationOutcome passes through unchanged; HTML 500 and non-FHIR 200 become 502", async () => {
  const outcome = {
    resourceType: "OperationOutcome",
    issue: [{
      severity: "error",
      code: "invalid",
      details: { coding: [{ code: "INVALID_PARAMETER" }] },
    }],
  };
  const answers = [
    [
      Response.json(outcome, { status: 422, headers: { "Content-Type": "application/fhir+json" } }),
      422,
    ],
    [
      new Response("<html>Internal error</html>", {
        status: 500,
        headers: { "Content-Type": "text/html" },
      }),
      502,
    ],
    [
      new Response("<html>ok</html>", { status: 200, headers: { "Content-Type": "text/html" } }),
      502,
    ],
    [new Response(null, { status: 302, headers: { Location: "https://evil.example" } }), 502],
  ] as const;
  for (const [answer, status] of answers) {
    const world = await startPlatformWorld({
      intercept: (request) =>
        request.url.includes("/patient-facing/access-record-fhir/") ? answer.clone() : undefined,
    });
    const res = await structured(world, await world.accessToken("9690937286"));
    assert.equal(res.status, status);
    const body: Json = await res.json();
    if (status === 422) assert.deepEqual(body, outcome);
    else {
      assert.equal(body.issue[0].code, "exception");
      assert.equal(body.issue[0].details.coding[0].code, "502");
      assert.ok(!JSON.stringify(body).includes("<html>"));
    }
  }
});

Deno.test("R30 one audit line per request: patient, actor, delegated, app, route, ODS, status; never a token", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286", { act: "9690937294" });
  assert.equal((await structured(world, token)).status, 200);
  await structured(world, "bad-token-text");
  const audits = world.logs.filter((record) => record.type === "audit" && record.route !== "token");
  assert.equal(audits.length, 2);
  const [ok, refused] = audits as Json[];
  assert.equal(ok.patient, "9690937286");
  assert.equal(ok.actor, "9690937294");
  assert.equal(ok.delegated, true);
  assert.equal(ok.app, "pfs-sandbox-app");
  assert.equal(ok.route, "getstructuredrecord");
  assert.equal(ok.ods, "B82617");
  assert.equal(ok.status, 200);
  assert.match(ok.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(refused.status, 401);
  assert.equal(refused.delegated, false);
  const text = JSON.stringify(world.logs);
  assert.ok(!text.includes(token) && !text.includes("bad-token-text"), "no token in any log line");
});

Deno.test("R31 every response, errors included, is no-store", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const responses = [
    await structured(world, token),
    await structured(world, undefined),
    await world.edge(`${ar}/nowhere`, { headers: headers(token) }),
    await world.token({ grant_type: "x" }),
  ];
  for (const res of responses) {
    assert.equal(res.headers.get("Cache-Control"), "no-store", String(res.status));
    await res.body?.cancel();
  }
});

Deno.test("R32 CORS: allowed origin only; a preflight is answered without upstream calls", async () => {
  const world = await startPlatformWorld({ config: { corsOrigins: ["https://app.example"] } });
  const token = await world.accessToken("9690937286");
  const good = await structured(world, token, "9690937286", { Origin: "https://app.example" });
  assert.equal(good.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  const evil = await structured(world, token, "9690937286", { Origin: "https://evil.example" });
  assert.equal(evil.headers.get("Access-Control-Allow-Origin"), null);
  const before = world.upstream.length;
  const preflight = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "OPTIONS",
    headers: { Origin: "https://app.example", "Access-Control-Request-Method": "POST" },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("Access-Control-Max-Age"), "3628800");
  assert.match(preflight.headers.get("Access-Control-Allow-Methods")!, /POST/);
  const evilPreflight = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
    method: "OPTIONS",
    headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
  });
  assert.equal(evilPreflight.headers.get("Access-Control-Allow-Origin"), null);
  assert.equal(world.upstream.length, before);
});

Deno.test("R33 path parameters must match strict patterns: traversal and URLs in ids are 400", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const before = world.upstream.length;
  for (
    const path of [
      `${am}/Appointment/..%2f..%2fadmin`,
      `${ar}/documents/Binary/http:%2f%2fevil?patientNHSNumber=9690937286`,
      `${am}/Appointment/a@b`,
      `${am}/Appointment/${"a".repeat(65)}`,
    ]
  ) {
    await expectOutcome(await world.edge(path, { headers: headers(token) }), 400, "BAD_REQUEST");
  }
  assert.equal(world.upstream.length, before);
});

Deno.test("R34 route inventory: PATCH /Appointment/1 is 405 with Allow; unknown paths 404", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken("9690937286");
  const patch = await world.edge(`${am}/Appointment/1`, {
    method: "PATCH",
    headers: headers(token),
  });
  await expectOutcome(patch, 405, "METHOD_NOT_ALLOWED");
  assert.equal(patch.headers.get("Allow"), "GET, PUT");
  await expectOutcome(
    await world.edge(`${am}/internal`, { headers: headers(token) }),
    404,
    "NOT_FOUND",
  );
  await expectOutcome(
    await world.edge("/gp-connect/patient-facing/medicines-fhir/FHIR/R4/Task", {
      headers: headers(token),
    }),
    404,
    "NOT_FOUND",
  );
  await expectOutcome(
    await world.edge(`${ar}/Patient/$gpc.migratestructuredrecord`, {
      method: "POST",
      headers: headers(token),
    }),
    404,
    "NOT_FOUND",
  );
});
