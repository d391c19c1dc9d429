import assert from "node:assert/strict";
import type { ValidationMessage } from "../model.ts";
import { gpConnectValidator, profileTest } from "./test-profiles.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const validator = await gpConnectValidator();
const sd = "https://fhir.nhs.uk/STU3/StructureDefinition";
const spine = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";
const outcomeProfile = `${sd}/GPConnect-OperationOutcome-1`;

/** A valid GPConnect-OperationOutcome-1. */
function outcome(): Json {
  return {
    resourceType: "OperationOutcome",
    meta: { profile: [outcomeProfile] },
    issue: [{
      severity: "error",
      code: "not-found",
      details: { coding: [{ system: spine, code: "NO_RECORD_FOUND", display: "No record found" }] },
    }],
  };
}

const errors = (resource: unknown, profile?: string) =>
  validator.validate(resource, profile === undefined ? {} : { profile }).filter((m) =>
    m.severity === "error"
  );
const brief = (messages: ValidationMessage[]) => messages.map((m) => `${m.rule} ${m.path}`);

profileTest("a valid resource against its claimed profile: no errors", () => {
  assert.deepEqual(errors(outcome()), []);
  assert.ok(validator.profiles.includes(outcomeProfile));
});

profileTest("cardinality: missing required, too many, prohibited (max 0)", () => {
  const missing = outcome();
  delete missing.issue[0].details.coding[0].display;
  assert.deepEqual(brief(errors(missing)), [
    "cardinality OperationOutcome.issue[0].details.coding[0].display",
  ]);
  const twice = outcome();
  twice.issue[0].details.coding.push({ ...twice.issue[0].details.coding[0] });
  assert.deepEqual(brief(errors(twice)), ["cardinality OperationOutcome.issue[0].details.coding"]);
  const prohibited = outcome();
  prohibited.issue[0].details.coding[0].version = "1";
  const [message] = errors(prohibited);
  assert.equal(message?.rule, "cardinality");
  assert.equal(message?.path, "OperationOutcome.issue[0].details.coding[0].version");
  assert.equal(message?.profile, outcomeProfile);
  assert.match(message?.message ?? "", /max 0/);
});

profileTest("unknown elements: not in the snapshot, nor in the base type", () => {
  const resource = outcome();
  resource.issue[0].detail = "typo";
  resource.issue[0].details.coding[0].colour = "red";
  assert.deepEqual(brief(errors(resource)), [
    "unknown-element OperationOutcome.issue[0].detail",
    "unknown-element OperationOutcome.issue[0].details.coding[0].colour",
  ]);
});

profileTest("types: primitives by JSON kind and format, complex types must be objects", () => {
  const resource = outcome();
  resource.issue[0].details.coding[0].userSelected = "yes"; // 0..0 anyway, but also wrong type
  resource.issue[0].diagnostics = 42;
  resource.meta.lastUpdated = "2025-02-30T10:00:00Z";
  resource.issue[0].details.text = { div: "x" };
  const rules = errors(resource).map((m) => `${m.rule} ${m.path} ${m.message}`);
  assert.ok(rules.some((r) => r.startsWith("type OperationOutcome.issue[0].diagnostics string")));
  assert.ok(rules.some((r) => r.startsWith("type OperationOutcome.meta.lastUpdated instant")));
  assert.ok(rules.some((r) => r.startsWith("type OperationOutcome.issue[0].details.text")));
  assert.ok(
    rules.some((r) =>
      r.startsWith("type OperationOutcome.issue[0].details.coding[0].userSelected")
    ),
  );
});

profileTest("fixed: a fixedUri must match exactly", () => {
  const resource = outcome();
  resource.issue[0].details.coding[0].system = "https://example.org/codes";
  const fixed = errors(resource).filter((m) => m.rule === "fixed");
  assert.deepEqual(brief(fixed), ["fixed OperationOutcome.issue[0].details.coding[0].system"]);
});

profileTest("required binding: codes of a CodeSystem in the directory", () => {
  const resource = outcome();
  resource.issue[0].details.coding[0].code = "NOT_A_SPINE_CODE";
  const [binding] = errors(resource);
  assert.equal(binding?.rule, "binding");
  assert.equal(binding?.path, "OperationOutcome.issue[0].details");
  assert.match(binding?.message ?? "", /Spine-ErrorOrWarningCode-1/);
});

profileTest("binding to a ValueSet outside the directory is information, never an error", () => {
  const resource = outcome();
  resource.issue[0].severity = "catastrophic"; // issue-severity is a base FHIR ValueSet
  assert.deepEqual(errors(resource), []);
  const info = validator.validate(resource).filter((m) =>
    m.rule === "binding" && m.path === "OperationOutcome.issue[0].severity"
  );
  assert.equal(info[0]?.severity, "information");
  assert.match(
    info[0]?.message ?? "",
    /^binding not checked: ValueSet .*issue-severity not available/,
  );
});

