import assert from "node:assert/strict";
import { escapeXml, exchangeSummary, junitXml, shortInteraction } from "./junit.ts";
import { list, type Node, parseJunit } from "./testing/parse-junit.ts";
import { HOSTILE, SAMPLE_SECRETS, SAMPLE_TOTALS, sampleReport } from "./testing/sample-report.ts";

Deno.test("junitXml: well-formed; one suite per product; counts agree with the results", () => {
  const { root, suites } = parseJunit(junitXml(sampleReport()));
  assert.equal(root["@_tests"], String(SAMPLE_TOTALS.tests));
  assert.equal(root["@_failures"], String(SAMPLE_TOTALS.failed));
  assert.equal(root["@_errors"], String(SAMPLE_TOTALS.errored));
  // Not-run and inconclusive tests are <skipped> too (their messages say which).
  assert.equal(
    root["@_skipped"],
    String(SAMPLE_TOTALS.skipped + SAMPLE_TOTALS.notRun + SAMPLE_TOTALS.inconclusive),
  );
  assert.deepEqual(suites.map((s) => s["@_name"]), [
    "foundations",
    "appointments",
    "structured",
    "documents",
  ]);
  let cases = 0, failures = 0, errors = 0, skipped = 0;
  for (const s of suites) {
    const tc = list(s.testcase);
    assert.equal(String(tc.length), s["@_tests"]);
    assert.equal(String(tc.filter((c) => c.failure !== undefined).length), s["@_failures"]);
    assert.equal(String(tc.filter((c) => c.error !== undefined).length), s["@_errors"]);
    assert.equal(String(tc.filter((c) => c.skipped !== undefined).length), s["@_skipped"]);
    cases += tc.length;
    failures += tc.filter((c) => c.failure !== undefined).length;
    errors += tc.filter((c) => c.error !== undefined).length;
    skipped += tc.filter((c) => c.skipped !== undefined).length;
  }
  assert.deepEqual([cases, failures, errors, skipped], [10, 2, 1, 3]);
  const xml = junitXml(sampleReport());
  assert.match(xml, /<skipped message="not run: fixture role not ready: rich-record"\/>/);
  assert.match(xml, /<skipped message="inconclusive: its positive twin read-metadata.gen.twin/);
});

Deno.test("junitXml: each suite's properties carry the run's identity and requirement verdicts", () => {
  const { suites } = parseJunit(junitXml(sampleReport()));
  for (const suite of suites) {
    const props = new Map(
      list((suite.properties as Node).property).map((p) => [p["@_name"], p["@_value"]]),
    );
    assert.equal(props.get("odsCode"), "B82617");
    assert.equal(props.get("sspFrom"), "200000000359");
    assert.equal(props.get("sspTo"), "918999198738");
    assert.equal(props.get("fixtures.file"), "my-fixtures.json");
    assert.equal(props.get("fixture.rich-record"), "9690937278 (present)");
    assert.equal(props.get("profiles.sha256"), "a".repeat(64));
    assert.match(String(props.get("preflight")), /^partial: 2 Patient search\(es\), 1 of 2 role/);
    assert.equal(props.get("insecure"), "false");
    assert.equal(props.get("harness.commit"), "0123456789abcdef0123456789abcdef01234567");
    assert.equal(props.get("requirements.verified"), "1");
    assert.equal(props.get("requirements.failed"), "3");
    assert.equal(props.get("requirements.notRun"), "3");
    assert.equal(props.get("requirements.untested"), "1");
  }
});

Deno.test("junitXml: classname, name, time, requirement properties, failure text, system-out", () => {
  const { suites } = parseJunit(junitXml(sampleReport()));
  const foundations = list(suites[0]?.testcase);
  const hostile = foundations[1] as Node;
  assert.equal(hostile["@_classname"], "foundations.read:patient-1");
  assert.equal(
    hostile["@_name"],
    `foundations.patient.read-hostile — Patient read returns markup ${HOSTILE}`,
  );
  assert.equal(hostile["@_time"], "0.130");
  const props = list((hostile.properties as Node).property).map((p) => [p["@_name"], p["@_value"]]);
  assert.deepEqual(props.filter(([n]) => n === "requirement"), [
    ["requirement", "GPC-FND-PAT-01"],
    ["requirement", "GPC-FND-PAT-02"],
  ]);
  const failure = hostile.failure as Node;
  assert.match(
    String(failure["@_message"]),
    /^resourceType is Patient: expected Patient, got <script>/,
  );
  assert.match(String(failure["#text"]), /GPC-FND-PAT-02: resourceType is Patient/);
  assert.match(
    String(failure["#text"]),
    /validation fixed at Patient.identifier\[1\].system: Fixed value/,
  );
  assert.match(
    String(hostile["system-out"]),
    /^#1 GET https:\/\/provider.example\/.*\/Patient\/2\?access_token=\[REDACTED\] -> 200 in 480 ms/,
  );
  const structured = list(suites[2]?.testcase);
  assert.equal(
    (structured[1]?.error as Node)["@_message"],
    "connect ECONNREFUSED provider.example:443",
  );
  assert.equal((structured[2]?.skipped as Node)["@_message"], "target does not offer migrate");
  assert.equal(list(suites[3]?.testcase)[0]?.["@_classname"], "documents.flow");
});

Deno.test("junitXml: secrets never appear; markup and invalid XML characters are escaped", () => {
  const xml = junitXml(sampleReport());
  for (const secret of SAMPLE_SECRETS) assert.ok(!xml.includes(secret), `leaked ${secret}`);
  assert.ok(!xml.includes("<script>"));
  assert.ok(!xml.includes("\u0001"));
  assert.equal(escapeXml(`a<b>&"'\u0000\uD800z`), "a&lt;b&gt;&amp;&quot;&apos;\uFFFD\uFFFDz");
  assert.equal(escapeXml("\uD83D\uDE00"), "\uD83D\uDE00", "surrogate pairs stay");
});

Deno.test("shortInteraction and exchangeSummary", () => {
  assert.equal(
    shortInteraction("urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1"),
    "search:patient-1",
  );
  assert.equal(
    shortInteraction("urn:nhs:names:services:gpconnect:documents:fhir:rest:read:binary-1"),
    "read:binary-1",
  );
  assert.equal(
    shortInteraction("urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1"),
    "gpc.getstructuredrecord-1",
  );
  assert.equal(shortInteraction(undefined), "flow");
  assert.equal(
    exchangeSummary({
      step: "s",
      request: { method: "GET", url: "u", headers: {} },
      error: "timeout",
      startedAt: "t",
      latencyMs: 1.6,
    }, 0),
    "#1 [s] GET u -> no response (timeout) in 2 ms at t",
  );
});
