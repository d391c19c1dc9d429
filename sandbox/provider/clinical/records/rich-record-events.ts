/**
 * The events of test pack patient2's record (9690937286, `rich-record`): five consultations with
 * problem-oriented topics, immunisations given and declined, investigations with results,
 * referrals, uncategorised observations (blood pressure, weight, height, smoking, immunisation
 * consent) and diary entries (one overdue, three ahead). Dates are relative to the clock.
 *
 * @module
 */
import type { ClinicalDates } from "../clinical-dates.ts";
import { snomed } from "../clinical-codes.ts";
import type { ClinicalRecord } from "../clinical-record-types.ts";

/** The areas of patient2's record that record events. */
export type RichRecordEvents = Pick<
  ClinicalRecord,
  "consultations" | "immunisations" | "investigations" | "referrals" | "uncategorised" | "diary"
>;

/**
 * Patient2's events for a clock reading's dates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clinicalDates } from "../clinical-dates.ts";
 * assert.equal(richRecordEvents(clinicalDates(new Date())).consultations.length, 5);
 * ```
 */
export function richRecordEvents(d: ClinicalDates): RichRecordEvents {
  return {
    consultations: [
      {
        id: "cons-1",
        code: snomed("185317003", "Telephone encounter"),
        recordedAt: d.ago(30, "10:30"),
        recorderId: "3",
        start: d.ago(30, "10:00"),
        end: d.ago(30, "10:15"),
        type: "Telephone consultation",
        locationId: "1",
        topics: [
          { title: "Hypertension review", problemId: "prob-1", itemIds: ["obs-1", "obs-3"] },
          { title: "Cardiac symptoms", itemIds: ["ref-2"] },
        ],
      },
      {
        id: "cons-2",
        code: snomed("185389009", "Follow-up visit"),
        recordedAt: d.ago(200, "11:15"),
        recorderId: "3",
        start: d.ago(200, "10:50"),
        end: d.ago(200, "11:05"),
        type: "Face to face consultation",
        locationId: "1",
        topics: [{ title: "Acute bronchitis", problemId: "prob-4", itemIds: ["prob-4", "med-3"] }],
      },
      {
        id: "cons-3",
        code: snomed("185317003", "Telephone encounter"),
        recordedAt: d.ago(390, "14:20"),
        recorderId: "4",
        start: d.ago(390, "14:00"),
        end: d.ago(390, "14:10"),
        type: "Telephone consultation",
        locationId: "2",
        topics: [{ title: "Diabetes review", problemId: "prob-2", itemIds: ["inv-1", "ref-1"] }],
      },
      {
        id: "cons-4",
        code: snomed("185389009", "Follow-up visit"),
        recordedAt: d.ago(1000, "10:10"),
        recorderId: "3",
        start: d.ago(1000, "09:40"),
        end: d.ago(1000, "09:55"),
        type: "Face to face consultation",
        locationId: "1",
        topics: [{
          title: "Raised blood pressure",
          problemId: "prob-1",
          itemIds: ["prob-1", "obs-2", "med-1"],
        }],
      },
      {
        id: "cons-5",
        code: snomed("439708006", "Home visit"),
        recordedAt: d.ago(150, "16:00"),
        recorderId: "4",
        start: d.ago(150, "15:00"),
        end: d.ago(150, "15:30"),
        type: "Home visit",
        locationId: "1",
        topics: [{ title: "Seasonal immunisation", itemIds: ["obs-6", "imm-1"] }],
      },
    ],
    immunisations: [
      {
        id: "imm-1",
        code: snomed("822851000000102", "Seasonal influenza vaccination"),
        recordedAt: d.ago(150, "15:20"),
        recorderId: "4",
        consultationId: "cons-5",
        date: d.ago(150, "15:20"),
        status: "completed",
        notGiven: false,
        vaccine: "Influenza vaccine (surface antigen, inactivated)",
        dose: "0.5 ml",
      },
      {
        id: "imm-2",
        code: snomed("12866006", "Pneumococcal vaccination"),
        recordedAt: d.ago(800),
        recorderId: "4",
        date: d.ago(800),
        status: "completed",
        notGiven: false,
        vaccine: "Pneumococcal polysaccharide vaccine",
        dose: "0.5 ml",
      },
      {
        id: "imm-3",
        code: snomed("1324681000000101", "Administration of first dose of SARS-CoV-2 vaccine"),
        recordedAt: d.ago(60),
        recorderId: "3",
        date: d.ago(60),
        status: "completed",
        notGiven: true,
        vaccine: "COVID-19 mRNA vaccine",
        reasonNotGiven: "Patient declined",
      },
      {
        id: "imm-4",
        code: snomed("127786006", "Tetanus vaccination"),
        recordedAt: d.ago(4000),
        recorderId: "3",
        date: d.ago(4000),
        status: "completed",
        notGiven: false,
        vaccine: "Tetanus and low dose diphtheria vaccine",
        dose: "0.5 ml",
      },
    ],
    investigations: [
      {
        id: "inv-1",
        code: snomed("1019431000000105", "HbA1c level - IFCC standardised"),
        recordedAt: d.ago(395, "12:00"),
        recorderId: "4",
        date: d.ago(395, "12:00"),
        status: "final",
        results: [{
          code: snomed("999791000000106", "Haemoglobin A1c level - IFCC standardised"),
          value: "58",
          unit: "mmol/mol",
          range: "20-41",
          interpretation: "high",
        }],
      },
      {
        id: "inv-2",
        code: snomed("26604007", "Full blood count"),
        recordedAt: d.ago(35, "13:00"),
        recorderId: "3",
        date: d.ago(35, "13:00"),
        status: "final",
        results: [
          {
            code: snomed("1022431000000105", "Haemoglobin estimation"),
            value: "135",
            unit: "g/L",
            range: "130-180",
            interpretation: "normal",
          },
          {
            code: snomed("1022541000000102", "Total white blood count"),
            value: "7.2",
            unit: "10*9/L",
            range: "4.0-11.0",
            interpretation: "normal",
          },
          {
            code: snomed("1022651000000100", "Platelet count"),
            value: "250",
            unit: "10*9/L",
            range: "150-400",
            interpretation: "normal",
          },
        ],
      },
      {
        id: "inv-3",
        code: snomed("252167001", "Urea and electrolytes"),
        recordedAt: d.ago(10, "14:00"),
        recorderId: "3",
        date: d.ago(10, "14:00"),
        status: "preliminary",
        results: [
          {
            code: snomed("1000661000000107", "Serum sodium level"),
            value: "139",
            unit: "mmol/L",
            range: "133-146",
            interpretation: "normal",
          },
          {
            code: snomed("1000651000000109", "Serum potassium level"),
            value: "5.8",
            unit: "mmol/L",
            range: "3.5-5.3",
            interpretation: "high",
          },
        ],
      },
    ],
    referrals: [
      {
        id: "ref-1",
        code: snomed("183516009", "Referral to diabetic eye screening"),
        recordedAt: d.ago(390, "14:15"),
        recorderId: "4",
        consultationId: "cons-3",
        date: d.ago(390, "14:15"),
        status: "completed",
        priority: "routine",
        recipient: "Diabetic Eye Screening Programme, York",
        reason: "Annual retinal screening",
      },
      {
        id: "ref-2",
        code: snomed("183519002", "Referral to cardiology service"),
        recordedAt: d.ago(30, "10:25"),
        recorderId: "3",
        consultationId: "cons-1",
        date: d.ago(30, "10:25"),
        status: "active",
        priority: "urgent",
        recipient: "Cardiology, York Hospital",
        reason: "Palpitations with raised blood pressure",
      },
    ],
    uncategorised: [
      {
        id: "obs-1",
        code: snomed("75367002", "Blood pressure"),
        recordedAt: d.ago(30, "10:10"),
        recorderId: "3",
        consultationId: "cons-1",
        date: d.ago(30, "10:10"),
        value: "142/88",
        unit: "mm[Hg]",
        note: "Home reading reported by patient",
      },
      {
        id: "obs-2",
        code: snomed("75367002", "Blood pressure"),
        recordedAt: d.ago(1000, "09:45"),
        recorderId: "3",
        consultationId: "cons-4",
        date: d.ago(1000, "09:45"),
        value: "158/96",
        unit: "mm[Hg]",
      },
      {
        id: "obs-3",
        code: snomed("27113001", "Body weight"),
        recordedAt: d.ago(30, "10:12"),
        recorderId: "3",
        consultationId: "cons-1",
        date: d.ago(30, "10:12"),
        value: "82",
        unit: "kg",
      },
      {
        id: "obs-4",
        code: snomed("50373000", "Body height"),
        recordedAt: d.ago(700),
        recorderId: "4",
        date: d.ago(700),
        value: "1.76",
        unit: "m",
      },
      {
        id: "obs-5",
        code: snomed("8517006", "Ex-smoker"),
        recordedAt: d.ago(2000),
        recorderId: "4",
        date: d.ago(2000),
      },
      {
        id: "obs-6",
        code: snomed("310376006", "Immunization consent given"),
        recordedAt: d.ago(150, "15:10"),
        recorderId: "4",
        consultationId: "cons-5",
        date: d.ago(150, "15:10"),
        immunisationStatus: true,
      },
    ],
    diary: [
      {
        id: "diary-1",
        code: snomed("182836005", "Review of medication"),
        recordedAt: d.ago(30, "10:28"),
        recorderId: "3",
        date: d.ahead(30),
        status: "active",
        note: "Annual repeat medication review",
      },
      {
        id: "diary-2",
        code: snomed("396550006", "Blood test"),
        recordedAt: d.ago(10, "14:05"),
        recorderId: "3",
        date: d.ahead(14),
        status: "active",
        note: "Repeat potassium",
      },
      {
        id: "diary-3",
        code: snomed("401191002", "Diabetic foot examination"),
        recordedAt: d.ago(390, "14:18"),
        recorderId: "4",
        date: d.ahead(120),
        status: "active",
      },
      {
        id: "diary-4",
        code: snomed("390906007", "Follow-up encounter"),
        recordedAt: d.ago(200, "11:12"),
        recorderId: "3",
        date: d.ago(5),
        status: "active",
        note: "Chest review if symptoms persist (overdue)",
      },
    ],
  };
}
