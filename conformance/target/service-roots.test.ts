import assert from "node:assert/strict";
import { practiceRoots, stu3RootsFromBase, targetRoots } from "./service-roots.ts";

Deno.test("an STU3 base URL gives the foundations, structured and documents roots, not DSTU2", () => {
  assert.deepEqual(stu3RootsFromBase("https://host/B82617/STU3/1/gpconnect/"), {
    foundations: "https://host/B82617/STU3/1/gpconnect/fhir",
    structured: "https://host/B82617/STU3/1/gpconnect/structured/fhir",
    documents: "https://host/B82617/STU3/1/gpconnect/documents/fhir",
  });
});

Deno.test("a base URL ending in /fhir is refused with the fix", () => {
  assert.throws(
    () => stu3RootsFromBase("https://host/B82617/STU3/1/gpconnect/fhir"),
    /--base-url: give the base without \/fhir, e\.g\. https:\/\/host\/B82617\/STU3\/1\/gpconnect/,
  );
});

Deno.test("roots given one by one override the derived ones", () => {
  assert.deepEqual(
    targetRoots("https://h/B/STU3/1/gpconnect", {
      documents: "https://d/docs",
      dstu2: "https://h/B/DSTU2/0/gpconnect",
    }),
    {
      foundations: "https://h/B/STU3/1/gpconnect/fhir",
      structured: "https://h/B/STU3/1/gpconnect/structured/fhir",
      documents: "https://d/docs",
      dstu2: "https://h/B/DSTU2/0/gpconnect",
    },
  );
  assert.deepEqual(targetRoots(undefined, { structured: "https://s" }), {
    structured: "https://s",
  });
});

Deno.test("a practice's roots at a provider base follow GP Connect's format", () => {
  assert.deepEqual(practiceRoots("http://127.0.0.1:8083/", "B82617"), {
    foundations: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir",
    structured: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/structured/fhir",
    documents: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/documents/fhir",
    dstu2: "http://127.0.0.1:8083/B82617/DSTU2/0/gpconnect",
  });
});
