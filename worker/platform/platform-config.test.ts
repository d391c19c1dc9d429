import assert from "node:assert/strict";
import { ConfigError } from "../config/config-error.ts";
import { defaultPlatformConfig, platformConfigFromEnv } from "./platform-config.ts";

Deno.test("platform config: defaults are the local world", () => {
  const config = platformConfigFromEnv({});
  assert.deepEqual(config, defaultPlatformConfig);
  assert.equal(config.apps[0]?.clientId, "pfs-sandbox-app");
  assert.equal(config.nhsLoginJwksUrl, "http://127.0.0.1:8084/.well-known/jwks.json");
});

Deno.test("platform config: apps, signing key, lists and URLs from variables", () => {
  const config = platformConfigFromEnv({
    GPC_EDGE_NHS_LOGIN_ISSUER: "https://auth.login.nhs.uk/",
    GPC_EDGE_PLATFORM_APPS: JSON.stringify([{
      clientId: "app-1",
      jwksUrl: "https://app.example/jwks.json",
      products: ["access-record"],
      rateLimits: { perMinute: 60 },
    }]),
    GPC_EDGE_PLATFORM_SIGNING_KEY: JSON.stringify({
      kty: "RSA",
      kid: "k1",
      n: "x",
      e: "AQAB",
      d: "y",
    }),
    GPC_EDGE_PLATFORM_CORS_ORIGINS: "https://a.example, https://b.example",
    GPC_EDGE_PLATFORM_PROVIDER_CLIENT_IDS: '{"B82617":"gpc-edge-b82617"}',
  });
  assert.equal(config.nhsLoginIssuer, "https://auth.login.nhs.uk");
  assert.equal(config.nhsLoginJwksUrl, "https://auth.login.nhs.uk/.well-known/jwks.json");
  assert.deepEqual(config.apps[0], {
    clientId: "app-1",
    nhsLoginClientId: "app-1",
    jwksUrl: "https://app.example/jwks.json",
    products: ["access-record"],
    rateLimits: { perMinute: 60, perSecond: 10 },
  });
  assert.equal(config.signingKey?.kid, "k1");
  assert.deepEqual(config.corsOrigins, ["https://a.example", "https://b.example"]);
  assert.equal(config.providerClientIds.B82617, "gpc-edge-b82617");
});

Deno.test("platform config: a bad value is one ConfigError naming the variable, never the secret", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ GPC_EDGE_PLATFORM_APPS: "[]" }, "GPC_EDGE_PLATFORM_APPS"],
    [{ GPC_EDGE_PLATFORM_APPS: '[{"clientId":"a"}]' }, "GPC_EDGE_PLATFORM_APPS"],
    [{
      GPC_EDGE_PLATFORM_APPS:
        '[{"clientId":"a","jwksUrl":"https://x/","products":["prescriptions"]}]',
    }, "GPC_EDGE_PLATFORM_APPS"],
    [
      { GPC_EDGE_PLATFORM_SIGNING_KEY: '{"kty":"RSA","kid":"k","d":"secret-d"}x' },
      "GPC_EDGE_PLATFORM_SIGNING_KEY",
    ],
    [{ GPC_EDGE_NHS_LOGIN_ISSUER: "auth.login.nhs.uk" }, "GPC_EDGE_NHS_LOGIN_ISSUER"],
    [{ GPC_EDGE_PLATFORM_ALLOW_HTTP_PROVIDERS: "yes" }, "GPC_EDGE_PLATFORM_ALLOW_HTTP_PROVIDERS"],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => platformConfigFromEnv(env), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.variable, variable);
      assert.ok(!error.message.includes("secret-d"));
      return true;
    });
  }
});

Deno.test("platform config: production refuses the local world's defaults", () => {
  assert.throws(
    () => platformConfigFromEnv({ GPC_EDGE_ENVIRONMENT: "production" }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_NHS_LOGIN_ISSUER",
  );
  const production = {
    GPC_EDGE_ENVIRONMENT: "production",
    GPC_EDGE_NHS_LOGIN_ISSUER: "https://auth.login.nhs.uk",
    GPC_EDGE_PLATFORM_APPS: '[{"clientId":"a","jwksUrl":"https://a.example/jwks.json"}]',
  };
  assert.throws(
    () => platformConfigFromEnv(production),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_PLATFORM_SIGNING_KEY",
  );
  const withKey = {
    ...production,
    GPC_EDGE_PLATFORM_SIGNING_KEY: JSON.stringify({
      kty: "RSA",
      kid: "k1",
      n: "x",
      e: "AQAB",
      d: "y",
    }),
  };
  // PDS and VRS need APIM's token (the local world calls them without one) over https.
  assert.throws(
    () => platformConfigFromEnv(withKey),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_PLATFORM_PDS_TOKEN_URL",
  );
  const withToken = {
    ...withKey,
    GPC_EDGE_PLATFORM_PDS_TOKEN_URL: "https://api.service.nhs.uk/oauth2/token",
  };
  assert.throws(
    () => platformConfigFromEnv(withToken),
    (error: unknown) => error instanceof ConfigError && error.variable === "GPC_EDGE_VRS_URL",
  );
  const config = platformConfigFromEnv({
    ...withToken,
    GPC_EDGE_VRS_URL: "https://api.service.nhs.uk",
  });
  assert.equal(config.allowHttpProviders, false);
  assert.deepEqual(config.providerHosts, []);
});
