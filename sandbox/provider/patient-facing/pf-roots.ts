/**
 * Where the reference practice's patient-facing side lives: one service root per product (the
 * path after it is the API platform's path, A2 step 7: target = endpoint + path suffix) and the
 * practice's authorisation service (A2 step 8). The SDS sandbox registers these addresses, so
 * both build them here.
 *
 * @module
 */

/** The patient-facing products the practice serves (ids of specs/platform-products.json). */
export type PatientFacingProduct =
  | "access-record"
  | "appointments-management"
  | "prescriptions-management"
  | "user-permissions";

const productSegments: Readonly<Record<PatientFacingProduct, string>> = {
  "access-record": "access-record-fhir/FHIR/STU3",
  "appointments-management": "appointments-management-fhir/FHIR/STU3",
  "prescriptions-management": "prescriptions-management-fhir/FHIR/R4",
  "user-permissions": "user-permissions",
};

/** The FHIR version of a product's bodies and errors (User Permissions: plain JSON, R4 errors). */
export const productFhirVersion: Readonly<Record<PatientFacingProduct, "STU3" | "R4">> = {
  "access-record": "STU3",
  "appointments-management": "STU3",
  "prescriptions-management": "R4",
  "user-permissions": "R4",
};

/** The path of a product's patient-facing root, e.g. `/B82617/patient-facing/access-record-fhir/FHIR/STU3`. */
export function patientFacingRootPath(odsCode: string, product: PatientFacingProduct): string {
  return `/${odsCode}/patient-facing/${productSegments[product]}`;
}

/** The path of the practice's authorisation service token endpoint. */
export function authorisationServicePath(odsCode: string): string {
  return `/${odsCode}/patient-facing/oauth2/token`;
}

/**
 * The path of the sandbox's own control of a patient's permission levels (local only, not an NHS
 * API): `PUT {path}/{nhsNumber}` with a User Permissions body.
 */
export function sandboxPermissionsPath(odsCode: string): string {
  return `/${odsCode}/patient-facing/_sandbox/permissions`;
}

/**
 * The patient-facing URLs of a practice at a provider base URL.
 *
 * @example
 * ```ts
 * patientFacingUrls("http://127.0.0.1:8083", "B82617").authorisationService;
 * // "http://127.0.0.1:8083/B82617/patient-facing/oauth2/token"
 * ```
 */
export function patientFacingUrls(providerBaseUrl: string, odsCode: string) {
  const base = providerBaseUrl.replace(/\/+$/, "");
  return {
    "access-record": `${base}${patientFacingRootPath(odsCode, "access-record")}`,
    "appointments-management": `${base}${
      patientFacingRootPath(odsCode, "appointments-management")
    }`,
    "prescriptions-management": `${base}${
      patientFacingRootPath(odsCode, "prescriptions-management")
    }`,
    "user-permissions": `${base}${patientFacingRootPath(odsCode, "user-permissions")}`,
    authorisationService: `${base}${authorisationServicePath(odsCode)}`,
    sandboxPermissions: `${base}${sandboxPermissionsPath(odsCode)}`,
  } as const;
}
