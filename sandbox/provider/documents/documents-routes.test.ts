import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { providerRequestHeaders } from "../provider-request.ts";
import { largeDocumentBytes } from "./patient-documents.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const now = new Date("2025-01-15T10:00:00Z");
const iat = Math.floor(now.getTime() / 1000);
const provider = createProviderSandbox({ now: () => now });
const ROOT = "/B82617/STU3/1/gpconnect/documents/fhir";
const ORIGIN = "http://localhost";
const urn = (suffix: string) => `urn:nhs:names:services:gpconnect:documents:fhir:${suffix}`;
const METADATA = urn("rest:read:metadata-1");
const FIND = urn("rest:search:patient-1");
const SEARCH = urn("rest:search:documentreference-1");
const READ = urn("rest:read:binary-1");
const MIGRATE = urn("rest:migrate:binary-1");
const ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
const INCLUDES = "_include=DocumentReference:subject:Patient" +
  "&_include=DocumentReference:custodian:Organization" +
  "&_include=DocumentReference:author:Organization" +
  "&_include=DocumentReference:author:Practitioner" +
  "&_revinclude:recurse=PractitionerRole:practitioner";

function call(path: string, interaction: string, overrides: Record<string, string | null> = {}) {
  return provider.request(`${ROOT}${path}`, {
    headers: providerRequestHeaders(interaction, { issuedAt: iat, overrides }),
  });
}

function search(patientId: string, extra = "", overrides: Record<string, string | null> = {}) {
  return call(`/Patient/${patientId}/DocumentReference?${INCLUDES}${extra}`, SEARCH, overrides);
}

async function errorOf(res: Response): Promise<{ code: string; diagnostics: string }> {
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "OperationOutcome");
  return {
    code: `${res.status} ${body.issue[0].details.coding[0].code}`,
    diagnostics: body.issue[0].diagnostics ?? "",
  };
}

// deno-lint-ignore no-explicit-any
function resources(bundle: Json, type: string): any[] {
  return (bundle.entry ?? []).map((e: Json) => e.resource).filter((r: Json) =>
    r.resourceType === type
  );
}

Deno.test("documents metadata: the Access Document CapabilityStatement", async () => {
  const res = await call("/metadata", METADATA);
  assert.equal(res.status, 200);
  const body: Json = await res.json();
  assert.equal(body.resourceType, "CapabilityStatement");
  assert.equal(body.fhirVersion, "3.0.1");
  const types = body.rest[0].resource.map((r: Json) => r.type);
  assert.deepEqual(types, ["Patient", "Binary", "DocumentReference"]);
  const docs = body.rest[0].resource[2];
  assert.equal(docs.searchInclude.length, 4);
  assert.deepEqual(docs.searchRevInclude, ["PractitionerRole:practitioner"]);
  const xml = await call("/metadata", METADATA, { Accept: "application/fhir+xml" });
  assert.match(await xml.text(), /<CapabilityStatement xmlns="http:\/\/hl7.org\/fhir">/);
});

Deno.test("documents find a patient: searchset with Bundle.id = Ssp-TraceID", async () => {
  const traceId = "1b4f6e5c-0d0e-4c39-9a3b-0f6a7c1f2d3e";
  const res = await call(
    `/Patient?identifier=${encodeURIComponent("https://fhir.nhs.uk/Id/nhs-number|9690937286")}`,
    FIND,
    { "Ssp-TraceID": traceId },
  );
  assert.equal(res.status, 200);
  const bundle: Json = await res.json();
  assert.equal(bundle.id, traceId);
  assert.equal(bundle.type, "searchset");
  assert.equal(bundle.entry.length, 1);
  assert.equal(bundle.entry[0].fullUrl, `${ORIGIN}${ROOT}/Patient/2`);
  assert.equal(bundle.entry[0].resource.id, "2");

  for (const nhs of ["9999999999", "9690938533", "9690938681"]) {
    const none = await call(
      `/Patient?identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}`,
      FIND,
      { "Ssp-TraceID": traceId },
    );
    const empty: Json = await none.json();
    assert.equal(empty.id, traceId);
    assert.equal(empty.entry, undefined, nhs);
  }
});

