/**
 * A patient's clinical record in the reference provider, as plain data that both Access Record
 * Structured (FHIR STU3 resources) and Access Record HTML (DSTU2 XHTML sections) render from.
 * Every date is absolute here but computed from the injected clock when the record is built
 * (`clinicalRecordFor(nhsNumber, now)`), so the data never goes stale.
 *
 * @module
 */

/** A coded concept (SNOMED CT unless said otherwise). */
export interface ClinicalCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Fields every clinical item has. */
export interface ClinicalItemBase {
  /** Stable id, unique within the patient's record. */
  readonly id: string;
  /** The main code. */
  readonly code: ClinicalCode;
  /** When it was recorded (ISO date-time). */
  readonly recordedAt: string;
  /** Practitioner id (practice data) who recorded it. */
  readonly recorderId: string;
  /** Marked confidential (a conf/R-only item; GP Connect withholds it with a warning). */
  readonly confidential?: boolean;
  /** Free text note. */
  readonly note?: string;
  /** Id of the consultation the item was recorded in, if any. */
  readonly consultationId?: string;
  /**
   * Received from a third party and still in the practice's filing workflow: not yet part of the
   * record, so GP Connect withholds it and warns `data-awaiting-filing`.
   */
  readonly awaitingFiling?: boolean;
}

/** An allergy or intolerance. */
export interface AllergyItem extends ClinicalItemBase {
  readonly clinicalStatus: "active" | "resolved";
  readonly onset: string;
  readonly endDate?: string;
  readonly endReason?: string;
  readonly reaction?: string;
  readonly severity?: "mild" | "moderate" | "severe";
  readonly category: "medication" | "food" | "environment";
}

/** A medication statement with its plan and issues. */
export interface MedicationItem extends ClinicalItemBase {
  readonly status: "active" | "completed" | "stopped";
  readonly dosage: string;
  readonly quantity: string;
  readonly start: string;
  readonly end?: string;
  readonly prescriptionType: "acute" | "repeat" | "repeat-dispensing";
  readonly issues: ReadonlyArray<
    { readonly id: string; readonly date: string; readonly quantity: string }
  >;
  /** Why the medication was stopped (status `stopped`). */
  readonly endReason?: string;
}

/** A problem (condition) heading. */
export interface ProblemItem extends ClinicalItemBase {
  readonly status: "active" | "inactive";
  readonly significance: "major" | "minor";
  readonly onset: string;
  readonly abatement?: string;
  /** Ids of other items linked to the problem. */
  readonly relatedItemIds: readonly string[];
}

/** A consultation (encounter) with its entries. */
export interface ConsultationItem extends ClinicalItemBase {
  readonly start: string;
  readonly end: string;
  readonly type: string;
  readonly locationId: string;
  /** Problem-oriented topics: headings with the ids of items recorded in them. */
  readonly topics: ReadonlyArray<{
    readonly title: string;
    readonly itemIds: readonly string[];
    /** The problem the topic is about, if any. */
    readonly problemId?: string;
  }>;
}

/** An immunisation. */
export interface ImmunisationItem extends ClinicalItemBase {
  readonly date: string;
  readonly status: "completed";
  readonly notGiven: boolean;
  readonly vaccine: string;
  readonly dose?: string;
  /** Why it was not given (`notGiven`). */
  readonly reasonNotGiven?: string;
}

/** An investigation (test request and report with results). */
export interface InvestigationItem extends ClinicalItemBase {
  readonly date: string;
  readonly status: "final" | "preliminary";
  readonly results: ReadonlyArray<{
    readonly code: ClinicalCode;
    readonly value: string;
    readonly unit?: string;
    readonly range?: string;
    readonly interpretation?: "normal" | "high" | "low" | "abnormal";
  }>;
}

/** A referral. */
export interface ReferralItem extends ClinicalItemBase {
  readonly date: string;
  readonly status: "active" | "completed";
  readonly priority: "routine" | "urgent" | "asap";
  readonly recipient: string;
  readonly reason: string;
}

/** An observation without a clinical area (uncategorised data: e.g. blood pressure, weight). */
export interface UncategorisedItem extends ClinicalItemBase {
  readonly date: string;
  readonly value?: string;
  readonly unit?: string;
  /** Records the patient's immunisation status (consent or dissent), not a measurement. */
  readonly immunisationStatus?: boolean;
}

/** A diary entry (a future or past planned activity). */
export interface DiaryItem extends ClinicalItemBase {
  readonly date: string;
  readonly status: "active" | "completed";
}

/** Everything the practice records clinically for one patient. */
export interface ClinicalRecord {
  readonly nhsNumber: string;
  readonly allergies: readonly AllergyItem[];
  /** The patient has explicitly no known allergies (an NKA code is recorded). */
  readonly noKnownAllergies: boolean;
  /** When the NKA code was recorded (ISO date-time), if `noKnownAllergies`. */
  readonly noKnownAllergiesRecordedAt?: string;
  readonly medications: readonly MedicationItem[];
  readonly problems: readonly ProblemItem[];
  readonly consultations: readonly ConsultationItem[];
  readonly immunisations: readonly ImmunisationItem[];
  readonly investigations: readonly InvestigationItem[];
  readonly referrals: readonly ReferralItem[];
  readonly uncategorised: readonly UncategorisedItem[];
  readonly diary: readonly DiaryItem[];
  /** Part of the record is still in transit from a previous practice (GP2GP). */
  readonly inTransit: boolean;
  /**
   * When `inTransit`: the date (`YYYY-MM-DD`) the patient registered here; information recorded
   * before it may be missing.
   */
  readonly inTransitSince?: string;
}
