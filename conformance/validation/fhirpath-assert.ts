/**
 * FHIRPath over response bodies, with the FHIR STU3 model (so choice types, `ofType()` and
 * FHIR date types behave): evaluate an expression, or ask whether it holds. Compiled expressions
 * are cached; an invalid expression is a {@linkcode FhirPathError} naming it.
 *
 * @module
 */
import fhirpath from "fhirpath";
import stu3 from "fhirpath/fhir-context/stu3";

/** An expression that does not parse or cannot be evaluated. */
export class FhirPathError extends Error {
  override name = "FhirPathError";
  /** The expression. */
  readonly expression: string;

  constructor(expression: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Invalid FHIRPath expression ${JSON.stringify(expression)}: ${reason}`, { cause });
    this.expression = expression;
  }
}

type Evaluator = (resource: unknown) => unknown[];

const compiled = new Map<string, Evaluator>();

function evaluator(expression: string): Evaluator {
  let evaluate = compiled.get(expression);
  if (!evaluate) {
    try {
      const fn = fhirpath.compile(expression, stu3);
      evaluate = (resource) => fn(resource) as unknown[];
    } catch (error) {
      throw new FhirPathError(expression, error);
    }
    compiled.set(expression, evaluate);
  }
  return evaluate;
}

/**
 * The collection `expression` evaluates to on `resource`.
 *
 * @example
 * ```ts
 * const bundle = {
 *   resourceType: "Bundle",
 *   entry: [{ resource: { resourceType: "Patient", birthDate: "1942-02-03" } }],
 * };
 *
 * evaluateFhirPath(bundle, "Bundle.entry.resource.ofType(Patient).birthDate"); // ["1942-02-03"]
 * ```
 * @throws {FhirPathError} when the expression is invalid.
 */
export function evaluateFhirPath(resource: unknown, expression: string): unknown[] {
  const evaluate = evaluator(expression);
  try {
    return evaluate(resource);
  } catch (error) {
    throw new FhirPathError(expression, error);
  }
}

/**
 * True when `expression` evaluates to `true`, or to a non-empty collection of `true`s.
 *
 * @example
 * ```ts
 * const bundle = {
 *   resourceType: "Bundle",
 *   entry: [{ resource: { resourceType: "Patient", birthDate: "1942-02-03" } }],
 * };
 *
 * fhirPathHolds(bundle, "entry.resource.ofType(Patient).count() = 1"); // true
 * ```
 * @throws {FhirPathError} when the expression is invalid.
 */
export function fhirPathHolds(resource: unknown, expression: string): boolean {
  const result = evaluateFhirPath(resource, expression);
  return result.length > 0 && result.every((value) => value === true);
}
