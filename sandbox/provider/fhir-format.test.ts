import assert from "node:assert/strict";
import { fhirResponse, negotiateFhirFormat } from "./fhir-format.ts";

const JSON_T = "application/fhir+json";
const XML_T = "application/fhir+xml";

function negotiate(format?: string, accept?: string, contentType?: string) {
  return negotiateFhirFormat({ format, accept, contentType }, "STU3");
}

Deno.test("negotiateFhirFormat: _format > Accept > Content-Type > JSON", () => {
  assert.equal(negotiate(), "json");
  assert.equal(negotiate(undefined, XML_T), "xml");
  assert.equal(negotiate(undefined, `${JSON_T};charset=utf-8`), "json");
  assert.equal(negotiate(XML_T, JSON_T), "xml");
  assert.equal(negotiate(JSON_T, XML_T), "json");
  assert.equal(negotiate("xml", JSON_T), "xml");
  assert.equal(negotiate(undefined, undefined, XML_T), "xml");
  assert.equal(negotiate(undefined, "*/*", `${XML_T};charset=utf-8`), "xml");
  assert.equal(negotiate(undefined, JSON_T, XML_T), "json");
  assert.equal(negotiate(XML_T, "text/html"), "xml");
});

Deno.test("negotiateFhirFormat: an unencoded + in _format arrives as a space", () => {
  assert.equal(negotiate("application/fhir xml"), "xml");
});

Deno.test("negotiateFhirFormat: unsupported _format or Accept → undefined (415)", () => {
  assert.equal(negotiate(undefined, "text/html"), undefined);
  assert.equal(negotiate("text/plain", JSON_T), undefined);
  assert.equal(negotiate(undefined, "application/fhir+json", "text/plain"), "json");
  assert.equal(
    negotiateFhirFormat({ format: undefined, accept: XML_T, contentType: undefined }, "DSTU2"),
    undefined,
  );
  assert.equal(
    negotiateFhirFormat({
      format: undefined,
      accept: "application/xml+fhir",
      contentType: undefined,
    }, "DSTU2"),
    "xml",
  );
});

Deno.test("fhirResponse: JSON and XML with charset and no-store", async () => {
  const resource = { resourceType: "Bundle", type: "searchset" };
  const json = fhirResponse(resource, { format: "json", fhirVersion: "STU3", status: 201 });
  assert.equal(json.status, 201);
  assert.equal(json.headers.get("Content-Type"), `${JSON_T};charset=utf-8`);
  assert.equal(json.headers.get("Cache-Control"), "no-store");
  assert.deepEqual(await json.json(), resource);
  const xml = fhirResponse(resource, { format: "xml", fhirVersion: "DSTU2" });
  assert.equal(xml.headers.get("Content-Type"), "application/xml+fhir;charset=utf-8");
  assert.match(
    await xml.text(),
    /<Bundle xmlns="http:\/\/hl7.org\/fhir"><type value="searchset"\/>/,
  );
});
