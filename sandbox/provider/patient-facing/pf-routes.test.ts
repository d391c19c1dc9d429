/**
 * The reference practice's patient-facing side on its own: the authorisation service's checks
 * and the endpoints' duties (only its tokens, no Ssp-* headers, only the token's patient,
 * Bundle.id = X-Request-ID, GP Connect OperationOutcomes).
 */
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { createNhsLoginSandbox } from "../../nhs-login/nhs-login-sandbox.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { patientFacingUrls } from "./pf-roots.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const base = "http://provider.test";
const urls = patientFacingUrls(base, "B82617");
const nhsLogin = createNhsLoginSandbox({ issuer: "http://nhs-login.test" });
const edgeKeys = await generateKeyPair("RS512", { extractable: true });
const edgeJwk: JWK = { ...(await exportJWK(edgeKeys.publicKey)), kid: "edge-1", alg: "RS512" };
const provider = createProviderSandbox({
  fetch: (input, init) => Promise.resolve(nhsLogin.fetch(new Request(input, init))),
  patientFacing: {
    nhsLoginIssuer: "http://nhs-login.test",
    nhsLoginJwksUrl: "http://nhs-login.test/.well-known/jwks.json",
    clients: [{ clientId: "gpc-edge", jwks: { keys: [edgeJwk] } }],
  },
});

async function idToken(nhs: string, level = "P9"): Promise<string> {
  const res = await nhsLogin.request("/test/id-token", {
    method: "POST",
    body: JSON.stringify({ nhs_number: nhs, identity_proofing_level: level }),
  });
  return (await res.json()).id_token;
}

async function assertion(claims: Record<string, unknown> = {}, key = edgeKeys.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({
    iss: "gpc-edge",
    sub: "gpc-edge",
    aud: urls.authorisationService,
    jti: crypto.randomUUID(),
    exp: now + 300,
    ...claims,
  }).setProtectedHeader({ alg: "RS512", kid: "edge-1", typ: "JWT" }).sign(key);
}

async function exchange(subject: string, clientAssertion: string, clientId = "gpc-edge") {
  return await provider.request(urls.authorisationService, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: subject,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: clientAssertion,
      client_id: clientId,
    }),
  });
}

async function providerToken(nhs: string): Promise<string> {
  const res = await exchange(await idToken(nhs), await assertion());
  assert.equal(res.status, 200);
  return (await res.json()).access_token;
}

Deno.test("practice authorisation service: issues a token for a P9 patient; refuses bad assertions, replays, P5", async () => {
  const reused = await assertion();
  assert.equal((await exchange(await idToken("9690937286"), reused)).status, 200);
  assert.equal((await exchange(await idToken("9690937286"), reused)).status, 400, "jti replay");
  const stranger = await generateKeyPair("RS512");
  assert.equal(
    (await exchange(await idToken("9690937286"), await assertion({}, stranger.privateKey))).status,
    401,
  );
  assert.equal(
    (await exchange(await idToken("9690937286"), await assertion({ aud: "http://x/" }))).status,
    401,
  );
  assert.equal(
    (await exchange(await idToken("9690937286"), await assertion(), "someone")).status,
    401,
  );
  assert.equal(
    (await exchange(
      await idToken("9690937286"),
      await assertion({ exp: Math.floor(Date.now() / 1000) + 900 }),
    )).status,
    400,
  );
  assert.equal((await exchange(await idToken("9690937286", "P5"), await assertion())).status, 400);
  assert.equal((await exchange("not-a-jwt", await assertion())).status, 400);
});

Deno.test("practice patient-facing endpoints: only its tokens, no Ssp-*, only the token's patient, Bundle.id = X-Request-ID", async () => {
  const token = await providerToken("9690937286");
  const requestId = crypto.randomUUID();
  const call = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    provider.request(`${urls["access-record"]}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        "X-Request-ID": requestId,
        "Content-Type": "application/fhir+json",
        ...headers,
      },
    });
  const body = (nhs: string) =>
    JSON.stringify({
      resourceType: "Parameters",
      parameter: [{
        name: "patientNHSNumber",
        valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhs },
      }],
    });
  const ok = await call("/Patient/$gpc.getstructuredrecord", {}, {
    method: "POST",
    body: body("9690937286"),
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("Cache-Control"), "no-store");
  assert.equal((await ok.json()).id, requestId);
  const expectError = async (res: Response, status: number, code: string) => {
    const outcome: Json = await res.json();
    assert.equal(res.status, status, JSON.stringify(outcome));
    assert.equal(
      outcome.meta.profile[0],
      "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1",
    );
    assert.equal(outcome.issue[0].details.coding[0].code, code);
  };
  await expectError(
    await call("/Patient/$gpc.getstructuredrecord", {}, {
      method: "POST",
      body: body("9690937294"),
    }),
    403,
    "ACCESS_DENIED",
  );
  await expectError(await call("/documents/Patient/9690937294"), 403, "ACCESS_DENIED");
  await expectError(
    await call("/documents/Patient/9690937286", { Authorization: "Bearer nope" }),
    401,
    "ACCESS_DENIED",
  );
  await expectError(
    await call("/documents/Patient/9690937286", { "Ssp-TraceID": crypto.randomUUID() }),
    400,
    "BAD_REQUEST",
  );
  await expectError(
    await call("/documents/Patient/9690937286", { "X-Request-ID": "abc" }),
    400,
    "BAD_REQUEST",
  );
  await expectError(
    await call("/Patient/1/DocumentReference?patientNHSNumber=9690937286"),
    404,
    "NO_RECORD_FOUND",
  );
  const patient = await call("/documents/Patient/9690937286");
  assert.equal(patient.status, 200);
  assert.equal((await patient.json()).resourceType, "Patient");
});
