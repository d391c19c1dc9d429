/**
 * Identifier and coding systems GP Connect, PDS and SDS use (shared/reference/gpconnect-ssp.md §5).
 *
 * @module
 */

/** Identifier systems by name. */
export const identifierSystems = {
  nhsNumber: "https://fhir.nhs.uk/Id/nhs-number",
  nhsNumberDstu2: "http://fhir.nhs.net/Id/nhs-number",
  odsOrganizationCode: "https://fhir.nhs.uk/Id/ods-organization-code",
  odsOrganizationCodeDstu2: "http://fhir.nhs.net/Id/ods-organization-code",
  odsSiteCode: "https://fhir.nhs.uk/Id/ods-site-code",
  sdsUserId: "https://fhir.nhs.uk/Id/sds-user-id",
  sdsUserIdDstu2: "http://fhir.nhs.net/sds-user-id",
  sdsRoleProfileId: "https://fhir.nhs.uk/Id/sds-role-profile-id",
  sdsJobRoleNameDstu2: "http://fhir.nhs.net/ValueSet/sds-job-role-name-1",
  spineAsid: "https://fhir.nhs.uk/Id/nhsSpineASID",
  serviceInteractionId: "https://fhir.nhs.uk/Id/nhsServiceInteractionId",
  mhsPartyKey: "https://fhir.nhs.uk/Id/nhsMhsPartyKey",
  mhsCpaId: "https://fhir.nhs.uk/Id/nhsMhsCPAId",
  mhsId: "https://fhir.nhs.uk/Id/nhsMHSId",
  mhsFqdn: "https://fhir.nhs.uk/Id/nhsMhsFQDN",
  confidentiality: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
} as const;
