/**
 * Which catalogue interactions a request path names, relative to a service root. Paths are case
 * sensitive (GPC-1.6 general API guidance); `{id}` in a template matches one non-empty segment.
 * A provider uses it to answer unknown paths with 404 and to check that `Ssp-InteractionID`
 * agrees with the path and verb (reference gpconnect-ssp.md §1.6).
 *
 * @module
 */
import { type Interaction, interactions, type RootKind } from "../../gpconnect/specs.ts";

function templateMatches(template: string, path: string): boolean {
  const expected = template.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return false;
  return expected.every((segment, i) =>
    segment === "{id}" ? (actual[i] ?? "") !== "" : segment === actual[i]
  );
}

/**
 * The interactions of a root kind whose path template matches `relativePath`, any method.
 *
 * @example
 * ```ts
 * interactionsAtPath("foundations", "/Appointment/7").map((i) => i.method); // ["GET", "PUT", "PUT"]
 * interactionsAtPath("foundations", "/metadatas"); // []
 * ```
 */
export function interactionsAtPath(kind: RootKind, relativePath: string): Interaction[] {
  return interactions.filter((interaction) =>
    interaction.root === kind && templateMatches(interaction.path, relativePath)
  );
}

/**
 * Whether `interactionId` is one of the interactions for this path and method.
 *
 * @example
 * ```ts
 * interactionMatchesRequest(
 *   "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1", "foundations", "GET", "/metadata",
 * ); // the Interaction
 * ```
 */
export function interactionMatchesRequest(
  interactionId: string,
  kind: RootKind,
  method: string,
  relativePath: string,
): Interaction | undefined {
  return interactionsAtPath(kind, relativePath).find((interaction) =>
    interaction.id === interactionId && interaction.method === method
  );
}
