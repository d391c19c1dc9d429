/**
 * The systematic scenarios of every interaction of the catalogue, generated from its base
 * request ({@linkcode baseRequest}): SSP headers, JWT claims and token, NHS numbers, media types
 * and the content-negotiation matrix, and last the interaction's positive twin
 * (`<short-name>.gen.twin`, negative-twins.ts: the base request without any defect, which every
 * negative needs to pass in the same run to be conclusive). Deterministic: the same catalogue
 * gives the same scenarios in the same order, ids `<short-name>.neg.<rule>` (negatives) and
 * `<short-name>.gen.<rule>` (generated positives).
 *
 * @module
 */
import type { Scenario } from "../model.ts";
import { baseRequest } from "./base-requests.ts";
import { catalogue, type CatalogueInteraction } from "./catalogue.ts";
import { jwtClaimScenarios } from "./negatives/jwt-claims.ts";
import { jwtTokenScenarios } from "./negatives/jwt-token.ts";
import { mediaTypeScenarios } from "./negatives/media-type.ts";
import { nhsNumberScenarios } from "./negatives/nhs-number.ts";
import { sspHeaderScenarios } from "./negatives/ssp-headers.ts";
import { twinScenario } from "./negative-twins.ts";

/**
 * The generated scenarios of one interaction.
 *
 * @example
 * ```ts
 * import { requireInteraction } from "./catalogue.ts";
 *
 * generateInteractionScenarios(requireInteraction("read-metadata")).length;
 * ```
 */
export function generateInteractionScenarios(interaction: CatalogueInteraction): Scenario[] {
  const base = baseRequest(interaction);
  return [
    ...sspHeaderScenarios(base),
    ...jwtClaimScenarios(base),
    ...jwtTokenScenarios(base),
    ...nhsNumberScenarios(base),
    ...mediaTypeScenarios(base),
    twinScenario(base),
  ];
}

/**
 * The generated scenarios of every interaction (or of those given), in catalogue order.
 *
 * @example
 * ```ts
 * const scenarios = generateNegatives();
 * scenarios.filter((s) => s.tags.includes("negative")).length;
 * ```
 */
export function generateNegatives(
  interactions: readonly CatalogueInteraction[] = catalogue,
): Scenario[] {
  return interactions.flatMap(generateInteractionScenarios);
}