profileTest("an explicit profile option is used instead of meta.profile", () => {
  const resource = outcome();
  delete resource.meta;
  assert.deepEqual(errors(resource, outcomeProfile), []);
  resource.issue[0].details.coding[0].system = "x:y";
  assert.deepEqual(brief(errors(resource, outcomeProfile)), [
    "binding OperationOutcome.issue[0].details", // and no longer a Spine code
    "fixed OperationOutcome.issue[0].details.coding[0].system",
  ]);
  const wrongType = errors({ resourceType: "Patient" }, outcomeProfile);
  assert.deepEqual(brief(wrongType), ["profile Patient"]);
});

profileTest("no profile claimed: base STU3 structure only, said as information", () => {
  const messages = validator.validate({ resourceType: "Binary", contentType: "text/plain" });
  assert.deepEqual(messages.map((m) => [m.severity, m.rule]), [["information", "profile"]]);
  assert.match(messages[0]?.message ?? "", /base STU3 structure only/);
  const unknown = validator.validate({ resourceType: "Conformance" });
  assert.deepEqual(brief(unknown.filter((m) => m.severity === "error")), [
    "structure Conformance.resourceType",
  ]);
  const claimed = validator.validate({
    resourceType: "Binary",
    meta: { profile: ["https://example.org/StructureDefinition/Nope"] },
  });
  assert.deepEqual(claimed.map((m) => [m.severity, m.rule]), [["warning", "profile"]]);
});

profileTest("a type GP Connect profiles that claims none fails, meta absent or empty", () => {
  const noMeta = errors({ resourceType: "Patient", id: "1" });
  assert.deepEqual(brief(noMeta), ["profile Patient"]);
  assert.match(noMeta[0]?.message ?? "", /no meta .*CareConnect-GPC-Patient-1/);
  const emptyClaim = errors({ resourceType: "Slot", id: "1", meta: { versionId: "1" } });
  assert.match(emptyClaim[0]?.message ?? "", /claims no profile \(GPConnect-Slot-1 required\)/);
  // In a Bundle each entry answers for itself; a contained resource is its container's business.
  const bundle = errors({
    resourceType: "Bundle",
    type: "collection",
    entry: [{ resource: { resourceType: "Organization", id: "o" } }],
  });
  assert.deepEqual(brief(bundle), ["profile Bundle.entry[0].resource"]);
  const contained = errors({
    ...outcome(),
    contained: [{ resourceType: "Organization", id: "1" }],
  });
  assert.ok(!brief(contained).some((line) => line.includes("contained")));
});

profileTest(
  "Bundle entries and contained resources are validated against their own profiles",
  () => {
    const bad = outcome();
    bad.issue[0].details.coding[0].code = "NOPE";
    const bundle = {
      resourceType: "Bundle",
      type: "collection",
      entry: [
        { fullUrl: "urn:uuid:1", resource: outcome() },
        { fullUrl: "urn:uuid:2", resource: bad },
        { fullUrl: "urn:uuid:3", resource: { resourceType: "Basic", contained: [bad] } },
      ],
    };
    assert.deepEqual(brief(errors(bundle)), [
      "binding Bundle.entry[1].resource.issue[0].details",
      "binding Bundle.entry[2].resource.contained[0].issue[0].details",
    ]);
    const infos = validator.validate(bundle).filter((m) => m.rule === "profile");
    assert.deepEqual(infos.map((m) => m.path), ["Bundle", "Bundle.entry[2].resource"]);
  },
);

profileTest("JSON structure: empty arrays, objects, strings and nulls are errors anywhere", () => {
  const resource = outcome();
  resource.issue[0].location = [];
  resource.issue[0].expression = [""];
  resource.text = {};
  resource.issue[0].diagnostics = null;
  const structure = errors(resource).filter((m) => m.rule === "structure");
  assert.deepEqual(structure.map((m) => `${m.path}: ${m.message}`), [
    "OperationOutcome.issue[0].location: empty array",
    "OperationOutcome.issue[0].expression[0]: empty or whitespace-only string",
    "OperationOutcome.issue[0].diagnostics: null value",
    "OperationOutcome.text: empty object",
  ]);
});

profileTest("JSON array-ness follows the base definition", () => {
  const resource = outcome();
  resource.issue = resource.issue[0];
  resource.meta.profile = outcomeProfile;
  const structure = errors(resource, outcomeProfile).filter((m) => m.rule === "structure");
  assert.deepEqual(structure.map((m) => `${m.path}: ${m.message}`).sort(), [
    "OperationOutcome.issue: must be a JSON array",
    "OperationOutcome.meta.profile: must be a JSON array",
  ]);
});
