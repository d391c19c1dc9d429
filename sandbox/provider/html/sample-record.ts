/**
 * A small clinical record of the HTML tests' own, built for a clock reading: every record area,
 * one confidential consultation, a stopped repeat, an explicit "no known allergies", text that
 * needs escaping (markup characters, tabs and line breaks). Test data only; the sandbox serves
 * `clinicalRecordFor`.
 *
 * @module
 */
import { clinicalDates } from "../clinical/clinical-dates.ts";
import { snomed } from "../clinical/clinical-codes.ts";
import type { ClinicalRecord } from "../clinical/clinical-record-types.ts";
import { emptyRecord } from "../clinical/records/empty-record.ts";

/** The sample record on the day of `now` (NHS number 9690937286). */
export function sampleRecord(now: Date): ClinicalRecord {
  const d = clinicalDates(now);
  const base = { recordedAt: d.ago(10), recorderId: "3" };
  return {
    ...emptyRecord("9690937286"),
    consultations: [1, 2, 3, 4].map((n) => ({
      ...base,
      id: `cons-${n}`,
      code: snomed("185389009", "Follow-up visit"),
      start: d.ago(n * 400),
      end: d.ago(n * 400),
      type: n === 1 ? "Surgery <consultation> & review" : "Face to face consultation",
      locationId: "1",
      topics: [{ title: `Topic ${n}`, itemIds: [] }],
      ...(n === 4 ? { confidential: true } : {}),
    })),
    problems: [
      {
        ...base,
        id: "p1",
        code: snomed("1", "Asthma"),
        status: "active",
        significance: "major",
        onset: d.ago(3000),
        relatedItemIds: [],
      },
      {
        ...base,
        id: "p2",
        code: snomed("2", "Gastritis"),
        status: "inactive",
        significance: "major",
        onset: d.ago(2000),
        abatement: d.ago(1900),
        relatedItemIds: [],
      },
      {
        ...base,
        id: "p3",
        code: snomed("3", "Sprain"),
        status: "inactive",
        significance: "minor",
        onset: d.ago(100),
        abatement: d.ago(90),
        relatedItemIds: [],
      },
    ],
    allergies: [
      {
        ...base,
        id: "a1",
        code: snomed("4", "Allergy to resolved thing"),
        clinicalStatus: "resolved",
        onset: d.ago(5000),
        endDate: d.ago(1000),
        category: "food",
      },
    ],
    noKnownAllergies: true,
    medications: [
      {
        ...base,
        id: "m1",
        code: snomed("5", "Amlodipine 5mg tablets"),
        status: "active",
        dosage: "One daily",
        quantity: "28 tablet",
        start: d.ago(1000),
        prescriptionType: "repeat",
        issues: [
          { id: "i1", date: d.ago(1000), quantity: "28 tablet" },
          { id: "i2", date: d.ago(30), quantity: "28 tablet" },
        ],
      },
      {
        ...base,
        id: "m2",
        code: snomed("6", "Amoxicillin 500mg capsules"),
        status: "completed",
        dosage: "Three a day",
        quantity: "21 capsule",
        start: d.ago(60),
        end: d.ago(53),
        prescriptionType: "acute",
        issues: [{ id: "i3", date: d.ago(60), quantity: "21 capsule" }],
      },
      {
        ...base,
        id: "m3",
        code: snomed("7", "Ibuprofen 400mg tablets"),
        status: "stopped",
        dosage: "As needed",
        quantity: "24 tablet",
        start: d.ago(900),
        end: d.ago(800),
        endReason: "Gastric irritation",
        prescriptionType: "repeat",
        issues: [{ id: "i4", date: d.ago(900), quantity: "24 tablet" }],
      },
    ],
    immunisations: [
      {
        ...base,
        id: "im1",
        code: snomed("8", "Influenza vaccination"),
        date: d.ago(100),
        status: "completed",
        notGiven: true,
        vaccine: "Influenza",
        reasonNotGiven: "Patient declined",
      },
    ],
    referrals: [
      {
        ...base,
        id: "r1",
        code: snomed("9", "Referral"),
        date: d.ago(20),
        status: "active",
        priority: "urgent",
        recipient: "Cardiology",
        reason: "Chest pain",
      },
    ],
    uncategorised: [
      {
        ...base,
        id: "o1",
        code: snomed("10", "Body weight"),
        date: d.ago(5),
        value: "80",
        unit: "kg",
        note: "Tab\there\nnewline",
      },
    ],
    diary: [{
      ...base,
      id: "dy1",
      code: snomed("11", "Asthma review"),
      date: d.ahead(30),
      status: "active",
    }],
    investigations: [
      {
        ...base,
        id: "inv1",
        code: snomed("12", "Serum cholesterol"),
        date: d.ago(45),
        status: "final",
        results: [{
          code: snomed("13", "Cholesterol"),
          value: "6.1",
          unit: "mmol/L",
          range: "<5.0",
          interpretation: "high",
        }],
      },
    ],
  };
}