Deno.test("documents find a patient: the Foundations parameter rules", async () => {
  assert.equal((await errorOf(await call("/Patient", FIND))).code, "400 BAD_REQUEST");
  const blank = await call(`/Patient?identifier=${encodeURIComponent("|9690937286")}`, FIND);
  assert.equal((await errorOf(blank)).code, "422 INVALID_PARAMETER");
  const system = await call(
    `/Patient?identifier=${encodeURIComponent("https://x|9690937286")}`,
    FIND,
  );
  assert.equal((await errorOf(system)).code, "400 INVALID_IDENTIFIER_SYSTEM");
  const bad = await call(
    `/Patient?identifier=${encodeURIComponent("https://fhir.nhs.uk/Id/nhs-number|1234567891")}`,
    FIND,
  );
  assert.equal((await errorOf(bad)).code, "400 INVALID_NHS_NUMBER");
});

Deno.test("documents search: rich record → every DocumentReference and its includes", async () => {
  const traceId = "6f9619ff-8b86-d011-b42d-00cf4fc964ff";
  const res = await search("2", "", { "Ssp-TraceID": traceId });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
  const bundle: Json = await res.json();
  assert.equal(bundle.id, traceId);
  assert.deepEqual(bundle.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1",
  ]);
  assert.equal(bundle.type, "searchset");
  assert.deepEqual(
    bundle.entry.map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`),
    [
      "Patient/2",
      "DocumentReference/doc-2-1",
      "DocumentReference/doc-2-2",
      "DocumentReference/doc-2-3",
      "DocumentReference/doc-2-4",
      "Organization/1",
      "Organization/3",
      "Organization/2",
      "Practitioner/3",
      "PractitionerRole/3-1",
    ],
  );
  for (const entry of bundle.entry) {
    assert.equal(
      entry.fullUrl,
      `${ORIGIN}${ROOT}/${entry.resource.resourceType}/${entry.resource.id}`,
    );
  }
  const [first, second, , placeholder] = resources(bundle, "DocumentReference");
  assert.deepEqual(first.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-DocumentReference-1",
  ]);
  assert.equal(first.status, "current");
  assert.equal(first.type.coding[0].system, "http://snomed.info/sct");
  assert.equal(first.subject.reference, "Patient/2");
  assert.equal(first.created, "2024-12-01T16:20:00Z");
  assert.equal(first.indexed, "2024-12-02T09:05:00Z");
  assert.deepEqual(first.author, [{ reference: "Organization/3" }]);
  assert.deepEqual(first.custodian, { reference: "Organization/1" });
  assert.equal(first.description, "Urgent care attendance summary");
  assert.ok(first.identifier[0].system && first.identifier[0].value);
  assert.equal(first.content[0].attachment.contentType, "text/plain");
  assert.equal(first.content[0].attachment.url, `${ORIGIN}${ROOT}/Binary/bin-2-1`);
  assert.ok(first.content[0].attachment.size > 0);
  assert.deepEqual(second.author, [{ reference: "Practitioner/3" }]);
  for (const notInUse of ["docStatus", "class", "authenticator", "relatesTo", "securityLabel"]) {
    assert.equal(first[notInUse], undefined, notInUse);
  }
  assert.equal(first.content[0].attachment.data, undefined);
  assert.equal(placeholder.content[0].attachment.url, undefined);
  assert.equal(placeholder.content[0].attachment.size, 0);
  assert.match(placeholder.content[0].attachment.title, /not available/);

  const role = resources(bundle, "PractitionerRole")[0]!;
  assert.deepEqual(role.practitioner, { reference: "Practitioner/3" });
  assert.deepEqual(role.organization, { reference: "Organization/1" });
});

Deno.test("documents search: the large document is listed without a URL (over 5 MB)", async () => {
  const bundle: Json = await (await search("4")).json();
  const [document] = resources(bundle, "DocumentReference");
  assert.equal(document.content[0].attachment.size, largeDocumentBytes);
  assert.ok(largeDocumentBytes > 5 * 1024 * 1024);
  assert.equal(document.content[0].attachment.url, undefined);
  assert.match(document.content[0].attachment.title, /exceeds the 5 MB \(5242880 bytes\) limit/);
});

Deno.test("documents search: a patient without documents → Patient and practice only", async () => {
  const bundle: Json = await (await search("3")).json();
  assert.deepEqual(
    bundle.entry.map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`),
    ["Patient/3", "Organization/1"],
  );
});

