import assert from "node:assert/strict";
import { patientFacingWorldKeys, serveNhsLoginSandbox } from "./patient-facing-world.ts";

Deno.test("patient-facing world: the NHS login sandbox on a socket and gpc-edge's key pair", async () => {
  const nhsLogin = serveNhsLoginSandbox(0);
  try {
    const discovery = await (await fetch(`${nhsLogin.url}/.well-known/openid-configuration`))
      .json();
    assert.equal(discovery.issuer, nhsLogin.url);
    const keys = await patientFacingWorldKeys(nhsLogin.url);
    assert.equal(keys.signingKey.privateJwk.kty, "RSA");
    assert.ok(keys.signingKey.privateJwk.d);
    const publicJwk = keys.practiceTrust.clients[0]!.jwks.keys[0]!;
    assert.equal(publicJwk.kid, keys.signingKey.kid);
    assert.equal(publicJwk.d, undefined, "the practice gets the public half only");
    assert.equal(keys.practiceTrust.nhsLoginJwksUrl, `${nhsLogin.url}/.well-known/jwks.json`);
  } finally {
    await nhsLogin.shutdown();
  }
});
