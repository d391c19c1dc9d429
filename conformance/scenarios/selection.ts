/**
 * Choosing test cases to run: by product, interaction (URN or short name), tag, requirement and
 * id (with `*` globs). Kinds combine with AND, values of one kind with OR; an empty or absent
 * kind does not restrict.
 *
 * @module
 */
import type { TestCase } from "../model.ts";
import { caseItem, itemSteps, namedRequirements } from "./case-steps.ts";
import { catalogueInteraction } from "./catalogue.ts";

/** What to run. */
export interface Selection {
  readonly products?: readonly string[];
  /** Interaction URNs or short names (`search-patient`). */
  readonly interactions?: readonly string[];
  readonly tags?: readonly string[];
  readonly requirements?: readonly string[];
  /** Ids; `*` matches any run of characters, e.g. `search-patient.neg.jwt-*`. */
  readonly ids?: readonly string[];
}

function globPattern(glob: string): RegExp {
  const escaped = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}

/** The id, product, tags, requirements and interaction URNs of a test case. */
export function describeCase(testCase: TestCase) {
  const item = caseItem(testCase);
  return {
    id: item.id,
    product: item.product as string,
    tags: item.tags,
    requirements: namedRequirements(item),
    interactions: [...new Set(itemSteps(item).map((step) => step.request.interaction))],
  };
}

/**
 * The test cases a selection picks, in their order.
 *
 * @example
 * ```ts
 * import { loadTestCases } from "./test-cases.ts";
 *
 * const cases = await loadTestCases();
 *
 * selectTestCases(cases, { interactions: ["search-patient"], tags: ["jwt"], ids: ["*.neg.jwt-exp-*"] });
 * ```
 */
export function selectTestCases(cases: readonly TestCase[], selection: Selection): TestCase[] {
  const interactions = selection.interactions?.map((name) =>
    catalogueInteraction(name)?.id ?? name
  );
  const ids = selection.ids?.map(globPattern);
  const matches = (wanted: readonly string[] | undefined, have: readonly string[]) =>
    !wanted || wanted.length === 0 || wanted.some((value) => have.includes(value));
  return cases.filter((testCase) => {
    const described = describeCase(testCase);
    return matches(selection.products, [described.product]) &&
      matches(interactions, described.interactions) &&
      matches(selection.tags, described.tags) &&
      matches(selection.requirements, described.requirements) &&
      (!ids || ids.length === 0 || ids.some((pattern) => pattern.test(described.id)));
  });
}
