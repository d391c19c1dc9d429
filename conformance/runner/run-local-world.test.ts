/** runConformance end to end against the local world, through gpc-edge's SSP and directly. */
import assert from "node:assert/strict";
import type { TestCase } from "../model.ts";
import { resolveConfig } from "../config/harness-config.ts";
import type { Settings } from "../config/setting-value.ts";
import { openTarget } from "../target/open-target.ts";
import { runConformance } from "./run.ts";
import { metadataScenario, stubDeps } from "./test-support.ts";

const READ_PATIENT = "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1";
const SEARCH_PATIENT = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
const STRUCTURED = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
const SEARCH_DOCUMENTS =
  "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1";

function config(settings: Settings = {}) {
  return resolveConfig({ layers: [settings], now: new Date(), cwd: "/tmp" });
}

// End to end against the local world, through gpc-edge's SSP and directly.
const e2eCases: TestCase[] = [
  metadataScenario("metadata", {
    expect: {
      status: 200,
      resourceType: "CapabilityStatement",
      headers: { "Content-Type": "/^application\\/fhir\\+json/" },
    },
  }),
  {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: "search",
      title: "search by NHS number",
      product: "foundations",
      tags: [],
      requirements: ["FND-SEARCH"],
      request: {
        interaction: SEARCH_PATIENT,
        patientRole: "rich-record",
        path: "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}",
      },
      expect: {
        status: 200,
        resourceType: "Bundle",
        bundleType: "searchset",
        fhirpath: [{
          expression:
            "entry.resource.identifier.where(system = 'https://fhir.nhs.uk/Id/nhs-number').value = '9690937286'",
          description: "the patient",
        }],
      },
    },
  },
  {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: "read",
      title: "read by logical id",
      product: "foundations",
      tags: [],
      requirements: ["FND-READ"],
      request: {
        interaction: READ_PATIENT,
        patientRole: "rich-record",
        path: "/Patient/{patientId}",
      },
      expect: { status: 200, resourceType: "Patient" },
    },
  },
  {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: "structured",
      title: "structured record, Bundle.id = trace id",
      product: "structured",
      tags: [],
      requirements: ["STR-BUNDLE"],
      request: {
        interaction: STRUCTURED,
        patientRole: "rich-record",
        path: "/Patient/$gpc.getstructuredrecord",
        body: {
          resourceType: "Parameters",
          parameter: [{
            name: "patientNHSNumber",
            valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "{nhsNumber}" },
          }],
        },
      },
      expect: {
        status: 200,
        resourceType: "Bundle",
        bundleType: "collection",
        bundleIdIsTraceId: true,
      },
    },
  },
  {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: "documents",
      title: "document search",
      product: "documents",
      tags: [],
      requirements: ["DOC-SEARCH"],
      request: {
        interaction: SEARCH_DOCUMENTS,
        patientRole: "rich-record",
        path:
          "/Patient/{patientId}/DocumentReference?_include=DocumentReference:subject:Patient&_include=DocumentReference:custodian:Organization&_include=DocumentReference:author:Organization&_include=DocumentReference:author:Practitioner&_revinclude:recurse=PractitionerRole:practitioner",
      },
      expect: {
        status: 200,
        resourceType: "Bundle",
        bundleType: "searchset",
        bundleIdIsTraceId: true,
      },
    },
  },
  // Each negative names its positive twin, the same request without the defect.
  metadataScenario("missing-trace-id", {
    tags: ["negative"],
    twin: "metadata",
    mutations: [{ kind: "drop-header", header: "Ssp-TraceID" }],
    expect: {
      status: 400,
      spineCode: "BAD_REQUEST",
      resourceType: "OperationOutcome",
      viaSsp: {
        status: 400,
        spineCode: "MISSING_OR_INVALID_HEADER",
        resourceType: "OperationOutcome",
      },
    },
  }),
  metadataScenario("unknown-patient", {
    tags: ["negative"],
    twin: "read",
    request: { interaction: READ_PATIENT, path: "/Patient/00000000-0000-4000-8000-000000000000" },
    expect: {
      status: 404,
      spineCode: ["PATIENT_NOT_FOUND", "NO_RECORD_FOUND"],
      resourceType: "OperationOutcome",
    },
  }),
];

for (const localDirect of [false, true]) {
  Deno.test(`runConformance end to end: the local world ${localDirect ? "directly" : "through gpc-edge's SSP"}, all pass`, async () => {
    const settings: Settings = localDirect ? { localDirect: true } : {};
    const target = await openTarget(config(settings));
    try {
      assert.equal(target.sspPrefix === undefined, localDirect);
      let preflightProblems = -1;
      const report = await runConformance({
        config: config(settings),
        deps: stubDeps(e2eCases),
        target,
        onPreflight: (preflight) => preflightProblems = preflight.problems.size,
      });
      assert.equal(preflightProblems, 0);
      const failures = report.results.filter((r) => r.status !== "pass").map((r) => ({
        id: r.id,
        reason: r.reason,
        failed: r.assertions.filter((a) => !a.passed),
        response: r.exchanges[0]?.response?.body?.slice(0, 400),
      }));
      assert.deepEqual(failures, []);
      assert.equal(report.totals.passed, e2eCases.length);
      assert.equal(report.target.kind, "local");
    } finally {
      await target.close();
    }
  });
}
