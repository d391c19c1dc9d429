import assert from "node:assert/strict";
import {
  patientDemographicsProblem,
  type PdsDemographics,
  subjectNhsNumber,
} from "./patient-demographics-check.ts";

const patient = {
  nhsNumber: "9690937286",
  family: "Skelly",
  given: ["Horace"],
  birthDate: "1942-02-03",
};
const onPds = (record: { family?: string; birthDate?: string }) => (): Promise<PdsDemographics> =>
  Promise.resolve({ kind: "found", record });
const skelly = onPds({ family: "SKELLY", birthDate: "1942-02-03" });

Deno.test("a Patient matching PDS (case aside) with the practice mailbox in mex-To passes", async () => {
  assert.equal(
    await patientDemographicsProblem(patient, {
      mexTo: "B82617OT1",
      subject: undefined,
      trace: skelly,
    }),
    undefined,
  );
});

Deno.test("a GPPROVIDER mex-To must match the Patient: NHS number, date of birth (either format), surname", async () => {
  const check = (mexTo: string) =>
    patientDemographicsProblem(patient, { mexTo, subject: undefined, trace: skelly });
  assert.equal(await check("GPPROVIDER_9690937286_19420203_SKELLY"), undefined);
  assert.equal(await check("GPPROVIDER_9690937286_03021942_skelly"), undefined);
  assert.match(String(await check("GPPROVIDER_9690937278_19420203_SKELLY")), /NHS number/);
  assert.match(String(await check("GPPROVIDER_9690937286_19420204_SKELLY")), /birth date/);
  assert.match(String(await check("GPPROVIDER_9690937286_19420203_SMITH")), /family name/);
});

Deno.test("the subject's NHS number and PDS's record are checked; problems name no values", async () => {
  const problem = await patientDemographicsProblem(patient, {
    mexTo: "B82617OT1",
    subject: "Report for Samual, NHS Number: 969 093 7278, seen at X",
    trace: skelly,
  });
  assert.match(String(problem), /Mex-Subject/);
  assert.ok(!String(problem).includes("9690937278"));
  const context = { mexTo: "B82617OT1", subject: undefined };
  assert.match(
    String(
      await patientDemographicsProblem(patient, {
        ...context,
        trace: () => Promise.resolve({ kind: "not-found" }),
      }),
    ),
    /not on PDS/,
  );
  assert.match(
    String(
      await patientDemographicsProblem(patient, {
        ...context,
        trace: onPds({ family: "SKELLY", birthDate: "1942-03-02" }),
      }),
    ),
    /birth date differs from PDS/,
  );
  assert.match(
    String(
      await patientDemographicsProblem(patient, {
        ...context,
        trace: onPds({ birthDate: "1942-02-03" }),
      }),
    ),
    /family name differs from PDS/,
  );
});

Deno.test("subjectNhsNumber reads both templates and ignores what is not ten digits", () => {
  assert.equal(subjectNhsNumber("X for Y, NHS Number: 9690937286, seen at Z"), "9690937286");
  assert.equal(
    subjectNhsNumber("Consultation report for Y , NHS Number 969 093 7286, seen"),
    "9690937286",
  );
  assert.equal(subjectNhsNumber("no number here"), undefined);
  assert.equal(subjectNhsNumber("NHS Number: 12345"), undefined);
});
