import assert from "node:assert/strict";
import { acceptedFhirFormat, contentTypeFhirFormat, fhirMediaType } from "./media-type.ts";

Deno.test("acceptedFhirFormat() takes anything when Accept is absent or blank", () => {
  for (const version of ["STU3", "DSTU2"] as const) {
    assert.equal(acceptedFhirFormat(undefined, version), "any");
    assert.equal(acceptedFhirFormat(null, version), "any");
    assert.equal(acceptedFhirFormat("", version), "any");
    assert.equal(acceptedFhirFormat("  ", version), "any");
  }
});

Deno.test("acceptedFhirFormat() takes anything for */* and application/*", () => {
  for (const version of ["STU3", "DSTU2"] as const) {
    assert.equal(acceptedFhirFormat("*/*", version), "any");
    assert.equal(acceptedFhirFormat("application/*", version), "any");
    assert.equal(acceptedFhirFormat("text/html, */*;q=0.1", version), "any");
  }
});

Deno.test("acceptedFhirFormat() reads STU3 fhir+json and fhir+xml with parameters", () => {
  assert.equal(acceptedFhirFormat("application/fhir+json;charset=utf-8", "STU3"), "json");
  assert.equal(acceptedFhirFormat("application/fhir+json; charset=UTF-8", "STU3"), "json");
  assert.equal(acceptedFhirFormat("application/fhir+xml;charset=utf-8", "STU3"), "xml");
  assert.equal(acceptedFhirFormat("Application/FHIR+XML", "STU3"), "xml");
  assert.equal(acceptedFhirFormat("application/json", "STU3"), "json");
  assert.equal(acceptedFhirFormat("application/xml", "STU3"), "xml");
});

Deno.test("acceptedFhirFormat() reads DSTU2 json+fhir and xml+fhir but not the STU3 types", () => {
  assert.equal(acceptedFhirFormat("application/json+fhir;charset=utf-8", "DSTU2"), "json");
  assert.equal(acceptedFhirFormat("application/xml+fhir", "DSTU2"), "xml");
  assert.equal(acceptedFhirFormat("application/json", "DSTU2"), "json");
  assert.equal(acceptedFhirFormat("application/fhir+json", "DSTU2"), undefined);
  assert.equal(acceptedFhirFormat("application/fhir+xml", "DSTU2"), undefined);
});

Deno.test("acceptedFhirFormat() orders by q-value, keeping header order on ties", () => {
  assert.equal(
    acceptedFhirFormat("application/fhir+xml;q=0.9, application/fhir+json", "STU3"),
    "json",
  );
  assert.equal(
    acceptedFhirFormat("application/fhir+json;q=0.5, application/fhir+xml;q=0.9", "STU3"),
    "xml",
  );
  assert.equal(acceptedFhirFormat("application/fhir+xml, application/fhir+json", "STU3"), "xml");
  assert.equal(acceptedFhirFormat("*/*;q=0.1, application/fhir+xml", "STU3"), "xml");
});

Deno.test("acceptedFhirFormat() excludes media types with q=0", () => {
  assert.equal(acceptedFhirFormat("application/fhir+json;q=0", "STU3"), undefined);
  assert.equal(acceptedFhirFormat("application/fhir+json;q=0.0", "STU3"), undefined);
  assert.equal(
    acceptedFhirFormat("application/fhir+json;q=0, application/fhir+xml;q=0.2", "STU3"),
    "xml",
  );
  assert.equal(acceptedFhirFormat("*/*;q=0", "STU3"), undefined);
});

Deno.test("acceptedFhirFormat() does not let a wildcard bring back a format refused with q=0", () => {
  assert.equal(acceptedFhirFormat("application/fhir+json;q=0, */*", "STU3"), "xml");
  assert.equal(acceptedFhirFormat("application/fhir+xml;q=0, application/*", "STU3"), "json");
  assert.equal(acceptedFhirFormat("application/xml+fhir;q=0, */*", "DSTU2"), "json");
  assert.equal(
    acceptedFhirFormat("application/fhir+json;q=0, application/fhir+xml;q=0, */*", "STU3"),
    undefined,
  );
});