Deno.test("documents search: author, facility, created, type and description filter", async () => {
  const ids = async (extra: string) =>
    resources(await (await search("2", extra)).json(), "DocumentReference").map((d) => d.id);
  assert.deepEqual(await ids(`&author=${encodeURIComponent(`${ODS}|B82617`)}`), ["doc-2-2"]);
  assert.deepEqual(await ids(`&author=${encodeURIComponent(`${ODS}|R1A14`)}`), [
    "doc-2-3",
    "doc-2-4",
  ]);
  assert.deepEqual(await ids(`&facility=${encodeURIComponent(`${ODS}|X12345`)}`), ["doc-2-1"]);
  assert.deepEqual(await ids(`&author=${encodeURIComponent(`${ODS}|Y99999`)}`), []);
  assert.deepEqual(await ids("&created=ge2024-01-15&created=le2025-01-15"), [
    "doc-2-1",
    "doc-2-2",
  ]);
  assert.deepEqual(await ids("&created=le2024-09-17"), ["doc-2-2", "doc-2-3", "doc-2-4"]);
  assert.deepEqual(await ids("&created=ge2024-12-01T16:20:00%2B00:00"), ["doc-2-1"]);
  assert.deepEqual(await ids("&created=ge2024-12-01T16:20:00+00:00"), ["doc-2-1"]);
  assert.deepEqual(await ids("&description=REFERRAL"), ["doc-2-2"]);
  assert.deepEqual(await ids("&type=http://snomed.info/sct|371531000"), ["doc-2-1", "doc-2-4"]);

  const byAuthor: Json = await (await search("2", `&author=${encodeURIComponent(`${ODS}|B82617`)}`))
    .json();
  assert.deepEqual(
    byAuthor.entry.map((e: Json) => `${e.resource.resourceType}/${e.resource.id}`),
    [
      "Patient/2",
      "DocumentReference/doc-2-2",
      "Organization/1",
      "Practitioner/3",
      "PractitionerRole/3-1",
    ],
  );
});

Deno.test("documents search: errors", async () => {
  const noIncludes = await call("/Patient/2/DocumentReference", SEARCH);
  assert.equal((await errorOf(noIncludes)).code, "422 INVALID_PARAMETER");
  const bad = await errorOf(await search("2", "&BadParameter=BadParamValue"));
  assert.equal(bad.code, "422 INVALID_PARAMETER");
  assert.match(bad.diagnostics, /BadParameter/);
  const author = await search(
    "2",
    `&author=${encodeURIComponent("https://bad-identifier|B82617")}`,
  );
  assert.equal((await errorOf(author)).code, "422 INVALID_PARAMETER");
  assert.equal((await errorOf(await search("2", "&created=geabcd"))).code, "422 INVALID_PARAMETER");
  assert.equal((await errorOf(await search("9999999999999"))).code, "404 PATIENT_NOT_FOUND");
  assert.equal((await errorOf(await search("9"))).code, "404 PATIENT_NOT_FOUND"); // sensitive
  assert.equal((await errorOf(await search("21"))).code, "404 PATIENT_NOT_FOUND"); // inactive
  assert.equal((await errorOf(await search("15"))).code, "403 NO_PATIENT_CONSENT"); // opted out
});

