/**
 * A fixture patient as PDS FHIR R4 returns it (reference pds-sds.md §1.5–§1.7, shapes from the PDS
 * spec examples): NHS number identifier with its verification status, `meta.versionId` and
 * `meta.security`, and `generalPractitioner` with the period *inside* the identifier. Restricted
 * (R) records lose address, telecom and GP; very restricted (V) ones lose name and birth date too.
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import { type FixturePatient, resolveFixtureDate, type SecurityLabel } from "./fixture-patients.ts";

const verificationStatusExtension = {
  url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",
  valueCodeableConcept: {
    coding: [{
      system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus",
      version: "1.0.0",
      code: "01",
      display: "Number present and verified",
    }],
  },
};

const securityDisplays: Readonly<Record<SecurityLabel, string>> = {
  U: "unrestricted",
  R: "restricted",
  V: "very restricted",
};

const deathNotificationDisplays: Readonly<Record<string, string>> = {
  "1":
    "Informal - death notice received via an update from a local NHS Organisation such as GP or Trust",
  "2": "Formal - death notice received from Registrar of Deaths",
  "U": "Removed",
};

/** A FHIR R4 Patient as plain JSON. */
export type PdsPatientResource = Record<string, unknown> & {
  resourceType: "Patient";
  id: string;
  meta: { versionId: string; security: Array<Record<string, string>> };
};

/** An opaque, stable reference id like PDS's `254406A3`, derived from the NHS number. */
function referenceId(nhsNumber: string): string {
  let hash = 0x811c9dc5;
  for (const ch of nhsNumber) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).toUpperCase().padStart(8, "0");
}

/**
 * The R4 Patient PDS returns for a fixture patient with a present record, redacted per its
 * security label. `today` (`yyyy-mm-dd`) resolves relative fixture dates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patientByRole } from "./fixture-patients.ts";
 * const resource = pdsPatientResource(patientByRole("no-allergies"), "2025-01-15");
 * assert.deepEqual(resource.generalPractitioner, [{
 *   id: "C6719765",
 *   type: "Organization",
 *   identifier: {
 *     system: "https://fhir.nhs.uk/Id/ods-organization-code",
 *     value: "B82617",
 *     period: { start: "1999-03-01" },
 *   },
 * }]);
 * ```
 */
export function pdsPatientResource(patient: FixturePatient, today: string): PdsPatientResource {
  const security = patient.pds.security ?? "U";
  const resource: PdsPatientResource = {
    resourceType: "Patient",
    id: patient.nhsNumber,
    identifier: [{
      system: identifierSystems.nhsNumber,
      value: patient.nhsNumber,
      extension: [verificationStatusExtension],
    }],
    meta: {
      versionId: patient.pds.versionId ?? "1",
      security: [{
        system: identifierSystems.confidentiality,
        code: security,
        display: securityDisplays[security],
      }],
    },
  };
  if (patient.name && security !== "V") {
    resource.name = [{
      id: referenceId(`name${patient.nhsNumber}`).slice(0, 6),
      use: "usual",
      given: [...patient.name.given],
      family: patient.name.family,
      ...(patient.name.prefix ? { prefix: [...patient.name.prefix] } : {}),
    }];
  }
  if (patient.gender) resource.gender = patient.gender;
  if (patient.birthDate && security !== "V") resource.birthDate = patient.birthDate;
  if (patient.multipleBirthInteger !== undefined) {
    resource.multipleBirthInteger = patient.multipleBirthInteger;
  }
  if (patient.pds.deceasedDateTime) {
    resource.deceasedDateTime = patient.pds.deceasedDateTime;
    resource.extension = [deathNotificationExtension(patient)];
  }
  if (security !== "U") return resource;
  if (patient.address) {
    resource.address = [{
      id: referenceId(`address${patient.nhsNumber}`).slice(0, 6),
      use: "home",
      line: [...patient.address.line, ...(patient.address.city ? [patient.address.city] : [])],
      postalCode: patient.address.postalCode,
    }];
  }
  if (patient.telecom?.length) {
    resource.telecom = patient.telecom.map((telecom, i) => ({
      id: `${referenceId(`telecom${patient.nhsNumber}`).slice(0, 4)}${i}`,
      ...telecom,
    }));
  }
  const gp = patient.pds.generalPractitioner;
  if (gp) {
    resource.generalPractitioner = [{
      id: referenceId(patient.nhsNumber),
      type: "Organization",
      identifier: {
        system: identifierSystems.odsOrganizationCode,
        value: gp.odsCode,
        period: {
          start: resolveFixtureDate(gp.start, today),
          ...(gp.end === undefined ? {} : { end: resolveFixtureDate(gp.end, today) }),
        },
      },
    }];
  }
  return resource;
}

function deathNotificationExtension(patient: FixturePatient): Record<string, unknown> {
  const code = patient.pds.deathNotificationStatus ?? "2";
  return {
    url: "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus",
    extension: [
      {
        url: "deathNotificationStatus",
        valueCodeableConcept: {
          coding: [{
            system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-DeathNotificationStatus",
            version: "1.0.0",
            code,
            display: deathNotificationDisplays[code] ?? "",
          }],
        },
      },
      { url: "systemEffectiveDate", valueDateTime: patient.pds.deceasedDateTime },
    ],
  };
}
