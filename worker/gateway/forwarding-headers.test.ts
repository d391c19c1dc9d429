import assert from "node:assert/strict";
import {
  forwardedElement,
  isForwardingHeader,
  isTrustedProxy,
  parseTrustedProxies,
} from "./forwarding-headers.ts";

Deno.test("isTrustedProxy(): only a parsable peer inside a configured range; none configured trusts nobody", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8,  2001:db8::/32");
  assert.equal(proxies.length, 2);
  assert.ok(isTrustedProxy(proxies, "10.1.2.3"));
  assert.ok(isTrustedProxy(proxies, "2001:db8::1"));
  assert.ok(!isTrustedProxy(proxies, "192.0.2.1"));
  assert.ok(!isTrustedProxy(proxies, undefined));
  assert.ok(!isTrustedProxy(proxies, "not-an-address"));
  assert.ok(!isTrustedProxy([], "10.1.2.3"));
});

Deno.test("isForwardingHeader() and forwardedElement(): RFC 7239 nodes quoted where they must be", () => {
  for (
    const name of [
      "forwarded",
      "x-forwarded-for",
      "x-forwarded-host",
      "x-forwarded-proto",
      "x-real-ip",
    ]
  ) {
    assert.ok(isForwardingHeader(name), name);
  }
  for (const name of ["ssp-from", "x-forwarder", "via", "authorization"]) {
    assert.ok(!isForwardingHeader(name), name);
  }
  assert.equal(
    forwardedElement({ clientAddress: "2001:db8::1", host: "edge.example", proto: "https" }),
    'for="[2001:db8::1]";host=edge.example;proto=https',
  );
  assert.equal(
    forwardedElement({ clientAddress: undefined, host: "edge:8080", proto: "http" }),
    'host="edge:8080";proto=http',
  );
  assert.equal(
    forwardedElement({ clientAddress: '1.2.3.4"\r\nX: y', host: "e", proto: "http" }),
    'for="[1.2.3.4X: y]";host=e;proto=http',
    "no quote or line break can escape the quoted-string",
  );
});