Deno.test("acceptedFhirFormat() answers undefined for text/html and other non-FHIR types", () => {
  assert.equal(acceptedFhirFormat("text/html", "STU3"), undefined);
  assert.equal(acceptedFhirFormat("text/html, text/plain;q=0.8", "DSTU2"), undefined);
  assert.equal(acceptedFhirFormat("image/*", "STU3"), undefined);
});

Deno.test("contentTypeFhirFormat(): two Content-Types joined by a comma are no media type, in either order; a quoted comma is a parameter's", () => {
  const json = "application/fhir+json";
  assert.equal(contentTypeFhirFormat(`${json};charset=utf-8, ${json}`, "STU3"), undefined);
  assert.equal(contentTypeFhirFormat(`${json}, ${json};charset=utf-8`, "STU3"), undefined);
  assert.equal(contentTypeFhirFormat(`${json};charset=utf-8, text/plain`, "STU3"), undefined);
  assert.equal(contentTypeFhirFormat(`${json};profile="a,b"`, "STU3"), "json");
  assert.equal(contentTypeFhirFormat(`${json};profile="a\\",b"`, "STU3"), "json");
});

Deno.test("contentTypeFhirFormat() reads the type and ignores parameters and case", () => {
  assert.equal(contentTypeFhirFormat("application/fhir+json;charset=utf-8", "STU3"), "json");
  assert.equal(contentTypeFhirFormat(" Application/Fhir+Xml ; charset=utf-8", "STU3"), "xml");
  assert.equal(contentTypeFhirFormat("application/json+fhir", "DSTU2"), "json");
  assert.equal(contentTypeFhirFormat("application/xml+fhir;charset=utf-8", "DSTU2"), "xml");
});

Deno.test("contentTypeFhirFormat() answers undefined for absent and non-FHIR types", () => {
  assert.equal(contentTypeFhirFormat(undefined, "STU3"), undefined);
  assert.equal(contentTypeFhirFormat(null, "STU3"), undefined);
  assert.equal(contentTypeFhirFormat("", "STU3"), undefined);
  assert.equal(contentTypeFhirFormat("text/plain", "STU3"), undefined);
  assert.equal(contentTypeFhirFormat("application/fhir+json", "DSTU2"), undefined);
});

Deno.test("fhirMediaType() gives each release's canonical media type", () => {
  assert.equal(fhirMediaType("STU3", "json"), "application/fhir+json");
  assert.equal(fhirMediaType("STU3", "xml"), "application/fhir+xml");
  assert.equal(fhirMediaType("DSTU2", "json"), "application/json+fhir");
  assert.equal(fhirMediaType("DSTU2", "xml"), "application/xml+fhir");
});

Deno.test("acceptedFhirFormat() and contentTypeFhirFormat(): a name of an Object.prototype member is no media type", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    assert.equal(acceptedFhirFormat(name, "STU3"), undefined);
    assert.equal(acceptedFhirFormat(`${name}, text/html`, "STU3"), undefined);
    assert.equal(contentTypeFhirFormat(name, "STU3"), undefined);
  }
});

Deno.test("acceptedFhirFormat(): one media type reads as the full list reading does", () => {
  assert.equal(acceptedFhirFormat(" Application/FHIR+XML ", "STU3"), "xml");
  assert.equal(acceptedFhirFormat("application/fhir+json", "DSTU2"), undefined);
  for (const version of ["STU3", "DSTU2"] as const) {
    for (
      const accept of [
        "application/fhir+json",
        "application/fhir+json;charset=utf-8",
        "application/FHIR+xml ; charset=utf-8",
        "application/fhir+json;q=0",
        "application/fhir+json; Q=0.5",
        "application/json;charset=utf-8;q=0",
        " Application/FHIR+XML ",
        "application/json",
        "application/xml+fhir",
        "*/*",
        "application/*",
        "text/html",
      ]
    ) {
      // A second, unsupported range makes the whole list be read.
      const listed = acceptedFhirFormat(`${accept}, text/plain;q=0.001`, version);
      assert.equal(acceptedFhirFormat(accept, version), listed, `${version} ${accept}`);
    }
  }
});
