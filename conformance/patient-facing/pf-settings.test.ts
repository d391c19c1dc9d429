import assert from "node:assert/strict";
import { exportJWK, generateKeyPair } from "jose";
import { ConfigError } from "../config/config-error.ts";
import { resolveConfig } from "../config/harness-config.ts";
import type { Settings } from "../config/setting-value.ts";
import { pfEndpointFromSettings } from "./pf-settings.ts";
import { loadPfScenarioFiles } from "./pf-scenario-loader.ts";
import { pfSkipReason } from "./run-pf-case.ts";

const without = (settings: Settings, key: string): Settings =>
  Object.fromEntries(Object.entries(settings).filter(([name]) => name !== key));
const config = (settings: Settings) =>
  resolveConfig({ layers: [settings], now: new Date(), cwd: "/tmp" });
const provider: Settings = {
  target: "direct",
  pfAuthorisationUrl: "https://gp.example/B82617/patient-facing/oauth2/token",
  pfAccessRecordUrl: "https://gp.example/B82617/patient-facing/access-record-fhir/FHIR/STU3",
  pfClientId: "harness",
  pfSigningKey: "/keys/harness.jwk.json",
  pfNhsLoginUrl: "http://127.0.0.1:8084",
};

Deno.test("patient-facing settings: a provider needs its authorisation service, a root, client id, key and one id_token source", () => {
  const resolved = config(provider);
  assert.equal(resolved.target, "direct");
  assert.equal(resolved.patientFacing.pfClientId, "harness");
  const refused = (settings: Settings, pattern: RegExp) =>
    assert.throws(() => config(settings), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, pattern);
      return true;
    });
  refused(without(provider, "pfClientId"), /--pf-client-id .*needs it/);
  refused(without(provider, "pfAccessRecordUrl"), /at least one product root/);
  refused({ ...provider, pfIdTokens: "/tokens.json" }, /exactly one id_token source/);
  refused({ ...provider, pfViewUser: "123" }, /10-digit NHS number/);
  refused(
    { target: "local", pfAuthorisationUrl: "https://gp.example/token" },
    /only used with target direct/,
  );
  refused({ target: "direct" }, /base-url or at least one root URL \(or pf-authorisation-url\)/);
  // The view-level patient may be named for the local world too.
  assert.equal(config({ pfViewUser: "9690937375" }).patientFacing.pfViewUser, "9690937375");
});

Deno.test("pfEndpointFromSettings: reads the private JWK and the id_tokens file; a JWK without kid is refused", async () => {
  assert.equal(await pfEndpointFromSettings({}), undefined);
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-pf-settings-" });
  try {
    const { privateKey } = await generateKeyPair("RS512", { extractable: true });
    const jwk = await exportJWK(privateKey);
    await Deno.writeTextFile(`${dir}/key.json`, JSON.stringify({ ...jwk, kid: "harness-1" }));
    await Deno.writeTextFile(`${dir}/tokens.json`, JSON.stringify({ "9690937286": "eyJ.x.y" }));
    const endpoint = await pfEndpointFromSettings({
      pfAuthorisationUrl: "https://gp.example/token",
      pfPrescriptionsUrl: "https://gp.example/rx",
      pfClientId: "harness",
      pfSigningKey: `${dir}/key.json`,
      pfIdTokens: `${dir}/tokens.json`,
      pfViewUser: "9690937375",
    });
    assert.ok(endpoint);
    assert.equal(endpoint.signingKey.kid, "harness-1");
    assert.deepEqual(endpoint.roots, { prescriptions: "https://gp.example/rx" });
    assert.match(endpoint.missing["access-record"] ?? "", /--pf-access-record/);
    assert.deepEqual(endpoint.idTokens, {
      kind: "tokens",
      byNhsNumber: { "9690937286": "eyJ.x.y" },
    });
    assert.deepEqual(endpoint.extraRoles, { "view-user": "9690937375" });
    // With P9 tokens from a file, a P5 login cannot be asked for: that case is skipped.
    const p5 = (await loadPfScenarioFiles()).find((scenario) =>
      scenario.id === "pf.auth.p5-login"
    )!;
    assert.ok(p5.needs.includes("minted-id-tokens"));
    assert.match(pfSkipReason(endpoint, p5) ?? "", /--pf-nhs-login-url/);
    await Deno.writeTextFile(`${dir}/key.json`, JSON.stringify(jwk));
    await assert.rejects(
      pfEndpointFromSettings({
        pfAuthorisationUrl: "https://gp.example/token",
        pfClientId: "harness",
        pfSigningKey: `${dir}/key.json`,
        pfNhsLoginUrl: "http://127.0.0.1:8084",
      }),
      /needs a kid/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a default run against a provider without patient-facing settings leaves the product out, saying so", async () => {
  const { scopeToTarget } = await import("../runner/target-scope.ts");
  const { loadTestCases } = await import("../scenarios/test-cases.ts");
  const cases = await loadTestCases();
  const isPf = (c: (typeof cases)[number]) => c.kind === "patient-facing";
  assert.ok(cases.some(isPf));
  const gpOnly = scopeToTarget(
    cases,
    config({ target: "direct", baseUrl: "https://gp.example/B82617/STU3/1/gpconnect" }),
  );
  assert.equal(gpOnly.cases.some(isPf), false);
  assert.match(
    gpOnly.note ?? "",
    /no patient-facing provider configured \(--pf-authorisation-url\)/,
  );
  const withPf = scopeToTarget(cases, config(provider));
  assert.ok(withPf.cases.some(isPf));
  // Named with --product, the cases run (and are skipped saying why when the side is missing).
  const named = scopeToTarget(
    cases,
    config({ target: "direct", baseUrl: "https://gp.example/x", products: ["patient-facing"] }),
  );
  assert.equal(named.cases.length, cases.length);
  assert.equal(named.note, undefined);
});
