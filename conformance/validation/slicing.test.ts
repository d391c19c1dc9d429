import assert from "node:assert/strict";
import type { ValidationMessage } from "../model.ts";
import { gpConnectValidator, profileTest } from "./test-profiles.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const validator = await gpConnectValidator();
const sd = "https://fhir.nhs.uk/STU3/StructureDefinition";
const cs = "https://fhir.nhs.uk/STU3/CodeSystem";
const nhsNumber = "https://fhir.nhs.uk/Id/nhs-number";

const verification = (code = "01") => ({
  url: `${sd}/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1`,
  valueCodeableConcept: {
    coding: [{ system: `${cs}/CareConnect-NHSNumberVerificationStatus-1`, code, display: "x" }],
  },
});

const registration = (type = "R") => ({
  url: `${sd}/Extension-CareConnect-GPC-RegistrationDetails-1`,
  extension: [{
    url: "registrationType",
    valueCodeableConcept: {
      coding: [{ system: `${cs}/CareConnect-RegistrationType-1`, code: type, display: "x" }],
    },
  }],
});

/** A valid CareConnect-GPC-Patient-1. */
function patient(): Json {
  return {
    resourceType: "Patient",
    id: "2",
    meta: { profile: [`${sd}/CareConnect-GPC-Patient-1`] },
    extension: [registration()],
    identifier: [{ extension: [verification()], system: nhsNumber, value: "9690937286" }],
    name: [{ use: "official", family: "Skelly", given: ["Horace"] }],
    gender: "male",
    birthDate: "1942-02-03",
  };
}

const errors = (resource: unknown) =>
  validator.validate(resource).filter((m) => m.severity === "error");
const brief = (messages: ValidationMessage[]) =>
  messages.map((m) => `${m.rule} ${m.path} ${m.message}`);

profileTest("slicing: a valid patient fills its slices", () => {
  assert.deepEqual(brief(errors(patient())), []);
});

profileTest("slicing by system: the NHS number slice's own rules and cardinality", () => {
  const noVerification = patient();
  delete noVerification.identifier[0].extension;
  assert.deepEqual(brief(errors(noVerification)), [
    "slicing Patient.identifier[0].extension slice 'nhsNumberVerificationStatus' requires at least 1 item(s), found 0",
  ]);
  const twice = patient();
  twice.identifier.push({ ...twice.identifier[0], value: "9690937278" });
  assert.deepEqual(brief(errors(twice)), [
    "slicing Patient.identifier slice 'nhsNumber' allows at most 1 item(s), found 2",
  ]);
  const localFirst = patient();
  localFirst.identifier.unshift({ system: "https://example.org/local", value: "L1" });
  assert.deepEqual(brief(errors(localFirst)), [
    "slicing Patient.identifier[1] slice 'nhsNumber' item after an unsliced item (slicing is openAtEnd)",
  ]);
  const localLast = patient();
  localLast.identifier.push({ system: "https://example.org/local", value: "L1" });
  assert.deepEqual(
    brief(errors(localLast)),
    [],
    "open slicing accepts other identifiers at the end",
  );
});

profileTest("slicing by use: the official name is required", () => {
  const usual = patient();
  usual.name[0].use = "usual";
  assert.deepEqual(brief(errors(usual)), [
    "slicing Patient.name slice 'official' requires at least 1 item(s), found 0",
  ]);
});

profileTest("slicing by url: extension slices, their definitions and cardinality", () => {
  const twice = patient();
  twice.extension.push(registration());
  assert.deepEqual(brief(errors(twice)), [
    "slicing Patient.extension slice 'registrationDetails' allows at most 1 item(s), found 2",
  ]);
  const badCode = patient();
  badCode.extension = [registration("ZZ")];
  const [binding] = errors(badCode);
  assert.equal(binding?.rule, "binding");
  assert.equal(binding?.path, "Patient.extension[0].extension[0].valueCodeableConcept");
  assert.equal(binding?.profile, `${sd}/Extension-CareConnect-GPC-RegistrationDetails-1`);
  const badVerification = patient();
  badVerification.identifier[0].extension = [verification("99")];
  assert.deepEqual(errors(badVerification).map((m) => m.rule), ["binding"]);
  const unknown = patient();
  unknown.extension.push({ url: "https://example.org/StructureDefinition/x", valueString: "x" });
  assert.deepEqual(errors(unknown), []);
  const info = validator.validate(unknown).find((m) => m.path === "Patient.extension[1]");
  assert.match(
    info?.message ?? "",
    /^extension https:\/\/example.org\/StructureDefinition\/x not checked/,
  );
});

