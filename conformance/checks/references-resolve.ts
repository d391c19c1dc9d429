/**
 * RESP-REFERENCES-RESOLVE: the references of a response resolve. A local reference (`#id`) must
 * name a resource contained in the same resource (`#` alone the container itself). In a
 * `collection` Bundle (the structured record, migrate) every relative reference (`Type/id`) must
 * be an entry of the Bundle (GPC-1.6 structured Bundle: the Bundle holds the resources its
 * resources reference), and an absolute one naming an entry's `fullUrl` resolves too. Relative
 * references elsewhere (a read, a searchset outside its includes, which `search-includes.ts`
 * checks) are counted as not checked: this harness does not fetch them.
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { entryIndex, referencesOf, resourcesIn } from "./fhir-walk.ts";
import type { CheckInput, CheckVerdict, ResponseCheck } from "./response-check.ts";

function containedIds(resource: Record<string, unknown>): Set<string> {
  const contained = Array.isArray(resource.contained) ? resource.contained : [];
  return new Set(
    contained.flatMap((c) => (isJsonObject(c) && typeof c.id === "string" ? [c.id] : [])),
  );
}

function referencesVerdict(input: CheckInput): CheckVerdict | undefined {
  const { body } = input;
  const mustHoldAll = body.resourceType === "Bundle" && body.type === "collection";
  const inBundle = entryIndex(body);
  const problems: string[] = [];
  let checked = 0;
  let notChecked = 0;
  let local = new Set<string>();
  for (const { resource, path, contained } of resourcesIn(body)) {
    if (!contained) local = containedIds(resource);
    for (const ref of referencesOf(resource, path)) {
      const { reference } = ref;
      if (reference.startsWith("#")) {
        checked++;
        if (reference !== "#" && !local.has(reference.slice(1))) {
          problems.push(`${ref.path} ${reference} names no contained resource`);
        }
      } else if (mustHoldAll && !/^[a-z][a-z0-9+.-]*:/i.test(reference)) {
        checked++;
        if (!inBundle(reference)) problems.push(`${ref.path} ${reference} is not in the Bundle`);
      } else if (mustHoldAll && inBundle(reference)) {
        checked++;
      } else {
        notChecked++;
      }
    }
  }
  if (checked === 0 && problems.length === 0) return undefined;
  const skipped = notChecked > 0 ? `; ${notChecked} outside the response not fetched` : "";
  return {
    description: `every reference resolves (${checked} checked${skipped})`,
    problems,
  };
}

/** The check. */
export const referencesResolveCheck: ResponseCheck = {
  name: "references-resolve",
  requirement: "RESP-REFERENCES-RESOLVE",
  check: referencesVerdict,
};
