import assert from "node:assert/strict";
import { cidrContains, parseCidr, parseIp } from "./ip-address.ts";

Deno.test("parseIp() reads IPv4, IPv6 (compressed, bracketed, zoned, v4-mapped) as 16 bytes", () => {
  assert.deepEqual([...parseIp("10.0.0.1")!], [
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    255,
    255,
    10,
    0,
    0,
    1,
  ]);
  assert.deepEqual(parseIp("::ffff:10.0.0.1"), parseIp("10.0.0.1"));
  assert.deepEqual(parseIp("[::1]"), parseIp("0:0:0:0:0:0:0:1"));
  assert.deepEqual(parseIp("fe80::1%eth0"), parseIp("fe80::1"));
  assert.equal(parseIp("2001:db8::7")![3], 0xb8);
  for (
    const bad of [
      "",
      "10.0.0",
      "10.0.0.256",
      "01.0.0.1",
      "1.2.3.4.5",
      ":::",
      "1::2::3",
      "12345::",
      "g::1",
      "::ffff:1.2.3",
      "1:2:3:4:5:6:7:8:9",
      "example.org",
    ]
  ) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

Deno.test("parseCidr() and cidrContains(): IPv4 ranges match v4-mapped peers; prefix bits are exact", () => {
  const ten = parseCidr("10.0.0.0/8");
  assert.ok(cidrContains(ten, parseIp("10.255.1.2")!));
  assert.ok(cidrContains(ten, parseIp("::ffff:10.1.2.3")!));
  assert.ok(!cidrContains(ten, parseIp("11.0.0.1")!));
  const odd = parseCidr("192.168.1.128/25");
  assert.ok(cidrContains(odd, parseIp("192.168.1.200")!));
  assert.ok(!cidrContains(odd, parseIp("192.168.1.127")!));
  const v6 = parseCidr("2001:db8::/32");
  assert.ok(cidrContains(v6, parseIp("2001:db8:ffff::1")!));
  assert.ok(!cidrContains(v6, parseIp("2001:db9::1")!));
  assert.ok(cidrContains(parseCidr("127.0.0.1"), parseIp("127.0.0.1")!));
  assert.ok(!cidrContains(parseCidr("127.0.0.1"), parseIp("127.0.0.2")!));
  assert.ok(cidrContains(parseCidr("0.0.0.0/0"), parseIp("8.8.8.8")!));
  for (
    const bad of [
      "10.0.0.0/33",
      "::/129",
      "10.0.0.0/-1",
      "10.0.0.0/08",
      "x/8",
      "[::1]/128",
      "fe80::1%eth0/64",
    ]
  ) {
    assert.throws(() => parseCidr(bad), RangeError, bad);
  }
});
