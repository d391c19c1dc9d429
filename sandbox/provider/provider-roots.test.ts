import assert from "node:assert/strict";
import { providerServiceRoots, rootKinds, serviceRootPath } from "./provider-roots.ts";

Deno.test("serviceRootPath: the four roots of ARCHITECTURE.md §4", () => {
  assert.equal(serviceRootPath("B82617", "foundations"), "/B82617/STU3/1/gpconnect/fhir");
  assert.equal(serviceRootPath("B82617", "structured"), "/B82617/STU3/1/gpconnect/structured/fhir");
  assert.equal(serviceRootPath("B82617", "documents"), "/B82617/STU3/1/gpconnect/documents/fhir");
  assert.equal(serviceRootPath("B82617", "dstu2"), "/B82617/DSTU2/0/gpconnect");
});

Deno.test("providerServiceRoots: joins the base without a doubled or trailing slash", () => {
  const roots = providerServiceRoots("http://127.0.0.1:8083/", "A20047");
  assert.deepEqual(Object.keys(roots).sort(), [...rootKinds].sort());
  assert.equal(roots.foundations, "http://127.0.0.1:8083/A20047/STU3/1/gpconnect/fhir");
  for (const url of Object.values(roots)) assert.ok(!url.endsWith("/"));
});
