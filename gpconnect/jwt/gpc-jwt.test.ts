import assert from "node:assert/strict";
import { base64urlDecode } from "../base64url.ts";
import { dstu2Audience, encodeUnsignedJwt, gpConnectJwt, gpConnectJwtClaims } from "./gpc-jwt.ts";

/** The text of a part; the decoder refuses padding and the standard alphabet. */
function decodeText(part: string): string {
  return new TextDecoder().decode(base64urlDecode(part));
}

function decodePart(part: string): unknown {
  return JSON.parse(decodeText(part));
}

function decode(token: string): { header: unknown; claims: Record<string, unknown> } {
  const parts = token.split(".");
  assert.equal(parts.length, 3, "three parts");
  assert.equal(parts[2], "", "empty signature");
  return {
    header: decodePart(parts[0]!),
    claims: decodePart(parts[1]!) as Record<string, unknown>,
  };
}

Deno.test("gpConnectJwt() is header.payload. with the exact alg none header", () => {
  const token = gpConnectJwt({ requestedScope: "organization/*.read", issuedAt: 1_700_000_000 });
  assert.ok(token.endsWith("."));
  assert.equal(decodeText(token.split(".")[0]!), '{"alg":"none","typ":"JWT"}');
  assert.deepEqual(decode(token).header, { alg: "none", typ: "JWT" });
});

Deno.test("gpConnectJwtClaims() sets exp to iat + 300", () => {
  const claims = gpConnectJwtClaims({ requestedScope: "patient/*.read", issuedAt: 1_700_000_000 });
  assert.equal(claims.iat, 1_700_000_000);
  assert.equal(claims.exp, 1_700_000_300);
});

Deno.test("gpConnectJwtClaims() defaults iat to now in whole seconds", () => {
  const before = Math.floor(Date.now() / 1000);
  const claims = gpConnectJwtClaims({ requestedScope: "patient/*.read" });
  const after = Math.floor(Date.now() / 1000);
  const iat = claims.iat as number;
  assert.ok(Number.isInteger(iat) && iat >= before && iat <= after);
  assert.equal(claims.exp, iat + 300);
});

Deno.test("gpConnectJwtClaims() builds STU3 claims with sub equal to the practitioner id", () => {
  const claims = gpConnectJwtClaims({
    requestedScope: "patient/*.read conf/R",
    audience: "https://p/B82617/STU3/1/gpconnect/structured/fhir",
    requestingOdsCode: "X11111",
    issuedAt: 1,
  });
  assert.equal(claims.requested_scope, "patient/*.read conf/R");
  assert.equal(claims.aud, "https://p/B82617/STU3/1/gpconnect/structured/fhir");
  assert.equal(claims.reason_for_request, "directcare");
  assert.equal(claims.sub, (claims.requesting_practitioner as { id: string }).id);
  assert.ok(!("requested_record" in claims), "1.x has no requested_record");
  const organization = claims.requesting_organization as { identifier: unknown[] };
  assert.deepEqual(organization.identifier, [
    { system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "X11111" },
  ]);
  const device = claims.requesting_device as Record<string, unknown>;
  assert.equal(device.resourceType, "Device");
  assert.ok(!("id" in device));
});

Deno.test("gpConnectJwtClaims() names an Organization as DSTU2 requested_record for organisation scope", () => {
  const claims = gpConnectJwtClaims({
    requestedScope: "organization/*.read",
    fhirVersion: "DSTU2",
  });
  assert.equal(claims.aud, dstu2Audience);
  assert.deepEqual(claims.requested_record, {
    resourceType: "Organization",
    identifier: [{ system: "http://fhir.nhs.net/Id/ods-organization-code", value: "B82617" }],
  });
  const other = gpConnectJwtClaims({
    requestedScope: "organization/*.read",
    fhirVersion: "DSTU2",
    requestedOdsCode: "A20047",
  });
  assert.equal(
    (other.requested_record as { identifier: Array<{ value: string }> }).identifier[0]!.value,
    "A20047",
  );
});

Deno.test("gpConnectJwtClaims() names a Patient as DSTU2 requested_record for patient scope", () => {
  const claims = gpConnectJwtClaims({
    requestedScope: "patient/*.read",
    fhirVersion: "DSTU2",
    nhsNumber: "9690937286",
  });
  assert.deepEqual(claims.requested_record, {
    resourceType: "Patient",
    identifier: [{ system: "http://fhir.nhs.net/Id/nhs-number", value: "9690937286" }],
  });
  const practitioner = claims.requesting_practitioner as {
    identifier: Array<{ system: string }>;
    practitionerRole?: unknown;
  };
  assert.equal(practitioner.identifier[0]!.system, "http://fhir.nhs.net/sds-user-id");
  assert.ok(practitioner.practitionerRole !== undefined);
  assert.equal((claims.requesting_device as { id?: string }).id, "1");
});

Deno.test("encodeUnsignedJwt() round-trips non-ASCII claims through base64url", () => {
  const token = encodeUnsignedJwt({ name: "Zoë Ñ 😀", path: "a/b+c?" });
  assert.ok(!/[+/=]/.test(token));
  assert.deepEqual(decode(token).claims, { name: "Zoë Ñ 😀", path: "a/b+c?" });
});
