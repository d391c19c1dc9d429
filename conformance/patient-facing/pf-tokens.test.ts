import assert from "node:assert/strict";
import { decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";
import type { PfEndpoint } from "./pf-endpoint.ts";
import {
  clientAssertion,
  exchangeToken,
  idTokenFor,
  PfSetupError,
  subjectToken,
} from "./pf-tokens.ts";

const { privateKey } = await generateKeyPair("RS512");
const endpoint: PfEndpoint = {
  roots: {},
  authorisationService: "https://gp.example/B82617/patient-facing/oauth2/token",
  clientId: "harness",
  signingKey: { kid: "harness-1", privateKey },
  idTokens: {
    kind: "tokens",
    byNhsNumber: { "9690937286": "eyJhbGciOiJSUzUxMiJ9.eyJuaHNfbnVtYmVyIjoiOTY5MDkzNzI4NiJ9.c2ln" },
  },
  extraRoles: {},
  missing: {},
};
const never = () => Promise.reject(new Error("no network in this test"));

Deno.test("clientAssertion: valid, or broken in exactly one way", async () => {
  const now = Date.now();
  const valid = decodeJwt((await clientAssertion(endpoint, "valid", now))!);
  assert.equal(valid.iss, "harness");
  assert.equal(valid.sub, "harness");
  assert.equal(valid.aud, endpoint.authorisationService);
  assert.equal(valid.exp, Math.floor(now / 1000) + 300);
  assert.equal(
    decodeProtectedHeader((await clientAssertion(endpoint, "valid", now))!).kid,
    "harness-1",
  );
  assert.notEqual(decodeJwt((await clientAssertion(endpoint, "valid", now))!).jti, valid.jti);
  assert.equal(
    decodeJwt((await clientAssertion(endpoint, "wrong-audience", now))!).aud,
    `${endpoint.authorisationService}/not-this-one`,
  );
  assert.ok(decodeJwt((await clientAssertion(endpoint, "expired", now))!).exp! < now / 1000);
  assert.equal(
    decodeJwt((await clientAssertion(endpoint, "too-long", now))!).exp,
    Math.floor(now / 1000) + 900,
  );
  assert.equal(await clientAssertion(endpoint, "missing", now), undefined);
  const unsigned = (await clientAssertion(endpoint, "alg-none", now))!;
  assert.deepEqual(decodeProtectedHeader(unsigned), { alg: "none", typ: "JWT", kid: "harness-1" });
  assert.equal(decodeJwt(unsigned).iss, "harness");
  assert.ok(unsigned.endsWith("."), "no signature");
  // Another key, same kid: the practice cannot verify it.
  const stranger = (await clientAssertion(endpoint, "unknown-key", now))!;
  assert.equal(decodeProtectedHeader(stranger).kid, "harness-1");
  assert.notEqual(
    stranger.split(".")[2],
    (await clientAssertion(endpoint, "valid", now))!.split(".")[2],
  );
});

Deno.test("id_tokens from configured tokens: only P9 and only the patients configured; tampering keeps the signature", async () => {
  const token = await idTokenFor(endpoint.idTokens, "9690937286", "P9", never);
  assert.match(token, /^eyJ/);
  await assert.rejects(idTokenFor(endpoint.idTokens, "9690937286", "P5", never), PfSetupError);
  await assert.rejects(
    idTokenFor(endpoint.idTokens, "9690937278", "P9", never),
    /no id_token configured/,
  );
  await assert.rejects(
    idTokenFor(endpoint.idTokens, "9690937286", "P9", never, "9690937294"),
    /cannot make a delegated login/,
  );
  const tampered = await subjectToken(endpoint.idTokens, "9690937286", "tampered", never);
  const [header, payload, signature] = tampered.split(".");
  assert.equal(header, token.split(".")[0]);
  assert.equal(signature, token.split(".")[2]);
  assert.notEqual(payload, token.split(".")[1]);
  assert.equal(decodeJwt(tampered).nhs_number, "9690937286");
});

Deno.test("exchangeToken: RFC 8693 form; evidence without the subject token, the assertion or the access token", async () => {
  let sent: URLSearchParams | undefined;
  const result = await exchangeToken(
    endpoint,
    "eyJsubject.token.sig",
    "eyJassertion.x.y",
    (url, request) => {
      assert.equal(url, endpoint.authorisationService);
      sent = new URLSearchParams(String(request.body));
      return Promise.resolve({
        status: 200,
        headers: new Headers({ "Content-Type": "application/json" }),
        body: JSON.stringify({
          access_token: "secret-access-token",
          token_type: "Bearer",
          expires_in: 3600,
        }),
      });
    },
    "exchange",
  );
  assert.equal(sent?.get("grant_type"), "urn:ietf:params:oauth:grant-type:token-exchange");
  assert.equal(sent?.get("subject_token_type"), "urn:ietf:params:oauth:token-type:id_token");
  assert.equal(
    sent?.get("client_assertion_type"),
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  );
  assert.equal(sent?.get("subject_token"), "eyJsubject.token.sig");
  assert.equal(sent?.get("client_id"), "harness");
  assert.equal(result.accessToken, "secret-access-token");
  const evidence = JSON.stringify(result.exchange);
  for (const secret of ["eyJsubject", "eyJassertion", "secret-access-token"]) {
    assert.ok(!evidence.includes(secret), secret);
  }
  assert.equal(result.exchange.step, "exchange");
  assert.equal(result.exchange.response?.status, 200);
});
