import assert from "node:assert/strict";
import { ConfigError, configFromEnv, configVariables, defaultConfig } from "./config.ts";

/** Asserts that `configFromEnv(env)` throws one ConfigError naming `variable`, on one line. */
function assertConfigError(env: Record<string, string>, variable: string, reason?: RegExp) {
  assert.throws(() => configFromEnv(env), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.variable, variable, JSON.stringify(env));
    assert.ok(error.message.startsWith(`Invalid ${variable}: `), error.message);
    assert.ok(!error.message.includes("\n"), "one line");
    if (reason) assert.match(error.reason, reason);
    return true;
  });
}

Deno.test("configFromEnv() of an empty environment equals defaultConfig", () => {
  assert.deepEqual(configFromEnv({}), defaultConfig);
});

Deno.test("configFromEnv() treats every variable set to an empty string as unset", () => {
  const empty = Object.fromEntries(configVariables.map(({ name }) => [name, ""]));
  assert.deepEqual(configFromEnv(empty), defaultConfig);
});

Deno.test("configVariables lists each variable once, and every one it lists is read", () => {
  const names = configVariables.map(({ name }) => name);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual(
    [...new Set(configVariables.map(({ section }) => section))],
    ["server", "directory", "ssp", "mesh", "platform", "tls"],
  );
  for (const { name, description } of configVariables) {
    assert.match(name, /^GPC_EDGE_[A-Z0-9_]+$/);
    assert.ok(description.length > 0, name);
    // A value nobody would choose either changes the configuration or is refused by name.
    let config;
    try {
      config = configFromEnv({ [name]: "x1" });
    } catch (error) {
      assert.ok(error instanceof ConfigError, `${name}: ${error}`);
      assert.equal(error.variable, name);
      continue;
    }
    assert.notDeepEqual(config, defaultConfig, `${name} is listed but not read`);
  }
});

Deno.test("configFromEnv() parses each section's variables", () => {
  const authorisation = {
    accreditedSenders: { "200000000359": ["*"] },
    agreements: { "200000000359": ["918999198738"] },
  };
  const config = configFromEnv({
    GPC_EDGE_HOSTNAME: "0.0.0.0",
    GPC_EDGE_PORT: "9090",
    GPC_EDGE_DATA_DIR: ":memory:",
    GPC_EDGE_ENVIRONMENT: "local",
    GPC_EDGE_PDS_URL: "https://int.api.service.nhs.uk/personal-demographics/FHIR/R4",
    GPC_EDGE_PDS_TOKEN: "pds-token",
    GPC_EDGE_SDS_URL: "https://int.api.service.nhs.uk/spine-directory/FHIR/R4",
    GPC_EDGE_SDS_API_KEY: "sds-key",
    GPC_EDGE_DIRECTORY_TIMEOUT_MS: "2500",
    GPC_EDGE_PDS_MAX_RETRIES: "0",
    GPC_EDGE_MAX_RETRY_AFTER_SECONDS: "7",
    GPC_EDGE_LRU_MAX_ENTRIES: "50",
    GPC_EDGE_PDS_TTL_SECONDS: "60",
    GPC_EDGE_SDS_TTL_SECONDS: "120",
    GPC_EDGE_NEGATIVE_TTL_SECONDS: "0",
    GPC_EDGE_JWT_MODE: "enforce",
    GPC_EDGE_JWT_LEEWAY_SECONDS: "600",
    GPC_EDGE_UPSTREAM_TIMEOUT_MS: " 15000 ",
    GPC_EDGE_ALLOWED_METHODS: "get, Post ,PUT,,DELETE",
    GPC_EDGE_SSP_AUTHORISATION: JSON.stringify(authorisation),
    GPC_EDGE_SSP_DEADLINE_MS: "60000",
    GPC_EDGE_SSP_MAX_REQUEST_BYTES: "1048576",
    GPC_EDGE_SSP_RATE_LIMITS:
      '{"consumer":"50/s","pair":"off","asids":{"200000000359":{"pair":"600/m"}}}',
    GPC_EDGE_SSP_BREAKER_FAILURES: "3",
    GPC_EDGE_SSP_BREAKER_OPEN_MS: "10000",
    GPC_EDGE_SSP_BREAKER_MAX_OPEN_MS: "60000",
    GPC_EDGE_FORWARD_CLIENT: "pooled",
    GPC_EDGE_PUBLIC_URL: "https://edge.example.nhs.uk/",
    GPC_EDGE_TRUSTED_PROXIES: "10.0.0.0/8, 2001:db8::/32",
    GPC_EDGE_HTTP_SERVER: "deno",
    GPC_EDGE_HEADER_TIMEOUT_MS: "5000",
    GPC_EDGE_IDLE_TIMEOUT_MS: "30000",
    GPC_EDGE_MESH_MAX_CHUNKS: "10",
  });
  assert.deepEqual(
    { ...config.server, trustedProxies: config.server.trustedProxies.map((r) => r.text) },
    {
      host: "0.0.0.0",
      port: 9090,
      dataDir: ":memory:",
      environment: "local",
      publicUrl: "https://edge.example.nhs.uk",
      trustedProxies: ["10.0.0.0/8", "2001:db8::/32"],
      httpServer: "deno",
      headerTimeoutMs: 5000,
      idleTimeoutMs: 30000,
    },
  );
  assert.deepEqual(config.directory, {
    pdsBaseUrl: "https://int.api.service.nhs.uk/personal-demographics/FHIR/R4",
    pdsAccessToken: "pds-token",
    sdsBaseUrl: "https://int.api.service.nhs.uk/spine-directory/FHIR/R4",
    sdsApiKey: "sds-key",
    timeoutMs: 2500,
    pdsMaxRetries: 0,
    maxRetryAfterSeconds: 7,
    cache: { lruMaxEntries: 50, pdsTtlSeconds: 60, sdsTtlSeconds: 120, negativeTtlSeconds: 0 },
  });
  assert.deepEqual(config.ssp, {
    jwtMode: "enforce",
    jwtLeewaySeconds: 600,
    upstreamTimeoutMs: 15000,
    allowedMethods: ["GET", "POST", "PUT", "DELETE"],
    authorisation,
    deadlineMs: 60000,
    maxRequestBytes: 1048576,
    rateLimits: {
      consumer: { limit: 50, windowSeconds: 1 },
      pair: null,
      asids: { "200000000359": { pair: { limit: 600, windowSeconds: 60 } } },
    },
    breakerFailures: 3,
    breakerOpenMs: 10000,
    breakerMaxOpenMs: 60000,
    forwardClient: "pooled",
  });
  assert.equal(config.mesh.maxChunks, 10);
});

