import assert from "node:assert/strict";
import { ConfigError } from "./config-error.ts";
import { configField } from "./config-fields.ts";
import { parseSetting, resolvePath } from "./setting-value.ts";

const source = { label: "--x", baseDir: "/base" };

Deno.test("parseSetting parses each kind", () => {
  assert.equal(parseSetting(configField("timeoutMs"), "5000", source), 5000);
  assert.equal(parseSetting(configField("concurrency"), 4, source), 4);
  assert.equal(parseSetting(configField("insecure"), "yes", source), true);
  assert.equal(parseSetting(configField("localDirect"), false, source), false);
  assert.equal(parseSetting(configField("target"), "ssp", source), "ssp");
  assert.equal(
    parseSetting(configField("baseUrl"), "https://h/B82617/STU3/1/gpconnect/", source),
    "https://h/B82617/STU3/1/gpconnect",
  );
  assert.equal(parseSetting(configField("fromAsid"), "200000000359", source), "200000000359");
  assert.equal(parseSetting(configField("odsCode"), "B82617", source), "B82617");
  assert.equal(
    parseSetting(configField("clock"), "2026-11-23T10:00:00Z", source),
    "2026-11-23T10:00:00.000Z",
  );
  assert.equal(parseSetting(configField("fixtures"), "../f.json", source), "/f.json");
  assert.deepEqual(parseSetting(configField("formats"), ["json,junit", "html"], source), [
    "json",
    "junit",
    "html",
  ]);
  assert.deepEqual(parseSetting(configField("tags"), "negative, jwt", source), ["negative", "jwt"]);
});

Deno.test("parseSetting errors name the field as the user wrote it, and the value", () => {
  const cases: Array<[Parameters<typeof configField>[0], unknown, RegExp]> = [
    ["timeoutMs", "soon", /positive whole number/],
    ["concurrency", 0, /positive whole number/],
    ["insecure", "maybe", /true or false/],
    ["target", "remote", /one of local, direct, ssp/],
    ["baseUrl", "ftp://h", /http\(s\) URL/],
    ["fromAsid", "1234567890123", /an ASID \(1 to 12 digits\)/],
    ["odsCode", "b82617", /ODS code/],
    ["clock", "2026-11-23", /ISO 8601 instant with a zone/],
    ["formats", "json,pdf", /unknown value\(s\) pdf; allowed: json, junit, html, evidence/],
    ["products", ["foundations", "pharmacy"], /unknown value\(s\) pharmacy/],
    ["sspUrl", "", /non-empty/],
  ];
  for (const [key, raw, message] of cases) {
    assert.throws(
      () => parseSetting(configField(key), raw, { label: "asid.from in c.json", baseDir: "/" }),
      (error) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.field, "asid.from in c.json");
        assert.match(error.message, message);
        assert.match(error.message, /\(got /);
        return true;
      },
    );
  }
});

Deno.test("resolvePath keeps absolute paths and normalises relative ones", () => {
  assert.equal(resolvePath("/a/b", "c/../d.pem"), "/a/b/d.pem");
  assert.equal(resolvePath("/a/b/", "./x"), "/a/b/x");
  assert.equal(resolvePath("/a", "/etc/x"), "/etc/x");
  assert.equal(resolvePath("/", "../x"), "/x");
});
