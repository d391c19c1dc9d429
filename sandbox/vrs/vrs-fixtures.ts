/**
 * Who may act for whom in the VRS sandbox (A4), in one place: the relationships the
 * Validated Relationships Service confirms. The proxy and the patient are fixture patients
 * (specs/fixture-patients.json), so NHS login can mint the delegated id_token and PDS knows both.
 *
 * | Proxy (RelatedPerson.identifier) | Acts for (RelatedPerson.patient) | Relationship |
 * |---|---|---|
 * | 9690937294 Edith MARLOWE | 9690937286 Horace SKELLY | Personal (carer) |
 *
 * The practice grants that proxy `summary`/`summary` medical record and `view` prescriptions for
 * the patient (sandbox/provider/patient-facing/user-permissions/permission-fixtures.ts).
 *
 * @module
 */

/** A coded relationship (RelatedPerson.relationship). */
export interface VrsRelationshipCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** One validated relationship. */
export interface VrsRelationship {
  /** RelatedPerson.id. */
  readonly id: string;
  /** The proxy's NHS number (RelatedPerson.identifier; VRS's `identifier` parameter). */
  readonly proxyNhsNumber: string;
  /** The NHS number of the patient the proxy acts for (`patient:identifier`). */
  readonly patientNhsNumber: string;
  readonly relationship: VrsRelationshipCode;
}

/** The sandbox's relationships. */
export const vrsRelationships: readonly VrsRelationship[] = [
  {
    id: "RP-MARLOWE-SKELLY",
    proxyNhsNumber: "9690937294",
    patientNhsNumber: "9690937286",
    relationship: {
      system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole",
      code: "Personal",
      display: "Personal relationship with the patient",
    },
  },
];

/** The well-known NHS numbers of the VRS fixtures, for tests. */
export const vrsFixtures = {
  /** A proxy with one confirmed relationship. */
  proxy: "9690937294",
  /** The patient that proxy acts for. */
  patient: "9690937286",
  /** A fixture patient the proxy does not act for. */
  unrelatedPatient: "9690937278",
  /** A fixture patient who acts for nobody. */
  nobodysProxy: "9690937375",
} as const;
