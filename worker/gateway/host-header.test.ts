import assert from "node:assert/strict";
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
