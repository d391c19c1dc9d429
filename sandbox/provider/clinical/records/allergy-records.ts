/**
 * Records of the test pack's allergy patients: patient1 (no allergies and no NKA code), patient5
 * (explicit NKA code, medications), patient6/7/8 (allergies), patient16 (confidential allergy,
 * problem, medication and referral; record in transit) and patient17 (ended allergies only). Dates are relative to `now`.
 *
 * @module
 */
import { clinicalDates } from "../clinical-dates.ts";
import { snomed } from "../clinical-codes.ts";
import type { AllergyItem, ClinicalRecord, MedicationItem } from "../clinical-record-types.ts";
import { emptyRecord } from "./empty-record.ts";

type Allergy = Omit<AllergyItem, "recordedAt" | "recorderId" | "onset" | "endDate"> & {
  readonly daysAgo: number;
  readonly endedDaysAgo?: number;
};

function allergies(now: Date, items: readonly Allergy[]): AllergyItem[] {
  const d = clinicalDates(now);
  return items.map(({ daysAgo, endedDaysAgo, ...item }) => ({
    ...item,
    recordedAt: d.ago(daysAgo),
    recorderId: "1",
    onset: d.ago(daysAgo),
    ...(endedDaysAgo === undefined ? {} : { endDate: d.ago(endedDaysAgo) }),
  }));
}

function acuteMedication(now: Date, id: string, daysAgo: number): MedicationItem {
  const d = clinicalDates(now);
  return {
    id,
    code: snomed("322236009", "Paracetamol 500mg tablets"),
    recordedAt: d.ago(daysAgo),
    recorderId: "2",
    status: "completed",
    dosage: "Two tablets up to four times a day when required",
    quantity: "32 tablet",
    start: d.ago(daysAgo),
    end: d.ago(daysAgo - 8),
    prescriptionType: "acute",
    issues: [{ id: `${id}-issue-1`, date: d.ago(daysAgo), quantity: "32 tablet" }],
  };
}

/** Patient1 (9690937278): no allergies recorded and no NKA code; a little else. */
export function noAllergiesRecord(now: Date): ClinicalRecord {
  const d = clinicalDates(now);
  return {
    ...emptyRecord("9690937278"),
    medications: [acuteMedication(now, "med-1", 60)],
    problems: [{
      id: "prob-1",
      code: snomed("239873007", "Osteoarthritis of knee"),
      recordedAt: d.ago(700),
      recorderId: "2",
      status: "active",
      significance: "minor",
      onset: d.ago(700),
      relatedItemIds: ["med-1"],
    }],
    uncategorised: [{
      id: "obs-1",
      code: snomed("27113001", "Body weight"),
      recordedAt: d.ago(60),
      recorderId: "2",
      date: d.ago(60),
      value: "74",
      unit: "kg",
    }],
  };
}

/** Patient5 (9690937375): an explicit "no known allergy" code and medications. */
export function explicitNkaRecord(now: Date): ClinicalRecord {
  const d = clinicalDates(now);
  return {
    ...emptyRecord("9690937375"),
    noKnownAllergies: true,
    noKnownAllergiesRecordedAt: d.ago(900),
    medications: [
      {
        id: "med-1",
        code: snomed("318906001", "Ramipril 5mg capsules"),
        recordedAt: d.ago(600),
        recorderId: "3",
        status: "active",
        dosage: "One capsule once a day",
        quantity: "28 capsule",
        start: d.ago(600),
        prescriptionType: "repeat",
        issues: [
          { id: "med-1-issue-1", date: d.ago(600), quantity: "28 capsule" },
          { id: "med-1-issue-2", date: d.ago(40), quantity: "56 capsule" },
        ],
      },
      acuteMedication(now, "med-2", 15),
    ],
  };
}

/** Patient6 (9690937383): two active allergies and one resolved. */
export function allergiesPatient6Record(now: Date): ClinicalRecord {
  return {
    ...emptyRecord("9690937383"),
    allergies: allergies(now, [
      {
        id: "allergy-1",
        code: snomed("91936005", "Allergy to penicillin"),
        clinicalStatus: "active",
        daysAgo: 2000,
        reaction: "Rash",
        severity: "moderate",
        category: "medication",
      },
      {
        id: "allergy-2",
        code: snomed("300913006", "Shellfish allergy"),
        clinicalStatus: "active",
        daysAgo: 900,
        reaction: "Angioedema",
        severity: "severe",
        category: "food",
      },
      {
        id: "allergy-3",
        code: snomed("300916003", "Latex allergy"),
        clinicalStatus: "resolved",
        daysAgo: 3000,
        endedDaysAgo: 1000,
        endReason: "Allergy disproved by testing",
        category: "environment",
      },
    ]),
  };
}

