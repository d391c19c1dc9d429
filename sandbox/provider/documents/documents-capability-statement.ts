/**
 * The Access Document CapabilityStatement of the reference provider (GPC-1.6
 * `access_documents_use_case_get_the_fhir_capability_statement`): FHIR 3.0.1, JSON and XML, the
 * profiles it returns, Patient search by NHS number, Binary read and DocumentReference search with
 * its includes, reverse include and search parameters. The example's `searchInclude` list (which
 * has typos and omits `author:Practitioner`) is replaced by the four includes the search page
 * makes mandatory.
 *
 * @module
 */
import { errorProfiles } from "../../../gpconnect/specs.ts";
import { capabilityStatement, gpConnectVersion } from "../capability-statement-base.ts";
import { searchsetBundleProfile } from "../foundations/foundations-responses.ts";
import { gpcPatientProfile } from "../foundations/patient-resource.ts";
import { practiceProfiles } from "../practice/practice-resources.ts";
import { documentReferenceProfile } from "./document-reference.ts";
import { requiredIncludes, requiredRevinclude } from "./document-search-params.ts";
import { practitionerRoleProfile } from "./practitioner-role.ts";

/**
 * The CapabilityStatement served at `GET [documents root]/metadata`.
 *
 * @example
 * ```ts
 * documentsCapabilityStatement(new Date("2025-01-15T00:00:00Z")).name; // "GP Connect API - Access Document"
 * ```
 */
export function documentsCapabilityStatement(now: Date): Record<string, unknown> {
  return capabilityStatement(now, {
    name: "GP Connect API - Access Document",
    description:
      `This server implements the GP Connect API - Access Document version ${gpConnectVersion}`,
    profiles: [
      gpcPatientProfile,
      practiceProfiles.Organization,
      practiceProfiles.Practitioner,
      practitionerRoleProfile,
      errorProfiles.stu3,
      documentReferenceProfile,
      searchsetBundleProfile,
    ],
    rest: {
      resource: [
        {
          type: "Patient",
          interaction: [{ code: "search-type" }],
          searchParam: [{
            name: "identifier",
            type: "token",
            documentation: "NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)",
          }],
        },
        { type: "Binary", interaction: [{ code: "read" }] },
        {
          type: "DocumentReference",
          interaction: [{ code: "search-type" }],
          searchInclude: [...requiredIncludes],
          searchRevInclude: [requiredRevinclude],
          searchParam: [
            { name: "created", type: "date" },
            { name: "facility", type: "token" },
            { name: "author", type: "reference" },
            { name: "type", type: "token" },
            { name: "description", type: "string" },
          ],
        },
      ],
    },
  });
}