Deno.test("configFromEnv() strips trailing slashes from the directory URLs", () => {
  const config = configFromEnv({
    GPC_EDGE_PDS_URL: "http://127.0.0.1:9001/",
    GPC_EDGE_SDS_URL: "https://sds.example/FHIR/R4///",
  });
  assert.equal(config.directory.pdsBaseUrl, "http://127.0.0.1:9001");
  assert.equal(config.directory.sdsBaseUrl, "https://sds.example/FHIR/R4");
});

Deno.test("configFromEnv() rejects an invalid integer, naming the variable", () => {
  const integerVariables = [
    "GPC_EDGE_PORT",
    "GPC_EDGE_DIRECTORY_TIMEOUT_MS",
    "GPC_EDGE_PDS_MAX_RETRIES",
    "GPC_EDGE_MAX_RETRY_AFTER_SECONDS",
    "GPC_EDGE_LRU_MAX_ENTRIES",
    "GPC_EDGE_PDS_TTL_SECONDS",
    "GPC_EDGE_SDS_TTL_SECONDS",
    "GPC_EDGE_NEGATIVE_TTL_SECONDS",
    "GPC_EDGE_JWT_LEEWAY_SECONDS",
    "GPC_EDGE_UPSTREAM_TIMEOUT_MS",
    "GPC_EDGE_SSP_DEADLINE_MS",
    "GPC_EDGE_SSP_MAX_REQUEST_BYTES",
    "GPC_EDGE_SSP_BREAKER_FAILURES",
    "GPC_EDGE_SSP_BREAKER_OPEN_MS",
    "GPC_EDGE_SSP_BREAKER_MAX_OPEN_MS",
  ];
  for (const name of integerVariables) {
    for (const bad of ["ten", "1.5", "-1", " ", "0x10", "1e3", "2.0", "99999999999999999999"]) {
      assertConfigError({ [name]: bad }, name, /^expected an integer/);
    }
  }
});

Deno.test("configFromEnv() enforces each integer's range", () => {
  assert.equal(configFromEnv({ GPC_EDGE_PDS_MAX_RETRIES: "0" }).directory.pdsMaxRetries, 0);
  for (const name of ["GPC_EDGE_DIRECTORY_TIMEOUT_MS", "GPC_EDGE_UPSTREAM_TIMEOUT_MS"]) {
    assertConfigError({ [name]: "0" }, name, />= 1/);
  }
  assertConfigError({ GPC_EDGE_LRU_MAX_ENTRIES: "0" }, "GPC_EDGE_LRU_MAX_ENTRIES");
  assert.equal(configFromEnv({ GPC_EDGE_PORT: "0" }).server.port, 0);
  assertConfigError({ GPC_EDGE_PORT: "65536" }, "GPC_EDGE_PORT", /from 0 to 65535, got "65536"/);
});

