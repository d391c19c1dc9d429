/**
 * Which view renders which record section, and the context each is built in: a section that
 * takes a consumer period carries date banners on its tables; the others (ALL, IMM, PAT, SUM)
 * carry none.
 *
 * @module
 */
import type { RecordSection, RecordSectionCode } from "./record-sections.ts";
import type { SectionView } from "./section-view.ts";
import type { ViewContext } from "./view-context.ts";
import { allergiesView, problemsView } from "./views/allergies-problems-views.ts";
import { medicationsView } from "./views/medications-view.ts";
import { patientDetailsView } from "./views/patient-details-view.ts";
import {
  administrativeItemsView,
  clinicalItemsView,
  encountersView,
  immunisationsView,
  investigationsView,
  observationsView,
  referralsView,
} from "./views/single-table-views.ts";
import { summaryView } from "./views/summary-view.ts";

const views: Readonly<Record<RecordSectionCode, (context: ViewContext) => SectionView>> = {
  ADM: administrativeItemsView,
  ALL: allergiesView,
  CLI: clinicalItemsView,
  ENC: encountersView,
  IMM: immunisationsView,
  INV: investigationsView,
  MED: medicationsView,
  OBS: observationsView,
  PAT: patientDetailsView,
  PRB: problemsView,
  REF: referralsView,
  SUM: summaryView,
};

/**
 * The view of a section; `context.dateBanners` is set from the section.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordSections } from "./record-sections.ts";
 * import { patientByNhsNumber } from "../../pds/fixture-patients.ts";
 * import { clinicalRecordFor } from "../clinical/clinical-records.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * const now = new Date();
 * const context = { // the rich-record patient, no period asked for
 *   record: clinicalRecordFor("9690937286", now)!,
 *   patient: patientByNhsNumber("9690937286")!,
 *   practice: practiceData,
 *   now,
 *   period: undefined,
 *   dateBanners: false,
 * };
 * const view = recordSectionView(recordSections.ENC, context);
 * assert.equal(view.title, "Encounters");
 * ```
 */
export function recordSectionView(section: RecordSection, context: ViewContext): SectionView {
  return views[section.code]({ ...context, dateBanners: section.acceptsTimePeriod });
}
