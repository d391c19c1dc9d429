import assert from "node:assert/strict";
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify } from "jose";
import { clientAssertionLifetimeSeconds, signClientAssertion } from "./client-assertion.ts";

Deno.test("signClientAssertion: RS512, kid, typ JWT, iss = sub = client, aud, jti, exp = iat + 300", async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS512");
  const nowMs = Date.UTC(2026, 11, 5, 10, 0, 0);
  const assertion = await signClientAssertion({
    privateKey,
    kid: "k1",
    clientId: "harness",
    audience: "https://practice.example/oauth2/token",
    nowMs,
    jti: "3f1e3c0e-7d1a-4c55-9d0b-6f1a5b1c2d3e",
  });
  assert.deepEqual(decodeProtectedHeader(assertion), { alg: "RS512", kid: "k1", typ: "JWT" });
  const { payload } = await jwtVerify(assertion, publicKey, {
    algorithms: ["RS512"],
    currentDate: new Date(nowMs),
    issuer: "harness",
    subject: "harness",
    audience: "https://practice.example/oauth2/token",
  });
  assert.equal(payload.jti, "3f1e3c0e-7d1a-4c55-9d0b-6f1a5b1c2d3e");
  assert.equal(payload.iat, nowMs / 1000);
  assert.equal(payload.exp, nowMs / 1000 + clientAssertionLifetimeSeconds);
  // Another key's public half does not verify it.
  const other = await generateKeyPair("RS512", { extractable: true });
  const otherPublic = await importJWK(await exportJWK(other.publicKey), "RS512");
  await assert.rejects(jwtVerify(assertion, otherPublic, { currentDate: new Date(nowMs) }));
});