profileTest("slicing by coding.system: PractitionerRole.code and its required binding", () => {
  const role = (codes: string[]): Json => ({
    resourceType: "PractitionerRole",
    meta: { profile: [`${sd}/CareConnect-GPC-PractitionerRole-1`] },
    practitioner: { reference: "Practitioner/1" },
    organization: { reference: "Organization/1" },
    code: codes.map((code) => ({
      coding: [{ system: `${cs}/CareConnect-SDSJobRoleName-1`, code, display: "x" }],
    })),
  });
  assert.deepEqual(brief(errors(role(["R0260"]))), []);
  assert.deepEqual(brief(errors(role(["R0260", "R0270"]))), [
    "slicing PractitionerRole.code slice 'sdsJobRoleName' allows at most 1 item(s), found 2",
  ]);
  assert.deepEqual(errors(role(["NOT-A-ROLE"])).map((m) => `${m.rule} ${m.path}`), [
    "binding PractitionerRole.code[0]",
  ]);
});

profileTest("choice types: the suffix must name an allowed type", () => {
  const deceased = patient();
  deceased.deceasedDateTime = "2020-01-01T10:00:00Z";
  deceased.multipleBirthBoolean = true;
  assert.deepEqual(brief(errors(deceased)), []);
  const restricted = patient();
  restricted.deceasedBoolean = true; // the profile keeps deceasedDateTime only
  assert.deepEqual(errors(restricted).map((m) => `${m.rule} ${m.path}`), [
    "unknown-element Patient.deceasedBoolean",
  ]);
  const observation = (effective: Json): Json => ({
    resourceType: "Observation",
    meta: { profile: [`${sd}/CareConnect-GPC-Observation-1`] },
    status: "final",
    code: { coding: [{ system: "http://snomed.info/sct", code: "27113001", display: "Weight" }] },
    subject: { reference: "Patient/2" },
    ...effective,
    valueQuantity: { value: 72.5, unit: "kg", system: "http://unitsofmeasure.org", code: "kg" },
  });
  const effectiveErrors = (effective: Json) =>
    errors(observation(effective)).filter((m) => m.path.startsWith("Observation.effective"))
      .map((m) => `${m.rule} ${m.path}`);
  assert.deepEqual(effectiveErrors({ effectiveDateTime: "2024-05-01" }), []);
  assert.deepEqual(effectiveErrors({ effectivePeriod: { start: "2024-05-01" } }), []);
  assert.deepEqual(effectiveErrors({ effectiveInstant: "2024-05-01T10:00:00Z" }), [
    "type Observation.effectiveInstant",
  ]);
  assert.deepEqual(
    effectiveErrors({ effectiveDateTime: "2024-05-01", effectivePeriod: { start: "2024-05-01" } }),
    ["cardinality Observation.effectiveDateTime"],
  );
  assert.deepEqual(effectiveErrors({ effectiveDateTime: "yesterday" }), [
    "type Observation.effectiveDateTime",
  ]);
  const wrongExtensionType = patient();
  wrongExtensionType.identifier[0].extension[0] = { url: verification().url, valueString: "01" };
  assert.deepEqual(errors(wrongExtensionType).map((m) => `${m.rule} ${m.path}`), [
    "unknown-element Patient.identifier[0].extension[0].valueString",
    "cardinality Patient.identifier[0].extension[0].valueCodeableConcept",
  ]);
});

profileTest("primitive extensions: _name twins are walked and aligned", () => {
  const resource = patient();
  resource._birthDate = {
    extension: [{
      url: "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
      valueDateTime: "1942-02-03T10:20:00Z",
    }],
  };
  resource.name[0]._given = [{ id: "g1" }];
  assert.deepEqual(brief(errors(resource)), []);
  resource.name[0]._given = [{ id: "g1" }, { id: "g2" }];
  resource._birthDate = { colour: "red" };
  assert.deepEqual(errors(resource).map((m) => `${m.rule} ${m.path}`), [
    "structure Patient.name[0]._given",
    "unknown-element Patient._birthDate.colour",
  ]);
});
