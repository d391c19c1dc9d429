/**
 * POST /oauth2/token: every client-assertion row of A3 with its status and error_description,
 * the subject token checks (R1, R3), scopes by proofing level (R4), refresh, replay (jti).
 */
import assert from "node:assert/strict";
import { generateKeyPair, SignJWT } from "jose";
import { exchangeForm, startPlatformWorld, testAppId } from "../testing/platform-world.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function expectOAuth(res: Response, status: number, error: string, description: string) {
  const body: Json = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(body.error, error);
  assert.equal(body.error_description, description);
  assert.match(body.message_id, /^[0-9a-f-]{36}$/);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
}

const world = await startPlatformWorld();
const nowSeconds = () => Math.floor(Date.now() / 1000);
const p9 = await world.idToken("9690937286", { aud: testAppId });

async function signTestAssertion(header: Record<string, unknown>, claims: Record<string, unknown>) {
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS512", kid: "test-key-1", typ: "JWT", ...header } as never)
    .sign(
      String(header.alg).startsWith("HS")
        ? new TextEncoder().encode("a-shared-secret-long-enough-for-hs512-".repeat(2))
        : world.testAppKey.privateKey,
    );
}

const baseClaims = () => ({
  iss: testAppId,
  sub: testAppId,
  aud: world.tokenUrl,
  jti: crypto.randomUUID(),
  exp: nowSeconds() + 300,
});

async function exchangeWith(assertion: string, subject = p9) {
  return await world.token(exchangeForm(subject, assertion));
}

Deno.test("R2 token exchange: a valid exchange answers APIM's fields, 599 s, P9 scope", async () => {
  const res = await exchangeWith(await world.clientAssertion(testAppId));
  const body: Json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.expires_in, "599");
  assert.equal(body.token_type, "Bearer");
  assert.equal(body.issued_token_type, "urn:ietf:params:oauth:token-type:access_token");
  assert.equal(body.refresh_count, "0");
  assert.equal(body.refresh_token_expires_in, "3599");
  assert.equal(body.scope, "urn:nhsd:apim:user-nhs-login:P9:gp-connect-access-record-fhir");
  assert.match(body.access_token, /^[A-Za-z0-9_-]{43}$/);
});

Deno.test("A3 form parameters: each missing or invalid parameter with APIM's error", async () => {
  const good = exchangeForm(p9, await world.clientAssertion(testAppId));
  const cases: Array<[Record<string, string>, string, string]> = [
    [
      { ...good, client_assertion_type: "invalid" },
      "invalid_request",
      "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'",
    ],
    [
      { ...good, subject_token_type: "invalid" },
      "invalid_request",
      "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
    ],
    [{ ...good, grant_type: "invalid" }, "invalid_request", "grant_type is invalid"],
    [{ ...good, subject_token: "invalid" }, "invalid_request", "Malformed JWT in subject_token"],
    [
      { ...good, client_assertion: "invalid" },
      "invalid_request",
      "Malformed JWT in client_assertion",
    ],
    [{ ...good, client_assertion: "" }, "invalid_request", "Missing client_assertion"],
    [{ grant_type: "password" }, "unsupported_grant_type", "grant_type is invalid"],
  ];
  for (const [form, error, description] of cases) {
    await expectOAuth(await world.token(form), 400, error, description);
  }
  const noSubject = { ...exchangeForm("", await world.clientAssertion(testAppId)) };
  await expectOAuth(await world.token(noSubject), 400, "invalid_request", "Missing subject_token");
});

Deno.test("A3 client assertion: every row with its status and error_description", async () => {
  const what = "in client_assertion JWT";
  const rows: Array<[string, Record<string, unknown>, Record<string, unknown>, number, string]> = [
    [
      "alg HS512",
      { alg: "HS512" },
      {},
      400,
      `Invalid 'alg' header ${what} - unsupported JWT algorithm - must be 'RS512'`,
    ],
    [
      "expired",
      {},
      { exp: nowSeconds() - 20 },
      400,
      `Invalid 'exp' claim ${what} - JWT has expired`,
    ],
    ["kid missing", { kid: undefined }, {}, 400, `Missing 'kid' header ${what}`],
    [
      "kid unknown",
      { kid: "nope" },
      {},
      401,
      `Invalid 'kid' header ${what} - no matching public key`,
    ],
    ["typ wrong", { typ: "at+jwt" }, {}, 400, `Invalid 'typ' header ${what} - must be 'JWT'`],
    ["typ missing", { typ: undefined }, {}, 400, `Invalid 'typ' header ${what} - must be 'JWT'`],
    ["exp missing", {}, { exp: undefined }, 400, `Missing 'exp' claim ${what}`],
    [
      "exp string",
      {},
      { exp: String(nowSeconds() + 300) },
      400,
      `Invalid 'exp' claim ${what} - must be an integer`,
    ],
    ["iss != sub", {}, { sub: "other" }, 400, `Missing or non-matching 'iss'/'sub' claims ${what}`],
    [
      "iss missing",
      {},
      { iss: undefined },
      400,
      `Missing or non-matching 'iss'/'sub' claims ${what}`,
    ],
    [
      "iss = sub unknown",
      {},
      { iss: "nobody", sub: "nobody" },
      401,
      `Invalid 'iss'/'sub' claims ${what}`,
    ],
    ["jti missing", {}, { jti: undefined }, 400, `Missing 'jti' claim ${what}`],
    [
      "jti integer",
      {},
      { jti: 1234567890 },
      400,
      `Invalid 'jti' claim ${what} - must be a unique string value such as a GUID`,
    ],
    [
      "exp too far",
      {},
      { exp: nowSeconds() + 400 },
      400,
      `Invalid 'exp' claim ${what} - more than 5 minutes in future`,
    ],
    [
      "aud wrong",
      {},
      { aud: "https://evil.example/oauth2/token" },
      401,
      `Missing or invalid 'aud' claim ${what}`,
    ],
    ["aud missing", {}, { aud: undefined }, 401, `Missing or invalid 'aud' claim ${what}`],
  ];
  for (const [name, header, claims, status, description] of rows) {
    const assertion = await signTestAssertion(header, { ...baseClaims(), ...claims });
    const res = await exchangeWith(assertion);
    const body: Json = await res.json();
    assert.equal(res.status, status, `${name}: ${JSON.stringify(body)}`);
    assert.equal(body.error_description, description, name);
  }
});

