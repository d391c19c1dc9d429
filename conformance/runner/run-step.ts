/**
 * One request of a test: build it from its template, send it, judge the response. A request that
 * cannot be built or sent is an outcome too (the harness could not run the test), never a pass.
 *
 * @module
 */
import type { Exchange, Expectation, Mutation, RequestTemplate } from "../model.ts";
import type { AssertionResult, ProfileValidator, ValidationMessage } from "../model.ts";
import type { Target } from "../target/target.ts";
import { type ObservedResponse, sendRequest } from "./exchange.ts";
import { judge } from "./judge.ts";
import { fillTemplate, type PlaceholderContext, TemplateError } from "./placeholders.ts";
import { type BuildContext, buildRequest } from "./request-builder.ts";

/** What running a step needs. */
export interface StepContext {
  readonly target: Pick<Target, "send" | "sspPrefix">;
  readonly build: BuildContext;
  readonly validator?: ProfileValidator;
  readonly fhirPathHolds: (resource: unknown, expression: string) => boolean;
}

/** A step to run. */
export interface StepSpec {
  readonly name?: string;
  readonly request: RequestTemplate;
  readonly mutations?: readonly Mutation[];
  readonly expect: Expectation;
  /** The requirement of checks without their own. */
  readonly requirement?: string;
  /** Every requirement of the scenario or flow. */
  readonly requirements?: readonly string[];
}

/** What happened. */
export type StepOutcome =
  | {
    readonly kind: "judged";
    readonly exchange: Exchange;
    readonly response: ObservedResponse;
    readonly assertions: AssertionResult[];
    readonly validation: ValidationMessage[];
  }
  | { readonly kind: "unbuildable"; readonly error: TemplateError }
  | { readonly kind: "transport"; readonly exchange: Exchange; readonly reason: string };

/** Builds, sends and judges one step. */
export async function runStep(step: StepSpec, context: StepContext): Promise<StepOutcome> {
  let built;
  try {
    built = buildRequest(step.request, step.mutations, context.build);
  } catch (error) {
    if (error instanceof TemplateError) return { kind: "unbuildable", error };
    throw error;
  }
  let expect: Expectation;
  try {
    expect = fillExpectation(step.expect, built.placeholders);
  } catch (error) {
    if (error instanceof TemplateError) return { kind: "unbuildable", error };
    throw error;
  }
  const { exchange, response } = await sendRequest(context.target, built, step.name);
  if (response === undefined) {
    return { kind: "transport", exchange, reason: `transport: ${exchange.error ?? "no response"}` };
  }
  const traceId = built.headers.get("ssp-traceid");
  const { assertions, validation } = judge(expect, response, {
    viaSsp: context.target.sspPrefix !== undefined,
    fhirPathHolds: context.fhirPathHolds,
    ...(traceId === null ? {} : { traceId }),
    ...(step.requirement === undefined ? {} : { requirement: step.requirement }),
    ...(step.requirements === undefined ? {} : { requirements: step.requirements }),
    ...(step.name === undefined ? {} : { step: step.name }),
    ...(context.validator ? { validator: context.validator } : {}),
  });
  return { kind: "judged", exchange, response, assertions, validation };
}

/**
 * An expectation with the placeholders of its FHIRPath expressions and header values filled
 * (e.g. `participant.actor.reference contains 'Patient/{patientId}'`), leniently: FHIRPath has
 * braces of its own.
 */
export function fillExpectation<E extends Omit<Expectation, "viaSsp">>(
  expect: E & { readonly viaSsp?: Omit<Expectation, "viaSsp"> },
  placeholders: PlaceholderContext,
): E {
  const fill = (text: string) => fillTemplate(text, placeholders, { strict: false });
  return {
    ...expect,
    ...(expect.headers
      ? {
        headers: Object.fromEntries(Object.entries(expect.headers).map(([k, v]) => [k, fill(v)])),
      }
      : {}),
    ...(expect.fhirpath
      ? { fhirpath: expect.fhirpath.map((a) => ({ ...a, expression: fill(a.expression) })) }
      : {}),
    ...(expect.viaSsp ? { viaSsp: fillExpectation(expect.viaSsp, placeholders) } : {}),
  };
}
