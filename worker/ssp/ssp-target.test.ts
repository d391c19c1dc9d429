import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import { parseSspTarget, rawPathAndQuery, targetMatchesEndpoint } from "./ssp-target.ts";

const SSP = "http://127.0.0.1:8080";
const ROOT = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect";

function assertNonCanonical(requestUrl: string): void {
  assert.throws(
    () => parseSspTarget(requestUrl),
    (error: unknown) =>
      error instanceof GpcEdgeError && error.status === 400 && error.audience === "ssp" &&
      error.code === "NON_CANONICAL_PATH" &&
      error.display === "REQUEST_UNMATCHED_NON_CANONICAL_PATH",
    requestUrl,
  );
}

Deno.test("rawPathAndQuery() keeps // and the query verbatim", () => {
  assert.equal(
    rawPathAndQuery(`${SSP}/${ROOT}//Patient?identifier=a%7Cb&x=/y`),
    `/${ROOT}//Patient?identifier=a%7Cb&x=/y`,
  );
  assert.equal(rawPathAndQuery(`${SSP}/https://p/a/./b/../c`), "/https://p/a/./b/../c");
  assert.equal(rawPathAndQuery("http://host"), "/");
  assert.equal(rawPathAndQuery("http://host/"), "/");
});

Deno.test("parseSspTarget() takes the ODS code from the first path segment", () => {
  const { parsed, ...target } = parseSspTarget(`${SSP}/${ROOT}/metadata`);
  assert.deepEqual(target, { url: `${ROOT}/metadata`, odsCode: "B82617" });
  assert.equal(parsed.href, `${ROOT}/metadata`);
  assert.equal(parseSspTarget(`${SSP}/http://127.0.0.1:8083/A20047/DSTU2/1`).odsCode, "A20047");
  assert.equal(parseSspTarget(`${SSP}/https://provider.example/`).odsCode, undefined);
  assert.equal(parseSspTarget(`${SSP}/https://provider.example/gp-1/x`).odsCode, undefined);
});

Deno.test("parseSspTarget() keeps the query verbatim, dots and slashes included", () => {
  const query = "?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9690937278&a=/../b&c=//d";
  assert.equal(parseSspTarget(`${SSP}/${ROOT}/Patient${query}`).url, `${ROOT}/Patient${query}`);
});

Deno.test("parseSspTarget() allows a trailing slash", () => {
  assert.equal(parseSspTarget(`${SSP}/${ROOT}/`).url, `${ROOT}/`);
});

Deno.test("parseSspTarget() rejects a non-canonical // in the provider path with 400", () => {
  assertNonCanonical(`${SSP}/${ROOT}//metadata`);
  assertNonCanonical(`${SSP}/https://provider.example.nhs.uk//B82617/metadata`);
});

Deno.test("parseSspTarget() rejects . and .. segments in every spelling URL parsing resolves", () => {
  for (const segment of [".", "..", "%2e", "%2E", "%2e%2e", "%2E%2e", ".%2e", "%2e.", ".%2E"]) {
    assertNonCanonical(`${SSP}/${ROOT}/${segment}/metadata`);
    assertNonCanonical(`${SSP}/${ROOT}/${segment}`);
  }
});

Deno.test("parseSspTarget() rejects a path URL parsing would rewrite (backslash, tab, newline)", () => {
  assertNonCanonical(`${SSP}/${ROOT}\\..\\..\\X99999/metadata`);
  assertNonCanonical(`${SSP}/${ROOT}/a\\b`);
  assertNonCanonical(`${SSP}/${ROOT}/.\t./metadata`);
  assertNonCanonical(`${SSP}/${ROOT}/meta\ndata`);
});

Deno.test("parseSspTarget() never accepts a target that fetch would send to another practice", () => {
  const attempts = [
    `${ROOT}/.%2e/.%2e/.%2e/.%2e/X99999/STU3/1/gpconnect/metadata`,
    `${ROOT}/%2e./%2e./%2e./%2e./X99999/STU3/1/gpconnect/metadata`,
    `${ROOT}/x\\..\\..\\..\\..\\..\\X99999/STU3/1/gpconnect/metadata`,
  ];
  for (const target of attempts) {
    // The byte-for-byte target check alone would pass these …
    assert.equal(targetMatchesEndpoint(target, ROOT), true);
    // … while fetch resolves them outside the endpoint.
    assert.ok(!new URL(target).href.startsWith(ROOT), new URL(target).href);
    assertNonCanonical(`${SSP}/${target}`);
  }
});

Deno.test("parseSspTarget() rejects a non-http scheme or a missing embedded URL with 400", () => {
  assertNonCanonical(`${SSP}/ftp://provider.example/B82617/metadata`);
  assertNonCanonical(`${SSP}/file:///etc/passwd`);
  assertNonCanonical(`${SSP}/metadata`);
  assertNonCanonical(`${SSP}/https://`);
  assertNonCanonical(`${SSP}/`);
});

Deno.test("targetMatchesEndpoint() accepts the address followed by /, ? or nothing", () => {
  assert.equal(targetMatchesEndpoint(ROOT, ROOT), true);
  assert.equal(targetMatchesEndpoint(`${ROOT}/metadata`, ROOT), true);
  assert.equal(targetMatchesEndpoint(`${ROOT}?_format=json`, ROOT), true);
});

Deno.test("targetMatchesEndpoint() rejects a longer segment, :443, case and host differences", () => {
  assert.equal(targetMatchesEndpoint(`${ROOT}x/metadata`, ROOT), false);
  assert.equal(targetMatchesEndpoint(`${ROOT}#x`, ROOT), false);
  assert.equal(
    targetMatchesEndpoint(
      "https://provider.example.nhs.uk:443/B82617/STU3/1/gpconnect/metadata",
      ROOT,
    ),
    false,
  );
  assert.equal(
    targetMatchesEndpoint("https://Provider.example.nhs.uk/B82617/STU3/1/gpconnect/metadata", ROOT),
    false,
  );
  assert.equal(targetMatchesEndpoint(`${ROOT.replace("B82617", "b82617")}/metadata`, ROOT), false);
  assert.equal(
    targetMatchesEndpoint("http://provider.example.nhs.uk/B82617/STU3/1/gpconnect", ROOT),
    false,
  );
  assert.equal(
    targetMatchesEndpoint("https://10.0.0.1/B82617/STU3/1/gpconnect/metadata", ROOT),
    false,
  );
  assert.equal(targetMatchesEndpoint("https://provider.example.nhs.uk/B82617/STU3", ROOT), false);
});

Deno.test("targetMatchesEndpoint() matches an address with a trailing slash as given", () => {
  const address = `${ROOT}/`;
  assert.equal(targetMatchesEndpoint(`${ROOT}/metadata`, address), true);
  assert.equal(targetMatchesEndpoint(`${ROOT}/`, address), true);
  assert.equal(targetMatchesEndpoint(ROOT, address), false);
});
