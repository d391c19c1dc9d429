import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { defaultConfig } from "../config.ts";
import { memoryStores } from "../testing/memory-stores.ts";
import { constantDirectory, recordingLogger } from "../testing/ssp-fixtures.ts";
import { isValidHost, requestLinePath } from "./host-header.ts";

Deno.test("isValidHost() accepts reg-names, IPv4 and bracketed IPv6 literals with a port up to 65535", () => {
  for (
    const host of [
      "localhost",
      "127.0.0.1",
      "127.0.0.1:8080",
      "gpc-edge.example.nhs.uk",
      "gpc-edge.example.nhs.uk:443",
      "[::1]",
      "[::1]:8080",
      "[2001:db8::7]:65535",
      "x:",
      "a_b~c",
      "%41bc",
    ]
  ) {
    assert.equal(isValidHost(host), true, host);
  }
});

Deno.test("isValidHost() refuses everything that could move the request line's path", () => {
  for (
    const host of [
      "x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?",
      "x:99999",
      "x:65536",
      "x:8o",
      "a b",
      "[::1",
      "[::1]x",
      "[::g]",
      "::1",
      "",
      "x#y",
      "x?y",
      "x@y",
      "x\\y",
      "x/y",
      "%2F",
      "999.1.1.1",
      "\u00ff",
      "x\ty",
      "x:80:80",
    ]
  ) {
    assert.equal(isValidHost(host), false, JSON.stringify(host));
  }
});

Deno.test("requestLinePath() recovers the request line's path from a URL built with the Host", () => {
  const host = "x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?";
  assert.equal(
    requestLinePath(new Request(`http://${host}/_health?a=1`, { headers: { host } })),
    "/_health",
  );
  assert.equal(
    requestLinePath(new Request("http://edge.local/directory/stats?x")),
    "/directory/stats",
  );
  assert.equal(
    requestLinePath(new Request("http://edge.local:8080/a", { headers: { host: "other" } })),
    "/a",
  );
});

Deno.test("hostHeaderCheck() in the app: an invalid Host is a 400 in the SSP's shape on every route, never a 500, and nothing is routed", async () => {
  const directory = constantDirectory();
  const logger = recordingLogger();
  let upstream = 0;
  const { app } = createApp({
    config: defaultConfig,
    stores: memoryStores(),
    directory,
    logger,
    fetch: () => {
      upstream++;
      return Promise.resolve(new Response("{}"));
    },
  });
  for (const host of ["x:99999", "a b", "[::1", "x/http://p/B82617/metadata?", "x@y", "%2F"]) {
    for (
      const path of [
        "/_health",
        "/_status",
        "/directory/stats",
        "/https://p/B82617/STU3/1/gpconnect/fhir/metadata",
      ]
    ) {
      const response = await app.request(`http://edge.local${path}`, {
        headers: { host, Accept: "application/fhir+json" },
      });
      assert.equal(response.status, 400, `${host} ${path}`);
      const outcome = await response.json();
      assert.equal(outcome.issue[0].details.coding[0].display, "MISSING_OR_INVALID_HEADER_Host");
      assert.equal(outcome.meta, undefined, "the SSP's shape");
    }
  }
  assert.equal(upstream, 0);
  assert.equal(directory.calls, 0);
  assert.ok(logger.records.every((record) => record.type === "error" && record.status === 400));
});
