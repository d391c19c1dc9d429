import assert from "node:assert/strict";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { createNhsLoginSandbox } from "./nhs-login-sandbox.ts";

const issuer = "http://127.0.0.1:8084";
// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function verify(app: ReturnType<typeof createNhsLoginSandbox>, token: string, at?: number) {
  const jwks = await (await app.request("/.well-known/jwks.json")).json();
  return await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer,
    algorithms: ["RS512", "RS256"],
    ...(at === undefined ? {} : { currentDate: new Date(at) }),
  });
}

async function mint(app: ReturnType<typeof createNhsLoginSandbox>, body: Json) {
  const res = await app.request("/test/id-token", { method: "POST", body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Json };
}

Deno.test("NHS login sandbox: discovery names the endpoints and RS512/RS256", async () => {
  const app = createNhsLoginSandbox({ issuer });
  const res = await app.request("/.well-known/openid-configuration");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const doc: Json = await res.json();
  assert.equal(doc.issuer, issuer);
  assert.equal(doc.jwks_uri, `${issuer}/.well-known/jwks.json`);
  assert.equal(doc.token_endpoint, `${issuer}/token`);
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ["RS512", "RS256"]);
});

Deno.test("NHS login sandbox: a P9 id_token for a fixture patient verifies against the JWKS", async () => {
  const app = createNhsLoginSandbox({ issuer });
  const { status, body } = await mint(app, { nhs_number: "9690937286" });
  assert.equal(status, 200);
  const header = decodeProtectedHeader(body.id_token);
  assert.equal(header.alg, "RS512");
  assert.equal(header.typ, "JWT");
  assert.ok(header.kid);
  const { payload } = await verify(app, body.id_token);
  assert.equal(payload.nhs_number, "9690937286");
  assert.equal(payload.identity_proofing_level, "P9");
  assert.equal(payload.vot, "P9.Cp.Cd");
  assert.equal(payload.aud, "pfs-sandbox-app");
  assert.equal(payload.family_name, "SKELLY");
  assert.equal(payload.exp! - payload.iat!, 3600);
  assert.equal(payload.act, undefined);
});

Deno.test("NHS login sandbox: P5, RS256, audience, expiry and a proxy's act token", async () => {
  const app = createNhsLoginSandbox({ issuer });
  const { body } = await mint(app, {
    nhs_number: "9690937286",
    identity_proofing_level: "P5",
    alg: "RS256",
    aud: "other-app",
    expires_in: -20,
    act: "9690937294",
  });
  assert.equal(decodeProtectedHeader(body.id_token).alg, "RS256");
  await assert.rejects(verify(app, body.id_token), /"exp" claim timestamp check failed/);
  const { body: fresh } = await mint(app, { nhs_number: "9690937286", act: "9690937294" });
  const { payload } = await verify(app, fresh.id_token);
  const act = payload.act as Json;
  const actor = await verify(app, act.sub);
  assert.equal(actor.payload.nhs_number, "9690937294");
  assert.equal(actor.protectedHeader.typ, "JWT");
  assert.equal((await mint(app, { nhs_number: "1234567890" })).status, 404);
  assert.equal((await mint(app, { nhs_number: "9690937286", act: "9000000009" })).status, 404);
  assert.equal(
    (await mint(app, { nhs_number: "9690937286", identity_proofing_level: "P7" })).status,
    400,
  );
});

Deno.test("NHS login sandbox: rotation keeps the previous keys published; lazy rotation by age", async () => {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const app = createNhsLoginSandbox({ issuer, now: () => now, rotateKeysAfterSeconds: 600 });
  const before = (await mint(app, { nhs_number: "9690937278" })).body.id_token;
  const oldKid = decodeProtectedHeader(before).kid;
  now += 601_000;
  const after = (await mint(app, { nhs_number: "9690937278" })).body.id_token;
  assert.notEqual(decodeProtectedHeader(after).kid, oldKid);
  await verify(app, before, now);
  await verify(app, after, now);
  const jwks: Json = await (await app.request("/.well-known/jwks.json")).json();
  assert.equal(jwks.keys.length, 4);
  await app.request("/test/rotate-keys", { method: "POST" });
  await app.request("/test/rotate-keys", { method: "POST" });
  await assert.rejects(verify(app, before, now), /no applicable key found/);
});

Deno.test("NHS login sandbox: the authorisation-code flow a browser clicks through", async () => {
  const app = createNhsLoginSandbox({ issuer });
  const redirectUri = "http://127.0.0.1:9999/callback";
  const page = await app.request(
    `/authorize?response_type=code&client_id=pfs-sandbox-app&redirect_uri=${
      encodeURIComponent(redirectUri)
    }&state=s1&nonce=n1&scope=openid`,
  );
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /9690937286/);
  assert.match(html, /value="P5"/);
  const chosen = await app.request("/authorize", {
    method: "POST",
    body: new URLSearchParams({
      client_id: "pfs-sandbox-app",
      redirect_uri: redirectUri,
      state: "s1",
      nonce: "n1",
      nhs_number: "9690937286",
      identity_proofing_level: "P9",
      act: "",
    }),
  });
  assert.equal(chosen.status, 302);
  const location = new URL(chosen.headers.get("Location")!);
  assert.equal(location.searchParams.get("state"), "s1");
  const code = location.searchParams.get("code")!;
  const assertionRes = await app.request("/test/apps/pfs-sandbox-app/client-assertion", {
    method: "POST",
    body: JSON.stringify({ aud: `${issuer}/token` }),
  });
  const { client_assertion } = await assertionRes.json();
  const redeem = (assertion: string) =>
    app.request("/token", {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }),
    });
  const bad = await redeem(client_assertion.slice(0, -4) + "AAAA");
  assert.equal(bad.status, 401);
  // A failed redemption still used the code up.
  const again = await redeem(client_assertion);
  assert.equal(again.status, 400);
  assert.equal((await again.json()).error, "invalid_grant");
});

Deno.test("NHS login sandbox: a redeemed code gives an id_token once; unknown clients are refused", async () => {
  const app = createNhsLoginSandbox({ issuer });
  const chosen = await app.request("/authorize", {
    method: "POST",
    body: new URLSearchParams({
      client_id: "pfs-sandbox-app",
      redirect_uri: "",
      nhs_number: "9690937278",
      identity_proofing_level: "P5",
      act: "9690937286",
      nonce: "n2",
    }),
  });
  assert.equal(chosen.status, 200);
  const code = /<p><code>([0-9a-f-]{36})<\/code>/.exec(await chosen.text())![1]!;
  const { client_assertion } = await (await app.request(
    "/test/apps/pfs-sandbox-app/client-assertion",
    { method: "POST", body: JSON.stringify({ aud: `${issuer}/token` }) },
  )).json();
  const form = {
    grant_type: "authorization_code",
    code,
    redirect_uri: "",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion,
  };
  const res = await app.request("/token", { method: "POST", body: new URLSearchParams(form) });
  assert.equal(res.status, 200);
  const { payload } = await verify(app, (await res.json()).id_token);
  assert.equal(payload.identity_proofing_level, "P5");
  assert.equal(payload.nonce, "n2");
  assert.ok((payload.act as Json).sub);
  const reuse = await app.request("/token", { method: "POST", body: new URLSearchParams(form) });
  assert.equal(reuse.status, 400);
  const unknown = await app.request("/authorize?response_type=code&client_id=nobody");
  assert.equal(unknown.status, 400);
  const foreign = await app.request(
    "/authorize?response_type=code&client_id=pfs-sandbox-app&redirect_uri=https://evil.example/cb",
  );
  assert.equal(foreign.status, 400);
});