Deno.test("A3 client assertion: a bad signature is 401 public_key error; a used jti is refused", async () => {
  const other = await generateKeyPair("RS512");
  const forged = await new SignJWT(baseClaims())
    .setProtectedHeader({ alg: "RS512", kid: "test-key-1", typ: "JWT" })
    .sign(other.privateKey);
  await expectOAuth(
    await exchangeWith(forged),
    401,
    "public_key error",
    "JWT signature verification failed",
  );
  const assertion = await signTestAssertion({}, baseClaims());
  assert.equal((await exchangeWith(assertion)).status, 200);
  await expectOAuth(
    await exchangeWith(assertion),
    400,
    "invalid_request",
    "Non-unique 'jti' claim in client_assertion JWT",
  );
});

Deno.test("R1 R3 subject token: alg none, HS256 with the public key, wrong aud/iss, unknown kid, expired, 10 s tolerance", async () => {
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: world.nhsLoginUrl,
    aud: testAppId,
    nhs_number: "9690937286",
    identity_proofing_level: "P9",
    exp: nowSeconds() + 600,
    ...extra,
  });
  const b64 = (value: unknown) =>
    new TextEncoder().encode(JSON.stringify(value)).toBase64({
      alphabet: "base64url",
      omitPadding: true,
    });
  const realKid = JSON.parse(new TextDecoder().decode(
    Uint8Array.fromBase64(p9.split(".")[0]!, { alphabet: "base64url" }),
  )).kid;
  const unsigned = `${b64({ alg: "none", typ: "JWT", kid: realKid })}.${b64(claims())}.`;
  const send = async (token: string) =>
    await exchangeWith(await world.clientAssertion(testAppId), token);
  await expectOAuth(
    await send(unsigned),
    401,
    "public_key error",
    "JWT signature verification failed",
  );
  // HS256 keyed with the NHS login public key's bytes (the classic algorithm confusion).
  const jwks: Json = await (await world.sandboxFetch(`${world.nhsLoginUrl}/.well-known/jwks.json`))
    .json();
  const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
  const hs256 = await new SignJWT(claims()).setProtectedHeader({
    alg: "HS256",
    typ: "JWT",
    kid: realKid,
  }).sign(secret);
  await expectOAuth(
    await send(hs256),
    401,
    "public_key error",
    "JWT signature verification failed",
  );
  const wrongAud = await world.idToken("9690937286", { aud: "someone-else" });
  await expectOAuth(
    await send(wrongAud),
    401,
    "invalid_request",
    "Invalid 'aud' claim in subject_token JWT",
  );
  const stranger = await generateKeyPair("RS512");
  const strangerJwt = await new SignJWT(claims()).setProtectedHeader({
    alg: "RS512",
    typ: "JWT",
    kid: "unknown-kid",
  }).sign(stranger.privateKey);
  await expectOAuth(
    await send(strangerJwt),
    401,
    "invalid_request",
    "Invalid 'kid' header in subject_token JWT - no matching public key",
  );
  const wrongIss = await new SignJWT(claims({ iss: "https://evil.example" })).setProtectedHeader({
    alg: "RS512",
    typ: "JWT",
    kid: "unknown-kid",
  }).sign(stranger.privateKey);
  await expectOAuth(
    await send(wrongIss),
    401,
    "invalid_request",
    "Invalid 'iss' claim in subject_token JWT",
  );
  const expired11 = await world.idToken("9690937286", { aud: testAppId, expires_in: -11 });
  await expectOAuth(
    await send(expired11),
    400,
    "invalid_request",
    "Invalid 'exp' claim in subject_token JWT - JWT has expired",
  );
  const expired5 = await world.idToken("9690937286", { aud: testAppId, expires_in: -5 });
  assert.equal((await send(expired5)).status, 200, "exp = now - 5 s is within the 10 s tolerance");
});

Deno.test("R4 scopes: a P5 login gets no P9 scope; refresh rotates and spends the refresh token", async () => {
  const p5 = await world.idToken("9690937286", { aud: testAppId, identity_proofing_level: "P5" });
  const res = await exchangeWith(await world.clientAssertion(testAppId), p5);
  const body: Json = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.scope, "");
  const first: Json = await (await exchangeWith(await world.clientAssertion(testAppId))).json();
  const refreshForm = (assertion: string) => ({
    grant_type: "refresh_token",
    refresh_token: first.refresh_token,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
  const refreshed = await world.token(refreshForm(await world.clientAssertion(testAppId)));
  const refreshedBody: Json = await refreshed.json();
  assert.equal(refreshed.status, 200, JSON.stringify(refreshedBody));
  assert.equal(refreshedBody.refresh_count, "1");
  assert.notEqual(refreshedBody.access_token, first.access_token);
  await expectOAuth(
    await world.token(refreshForm(await world.clientAssertion(testAppId))),
    401,
    "invalid_grant",
    "refresh_token is invalid",
  );
});
