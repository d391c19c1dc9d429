import assert from "node:assert/strict";
import { dottedPath } from "./step-values.ts";
import {
  fillBody,
  fillTemplate,
  MissingStepError,
  type PlaceholderContext,
  TemplateError,
} from "./placeholders.ts";

const context: PlaceholderContext = {
  nhsNumber: "9690937286",
  patientId: "2",
  patientRole: "rich-record",
  odsCode: "B82617",
  runClock: new Date("2026-11-23T10:00:00.123Z"),
  traceId: "trace-1",
  steps: new Map([["book", {
    id: "appt-9",
    meta: { versionId: "3" },
    entry: [{ n: 1 }, { n: 2 }],
  }]]),
  epoch: 1_795_428_000,
  jwt: "aaa.bbb.",
};

Deno.test("fillTemplate fills patient, practice, trace and clock placeholders", () => {
  assert.equal(
    fillTemplate("/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}", context),
    "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937286",
  );
  assert.equal(fillTemplate("/Patient/{patientId}/Appointment", context), "/Patient/2/Appointment");
  assert.equal(fillTemplate("{odsCode}|{traceId}", context), "B82617|trace-1");
  assert.equal(fillTemplate("{now}", context), "2026-11-23T10:00:00Z");
});

Deno.test("fillTemplate computes {today±N} from the run clock, across month ends", () => {
  assert.equal(fillTemplate("{today}", context), "2026-11-23");
  assert.equal(fillTemplate("ge{today+8}", context), "ge2026-12-01");
  assert.equal(fillTemplate("le{today-23}", context), "le2026-10-31");
});

Deno.test("fillTemplate reads earlier flow steps by dotted path, numbers indexing arrays", () => {
  assert.equal(fillTemplate("/Appointment/{step.book.id}", context), "/Appointment/appt-9");
  assert.equal(fillTemplate('W/"{step.book.meta.versionId}"', context), 'W/"3"');
  assert.equal(fillTemplate("{step.book.entry.1.n}", context), "2");
  assert.throws(() => fillTemplate("{step.cancel.id}", context), MissingStepError);
  assert.throws(() => fillTemplate("{step.book.nothing}", context), MissingStepError);
});

Deno.test("fillTemplate fills {jwt} and {epoch±N} when a mutation is applied", () => {
  assert.equal(fillTemplate("Basic {jwt}", context), "Basic aaa.bbb.");
  assert.equal(
    fillTemplate("{epoch}/{epoch+300}/{epoch-600}", context),
    "1795428000/1795428300/1795427400",
  );
  const { jwt: _jwt, ...withoutJwt } = context;
  assert.throws(() => fillTemplate("{jwt}", withoutJwt), TemplateError);
});

Deno.test("fillTemplate: unknown placeholders fail when strict and stay when lenient", () => {
  assert.throws(
    () => fillTemplate("/Patient/{nhsnumber}", context),
    /unknown placeholder \{nhsnumber\}/,
  );
  assert.equal(
    fillTemplate('{"a": {nope}, "n": "{nhsNumber}"}', context, { strict: false }),
    '{"a": {nope}, "n": "9690937286"}',
  );
});

Deno.test("fillTemplate names the missing role or id", () => {
  const bare: PlaceholderContext = { odsCode: "B82617", runClock: new Date(), traceId: "t" };
  assert.throws(() => fillTemplate("{nhsNumber}", bare), /needs request.patientRole/);
  assert.throws(
    () => fillTemplate("{patientId}", { ...bare, patientRole: "sensitive" }),
    /no logical id for role sensitive/,
  );
});

Deno.test("fillBody fills every string of a JSON body and keeps other values", () => {
  const body = {
    resourceType: "Parameters",
    parameter: [{ name: "patientNHSNumber", valueIdentifier: { value: "{nhsNumber}" } }, {
      n: 1,
      b: true,
      z: null,
    }],
  };
  assert.deepEqual(fillBody(body, context), {
    resourceType: "Parameters",
    parameter: [{ name: "patientNHSNumber", valueIdentifier: { value: "9690937286" } }, {
      n: 1,
      b: true,
      z: null,
    }],
  });
});

Deno.test("dottedPath walks objects and arrays", () => {
  assert.equal(dottedPath({ a: [{ b: "x" }] }, ["a", "0", "b"]), "x");
  assert.equal(dottedPath({ a: 1 }, ["a", "b"]), undefined);
});

Deno.test("{step.<name>:<FHIRPath>} takes the first value; quotes and braces stay inside", () => {
  const seen: string[] = [];
  const withFhirPath: PlaceholderContext = {
    ...context,
    evaluateFhirPath: (_resource, expression) => {
      seen.push(expression);
      return expression.includes("none") ? [] : ["slot-1", "slot-2"];
    },
  };
  assert.equal(
    fillTemplate("Slot/{step.book:entry.where(x = '}{').select({}).first().id}/x", withFhirPath),
    "Slot/slot-1/x",
  );
  assert.deepEqual(seen, ["entry.where(x = '}{').select({}).first().id"]);
  assert.throws(() => fillTemplate("{step.book:none}", withFhirPath), MissingStepError);
  assert.throws(() => fillTemplate("{step.other:id}", withFhirPath), MissingStepError);
  assert.throws(() => fillTemplate("{step.book:id}", context), /no FHIRPath evaluator/);
});

Deno.test("lenient filling of FHIRPath text fills known placeholders only", () => {
  assert.equal(
    fillTemplate(
      "participant.actor.reference contains 'Patient/{patientId}' and {} .empty()",
      context,
      { strict: false },
    ),
    "participant.actor.reference contains 'Patient/2' and {} .empty()",
  );
});

Deno.test("fillBody fills the role's patient's demographics; a missing one is named", () => {
  const patient: PlaceholderContext = {
    ...context,
    patientRole: "pds-no-gp",
    nhsNumber: "9990000247",
    demographics: {
      family: "ACKROYD",
      given: ["Barnaby", "John"],
      birthDate: "1988-03-14",
      prefix: ["Mr"],
      gender: "male",
    },
  };
  const body = {
    resourceType: "Patient",
    identifier: [{ value: "{nhsNumber}" }],
    name: [{ family: "{family}", given: ["{given}"], prefix: ["{prefix}"] }],
    gender: "{gender}",
    birthDate: "{birthDate}",
  };
  assert.deepEqual(fillBody(body, patient), {
    resourceType: "Patient",
    identifier: [{ value: "9990000247" }],
    name: [{ family: "ACKROYD", given: ["Barnaby"], prefix: ["Mr"] }],
    gender: "male",
    birthDate: "1988-03-14",
  });
  const { gender: _gender, ...withoutGender } = patient.demographics!;
  const noGender = { ...patient, demographics: withoutGender };
  assert.throws(
    () => fillBody(body, noGender),
    /\{gender\}: the fixture manifest gives role pds-no-gp/,
  );
  assert.throws(
    () => fillTemplate("{family}", { ...context, patientRole: "pds-no-gp" }),
    (error) =>
      error instanceof TemplateError && /role pds-no-gp's patient no family/.test(error.message),
  );
  const bare: PlaceholderContext = { odsCode: "B82617", runClock: new Date(), traceId: "t" };
  assert.throws(() => fillTemplate("{birthDate}", bare), /\{birthDate\} needs request.patientRole/);
});
