/**
 * A synthetic run report for the reporters' tests: four products; pass, fail, error and skip;
 * a flow; hostile bodies (`<script>`, `</script>`, `]]>`, control characters); and secrets
 * (bearer JWT, opaque bearer, apikey, cookie, token query parameter) that must never reach an
 * output.
 *
 * @module
 */

import type { Exchange, RunReport, TestResult } from "../../model.ts";

/** A JWT as a consumer would send it (unsigned, GP Connect style). */
export const SAMPLE_JWT =
  "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJodHRwczovL2NvbnN1bWVyLmV4YW1wbGUiLCJzdWIiOiIxIn0.";

/** Every secret planted in the sample; none may appear in any output. */
export const SAMPLE_SECRETS: readonly string[] = [
  SAMPLE_JWT,
  "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0",
  "eyJpc3MiOiJodHRwczovL2NvbnN1bWVyLmV4YW1wbGUiLCJzdWIiOiIxIn0",
  "SECRET-APIKEY-0123456789",
  "s3cr3t-cookie-value",
  "opaqueQueryToken123456",
  "opaque-pfs-token-abcdef",
];

/** The hostile markup placed in bodies and messages. */
export const HOSTILE =
  `<script>alert("pwned")</script></script><img src="https://evil.example/x.png">]]>`;

const ROOT = "https://provider.example/B82617/STU3/1/gpconnect";

function exchange(over: Partial<Exchange> & { latencyMs: number }): Exchange {
  return {
    request: {
      method: "GET",
      url: `${ROOT}/fhir/metadata`,
      headers: {
        Accept: "application/fhir+json",
        Authorization: `Bearer ${SAMPLE_JWT}`,
        "Ssp-TraceID": "7c9f0b1e-1111-2222-3333-444455556666",
      },
      jwt: { iss: "https://consumer.example", requested_scope: "organization/*.read" },
    },
    response: {
      status: 200,
      headers: { "Content-Type": "application/fhir+json" },
      body: '{"resourceType":"CapabilityStatement","fhirVersion":"3.0.1"}',
    },
    startedAt: "2025-01-06T09:00:01.000Z",
    ...over,
  };
}

function result(
  over: Partial<TestResult> & Pick<TestResult, "id" | "product" | "status">,
): TestResult {
  return {
    title: `Test ${over.id}`,
    interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
    tags: ["metadata"],
    requirements: ["GPC-FHIR-META-01"],
    assertions: [{ description: "status is 200", passed: true, requirement: "GPC-FHIR-META-01" }],
    validation: [],
    exchanges: [exchange({ latencyMs: 120 })],
    startedAt: "2025-01-06T09:00:01.000Z",
    durationMs: 130,
    ...over,
  };
}

const RESULTS: readonly TestResult[] = [
  result({ id: "foundations.metadata.read", product: "foundations", status: "pass" }),
  result({
    id: "foundations.patient.read-hostile",
    title: `Patient read returns markup ${HOSTILE}`,
    product: "foundations",
    status: "fail",
    interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1",
    requirements: ["GPC-FND-PAT-01", "GPC-FND-PAT-02"],
    assertions: [
      { description: "status is 200", passed: true, requirement: "GPC-FND-PAT-01" },
      {
        description: "resourceType is Patient",
        passed: false,
        requirement: "GPC-FND-PAT-02",
        message: `expected Patient, got ${HOSTILE} with token ${SAMPLE_JWT}`,
      },
    ],
    validation: [
      {
        severity: "error",
        path: "Patient.identifier[0].system",
        message: "Fixed value",
        rule: "fixed",
      },
      {
        severity: "error",
        path: "Patient.identifier[1].system",
        message: "Fixed value",
        rule: "fixed",
      },
      {
        severity: "warning",
        path: "Patient.name[0]",
        message: `Name \u0001 ${HOSTILE}`,
        rule: "pattern",
      },
      { severity: "information", path: "Patient", message: "Profile checked", rule: "profile" },
    ],
    exchanges: [exchange({
      latencyMs: 480,
      request: {
        method: "GET",
        url: `${ROOT}/fhir/Patient/2?access_token=opaqueQueryToken123456`,
        headers: {
          Authorization: "Bearer opaque-pfs-token-abcdef",
          apikey: "SECRET-APIKEY-0123456789",
          Cookie: "session=s3cr3t-cookie-value; theme=dark",
        },
        jwt: { iss: "https://consumer.example", nested: { echoed: SAMPLE_JWT } },
      },
      response: {
        status: 200,
        headers: {
          "Content-Type": "text/html",
          "Set-Cookie": "session=s3cr3t-cookie-value; Path=/",
        },
        body: `<html>${HOSTILE} echo opaque-pfs-token-abcdef and ${SAMPLE_JWT}</html>`,
      },
    })],
  }),
  result({
    id: "foundations.jwt.no-aud",
    product: "foundations",
    status: "pass",
    tags: ["jwt", "negative"],
    exchanges: [exchange({
      latencyMs: 35,
      response: { status: 400, headers: {}, body: '{"resourceType":"OperationOutcome"}' },
    })],
  }),
  result({
    id: "structured.allergies.resolved",
    product: "structured",
    status: "pass",
    interaction: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1",
    exchanges: [exchange({ latencyMs: 1900 }), exchange({ latencyMs: 2400 })],
  }),
  result({
    id: "structured.preflight",
    product: "structured",
    status: "error",
    requirements: ["GPC-STR-MIG-01"],
    reason: "connect ECONNREFUSED provider.example:443",
    assertions: [],
    exchanges: [{
      request: { method: "GET", url: `${ROOT}/structured/fhir/metadata`, headers: {} },
      error: "ECONNREFUSED",
      startedAt: "2025-01-06T09:00:02.000Z",
      latencyMs: 5,
    }],
  }),
  result({
    id: "structured.migrate",
    product: "structured",
    status: "skip",
    reason: "target does not offer migrate",
    assertions: [],
    exchanges: [],
  }),
  result({
    id: "documents/flow: retrieve big doc?",
    product: "documents",
    status: "fail",
    interaction: undefined,
    requirements: ["GPC-DOC-BIN-01"],
    assertions: [
      { description: "search finds documents", passed: true, step: "search" },
      { description: "binary is retrieved", passed: false, step: "retrieve", message: "got 404" },
    ],
    exchanges: [
      exchange({ step: "search", latencyMs: 60 }),
      exchange({
        step: "retrieve",
        latencyMs: 75,
        request: {
          method: "POST",
          url: `${ROOT}/documents/fhir/Binary/1`,
          headers: {},
          body: '{"a":1}',
        },
      }),
    ],
  }),
  result({ id: "appointments.book.ok", product: "appointments", status: "pass" }),
  result({
    id: "structured.allergies",
    product: "structured",
    status: "not-run",
    reason: "fixture role not ready: rich-record",
    requirements: ["GPC-STR-ALG-01"],
    assertions: [],
    exchanges: [],
  }),
  result({
    id: "foundations.metadata.neg.missing-ssp-to",
    product: "foundations",
    status: "inconclusive",
    reason: "its positive twin read-metadata.gen.twin did not pass (fail)",
    requirements: ["GPC-SSP-TO-01"],
    tags: ["negative"],
  }),
];

