/**
 * The rich record of test pack patient2 (9690937286, `rich-record`): active and resolved
 * allergies, acute, repeat and repeat-dispensing medications with issues spread over years, and
 * active and inactive problems linked to other items (one to an allergy). Its events —
 * consultations, immunisations, investigations, referrals, uncategorised data and diary entries —
 * are in `rich-record-events.ts`. Every date is relative to `now`.
 *
 * @module
 */
import { clinicalDates } from "../clinical-dates.ts";
import { snomed } from "../clinical-codes.ts";
import { richRecordEvents } from "./rich-record-events.ts";
import type { ClinicalRecord } from "../clinical-record-types.ts";

/**
 * Patient2's record on the day of `now`.
 *
 * @example
 * ```ts
 * richRecord(new Date()).medications.length; // 6
 * ```
 */
export function richRecord(now: Date): ClinicalRecord {
  const d = clinicalDates(now);
  return {
    nhsNumber: "9690937286",
    noKnownAllergies: false,
    inTransit: false,
    allergies: [
      {
        id: "allergy-1",
        code: snomed("91936005", "Allergy to penicillin"),
        recordedAt: d.ago(3650),
        recorderId: "3",
        clinicalStatus: "active",
        onset: d.ago(3650),
        reaction: "Urticaria",
        severity: "moderate",
        category: "medication",
      },
      {
        id: "allergy-2",
        code: snomed("418689008", "Allergy to grass pollen"),
        recordedAt: d.ago(2200),
        recorderId: "4",
        clinicalStatus: "active",
        onset: d.ago(2200),
        reaction: "Allergic rhinitis",
        severity: "mild",
        category: "environment",
        note: "Worse in early summer",
      },
      {
        id: "allergy-3",
        code: snomed("213020009", "Allergy to egg protein"),
        recordedAt: d.ago(5000),
        recorderId: "3",
        clinicalStatus: "resolved",
        onset: d.ago(5000),
        endDate: d.ago(1500),
        endReason: "No longer reacts on re-exposure",
        reaction: "Vomiting",
        severity: "mild",
        category: "food",
      },
      {
        id: "allergy-4",
        code: snomed("293586001", "Allergy to aspirin"),
        recordedAt: d.ago(2500),
        recorderId: "4",
        clinicalStatus: "resolved",
        onset: d.ago(2500),
        endDate: d.ago(900),
        endReason: "Tolerated supervised aspirin challenge",
        reaction: "Wheeze",
        severity: "moderate",
        category: "medication",
      },
    ],
    medications: [
      {
        id: "med-1",
        code: snomed("319283006", "Amlodipine 5mg tablets"),
        recordedAt: d.ago(1000, "10:05"),
        recorderId: "3",
        consultationId: "cons-4",
        status: "active",
        dosage: "One tablet once a day",
        quantity: "28 tablet",
        start: d.ago(1000, "10:05"),
        prescriptionType: "repeat",
        issues: [
          { id: "med-1-issue-1", date: d.ago(1000, "10:05"), quantity: "28 tablet" },
          { id: "med-1-issue-2", date: d.ago(500), quantity: "56 tablet" },
          { id: "med-1-issue-3", date: d.ago(120), quantity: "56 tablet" },
          { id: "med-1-issue-4", date: d.ago(30, "10:20"), quantity: "56 tablet" },
        ],
      },
      {
        id: "med-2",
        code: snomed("325278007", "Metformin 500mg tablets"),
        recordedAt: d.ago(1500),
        recorderId: "4",
        status: "active",
        dosage: "One tablet twice a day with meals",
        quantity: "56 tablet",
        start: d.ago(1500),
        prescriptionType: "repeat",
        issues: [
          { id: "med-2-issue-1", date: d.ago(1500), quantity: "56 tablet" },
          { id: "med-2-issue-2", date: d.ago(700), quantity: "112 tablet" },
          { id: "med-2-issue-3", date: d.ago(60), quantity: "112 tablet" },
        ],
      },
      {
        id: "med-3",
        code: snomed("323509004", "Amoxicillin 500mg capsules"),
        recordedAt: d.ago(200, "11:10"),
        recorderId: "3",
        consultationId: "cons-2",
        status: "completed",
        dosage: "One capsule three times a day",
        quantity: "21 capsule",
        start: d.ago(200, "11:10"),
        end: d.ago(193, "11:10"),
        prescriptionType: "acute",
        issues: [{ id: "med-3-issue-1", date: d.ago(200, "11:10"), quantity: "21 capsule" }],
      },
      {
        id: "med-4",
        code: snomed("320176004", "Salbutamol 100micrograms/dose inhaler CFC free"),
        recordedAt: d.ago(2000),
        recorderId: "4",
        status: "active",
        dosage: "Two puffs when required",
        quantity: "1 inhaler",
        start: d.ago(2000),
        prescriptionType: "repeat",
        issues: [
          { id: "med-4-issue-1", date: d.ago(2000), quantity: "1 inhaler" },
          { id: "med-4-issue-2", date: d.ago(95), quantity: "2 inhaler" },
        ],
      },
      {
        id: "med-5",
        code: snomed("329652003", "Ibuprofen 400mg tablets"),
        recordedAt: d.ago(1200),
        recorderId: "3",
        status: "stopped",
        dosage: "One tablet three times a day after food",
        quantity: "24 tablet",
        start: d.ago(1200),
        end: d.ago(1195),
        endReason: "Gastric irritation",
        prescriptionType: "acute",
        issues: [{ id: "med-5-issue-1", date: d.ago(1200), quantity: "24 tablet" }],
      },
      {
        id: "med-6",
        code: snomed("320000009", "Atorvastatin 20mg tablets"),
        recordedAt: d.ago(300),
        recorderId: "4",
        status: "active",
        dosage: "One tablet at night",
        quantity: "28 tablet",
        start: d.ago(300),
        prescriptionType: "repeat-dispensing",
        issues: [
          { id: "med-6-issue-1", date: d.ago(300), quantity: "28 tablet" },
          { id: "med-6-issue-2", date: d.ago(210), quantity: "84 tablet" },
          { id: "med-6-issue-3", date: d.ago(20), quantity: "84 tablet" },
        ],
      },
    ],
    problems: [
      {
        id: "prob-1",
        code: snomed("59621000", "Essential hypertension"),
        recordedAt: d.ago(1000, "10:00"),
        recorderId: "3",
        consultationId: "cons-4",
        status: "active",
        significance: "major",
        onset: d.ago(1000, "10:00"),
        relatedItemIds: ["med-1", "obs-1", "obs-2"],
      },
      {
        id: "prob-2",
        code: snomed("44054006", "Type 2 diabetes mellitus"),
        recordedAt: d.ago(1500),
        recorderId: "4",
        status: "active",
        significance: "major",
        onset: d.ago(1500),
        relatedItemIds: ["med-2", "inv-1", "ref-1"],
      },
      {
        id: "prob-3",
        code: snomed("195967001", "Asthma"),
        recordedAt: d.ago(2100),
        recorderId: "4",
        status: "active",
        significance: "minor",
        onset: d.ago(2100),
        relatedItemIds: ["med-4", "allergy-2"],
      },
      {
        id: "prob-4",
        code: snomed("10509002", "Acute bronchitis"),
        recordedAt: d.ago(200, "11:05"),
        recorderId: "3",
        consultationId: "cons-2",
        status: "inactive",
        significance: "minor",
        onset: d.ago(205),
        abatement: d.ago(180),
        relatedItemIds: ["med-3"],
      },
      {
        id: "prob-5",
        code: snomed("4556007", "Gastritis"),
        recordedAt: d.ago(1195),
        recorderId: "3",
        status: "inactive",
        significance: "major",
        onset: d.ago(1197),
        abatement: d.ago(1100),
        relatedItemIds: ["med-5"],
      },
    ],
    ...richRecordEvents(d),
  };
}