Deno.test("configFromEnv() rejects a URL that is not absolute http(s), naming the variable", () => {
  for (const name of ["GPC_EDGE_PDS_URL", "GPC_EDGE_SDS_URL"]) {
    for (const bad of ["not a url", "/relative/path", "localhost:8081", "ftp://pds.example"]) {
      assertConfigError({ [name]: bad }, name, /^not an http\(s\) URL/);
    }
  }
});

Deno.test("configFromEnv() accepts only log or enforce as the JWT mode", () => {
  assert.equal(configFromEnv({ GPC_EDGE_JWT_MODE: "log" }).ssp.jwtMode, "log");
  assert.equal(configFromEnv({ GPC_EDGE_JWT_MODE: "enforce" }).ssp.jwtMode, "enforce");
  for (const bad of ["ENFORCE", "strict", " log"]) {
    assertConfigError({ GPC_EDGE_JWT_MODE: bad }, "GPC_EDGE_JWT_MODE", /"log" or "enforce"/);
  }
});

Deno.test("configFromEnv() reads GPC_EDGE_ALLOWED_METHODS as a trimmed, upper-cased list", () => {
  assert.deepEqual(configFromEnv({ GPC_EDGE_ALLOWED_METHODS: "GET" }).ssp.allowedMethods, ["GET"]);
  assert.deepEqual(
    configFromEnv({ GPC_EDGE_ALLOWED_METHODS: " get , options,GET " }).ssp.allowedMethods,
    ["GET", "OPTIONS"],
  );
  for (const bad of [",", " , ", "GET POST", "GET,P(UT"]) {
    assertConfigError({ GPC_EDGE_ALLOWED_METHODS: bad }, "GPC_EDGE_ALLOWED_METHODS");
  }
});

Deno.test("configFromEnv() rejects a bad GPC_EDGE_SSP_AUTHORISATION, naming the variable", () => {
  const bad = [
    "{not json",
    "null",
    "42",
    '"text"',
    "{}",
    '{"accreditedSenders":{}}',
    '{"accreditedSenders":{"1":"*"},"agreements":{}}',
    '{"accreditedSenders":{"1":[2]},"agreements":{}}',
    '{"accreditedSenders":[["*"]],"agreements":{}}',
    '{"accreditedSenders":{},"agreements":[]}',
  ];
  for (const text of bad) {
    assertConfigError({ GPC_EDGE_SSP_AUTHORISATION: text }, "GPC_EDGE_SSP_AUTHORISATION");
  }
  assert.throws(
    () => configFromEnv({ GPC_EDGE_SSP_AUTHORISATION: "{not json" }),
    (error: unknown) =>
      error instanceof ConfigError && error.reason === "not JSON" &&
      (error.cause as Error).cause instanceof SyntaxError,
  );
});

Deno.test("configFromEnv() rejects bad gateway settings (rate limits, trusted proxies, public URL), naming the variable", () => {
  for (
    const bad of [
      "{not json",
      "[]",
      '{"consumer":10}',
      '{"consumer":"10"}',
      '{"consumer":"0/s"}',
      '{"pair":"10/0s"}',
      '{"pair":"10/2d"}',
      '{"burst":"10/s"}',
      '{"asids":{"1":"off"}}',
      '{"asids":{"1":{"consumer":"x"}}}',
    ]
  ) {
    assertConfigError({ GPC_EDGE_SSP_RATE_LIMITS: bad }, "GPC_EDGE_SSP_RATE_LIMITS");
  }
  for (const bad of ["10.0.0.0/33", "10.0.0", "::1/129", "example.org", "10.0.0.0/8 300.1.1.1"]) {
    assertConfigError({ GPC_EDGE_TRUSTED_PROXIES: bad }, "GPC_EDGE_TRUSTED_PROXIES");
  }
  assertConfigError({ GPC_EDGE_PUBLIC_URL: "edge.example" }, "GPC_EDGE_PUBLIC_URL");
  assert.equal(configFromEnv({ GPC_EDGE_SSP_RATE_LIMITS: "{}" }).ssp.rateLimits.pair?.limit, 200);
  assert.equal(configFromEnv({ GPC_EDGE_SSP_BREAKER_FAILURES: "0" }).ssp.breakerFailures, 0);
});

Deno.test("configFromEnv() validates the server section: bind address and environment", () => {
  assert.equal(configFromEnv({ GPC_EDGE_HOSTNAME: "::1" }).server.host, "::1");
  assert.equal(configFromEnv({ GPC_EDGE_HOSTNAME: "localhost" }).server.host, "localhost");
  for (const bad of ["a b", "http://x", "[::1]", "-x", "x:80"]) {
    assertConfigError({ GPC_EDGE_HOSTNAME: bad }, "GPC_EDGE_HOSTNAME");
  }
  assert.equal(
    configFromEnv({ GPC_EDGE_ENVIRONMENT: "production", ...productionMesh, ...productionPlatform })
      .server.environment,
    "production",
  );
  assertConfigError({ GPC_EDGE_ENVIRONMENT: "staging" }, "GPC_EDGE_ENVIRONMENT");
});

