import assert from "node:assert/strict";
import { readCompactJws } from "../../gpconnect/jwt/jws-compact.ts";
import { applyMutations, type RequestDraft, setQuery } from "./mutations.ts";
import type { PlaceholderContext } from "./placeholders.ts";

const context: PlaceholderContext = {
  nhsNumber: "9690937286",
  odsCode: "B82617",
  runClock: new Date("2026-11-23T10:00:00Z"),
  traceId: "trace-1",
  epoch: 1_000,
  jwt: "h.p.",
};

function draft(): RequestDraft {
  return {
    method: "GET",
    url:
      "https://p.test/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937286&_format=json",
    headers: new Headers({
      "Ssp-TraceID": "trace-1",
      "Ssp-From": "200000000359",
      Accept: "application/fhir+json",
    }),
    claims: {
      iss: "https://c.test/",
      iat: 1_000,
      exp: 1_300,
      requesting_device: { resourceType: "Device", identifier: [{ system: "s", value: "v" }] },
    },
    jwtHeader: { alg: "none", typ: "JWT" },
    authorization: { kind: "jwt" },
  };
}

Deno.test("drop-header removes a header; dropping Authorization sends none", () => {
  const result = applyMutations(draft(), [
    { kind: "drop-header", header: "ssp-from" },
    { kind: "drop-header", header: "Authorization" },
  ], context);
  assert.equal(result.headers.has("Ssp-From"), false);
  assert.deepEqual(result.authorization, { kind: "none" });
});

Deno.test("set-header sets a value with placeholders; on Authorization it is sent raw", () => {
  const result = applyMutations(draft(), [
    { kind: "set-header", header: "Ssp-To", value: "{odsCode}" },
    { kind: "set-header", header: "Authorization", value: "Basic {jwt}" },
  ], context);
  assert.equal(result.headers.get("ssp-to"), "B82617");
  const token = result.authorization.kind === "raw" ? result.authorization.value.slice(6) : "";
  assert.equal(readCompactJws(token).payload?.iss, "https://c.test/");
  assert.match(token, /^eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0\.[\w-]+\.$/);
});

Deno.test("drop-claim removes a claim or a nested element", () => {
  const result = applyMutations(draft(), [
    { kind: "drop-claim", claim: "iss" },
    { kind: "drop-claim", claim: "requesting_device.identifier.0" },
  ], context);
  assert.equal("iss" in result.claims, false);
  assert.deepEqual((result.claims.requesting_device as Record<string, unknown>).identifier, []);
});

Deno.test("set-claim sets any JSON, nested paths, and {epoch±N} as a number", () => {
  const result = applyMutations(draft(), [
    { kind: "set-claim", claim: "requesting_device.resourceType", value: "Patient" },
    { kind: "set-claim", claim: "requesting_device.identifier.0.value", value: "{nhsNumber}" },
    { kind: "set-claim", claim: "new.deep", value: [1, 2] },
    { kind: "set-claim", claim: "iat", value: "{epoch+200}" },
    { kind: "set-claim", claim: "exp", value: "{epoch+500}" },
    { kind: "set-claim", claim: "sub", value: null },
  ], context);
  const device = result.claims.requesting_device as {
    resourceType: string;
    identifier: Array<{ value: string }>;
  };
  assert.equal(device.resourceType, "Patient");
  assert.equal(device.identifier[0]?.value, "9690937286");
  assert.deepEqual(result.claims.new, { deep: [1, 2] });
  assert.equal(result.claims.iat, 1_200);
  assert.equal(result.claims.exp, 1_500);
  assert.equal(result.claims.sub, null);
});

Deno.test("set-jwt-header replaces the JOSE header whole", () => {
  const result = applyMutations(
    draft(),
    [{ kind: "set-jwt-header", header: { alg: "HS256" } }],
    context,
  );
  assert.deepEqual(result.jwtHeader, { alg: "HS256" });
});

Deno.test("raw-authorization sends the value as written", () => {
  const result = applyMutations(draft(), [{
    kind: "raw-authorization",
    value: "Bearer not.a.{jwt}",
  }], context);
  assert.deepEqual(result.authorization, { kind: "raw", value: "Bearer not.a.{jwt}" });
});

Deno.test("set-query replaces, appends and drops parameters, keeping the others' text", () => {
  const result = applyMutations(draft(), [
    { kind: "set-query", name: "_format", value: "xml" },
    {
      kind: "set-query",
      name: "identifier",
      value: "https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}0",
    },
  ], context);
  assert.equal(
    result.url,
    "https://p.test/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|96909372860&_format=xml",
  );
  assert.equal(setQuery("https://p.test/x?a=1&b=2", "a", null), "https://p.test/x?b=2");
  assert.equal(setQuery("https://p.test/x?a=1", "a", null), "https://p.test/x");
  assert.equal(
    setQuery("https://p.test/x", "start", "ge2026-11-23"),
    "https://p.test/x?start=ge2026-11-23",
  );
  assert.equal(setQuery("https://p.test/x?q=1", "q", "a b&c"), "https://p.test/x?q=a%20b%26c");
});

Deno.test("{jwt} carries the claim mutations made before it", () => {
  const result = applyMutations(draft(), [
    { kind: "set-claim", claim: "iss", value: "https://other.test/" },
    { kind: "set-header", header: "Authorization", value: "bearer {jwt}" },
  ], context);
  const value = result.authorization.kind === "raw" ? result.authorization.value : "";
  assert.equal(readCompactJws(value.replace(/^bearer /, "")).payload?.iss, "https://other.test/");
});
