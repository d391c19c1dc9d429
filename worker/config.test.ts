import assert from "node:assert/strict";
import { configEnvironmentVariables, configFromEnv, defaultConfig } from "./config.ts";

Deno.test("configFromEnv() of an empty environment equals defaultConfig", () => {
  assert.deepEqual(configFromEnv({}), defaultConfig);
});

Deno.test("configFromEnv() treats every variable set to an empty string as unset", () => {
  const empty = Object.fromEntries(Object.keys(configEnvironmentVariables).map((n) => [n, ""]));
  assert.deepEqual(configFromEnv(empty), defaultConfig);
});

Deno.test("configFromEnv() parses each variable", () => {
  const authorisation = {
    accreditedSenders: { "200000000359": ["*"] },
    agreements: { "200000000359": ["918999198738"] },
  };
  const config = configFromEnv({
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
  });
  assert.deepEqual(config, {
    pdsBaseUrl: "https://int.api.service.nhs.uk/personal-demographics/FHIR/R4",
    pdsAccessToken: "pds-token",
    sdsBaseUrl: "https://int.api.service.nhs.uk/spine-directory/FHIR/R4",
    sdsApiKey: "sds-key",
    directoryTimeoutMs: 2500,
    pdsMaxRetries: 0,
    maxRetryAfterSeconds: 7,
    cache: { lruMaxEntries: 50, pdsTtlSeconds: 60, sdsTtlSeconds: 120, negativeTtlSeconds: 0 },
    jwtMode: "enforce",
    jwtLeewaySeconds: 600,
    upstreamTimeoutMs: 15000,
    allowedMethods: ["GET", "POST", "PUT", "DELETE"],
    sspAuthorisation: authorisation,
  });
});

Deno.test("configFromEnv() strips trailing slashes from the directory URLs", () => {
  const config = configFromEnv({
    GPC_EDGE_PDS_URL: "http://127.0.0.1:9001/",
    GPC_EDGE_SDS_URL: "https://sds.example/FHIR/R4///",
  });
  assert.equal(config.pdsBaseUrl, "http://127.0.0.1:9001");
  assert.equal(config.sdsBaseUrl, "https://sds.example/FHIR/R4");
});

Deno.test("configFromEnv() rejects an invalid integer, naming the variable", () => {
  const integerVariables = Object.entries(configEnvironmentVariables)
    .filter(([, field]) => /Ms|Seconds|Retries|Entries/.test(field))
    .map(([name]) => name);
  assert.equal(integerVariables.length, 9);
  for (const name of integerVariables) {
    for (const bad of ["ten", "1.5", "-1", " ", "0x10", "1e3", "2.0", "99999999999999999999"]) {
      assert.throws(
        () => configFromEnv({ [name]: bad }),
        (error: unknown) => error instanceof RangeError && error.message.includes(name),
        `${name}=${JSON.stringify(bad)}`,
      );
    }
  }
});

Deno.test("configFromEnv() enforces each integer's minimum", () => {
  assert.equal(configFromEnv({ GPC_EDGE_PDS_MAX_RETRIES: "0" }).pdsMaxRetries, 0);
  for (const name of ["GPC_EDGE_DIRECTORY_TIMEOUT_MS", "GPC_EDGE_UPSTREAM_TIMEOUT_MS"]) {
    assert.throws(() => configFromEnv({ [name]: "0" }), new RegExp(`${name}.*>= 1`));
  }
  assert.throws(() => configFromEnv({ GPC_EDGE_LRU_MAX_ENTRIES: "0" }), /GPC_EDGE_LRU_MAX_ENTRIES/);
});

Deno.test("configFromEnv() rejects a URL that is not absolute http(s), naming the variable", () => {
  for (const name of ["GPC_EDGE_PDS_URL", "GPC_EDGE_SDS_URL"]) {
    for (const bad of ["not a url", "/relative/path", "localhost:8081", "ftp://pds.example"]) {
      assert.throws(
        () => configFromEnv({ [name]: bad }),
        (error: unknown) => error instanceof TypeError && error.message.includes(name),
        `${name}=${bad}`,
      );
    }
  }
});

Deno.test("configFromEnv() accepts only log or enforce as the JWT mode", () => {
  assert.equal(configFromEnv({ GPC_EDGE_JWT_MODE: "log" }).jwtMode, "log");
  assert.equal(configFromEnv({ GPC_EDGE_JWT_MODE: "enforce" }).jwtMode, "enforce");
  for (const bad of ["ENFORCE", "strict", " log"]) {
    assert.throws(() => configFromEnv({ GPC_EDGE_JWT_MODE: bad }), /GPC_EDGE_JWT_MODE/);
  }
});

Deno.test("configFromEnv() reads GPC_EDGE_ALLOWED_METHODS as a trimmed, upper-cased list", () => {
  assert.deepEqual(configFromEnv({ GPC_EDGE_ALLOWED_METHODS: "GET" }).allowedMethods, ["GET"]);
  assert.deepEqual(
    configFromEnv({ GPC_EDGE_ALLOWED_METHODS: " get , options,GET " }).allowedMethods,
    ["GET", "OPTIONS"],
  );
});

Deno.test("configFromEnv() rejects an empty or malformed GPC_EDGE_ALLOWED_METHODS", () => {
  for (const bad of [",", " , ", "GET POST", "GET,P(UT"]) {
    assert.throws(
      () => configFromEnv({ GPC_EDGE_ALLOWED_METHODS: bad }),
      (error: unknown) =>
        error instanceof TypeError && error.message.includes("GPC_EDGE_ALLOWED_METHODS"),
      bad,
    );
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
    assert.throws(
      () => configFromEnv({ GPC_EDGE_SSP_AUTHORISATION: text }),
      (error: unknown) =>
        error instanceof Error && error.message.includes("GPC_EDGE_SSP_AUTHORISATION"),
      text,
    );
  }
  assert.throws(
    () => configFromEnv({ GPC_EDGE_SSP_AUTHORISATION: "{not json" }),
    (error: unknown) => error instanceof SyntaxError && error.cause instanceof SyntaxError,
  );
});

Deno.test("configFromEnv() leaves tokens unset when empty and never copies unknown variables", () => {
  const config = configFromEnv({ GPC_EDGE_PDS_TOKEN: "", OTHER: "x" });
  assert.equal(config.pdsAccessToken, undefined);
  assert.equal(config.sdsApiKey, undefined);
  assert.ok(!("OTHER" in config));
});