/** What the MESH section needs before production accepts it. */
const productionMesh = {
  GPC_EDGE_MESH_SHARED_KEY: "a-real-key",
  GPC_EDGE_MESH_PASSWORDS: JSON.stringify(
    Object.fromEntries(defaultConfig.mesh.mailboxes.map(({ id }) => [id, `secret-${id}`])),
  ),
};

/** What the platform section needs before production accepts it (the key is never used here). */
const productionPlatform = {
  GPC_EDGE_NHS_LOGIN_ISSUER: "https://auth.login.nhs.uk",
  GPC_EDGE_PLATFORM_APPS: JSON.stringify([{
    clientId: "a-real-app",
    jwksUrl: "https://app.example/jwks.json",
  }]),
  GPC_EDGE_PLATFORM_SIGNING_KEY: JSON.stringify({
    kty: "RSA",
    kid: "k1",
    n: "AQAB",
    e: "AQAB",
    d: "not-printed-private-part",
  }),
  GPC_EDGE_PLATFORM_PDS_TOKEN_URL: "https://api.service.nhs.uk/oauth2/token",
  GPC_EDGE_VRS_URL: "https://api.service.nhs.uk",
};

Deno.test("configFromEnv() reports the MESH section's errors as a ConfigError naming the variable", () => {
  assertConfigError({ GPC_EDGE_MESH_MAX_CHUNKS: "0" }, "GPC_EDGE_MESH_MAX_CHUNKS");
  assertConfigError({ GPC_EDGE_ENVIRONMENT: "production" }, "GPC_EDGE_MESH_SHARED_KEY");
  const secret = "do-not-print-me";
  assert.throws(
    () => configFromEnv({ GPC_EDGE_MESH_PASSWORDS: `{${secret}` }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_MESH_PASSWORDS" &&
      !error.message.includes(secret),
  );
});

Deno.test("configFromEnv() reads the platform section, its errors a ConfigError naming the variable", () => {
  const config = configFromEnv({
    GPC_EDGE_PUBLIC_URL: "http://127.0.0.1:9080/",
    GPC_EDGE_NHS_LOGIN_ISSUER: "http://127.0.0.1:9084",
    GPC_EDGE_PLATFORM_PATIENT_WRITES_PER_MINUTE: "3",
  });
  assert.equal(config.platform.publicBaseUrl, "http://127.0.0.1:9080");
  assert.equal(config.platform.nhsLoginJwksUrl, "http://127.0.0.1:9084/.well-known/jwks.json");
  assert.equal(config.platform.patientWritesPerMinute, 3);
  assertConfigError({ GPC_EDGE_PUBLIC_URL: "localhost:8080" }, "GPC_EDGE_PUBLIC_URL");
  assertConfigError({ GPC_EDGE_PLATFORM_APPS: "[]" }, "GPC_EDGE_PLATFORM_APPS");
  const secretKey = '{"kty":"RSA","d":"do-not-print-me"}';
  assert.throws(
    () => configFromEnv({ GPC_EDGE_PLATFORM_SIGNING_KEY: secretKey }),
    (error: unknown) =>
      error instanceof ConfigError && error.variable === "GPC_EDGE_PLATFORM_SIGNING_KEY" &&
      !error.message.includes("do-not-print-me"),
  );
  // Production: the local NHS login, the sandbox app and a missing signing key are refused.
  const production = { GPC_EDGE_ENVIRONMENT: "production", ...productionMesh };
  assertConfigError(
    { ...production, ...productionPlatform, GPC_EDGE_NHS_LOGIN_ISSUER: "" },
    "GPC_EDGE_NHS_LOGIN_ISSUER",
  );
  assertConfigError(
    { ...production, ...productionPlatform, GPC_EDGE_PLATFORM_APPS: "" },
    "GPC_EDGE_PLATFORM_APPS",
  );
  assertConfigError(
    { ...production, ...productionPlatform, GPC_EDGE_PLATFORM_SIGNING_KEY: "" },
    "GPC_EDGE_PLATFORM_SIGNING_KEY",
  );
  const accepted = configFromEnv({ ...production, ...productionPlatform });
  assert.equal(accepted.platform.allowHttpProviders, false);
});

Deno.test("configFromEnv() never puts a secret's value in a message, and never copies unknown variables", () => {
  const config = configFromEnv({ GPC_EDGE_PDS_TOKEN: "", OTHER: "x" });
  assert.equal(config.directory.pdsAccessToken, undefined);
  assert.equal(config.directory.sdsApiKey, undefined);
  assert.ok(!JSON.stringify(config).includes('"OTHER"'));
});
