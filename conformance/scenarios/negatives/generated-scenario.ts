/**
 * Turns one rule applied to one interaction's base request into a {@linkcode Scenario} with a
 * deterministic id: `<short-name>.neg.<rule>` for negatives, `<short-name>.gen.<rule>` for the
 * generated positives (tolerated variants and the content-negotiation matrix).
 *
 * @module
 */
import type { Expectation, Mutation, RequestTemplate, Scenario } from "../../model.ts";
import type { BaseRequest } from "../base-requests.ts";

/** One generated rule application. */
export interface GeneratedRule {
  /** Rule slug, unique per interaction, e.g. `missing-ssp-traceid`. */
  readonly rule: string;
  /** What is tested; the interaction name is prefixed. */
  readonly title: string;
  /** Category tag: `ssp-headers`, `jwt`, `nhs-number`, `media-type` or `format`. */
  readonly category: "ssp-headers" | "jwt" | "nhs-number" | "media-type" | "format";
  /** Whether the request must be refused (tagged `negative`). */
  readonly negative: boolean;
  readonly requirements: readonly string[];
  /** Mutations after the base's own. */
  readonly mutations?: readonly Mutation[];
  /** A replacement request (e.g. another NHS number in the body); default the base request. */
  readonly request?: RequestTemplate;
  readonly expect: Expectation;
}

/**
 * The scenario of a rule applied to a base request.
 *
 * @example
 * ```ts
 * import { baseRequest } from "../base-requests.ts";
 * import { requireInteraction } from "../catalogue.ts";
 *
 * const base = baseRequest(requireInteraction("search-patient"));
 * generatedScenario(base, { rule: "missing-ssp-traceid", title: "…", category: "ssp-headers",
 *   negative: true, requirements: ["SSP-HDR-TRACEID"], mutations: [{ kind: "drop-header", header: "Ssp-TraceID" }],
 *   expect: { status: 400 } }).id; // "search-patient.neg.missing-ssp-traceid"
 * ```
 */
export function generatedScenario(base: BaseRequest, rule: GeneratedRule): Scenario {
  const { interaction } = base;
  const mutations = [...base.mutations, ...(rule.mutations ?? [])];
  return {
    id: `${interaction.shortName}.${rule.negative ? "neg" : "gen"}.${rule.rule}`,
    title: `${interaction.name}: ${rule.title}`,
    product: interaction.product,
    tags: [
      "generated",
      ...(rule.negative ? ["negative"] : ["positive"]),
      rule.category,
      interaction.shortName,
    ],
    requirements: rule.requirements,
    request: rule.request ?? base.request,
    ...(mutations.length > 0 ? { mutations } : {}),
    expect: rule.expect,
  };
}

/**
 * A collector of JWT negatives: `negative(rule, title, requirements, mutations, expect?)` pushes a
 * `jwt-<rule>` rule (default expectation `badRequest`) onto `rules`.
 */
export function jwtNegativeCollector(
  rules: GeneratedRule[],
  badRequest: Expectation,
): (
  rule: string,
  title: string,
  requirements: string[],
  mutations: Mutation[],
  expect?: Expectation,
) => void {
  return (rule, title, requirements, mutations, expect = badRequest) => {
    rules.push({
      rule: `jwt-${rule}`,
      title,
      category: "jwt",
      negative: true,
      requirements,
      mutations,
      expect,
    });
  };
}