/** Patient7 (9690937391): one active allergy and two resolved. */
export function allergiesPatient7Record(now: Date): ClinicalRecord {
  return {
    ...emptyRecord("9690937391"),
    allergies: allergies(now, [
      {
        id: "allergy-1",
        code: snomed("300916003", "Latex allergy"),
        clinicalStatus: "active",
        daysAgo: 1200,
        reaction: "Contact dermatitis",
        severity: "mild",
        category: "environment",
      },
      {
        id: "allergy-2",
        code: snomed("91935009", "Allergy to peanut"),
        clinicalStatus: "resolved",
        daysAgo: 8000,
        endedDaysAgo: 4000,
        endReason: "Outgrown",
        category: "food",
      },
      {
        id: "allergy-3",
        code: snomed("294505008", "Allergy to amoxicillin"),
        clinicalStatus: "resolved",
        daysAgo: 2500,
        endedDaysAgo: 400,
        endReason: "Recorded in error",
        category: "medication",
      },
    ]),
  };
}

/** Patient8 (9690937405): three active allergies. */
export function allergiesPatient8Record(now: Date): ClinicalRecord {
  return {
    ...emptyRecord("9690937405"),
    allergies: allergies(now, [
      {
        id: "allergy-1",
        code: snomed("232346004", "Allergy to cat dander"),
        clinicalStatus: "active",
        daysAgo: 5000,
        reaction: "Sneezing",
        severity: "mild",
        category: "environment",
      },
      {
        id: "allergy-2",
        code: snomed("91934008", "Allergy to nut"),
        clinicalStatus: "active",
        daysAgo: 3000,
        reaction: "Anaphylaxis",
        severity: "severe",
        category: "food",
      },
      {
        id: "allergy-3",
        code: snomed("293597001", "Allergy to codeine"),
        clinicalStatus: "active",
        daysAgo: 700,
        reaction: "Nausea",
        severity: "mild",
        category: "medication",
      },
    ]),
  };
}

/**
 * Patient16 (9690938118): a confidential allergy beside a normal one, a confidential problem,
 * medication and referral; like the test pack's patient16 the record is also still in transit
 * (PT `StructuredAllergies.feature` expects both warnings).
 */
export function confidentialAllergyRecord(now: Date): ClinicalRecord {
  const d = clinicalDates(now);
  return {
    ...emptyRecord("9690938118"),
    inTransit: true,
    inTransitSince: d.dayAgo(60),
    referrals: [{
      id: "ref-1",
      code: snomed("183561008", "Referral to genitourinary physician"),
      recordedAt: d.ago(420),
      recorderId: "3",
      confidential: true,
      date: d.ago(420),
      status: "completed",
      priority: "urgent",
      recipient: "Sexual Health Clinic, York Hospital",
      reason: "Specialist assessment",
    }],
    allergies: allergies(now, [
      {
        id: "allergy-1",
        code: snomed("91936005", "Allergy to penicillin"),
        clinicalStatus: "active",
        daysAgo: 1500,
        reaction: "Rash",
        severity: "mild",
        category: "medication",
      },
      {
        id: "allergy-2",
        code: snomed("294499000", "Allergy to abacavir"),
        clinicalStatus: "active",
        daysAgo: 400,
        reaction: "Hypersensitivity reaction",
        severity: "severe",
        category: "medication",
        confidential: true,
      },
    ]),
    problems: [{
      id: "prob-1",
      code: snomed("86406008", "Human immunodeficiency virus infection"),
      recordedAt: d.ago(420),
      recorderId: "3",
      confidential: true,
      status: "active",
      significance: "major",
      onset: d.ago(420),
      relatedItemIds: ["allergy-2", "med-1"],
    }],
    medications: [{
      id: "med-1",
      code: snomed("776530009", "Dolutegravir 50mg tablets"),
      recordedAt: d.ago(380),
      recorderId: "3",
      confidential: true,
      status: "active",
      dosage: "One tablet once a day",
      quantity: "30 tablet",
      start: d.ago(380),
      prescriptionType: "repeat",
      issues: [
        { id: "med-1-issue-1", date: d.ago(380), quantity: "30 tablet" },
        { id: "med-1-issue-2", date: d.ago(25), quantity: "30 tablet" },
      ],
    }, acuteMedication(now, "med-2", 90)],
  };
}

/** Patient17 (9690938126): ended (resolved) allergies only. */
export function endedAllergiesRecord(now: Date): ClinicalRecord {
  return {
    ...emptyRecord("9690938126"),
    allergies: allergies(now, [
      {
        id: "allergy-1",
        code: snomed("91936005", "Allergy to penicillin"),
        clinicalStatus: "resolved",
        daysAgo: 6000,
        endedDaysAgo: 2000,
        endReason: "Tolerated penicillin challenge",
        category: "medication",
      },
      {
        id: "allergy-2",
        code: snomed("213020009", "Allergy to egg protein"),
        clinicalStatus: "resolved",
        daysAgo: 9000,
        endedDaysAgo: 7000,
        endReason: "Outgrown",
        category: "food",
      },
    ]),
  };
}
