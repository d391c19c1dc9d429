/**
 * Where the reference practice's patient-facing side lives: one service root per product (the
 * path after it is the API platform's path, A2 step 7: target = endpoint + path suffix) and the
 * practice's authorisation service (A2 step 8). The SDS sandbox registers these addresses, so
 * both build them here.
 *
 * @module
 */

/** The patient-facing products the practice serves (ids of specs/platform-products.json). */
export type PatientFacingProduct = "access-record" | "appointments-management";

const productSegments: Readonly<Record<PatientFacingProduct, string>> = {
  "access-record": "access-record-fhir/FHIR/STU3",
  "appointments-management": "appointments-management-fhir/FHIR/STU3",
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
    authorisationService: `${base}${authorisationServicePath(odsCode)}`,
  } as const;
}
