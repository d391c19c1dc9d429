/**
 * The Patient Details view (PAT). Neither GPC-0.7 nor PT-0.7 defines its table (the test pack
 * skips PAT), so the sandbox shows one row of the demographics a consumer cross-checks (GPC-0.7
 * HTML implementation guide "Demographic Cross Checking"): name, date of birth, gender, NHS number
 * (CUI `3 3 4` spacing), address and telephone, in table `pat-tab`.
 *
 * @module
 */
import type { SectionView } from "../section-view.ts";
import { sectionView, type ViewContext } from "../view-context.ts";
import { cell, dateCell } from "../xhtml.ts";

/** PAT. */
export function patientDetailsView(context: ViewContext): SectionView {
  const { patient } = context;
  const name = patient.name
    ? [...(patient.name.prefix ?? []), ...patient.name.given, patient.name.family.toUpperCase()]
      .join(" ")
    : "";
  const nhs = patient.nhsNumber;
  const address = patient.address
    ? [...patient.address.line, patient.address.city, patient.address.postalCode]
      .filter((part) => part !== undefined && part !== "").join(", ")
    : "";
  const gender = patient.gender ? patient.gender[0]!.toUpperCase() + patient.gender.slice(1) : "";
  return sectionView(context, "Patient Details", "single", [{
    title: "Patient Details",
    id: "pat-tab",
    headers: ["Name", "Date of Birth", "Gender", "NHS Number", "Address", "Telephone"],
    rows: [[
      cell(name),
      dateCell(patient.birthDate),
      cell(gender),
      cell(`${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`),
      cell(address),
      cell(patient.telecom?.map((t) => t.value).join(", ")),
    ]],
  }]);
}
