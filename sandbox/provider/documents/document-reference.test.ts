import assert from "node:assert/strict";
import { gpConnectDocumentReference } from "./document-reference.ts";
import { patientDocuments } from "./patient-documents.ts";

const now = new Date("2025-01-15T10:00:00Z");
const rootUrl = "https://provider.example/B82617/STU3/1/gpconnect/documents/fhir";
const context = { rootUrl, patientId: "4", custodianId: "1", authorOrganizationId: "2" };

// deno-lint-ignore no-explicit-any
function attachment(resource: Record<string, any>) {
  return resource.content[0].attachment;
}

Deno.test("DocumentReference: a document over 5 MB has no URL, unless a migration lists it", () => {
  const [large] = patientDocuments("9690937308", now);
  const direct = attachment(gpConnectDocumentReference(large!, context));
  assert.equal(direct.url, undefined);
  assert.match(direct.title, /exceeds the 5 MB/);
  const migrate = attachment(
    gpConnectDocumentReference(large!, { ...context, urlOverSizeLimit: true }),
  );
  assert.equal(migrate.url, `${rootUrl}/Binary/bin-4-1`);
  assert.equal(migrate.title, undefined);
  assert.equal(migrate.size, large!.content!.size);
});

Deno.test("DocumentReference: a placeholder never has a URL and says why", () => {
  const placeholder = patientDocuments("9690937286", now).find((d) => d.content === undefined)!;
  for (const urlOverSizeLimit of [false, true]) {
    const a = attachment(gpConnectDocumentReference(placeholder, { ...context, urlOverSizeLimit }));
    assert.equal(a.url, undefined);
    assert.equal(a.size, 0);
    assert.equal(a.title, placeholder.unavailableReason);
  }
});

Deno.test("DocumentReference: identifiers are stable and relative dates follow the clock", () => {
  const first = gpConnectDocumentReference(patientDocuments("9690937286", now)[0]!, context);
  const later = gpConnectDocumentReference(
    patientDocuments("9690937286", new Date("2025-03-01T08:00:00Z"))[0]!,
    context,
  );
  assert.deepEqual(first.identifier, later.identifier);
  assert.deepEqual(first.masterIdentifier, later.masterIdentifier);
  assert.equal(first.created, "2024-12-01T16:20:00Z");
  assert.equal(later.created, "2025-01-15T16:20:00Z");
});
