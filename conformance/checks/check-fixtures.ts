/**
 * Requests and resources the check tests share (a test helper; no NHS data).
 *
 * @module
 */
import type { CheckedRequest } from "./response-check.ts";

/** A request of `interaction` to `path` (relative to a foundations-like root). */
export function requestTo(
  interaction: string,
  path: string,
  extra: Partial<CheckedRequest> = {},
): CheckedRequest {
  return {
    interaction,
    fhirVersion: "STU3",
    method: "GET",
    url: `http://127.0.0.1:8083/B82617/STU3/1/gpconnect${path}`,
    ...extra,
  };
}

/** A Bundle of `type` holding `resources`, each under a `fullUrl`. */
export function bundleOf(type: string, resources: Record<string, unknown>[]) {
  return {
    resourceType: "Bundle",
    type,
    entry: resources.map((resource) => ({
      fullUrl:
        `http://127.0.0.1:8083/B82617/STU3/1/gpconnect/${resource.resourceType}/${resource.id}`,
      resource,
    })),
  };
}

/** A resource claiming the GP Connect profile `profile` (a name under fhir.nhs.uk/STU3). */
export function profiled(profile: string, resource: Record<string, unknown>) {
  return {
    ...resource,
    meta: { profile: [`https://fhir.nhs.uk/STU3/StructureDefinition/${profile}`] },
  };
}
