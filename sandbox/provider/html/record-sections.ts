/**
 * The care record sections of Access Record HTML 0.7 (value set
 * `http://fhir.nhs.net/ValueSet/gpconnect-record-section-1`; PT-1.6
 * `FHIR/NHS/ValueSets/GPConnect-Record-Section-1.xml`), with the title each HTML view carries
 * (PT-0.7 `AccessRecord.feature` "composition contains generic mandatory fields") and whether the
 * section takes a consumer `timePeriod`.
 *
 * Time periods (PT-0.7.4 `AccessRecord.feature` "Time period specified for a care record section
 * that can / must not be filtered"): ADM, CLI, ENC, MED, OBS, PRB and REF take one; ALL, IMM and
 * SUM do not (400). The reference's "parts of MED and PRB" is the subsection rule of the views:
 * only some of their tables are filtered, the others say "Date filter not applied". Neither source
 * covers INV and PAT: INV takes a period (GPC-0.7 investigations view: "within Consumer supplied
 * date range"), PAT does not (demographics have no dates to filter).
 *
 * @module
 */

/** The system of `recordSection` codings. */
export const recordSectionSystem = "http://fhir.nhs.net/ValueSet/gpconnect-record-section-1";

/** A record section code. */
export type RecordSectionCode =
  | "ADM"
  | "ALL"
  | "CLI"
  | "ENC"
  | "IMM"
  | "INV"
  | "MED"
  | "OBS"
  | "PAT"
  | "PRB"
  | "REF"
  | "SUM";

/** What the provider knows about a section. */
export interface RecordSection {
  readonly code: RecordSectionCode;
  /** Section title: `<h1>`, `Composition.section.title` and the coding's display. */
  readonly title: string;
  /** Whether a consumer `timePeriod` may be given. */
  readonly acceptsTimePeriod: boolean;
}

const section = (code: RecordSectionCode, title: string, acceptsTimePeriod: boolean) => ({
  code,
  title,
  acceptsTimePeriod,
});

/** Every section, by code. */
export const recordSections: Readonly<Record<RecordSectionCode, RecordSection>> = {
  ADM: section("ADM", "Administrative Items", true),
  ALL: section("ALL", "Allergies and Adverse Reactions", false),
  CLI: section("CLI", "Clinical Items", true),
  ENC: section("ENC", "Encounters", true),
  IMM: section("IMM", "Immunisations", false),
  INV: section("INV", "Investigations", true),
  MED: section("MED", "Medications", true),
  OBS: section("OBS", "Observations", true),
  PAT: section("PAT", "Patient Details", false),
  PRB: section("PRB", "Problems and Issues", true),
  REF: section("REF", "Referrals", true),
  SUM: section("SUM", "Summary", false),
};

/**
 * Whether a string is a section code (case-sensitive: `sum` is not).
 *
 * @example
 * ```ts
 * isRecordSectionCode("SUM"); // true
 * isRecordSectionCode("Sum"); // false
 * ```
 */
export function isRecordSectionCode(code: string): code is RecordSectionCode {
  return Object.hasOwn(recordSections, code);
}
