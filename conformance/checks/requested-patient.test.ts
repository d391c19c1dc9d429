import assert from "node:assert/strict";
import { bundleOf, requestTo } from "./check-fixtures.ts";
import { requestedPatient, requestedPatientCheck } from "./requested-patient.ts";
import { interactionIds } from "./response-check.ts";

const nhs = "https://fhir.nhs.uk/Id/nhs-number";
const patient = (id: string, nhsNumber: string) => ({
  resourceType: "Patient",
  id,
  identifier: [{ system: nhs, value: nhsNumber }],
});
const structured = (nhsNumber: string) =>
  requestTo(interactionIds.structured, "/Patient/$gpc.getstructuredrecord", {
    method: "POST",
    body: JSON.stringify({
      resourceType: "Parameters",
      parameter: [{ name: "patientNHSNumber", valueIdentifier: { system: nhs, value: nhsNumber } }],
    }),
  });

Deno.test("the requested patient comes from the query, the Parameters body or the path", () => {
  assert.deepEqual(
    requestedPatient(requestTo("x", `/Patient?identifier=${nhs}|9690937286`)),
    { nhsNumber: "9690937286" },
  );
  assert.deepEqual(requestedPatient(structured("9690937286")), { nhsNumber: "9690937286" });
  assert.deepEqual(requestedPatient(requestTo("x", "/Patient/7/Appointment?start=ge2025-01-01")), {
    id: "7",
  });
  assert.equal(requestedPatient(requestTo("x", "/Slot?start=ge2025-01-01")), undefined);
  assert.equal(
    requestedPatient(
      requestTo("x", "/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|G1"),
    ),
    undefined,
  );
});

Deno.test("a structured record of another patient, or referring to one, fails", () => {
  const good = bundleOf("collection", [
    patient("2", "9690937286"),
    { resourceType: "List", id: "l", subject: { reference: "Patient/2" } },
  ]);
  assert.deepEqual(
    requestedPatientCheck.check({ request: structured("9690937286"), body: good })?.problems,
    [],
  );
  const other = bundleOf("collection", [
    patient("3", "9690937294"),
    { resourceType: "List", id: "l", subject: { reference: "Patient/3" } },
  ]);
  const problems = requestedPatientCheck.check({ request: structured("9690937286"), body: other })
    ?.problems ?? [];
  assert.equal(problems.length, 2);
  assert.match(problems[0] ?? "", /NHS number 9690937294, not 9690937286/);
  assert.match(problems[1] ?? "", /entry\[1\]\.resource\.subject\.reference refers to Patient\/3/);
});

Deno.test("appointments of the patient in the path: another participant patient fails", () => {
  const request = requestTo(interactionIds.patientAppointments, "/Patient/2/Appointment");
  const body = bundleOf("searchset", [
    { resourceType: "Appointment", id: "a", participant: [{ actor: { reference: "Patient/2" } }] },
    { resourceType: "Appointment", id: "b", participant: [{ actor: { reference: "Patient/9" } }] },
  ]);
  const problems = requestedPatientCheck.check({ request, body })?.problems ?? [];
  assert.deepEqual(problems, [
    "Bundle.entry[1].resource.participant[0].actor.reference refers to Patient/9, not the requested patient",
  ]);
});
