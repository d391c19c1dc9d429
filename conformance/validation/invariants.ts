/**
 * FHIRPath invariants (`ElementDefinition.constraint`) of the snapshots in the profile
 * directory, the base STU3 ones they carry included (`dom-*`, `ext-1`, resource and element
 * rules), evaluated with fhirpath.js and the STU3 model on each resource and complex element the
 * walk visits. An invariant that cannot be evaluated is never silently passed: it is skipped,
 * counted and listed ({@linkcode invariantCoverage}), and each resource that meets one gets an
 * information message naming it. Skipped:
 * - `ele-1` (every element has a value or children): the `structure` rule checks exactly that;
 * - expressions fhirpath.js cannot parse (`div` is a FHIRPath operator: `text.div` does not
 *   parse) or calls it does not implement (`conformsTo`, `htmlChecks` answers nothing) or only
 *   asynchronously (`resolve`, `memberOf`);
 * - an evaluation that throws (e.g. `matches` on a non-string).
 * An invariant holds unless it evaluates to `false` (an empty result is not a violation).
 *
 * @module
 */
import fhirpath from "fhirpath";
import stu3 from "fhirpath/fhir-context/stu3";
import type { ElementDefinition } from "./conformance-resources.ts";

/** One constraint of an element definition. */
export interface Invariant {
  readonly key: string;
  readonly severity: "error" | "warning";
  readonly human: string;
  readonly expression: string;
}

/** The verdict on one invariant for one node. */
export type InvariantVerdict =
  | { readonly kind: "held" }
  | { readonly kind: "violated" }
  | { readonly kind: "skipped"; readonly reason: string };

type Evaluator = (node: unknown, env: Record<string, unknown>) => unknown[];

const compiled = new Map<string, Evaluator | { readonly skip: string }>();
const evaluated = new Set<string>();
const skipped = new Map<string, { readonly expression: string; readonly reason: string }>();

/** The constraints of an element definition with a FHIRPath expression. */
export function invariantsOf(def: ElementDefinition): Invariant[] {
  const constraints = Array.isArray(def.constraint) ? def.constraint : [];
  return constraints.flatMap((c: Record<string, unknown>) =>
    typeof c.key === "string" && typeof c.expression === "string"
      ? [{
        key: c.key,
        severity: c.severity === "warning" ? "warning" as const : "error" as const,
        human: typeof c.human === "string" ? c.human : c.key,
        expression: c.expression,
      }]
      : []
  );
}

const unsupported: readonly [RegExp, string][] = [
  [/\bconformsTo\s*\(/, "conformsTo() is not implemented by fhirpath.js"],
  [/\bhtmlChecks\s*\(/, "htmlChecks() is not implemented by fhirpath.js (it answers nothing)"],
  [/\bresolve\s*\(/, "resolve() is asynchronous in fhirpath.js"],
  [/\bmemberOf\s*\(/, "memberOf() needs a terminology server"],
];

function evaluatorFor(base: string, invariant: Invariant): Evaluator | { readonly skip: string } {
  const cacheKey = `${base}\u0000${invariant.expression}`;
  let found = compiled.get(cacheKey);
  if (found) return found;
  if (invariant.key === "ele-1") {
    found = { skip: "covered by the structure rule (no empty elements)" };
  } else {
    const reason = unsupported.find(([pattern]) => pattern.test(invariant.expression))?.[1];
    if (reason) found = { skip: reason };
    else {
      try {
        // Some profiles' invariants call trace(): keep it off the console.
        const fn = fhirpath.compile({ base, expression: invariant.expression }, stu3, {
          traceFn: () => {},
        });
        found = (node, env) => fn(node, env) as unknown[];
      } catch (error) {
        found = { skip: `does not parse: ${firstLine(error)}` };
      }
    }
  }
  compiled.set(cacheKey, found);
  return found;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 120) ??
    "";
}

/**
 * Evaluates `invariant` on `node`, an element at model path `base` (e.g. `Patient.contact`)
 * of `resource`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const invariant = { key: "x-1", severity: "error" as const, human: "a family name", expression: "family.exists()" };
 * const patient = { resourceType: "Patient", name: [{ given: ["A"] }] };
 * assert.equal(evaluateInvariant(invariant, "Patient.name", patient.name[0], patient).kind, "violated");
 * ```
 */
export function evaluateInvariant(
  invariant: Invariant,
  base: string,
  node: unknown,
  resource: unknown,
): InvariantVerdict {
  const evaluate = evaluatorFor(base, invariant);
  const id = `${invariant.key}: ${invariant.expression}`;
  if ("skip" in evaluate) {
    skipped.set(id, { expression: invariant.expression, reason: evaluate.skip });
    return { kind: "skipped", reason: evaluate.skip };
  }
  let result: unknown[];
  try {
    result = evaluate(node, { resource, rootResource: resource });
  } catch (error) {
    const reason = `evaluation failed: ${firstLine(error)}`;
    skipped.set(id, { expression: invariant.expression, reason });
    return { kind: "skipped", reason };
  }
  evaluated.add(id);
  return result.some((value) => value === false) ? { kind: "violated" } : { kind: "held" };
}

/**
 * The invariants met so far in this process: how many were evaluated, and each skipped one with
 * why (for reports: skipped invariants are listed, never silently passed).
 */
export function invariantCoverage(): {
  readonly evaluated: number;
  readonly skipped: readonly { readonly invariant: string; readonly reason: string }[];
} {
  return {
    evaluated: evaluated.size,
    skipped: [...skipped].map(([invariant, { reason }]) => ({ invariant, reason })).sort((a, b) =>
      a.invariant.localeCompare(b.invariant)
    ),
  };
}
