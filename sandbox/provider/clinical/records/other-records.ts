/**
 * Records of the test pack's other served patients: patient3 (investigations, referrals, diary),
 * patient4 (the large document; a small record), patient12 (the merged record), patient13 (record
 * in transit, registered 21 days ago), patient15 (opted out: held but never shared) and patientNoAppointments.
 * Dates are relative to `now`.
 *
 * @module
 */
import { clinicalDates } from "../clinical-dates.ts";
import { snomed } from "../clinical-codes.ts";
import type { AllergyItem, ClinicalRecord, ConsultationItem } from "../clinical-record-types.ts";
import { emptyRecord } from "./empty-record.ts";

function penicillinAllergy(now: Date, daysAgo: number): AllergyItem {
  const d = clinicalDates(now);
  return {
    id: "allergy-1",
    code: snomed("91936005", "Allergy to penicillin"),
    recordedAt: d.ago(daysAgo),
    recorderId: "2",
    clinicalStatus: "active",
    onset: d.ago(daysAgo),
    reaction: "Rash",
    severity: "mild",
    category: "medication",
  };
}

function checkUp(now: Date, id: string, daysAgo: number, itemIds: string[]): ConsultationItem {
  const d = clinicalDates(now);
  return {
    id,
    code: snomed("185389009", "Follow-up visit"),
    recordedAt: d.ago(daysAgo, "11:30"),
    recorderId: "2",
    start: d.ago(daysAgo, "11:00"),
    end: d.ago(daysAgo, "11:15"),
    type: "Face to face consultation",
    locationId: "1",
    topics: [{ title: "General review", itemIds }],
  };
}

/**
 * Patient3 (9690937294): investigations (the latest still awaiting filing), referrals and diary
 * entries (one past, the rest future).
 */
export function investigationsReferralsDiaryRecord(now: Date): ClinicalRecord {
  const d = clinicalDates(now);
  return {
    ...emptyRecord("9690937294"),
    allergies: [penicillinAllergy(now, 3000)],
    consultations: [checkUp(now, "cons-1", 45, ["inv-1", "ref-1"])],
    investigations: [
      {
        id: "inv-1",
        code: snomed("1005671000000105", "Serum cholesterol level"),
        recordedAt: d.ago(45, "12:00"),
        recorderId: "2",
        consultationId: "cons-1",
        date: d.ago(45, "12:00"),
        status: "final",
        results: [{
          code: snomed("1005671000000105", "Serum cholesterol level"),
          value: "6.1",
          unit: "mmol/L",
          range: "0.0-5.0",
          interpretation: "high",
        }],
      },
      {
        id: "inv-2",
        code: snomed("1022791000000101", "Serum TSH level"),
        recordedAt: d.ago(500),
        recorderId: "2",
        date: d.ago(500),
        status: "final",
        results: [{
          code: snomed("1022791000000101", "Serum TSH level"),
          value: "2.1",
          unit: "mU/L",
          range: "0.3-4.2",
          interpretation: "normal",
        }],
      },
      {
        id: "inv-3",
        code: snomed("26604007", "Full blood count"),
        recordedAt: d.ago(3),
        recorderId: "2",
        awaitingFiling: true,
        date: d.ago(3),
        status: "preliminary",
        results: [{
          code: snomed("1022431000000105", "Haemoglobin estimation"),
          value: "118",
          unit: "g/L",
          range: "120-150",
          interpretation: "low",
        }],
      },
    ],
    referrals: [
      {
        id: "ref-1",
        code: snomed("183545006", "Referral to physiotherapist"),
        recordedAt: d.ago(45, "11:20"),
        recorderId: "2",
        consultationId: "cons-1",
        date: d.ago(45, "11:20"),
        status: "active",
        priority: "routine",
        recipient: "Physiotherapy, Easingwold Health Centre",
        reason: "Lower back pain",
      },
      {
        id: "ref-2",
        code: snomed("183523005", "Referral to dermatologist"),
        recordedAt: d.ago(8),
        recorderId: "1",
        date: d.ago(8),
        status: "active",
        priority: "urgent",
        recipient: "Dermatology, York Hospital",
        reason: "Changing pigmented lesion",
      },
      {
        id: "ref-3",
        code: snomed("183545006", "Referral to physiotherapist"),
        recordedAt: d.ago(1100),
        recorderId: "2",
        date: d.ago(1100),
        status: "completed",
        priority: "routine",
        recipient: "Physiotherapy, Easingwold Health Centre",
        reason: "Shoulder pain",
      },
    ],
    diary: [
      {
        id: "diary-1",
        code: snomed("396550006", "Blood test"),
        recordedAt: d.ago(3),
        recorderId: "2",
        date: d.ahead(7),
        status: "active",
        note: "Repeat full blood count",
      },
      {
        id: "diary-2",
        code: snomed("182836005", "Review of medication"),
        recordedAt: d.ago(45),
        recorderId: "2",
        date: d.ahead(60),
        status: "active",
      },
      {
        id: "diary-3",
        code: snomed("171207006", "Depression screening"),
        recordedAt: d.ago(45),
        recorderId: "2",
        date: d.ahead(365),
        status: "active",
      },
      {
        id: "diary-4",
        code: snomed("390906007", "Follow-up encounter"),
        recordedAt: d.ago(45),
        recorderId: "2",
        date: d.ago(2),
        status: "completed",
      },
    ],
  };
}

/** A small record: one allergy, one consultation and a weight. */
function smallRecord(now: Date, nhsNumber: string): ClinicalRecord {
  const d = clinicalDates(now);
  return {
    ...emptyRecord(nhsNumber),
    allergies: [penicillinAllergy(now, 1800)],
    consultations: [checkUp(now, "cons-1", 90, ["obs-1"])],
    uncategorised: [{
      id: "obs-1",
      code: snomed("27113001", "Body weight"),
      recordedAt: d.ago(90, "11:10"),
      recorderId: "2",
      consultationId: "cons-1",
      date: d.ago(90, "11:10"),
      value: "68",
      unit: "kg",
    }],
  };
}

/** Patient4 (9690937308): holder of the large document; a small record. */
export function largeDocumentRecord(now: Date): ClinicalRecord {
  return smallRecord(now, "9690937308");
}

/** Patient12 (9690938614): the surviving record of the patient11 merge. */
export function mergedRecord(now: Date): ClinicalRecord {
  return smallRecord(now, "9690938614");
}

/** Patient13 (9690938096): part of the record still in transit from the previous practice. */
export function inTransitRecord(now: Date): ClinicalRecord {
  return {
    ...smallRecord(now, "9690938096"),
    inTransit: true,
    inTransitSince: clinicalDates(now).dayAgo(21),
  };
}

/** Patient15 (9690938576): has dissented from sharing; the record exists but is never shared. */
export function optedOutRecord(now: Date): ClinicalRecord {
  return smallRecord(now, "9690938576");
}

/** PatientNoAppointments (9690938134): a small record. */
export function noAppointmentsRecord(now: Date): ClinicalRecord {
  return smallRecord(now, "9690938134");
}
