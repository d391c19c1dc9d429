/**
 * RESP-META-PROFILE: every STU3 resource a provider returns (the body and each Bundle entry)
 * claims in `meta.profile` the GP Connect profile mandated for its type
 * (`../validation/mandated-profiles.ts`): a resource without `meta`, or claiming nothing, fails
 * rather than passing vacuously. A structured record Bundle claims
 * `GPConnect-StructuredRecord-Bundle-1`, a document search `GPConnect-Searchset-Bundle-1`.
 * Contained resources (a booking's organisation, echoed from the consumer) and DSTU2 responses
 * are not judged here.
 *
 * @module
 */
import {
  mandatedProfiles,
  missingMandatedProfile,
  searchsetBundleProfile,
  structuredBundleProfile,
} from "../validation/mandated-profiles.ts";
import { resourcesIn } from "./fhir-walk.ts";
import {
  type CheckInput,
  type CheckVerdict,
  interactionIds,
  type ResponseCheck,
} from "./response-check.ts";

function acceptedFor(resource: Record<string, unknown>, input: CheckInput) {
  if (resource.resourceType !== "Bundle") {
    return mandatedProfiles[String(resource.resourceType)];
  }
  if (resource.type === "collection") return [structuredBundleProfile];
  if (
    resource.type === "searchset" && input.request.interaction === interactionIds.searchDocuments
  ) {
    return [searchsetBundleProfile];
  }
  return undefined;
}

function metaProfileVerdict(input: CheckInput): CheckVerdict | undefined {
  if (input.request.fhirVersion !== "STU3") return undefined;
  const problems: string[] = [];
  let judged = 0;
  for (const { resource, path, contained } of resourcesIn(input.body)) {
    if (contained) continue;
    const accepted = acceptedFor(resource, input);
    if (accepted === undefined) continue;
    judged++;
    const problem = missingMandatedProfile(resource, accepted);
    if (problem) problems.push(`${path}: ${problem}`);
  }
  if (judged === 0) return undefined;
  return {
    description: `every resource claims its mandated GP Connect profile (${judged} judged)`,
    problems,
  };
}

/** The check. */
export const metaProfileCheck: ResponseCheck = {
  name: "meta-profile",
  requirement: "RESP-META-PROFILE",
  check: metaProfileVerdict,
};
