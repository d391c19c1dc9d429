/**
 * One request of a test: build it from its template, send it, judge the response. A request that
 * cannot be built, sent or judged is an outcome too (the harness could not run the test), never a
 * pass and never an exception that would stop the other tests.
 *
 * @module
 */
import type { Exchange, Expectation, Mutation, RequestTemplate } from "../model.ts";
import type { AssertionResult, ProfileValidator, ValidationMessage } from "../model.ts";
import type { Target } from "../target/target.ts";
import { type ObservedResponse, sendRequest } from "./exchange.ts";
import { judge } from "./judge.ts";
import { fillTemplate, type PlaceholderContext } from "./placeholders.ts";
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
  /** The request could not be built (a `TemplateError`, or a defect of the scenario). */
  | { readonly kind: "unbuildable"; readonly error: Error }
  /** Sent, but no verdict: no response came, or judging the one that came failed. */
  | {
    readonly kind: "unjudged";
    readonly exchange: Exchange;
    readonly response?: ObservedResponse;
    readonly reason: string;
  };

/** Builds, sends and judges one step. */
export async function runStep(step: StepSpec, context: StepContext): Promise<StepOutcome> {
  let built;
  let expect: Expectation;
  try {
    built = buildRequest(step.request, step.mutations, context.build);
    expect = fillExpectation(step.expect, built.placeholders);
  } catch (error) {
    return { kind: "unbuildable", error: asError(error) };
  }
  const { exchange, response } = await sendRequest(context.target, built, step.name);
  if (response === undefined) {
    return { kind: "unjudged", exchange, reason: `transport: ${exchange.error ?? "no response"}` };
  }
  const traceId = built.headers.get("ssp-traceid");
  try {
    const { assertions, validation } = judge(expect, response, {
      viaSsp: context.target.sspPrefix !== undefined,
      fhirPathHolds: context.fhirPathHolds,
      ...(traceId === null ? {} : { traceId }),
      request: {
        interaction: built.interaction.id,
        fhirVersion: built.interaction.fhirVersion,
        method: built.method,
        url: built.url,
        ...(built.body === undefined ? {} : { body: built.body }),
      },
      ...(step.requirement === undefined ? {} : { requirement: step.requirement }),
      ...(step.requirements === undefined ? {} : { requirements: step.requirements }),
      ...(step.name === undefined ? {} : { step: step.name }),
      ...(context.validator ? { validator: context.validator } : {}),
    });
    return { kind: "judged", exchange, response, assertions, validation };
  } catch (error) {
    const { name, message } = asError(error);
    const reason = `cannot judge the response: ${name}: ${message}`;
    return { kind: "unjudged", exchange, response, reason };
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
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
    ...fillExpectationTexts(expect, fill),
    ...(expect.viaSsp ? { viaSsp: fillExpectation(expect.viaSsp, placeholders) } : {}),
  };
}

/**
 * An expectation with `fill` applied to its header values and FHIRPath expressions (the texts
 * that may hold placeholders); the GP Connect and patient-facing runners fill theirs this way.
 *
 * @example
 * ```ts
 * const filled = fillExpectationTexts(
 *   { status: 200, headers: { "X-Request-ID": "{requestId}" } },
 *   (text) => text.replace("{requestId}", "r-1"),
 * );
 * filled.headers?.["X-Request-ID"]; // "r-1"
 * ```
 */
export function fillExpectationTexts<E extends Pick<Expectation, "headers" | "fhirpath">>(
  expect: E,
  fill: (text: string) => string,
): E {
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
  };
}
