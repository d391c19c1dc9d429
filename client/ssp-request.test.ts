import assert from "node:assert/strict";
import { readCompactJws } from "../gpconnect/jwt/jws-compact.ts";
import { sspRequestInit } from "./ssp-request.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const STRUCTURED = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
const CANCEL = "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1";
const MIGRATE = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1";
const CARE_RECORD = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord";
const ROOT = "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir";

function claimsOf(headers: Headers): Record<string, unknown> {
  const token = headers.get("Authorization")!.replace(/^Bearer /, "");
  const claims = readCompactJws(token).payload;
  assert.ok(claims, "the Authorization header carries a JWT");
  return claims;
}

Deno.test("sspRequestInit() builds the URL as SSP base / provider root + FHIR path", () => {
  const options = { providerRoot: ROOT, fhirPath: "/metadata", interactionId: METADATA };
  assert.equal(
    sspRequestInit({ ...options, sspBaseUrl: "http://127.0.0.1:8080" }).url,
    `http://127.0.0.1:8080/${ROOT}/metadata`,
  );
  assert.equal(
    sspRequestInit({ ...options, sspBaseUrl: "http://127.0.0.1:8080//" }).url,
    `http://127.0.0.1:8080/${ROOT}/metadata`,
    "trailing slashes of the SSP base are dropped",
  );
});

Deno.test("sspRequestInit() sets every Ssp header, Accept and a Bearer JWT", () => {
  const { headers } = sspRequestInit({
    sspBaseUrl: "http://127.0.0.1:8080",
    providerRoot: ROOT,
    fhirPath: "/metadata",
    interactionId: METADATA,
    traceId: "0b3c6a1e-5d4f-4f2a-9d0e-1c2b3a4d5e6f",
    fromAsid: "111",
    toAsid: "222",
    issuedAt: 1_700_000_000,
  });
  assert.equal(headers.get("Ssp-TraceID"), "0b3c6a1e-5d4f-4f2a-9d0e-1c2b3a4d5e6f");
  assert.equal(headers.get("Ssp-From"), "111");
  assert.equal(headers.get("Ssp-To"), "222");
  assert.equal(headers.get("Ssp-InteractionID"), METADATA);
  assert.equal(headers.get("Accept"), "application/fhir+json;charset=utf-8");
  assert.equal(headers.get("Content-Type"), null, "no Content-Type on a GET");
  const claims = claimsOf(headers);
  assert.equal(claims.aud, ROOT, "STU3 aud is the provider root");
  assert.equal(claims.requested_scope, "organization/*.read");
  assert.equal(claims.iat, 1_700_000_000);
});

Deno.test("sspRequestInit() defaults the ASIDs and makes a new trace id per request", () => {
  const options = {
    sspBaseUrl: "http://127.0.0.1:8080",
    providerRoot: ROOT,
    fhirPath: "/metadata",
    interactionId: METADATA,
  };
  const first = sspRequestInit(options).headers;
  const second = sspRequestInit(options).headers;
  assert.equal(first.get("Ssp-From"), "200000000359");
  assert.equal(first.get("Ssp-To"), "918999198738");
  assert.match(
    first.get("Ssp-TraceID")!,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.notEqual(first.get("Ssp-TraceID"), second.get("Ssp-TraceID"));
});

Deno.test("sspRequestInit() sets Content-Type for POST and PUT interactions", () => {
  for (const interactionId of [STRUCTURED, CANCEL]) {
    const { headers } = sspRequestInit({
      sspBaseUrl: "http://127.0.0.1:8080",
      providerRoot: ROOT,
      fhirPath: "/x",
      interactionId,
    });
    assert.equal(headers.get("Content-Type"), "application/fhir+json;charset=utf-8", interactionId);
  }
});

Deno.test("sspRequestInit() takes reason_for_request from the interaction (migration)", () => {
  const { headers } = sspRequestInit({
    sspBaseUrl: "http://127.0.0.1:8080",
    providerRoot: ROOT,
    fhirPath: "/Patient/$gpc.migratestructuredrecord",
    interactionId: MIGRATE,
  });
  assert.equal(claimsOf(headers).reason_for_request, "migration");
});

Deno.test("sspRequestInit() uses DSTU2 media types, the fixed aud and requested_record for DSTU2", () => {
  const { headers } = sspRequestInit({
    sspBaseUrl: "http://127.0.0.1:8080",
    providerRoot: "http://127.0.0.1:8083/B82617/DSTU2/0/gpconnect",
    fhirPath: "/Patient/$gpc.getcarerecord",
    interactionId: CARE_RECORD,
    nhsNumber: "9690937286",
  });
  assert.equal(headers.get("Accept"), "application/json+fhir;charset=utf-8");
  assert.equal(headers.get("Content-Type"), "application/json+fhir;charset=utf-8");
  const claims = claimsOf(headers);
  assert.equal(claims.aud, "https://authorize.fhir.nhs.net/token");
  assert.deepEqual(claims.requested_record, {
    resourceType: "Patient",
    identifier: [{ system: "http://fhir.nhs.net/Id/nhs-number", value: "9690937286" }],
  });
});

Deno.test("sspRequestInit() throws for an unknown or mis-cased interaction", () => {
  for (const interactionId of ["urn:nope", METADATA.toUpperCase(), ""]) {
    assert.throws(
      () =>
        sspRequestInit({
          sspBaseUrl: "http://127.0.0.1:8080",
          providerRoot: ROOT,
          fhirPath: "/metadata",
          interactionId,
        }),
      (error: unknown) =>
        error instanceof RangeError && error.message.includes("Unknown interaction"),
    );
  }
});
