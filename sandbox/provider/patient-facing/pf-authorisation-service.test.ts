/**
 * The practice's authorisation service with delegated (proxy) logins: an id_token whose `act.sub`
 * is the actor's own NHS login token gets an access token bound to the patient and the actor (the
 * practice then answers with the actor's levels); a missing, malformed, unsigned or
 * self-referencing `act` is refused (400 invalid_grant). The id_tokens are made here, signed by
 * a key whose JWKS the practice takes as NHS login's.
 */
import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { startPfPractice } from "./pf-test-kit.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const nhsLogin = await generateKeyPair("RS512", { extractable: true });
const jwk: JWK = { ...(await exportJWK(nhsLogin.publicKey)), kid: "login-1", alg: "RS512" };
const stranger = await generateKeyPair("RS512");

async function signed(
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; header?: Record<string, unknown> } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({
    iss: "http://nhs-login.test",
    aud: "pfs-sandbox-app",
    sub: crypto.randomUUID(),
    identity_proofing_level: "P9",
    iat: now,
    exp: now + 300,
    ...claims,
  }).setProtectedHeader({ alg: "RS512", kid: "login-1", typ: "JWT", ...options.header })
    .sign(options.key ?? nhsLogin.privateKey);
}

Deno.test("practice authorisation service: a delegated login binds the token to the patient and the actor; bad act tokens are refused", async () => {
  const practice = await startPfPractice({ nhsLoginJwks: { keys: [jwk] } });
  try {
    const actor = await signed({ nhs_number: "9690937294" });
    const delegated = await practice.exchange(
      await signed({ nhs_number: "9690937286", act: { sub: actor } }),
    );
    const { access_token: token } = await delegated.json();
    assert.equal(delegated.status, 200);
    const levels: Json = await (await practice.call(
      `${practice.urls["user-permissions"]}/Patient/9690937286`,
      token,
    )).json();
    assert.equal(levels.prescriptions.accessLevel, "view", "the proxy's levels, not the patient's");
    const own = await practice.exchange(await signed({ nhs_number: "9690937286" }));
    assert.equal(own.status, 200);

    const refused = async (act: unknown, why: string) => {
      const response = await practice.exchange(await signed({ nhs_number: "9690937286", act }));
      const body: Json = await response.json();
      assert.equal(response.status, 400, why);
      assert.equal(body.error, "invalid_grant", why);
    };
    await refused("9690937294", "act is not an object");
    await refused({}, "act without sub");
    await refused({ sub: "not-a-jwt" }, "act.sub not a JWT");
    await refused(
      { sub: await signed({ nhs_number: "9690937294" }, { key: stranger.privateKey }) },
      "actor token not signed by NHS login",
    );
    await refused({ sub: await signed({ nhs_number: "9690937295" }) }, "invalid actor NHS number");
    await refused({ sub: await signed({ nhs_number: undefined }) }, "actor without nhs_number");
    await refused(
      { sub: await signed({ nhs_number: "9690937294" }, { header: { typ: "at+jwt" } }) },
      "actor token typ",
    );
    await refused(
      { sub: await signed({ nhs_number: "9690937294", exp: Math.floor(Date.now() / 1000) - 600 }) },
      "expired actor token",
    );
    await refused({ sub: await signed({ nhs_number: "9690937286" }) }, "acting for oneself");
  } finally {
    await practice.close();
  }
});