/** The sample report: 10 tests (4 passed, 2 failed, 1 errored, 1 skipped, 1 not run, 1 inconclusive). */
export function sampleReport(): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: "gpc-edge conformance", version: "0.1.0" },
    startedAt: "2025-01-06T09:00:00.000Z",
    finishedAt: "2025-01-06T09:00:09.500Z",
    runClock: "2025-01-06T09:00:00.000Z",
    target: {
      kind: "ssp",
      description: `reference provider <via SSP> ${HOSTILE}`,
      roots: { foundations: `${ROOT}/fhir`, structured: `${ROOT}/structured/fhir` },
      sspPrefix: "https://ssp.example/",
    },
    selection: { tags: ["metadata", "jwt"], products: ["foundations"] },
    identity: {
      odsCode: "B82617",
      sspFrom: "200000000359",
      sspTo: "918999198738",
      fixtures: {
        file: "my-fixtures.json",
        roles: {
          "rich-record": { nhsNumber: "9690937278", expect: "present" },
          "not-found": { nhsNumber: "9999999999", expect: "absent" },
        },
      },
      profiles: { dir: "/profiles/gpconnect-fhir-1.5.0", sha256: "a".repeat(64), files: 143 },
      preflight: {
        outcome: "partial",
        searches: 2,
        roles: 2,
        notReady: {
          "rich-record": "role rich-record (9690937278): Patient search found no patient",
        },
        warnings: [],
        stopped: false,
        keepGoing: false,
      },
      insecure: false,
      clockGiven: true,
      harness: {
        version: "0.1.0",
        commit: "0123456789abcdef0123456789abcdef01234567",
        dirty: false,
      },
      evidence: "failures",
    },
    totals: SAMPLE_TOTALS,
    byProduct: {
      foundations: { ...zero, tests: 4, passed: 2, failed: 1, inconclusive: 1 },
      structured: { ...zero, tests: 4, passed: 1, errored: 1, skipped: 1, notRun: 1 },
      documents: { ...zero, tests: 1, failed: 1 },
      appointments: { ...zero, tests: 1, passed: 1 },
    },
    // As requirementCoverage finds it: GPC-FND-PAT-01 is named only by a failed test (whose
    // failure is another requirement's), so it is neither verified nor failed.
    coverage: {
      requirements: 8,
      verified: ["GPC-FHIR-META-01"],
      failed: ["GPC-FND-PAT-02", "GPC-STR-MIG-01", "GPC-DOC-BIN-01"],
      notRun: ["GPC-FND-PAT-01", "GPC-STR-ALG-01", "GPC-SSP-TO-01"],
      untested: ["GPC-HTML-01"],
      unverified: [
        "GPC-FND-PAT-02",
        "GPC-STR-MIG-01",
        "GPC-DOC-BIN-01",
        "GPC-FND-PAT-01",
        "GPC-STR-ALG-01",
        "GPC-SSP-TO-01",
        "GPC-HTML-01",
      ],
    },
    results: RESULTS,
  };
}

const zero = { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, notRun: 0, inconclusive: 0 };

/** Expected totals of {@link sampleReport}. */
export const SAMPLE_TOTALS = {
  tests: 10,
  passed: 4,
  failed: 2,
  errored: 1,
  skipped: 1,
  notRun: 1,
  inconclusive: 1,
} as const;
