/**
 * The practice's User Permissions fixture data, in one place: every patient it serves has `full`
 * medical record access and `manage` prescriptions unless listed here; a proxy has nothing
 * (`none` everywhere) for a patient unless listed here. The sandbox control
 * (`PUT /{ODS}/patient-facing/_sandbox/permissions/{nhsNumber}`) overrides these in the
 * provider's store.
 *
 * | Who | For | Medical record (current / historical) | Prescriptions |
 * |---|---|---|---|
 * | any served patient | themselves | full / full | manage |
 * | 9690937375 (explicit-nka, a repeat of Ramipril) | themselves | detailed / summary | view |
 * | 9690937278 (no-allergies) | themselves | summary / none | none |
 * | 9690938134 (no-appointments) | themselves | none / none | none |
 * | proxy 9690937294 (VRS: acts for 9690937286) | 9690937286 | summary / summary | view |
 *
 * `effectiveDate` is `effectiveDaysAgo` days before the clock's UTC day.
 *
 * @module
 */
import type { MedicalRecordLevel, PrescriptionsLevel } from "./permission-levels.ts";

/** Levels as fixture data (the date relative to the clock). */
export interface FixtureLevels {
  readonly current: MedicalRecordLevel;
  readonly historical: MedicalRecordLevel;
  readonly prescriptions: PrescriptionsLevel;
  readonly effectiveDaysAgo: number;
}

/** A served patient's own levels when not listed. */
export const defaultPatientLevels: FixtureLevels = {
  current: "full",
  historical: "full",
  prescriptions: "manage",
  effectiveDaysAgo: 730,
};

/** A proxy's levels for a patient when not listed. */
export const defaultProxyLevels: FixtureLevels = {
  current: "none",
  historical: "none",
  prescriptions: "none",
  effectiveDaysAgo: 0,
};

/** Patients whose own levels are lower than the default, by NHS number. */
export const patientLevelFixtures: Readonly<Record<string, FixtureLevels>> = {
  "9690937375": {
    current: "detailed",
    historical: "summary",
    prescriptions: "view",
    effectiveDaysAgo: 365,
  },
  "9690937278": {
    current: "summary",
    historical: "none",
    prescriptions: "none",
    effectiveDaysAgo: 365,
  },
  "9690938134": { current: "none", historical: "none", prescriptions: "none", effectiveDaysAgo: 0 },
};

/** Proxies' levels for the patients they act for. */
export const proxyLevelFixtures: ReadonlyArray<
  { readonly actor: string; readonly patient: string; readonly levels: FixtureLevels }
> = [
  {
    actor: "9690937294",
    patient: "9690937286",
    levels: {
      current: "summary",
      historical: "summary",
      prescriptions: "view",
      effectiveDaysAgo: 365,
    },
  },
];
