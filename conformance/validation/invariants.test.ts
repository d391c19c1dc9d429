import assert from "node:assert/strict";
import { evaluateInvariant, invariantCoverage } from "./invariants.ts";
import { gpConnectValidator, profileTest } from "./test-profiles.ts";

const sd = "https://fhir.nhs.uk/STU3/StructureDefinition";

Deno.test("an invariant holds, is violated, or is skipped with why (never a silent pass)", () => {
  const patient = { resourceType: "Patient", contact: [{ gender: "male" }] };
  const pat1 = {
    key: "pat-1",
    severity: "error" as const,
    human: "a contact's details or an organization",
    expression: "name.exists() or telecom.exists() or address.exists() or organization.exists()",
  };
  assert.equal(
    evaluateInvariant(pat1, "Patient.contact", patient.contact[0], patient).kind,
    "violated",
  );
  const named = { resourceType: "Patient", contact: [{ name: { family: "X" } }] };
  assert.equal(evaluateInvariant(pat1, "Patient.contact", named.contact[0], named).kind, "held");
  const conforms = { ...pat1, key: "x-2", expression: "conformsTo('http://x')" };
  const verdict = evaluateInvariant(conforms, "Patient", patient, patient);
  assert.deepEqual(verdict, {
    kind: "skipped",
    reason: "conformsTo() is not implemented by fhirpath.js",
  });
  const unparsable = { ...pat1, key: "x-3", expression: "text.div.exists()" };
  assert.match(
    (evaluateInvariant(unparsable, "Patient", patient, patient) as { reason: string }).reason,
    /does not parse/,
  );
  const skipped = invariantCoverage().skipped.map((s) => s.invariant);
  assert.ok(skipped.includes("x-2: conformsTo('http://x')"));
  assert.ok(skipped.includes("x-3: text.div.exists()"));
  assert.ok(invariantCoverage().evaluated >= 1);
});

profileTest(
  "the validator evaluates the snapshots' invariants and lists the ones it skipped",
  async () => {
    const validator = await gpConnectValidator();
    const patient = {
      resourceType: "Patient",
      meta: { profile: [`${sd}/CareConnect-GPC-Patient-1`] },
      identifier: [{
        system: "https://fhir.nhs.uk/Id/nhs-number",
        value: "9690937286",
        extension: [{
          url:
            "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1",
          valueCodeableConcept: {
            coding: [{
              system:
                "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1",
              code: "01",
            }],
          },
        }],
      }],
      name: [{ use: "official", family: "Jones" }],
      contact: [{ gender: "male" }],
    };
    const messages = validator.validate(patient);
    const invariants = messages.filter((m) => m.rule === "invariant");
    const errors = invariants.filter((m) => m.severity === "error");
    assert.deepEqual(errors.map((m) => m.path), ["Patient.contact[0]"]);
    assert.match(errors[0]?.message ?? "", /^pat-1: /);
    const listed = invariants.find((m) => m.severity === "information");
    assert.match(
      listed?.message ?? "",
      /invariant\(s\) not evaluated: .*ele-1 \(covered by the structure rule/,
    );
    const fine = validator.validate({ ...patient, contact: [{ name: { family: "Smith" } }] });
    assert.deepEqual(fine.filter((m) => m.rule === "invariant" && m.severity === "error"), []);
  },
);