Deno.test("retrieve a document: Binary with content, versionId and ETag (JSON and XML)", async () => {
  const res = await call("/Binary/bin-2-1", READ);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("ETag"), 'W/"1"');
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const text = await res.text();
  assert.equal(Number(res.headers.get("Content-Length")), new TextEncoder().encode(text).length);
  const binary: Json = JSON.parse(text);
  assert.equal(binary.resourceType, "Binary");
  assert.equal(binary.id, "bin-2-1");
  assert.equal(binary.meta.versionId, "1");
  assert.equal(binary.contentType, "text/plain");
  assert.match(Buffer.from(binary.content, "base64").toString("utf8"), /^THE HEALTH CENTRE/);
  assert.equal(binary.securityContext, undefined);

  const xml = await call("/Binary/bin-2-3", READ, { Accept: "application/fhir+xml" });
  assert.equal(xml.status, 200);
  assert.equal(xml.headers.get("ETag"), 'W/"2"');
  const body = await xml.text();
  assert.match(
    body,
    /^<\?xml version="1.0" encoding="UTF-8"\?><Binary xmlns="http:\/\/hl7.org\/fhir"><id value="bin-2-3"\/><meta><versionId value="2"\/><\/meta><contentType value="text\/html"\/><content value="[A-Za-z0-9+\/=]+"\/><\/Binary>$/,
  );
});

Deno.test("retrieve a document: the search's attachment URL resolves on this root", async () => {
  const bundle: Json = await (await search("2")).json();
  const urls = resources(bundle, "DocumentReference")
    .filter((document) => document.content[0].attachment.url !== undefined);
  assert.deepEqual(urls.map((document) => document.id), ["doc-2-1", "doc-2-2", "doc-2-3"]);
  for (const document of urls) {
    const url = document.content[0].attachment.url;
    const res = await call(new URL(url).pathname.slice(ROOT.length), READ);
    assert.equal(res.status, 200, url);
    const binary: Json = await res.json();
    assert.equal(Buffer.from(binary.content, "base64").length, document.content[0].attachment.size);
  }
});

Deno.test("retrieve a document: over 5 MB → 404 NO_RECORD_FOUND; migrate has no limit", async () => {
  const refused = await errorOf(await call("/Binary/bin-4-1", READ));
  assert.equal(refused.code, "404 NO_RECORD_FOUND");
  assert.match(refused.diagnostics, /exceeds the 5 MB \(5242880 bytes\) file size limit/);

  const res = await call("/Binary/bin-4-1", MIGRATE);
  assert.equal(res.status, 200);
  const binary: Json = await res.json();
  assert.equal(binary.content.length, 4 * Math.ceil(largeDocumentBytes / 3));
  const bytes = Buffer.from(binary.content, "base64");
  assert.equal(bytes.length, largeDocumentBytes);
  assert.match(bytes.subarray(0, 40).toString("utf8"), /^SCANNED PAPER RECORD/);

  const small = await call("/Binary/bin-2-2", MIGRATE);
  assert.equal(small.status, 200);
  assert.equal((await small.json()).contentType, "text/rtf");
});

Deno.test("retrieve a document: unknown ids and placeholders → 404 NO_RECORD_FOUND", async () => {
  for (const id of ["does-not-exist", "bin-2-4", "doc-2-1"]) {
    assert.equal((await errorOf(await call(`/Binary/${id}`, READ))).code, "404 NO_RECORD_FOUND");
    assert.equal((await errorOf(await call(`/Binary/${id}`, MIGRATE))).code, "404 NO_RECORD_FOUND");
  }
});

Deno.test("migrate a document: the streamed Binary survives gzip", async () => {
  const res = await call("/Binary/bin-4-1", MIGRATE, { "Accept-Encoding": "gzip" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Encoding"), "gzip");
  assert.equal(res.headers.get("Content-Length"), null);
  const text = await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text();
  const binary: Json = JSON.parse(text);
  assert.equal(Buffer.from(binary.content, "base64").length, largeDocumentBytes);
});
