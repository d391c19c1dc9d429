import assert from "node:assert/strict";
import { TemplateError } from "./placeholders.ts";
import { buildRequest } from "./request-builder.ts";
import { decodeJwt, stubTarget, testBuildContext } from "./test-support.ts";

const SEARCH = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
const STRUCTURED = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
const CARE_RECORD = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord";
const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

Deno.test("buildRequest: URL under the interaction's root, SSP headers, media type, JWT", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  });
  const built = buildRequest(
    {
      interaction: SEARCH,
      patientRole: "rich-record",
      path: "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}",
    },
    undefined,
    testBuildContext(target),
  );
  assert.equal(built.method, "GET");
  assert.equal(
    built.url,
    "https://provider.test/B82617/STU3/1/gpconnect/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937286",
  );
  assert.equal(built.headers.get("ssp-traceid"), "00000000-0000-4000-8000-000000000001");
  assert.equal(built.headers.get("ssp-from"), "200000000359");
  assert.equal(built.headers.get("ssp-to"), "918999198738");
  assert.equal(built.headers.get("ssp-interactionid"), SEARCH);
  assert.equal(built.headers.get("accept"), "application/fhir+json;charset=utf-8");
  assert.equal(built.headers.has("content-type"), false);
  const { header, claims } = decodeJwt(built.headers.get("authorization"));
  assert.deepEqual(header, { alg: "none", typ: "JWT" });
  assert.equal(claims.iat, 1_795_428_000);
  assert.equal(claims.exp, 1_795_428_300);
  assert.equal(claims.requested_scope, "patient/*.read");
  assert.equal(claims.aud, "https://provider.test/B82617/STU3/1/gpconnect/fhir");
  assert.equal(claims.sub, "7");
  assert.equal((claims.requesting_organization as { name: string }).name, "Test Consumer");
  assert.deepEqual(built.jwt, claims);
});

Deno.test("buildRequest: through an SSP the provider URL follows the SSP prefix verbatim", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  }, { ssp: true });
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    undefined,
    testBuildContext(target),
  );
  assert.equal(
    built.url,
    "https://ssp.test/https://provider.test/B82617/STU3/1/gpconnect/fhir/metadata",
  );
  assert.equal(
    decodeJwt(built.headers.get("authorization")).claims.requested_scope,
    "organization/*.read",
  );
});

Deno.test("buildRequest: a JSON body gets Content-Type and filled placeholders; DSTU2 media types", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  });
  const built = buildRequest(
    {
      interaction: CARE_RECORD,
      patientRole: "rich-record",
      path: "/Patient/$gpc.getcarerecord",
      body: {
        resourceType: "Parameters",
        parameter: [{ name: "patientNHSNumber", valueIdentifier: { value: "{nhsNumber}" } }],
      },
    },
    undefined,
    testBuildContext(target),
  );
  assert.equal(built.method, "POST");
  assert.equal(
    built.url,
    "https://provider.test/B82617/DSTU2/0/gpconnect/Patient/$gpc.getcarerecord",
  );
  assert.equal(built.headers.get("content-type"), "application/json+fhir;charset=utf-8");
  assert.equal(built.headers.get("accept"), "application/json+fhir;charset=utf-8");
  assert.match(built.body ?? "", /"value":"9690937286"/);
  const { claims } = decodeJwt(built.headers.get("authorization"));
  assert.equal(claims.aud, "https://authorize.fhir.nhs.net/token");
  assert.deepEqual((claims.requested_record as { identifier: unknown[] }).identifier, [
    { system: "http://fhir.nhs.net/Id/nhs-number", value: "9690937286" },
  ]);
});

Deno.test("buildRequest: template headers and mutations apply last; {jwt} is the well-formed token", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  });
  const wellFormed = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    undefined,
    testBuildContext(target),
  );
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata", headers: { Accept: "application/fhir+xml" } },
    [
      { kind: "set-header", header: "Authorization", value: "Basic {jwt}" },
      { kind: "drop-header", header: "Ssp-TraceID" },
    ],
    testBuildContext(target),
  );
  assert.equal(built.headers.get("accept"), "application/fhir+xml");
  assert.equal(built.headers.has("ssp-traceid"), false);
  assert.equal(
    built.headers.get("authorization"),
    `Basic ${wellFormed.headers.get("authorization")?.slice("Bearer ".length)}`,
  );
  assert.equal(built.jwt, undefined);
});

Deno.test("buildRequest: claim mutations change the encoded token; the raw body is filled leniently", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  });
  const built = buildRequest(
    {
      interaction: STRUCTURED,
      patientRole: "rich-record",
      path: "/Patient/$gpc.getstructuredrecord",
      rawBody: "{not json {nhsNumber}",
    },
    [{ kind: "drop-claim", claim: "requesting_device" }, {
      kind: "set-jwt-header",
      header: { alg: "HS256", typ: "JWT" },
    }],
    testBuildContext(target),
  );
  const { header, claims } = decodeJwt(built.headers.get("authorization"));
  assert.deepEqual(header, { alg: "HS256", typ: "JWT" });
  assert.equal("requesting_device" in claims, false);
  assert.equal(built.body, "{not json 9690937286");
});

Deno.test("buildRequest: unknown interaction, missing root, unresolved role are TemplateErrors", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  });
  const context = testBuildContext({ ...target, roots: {}, urlFor: () => undefined });
  assert.throws(
    () => buildRequest({ interaction: "urn:x", path: "/" }, undefined, context),
    TemplateError,
  );
  assert.throws(
    () => buildRequest({ interaction: METADATA, path: "/metadata" }, undefined, context),
    /no foundations root/,
  );
  assert.throws(
    () =>
      buildRequest(
        { interaction: METADATA, patientRole: "ghost", path: "/" },
        undefined,
        testBuildContext(target),
      ),
    /role ghost is not resolved/,
  );
});

Deno.test("buildRequest: {patientId} falls back to the manifest's id for roles searches do not find", () => {
  const target = stubTarget(() => {
    throw new Error("not sent");
  });
  const built = buildRequest(
    {
      interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1",
      patientRole: "not-found",
      path: "/Patient/{patientId}",
    },
    undefined,
    testBuildContext(target),
  );
  assert.match(built.url, /\/Patient\/none$/);
});
