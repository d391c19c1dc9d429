/**
 * Fills the placeholders of request templates (model.ts `Template`): `{nhsNumber}`,
 * `{patientId}`, the role's patient's demographics from the fixture manifest (`{family}`,
 * `{given}` (the first given name), `{prefix}` (the first), `{gender}`, `{birthDate}`: a body that
 * registers whichever candidate of a pool the preflight chose), `{odsCode}`, `{today}`,
 * `{today+N}`, `{today-N}`, `{now}`, `{traceId}` and, in
 * flows, `{step.<name>.<dotted path>}` and `{step.<name>:<FHIRPath>}` into an earlier step's
 * response body (`step-values.ts`). Dates come from the fixed run clock, so a run is
 * reproducible. Mutations may also use `{jwt}` (the well-formed token the request would have
 * carried) and `{epoch}`, `{epoch+N}`, `{epoch-N}` (the JWT issue time in epoch seconds ± N).
 *
 * @module
 */
import type { FixtureDemographics } from "../config/fixture-manifest.ts";
import { dottedPath, fhirPathPlaceholderAt, valueText } from "./step-values.ts";

/** What placeholders resolve to for one request. */
export interface PlaceholderContext {
  /** The role's NHS number on the target. */
  readonly nhsNumber?: string;
  /** The role's logical id on the target (found by the preflight). */
  readonly patientId?: string;
  /** The name of the role, for error messages. */
  readonly patientRole?: string;
  /** The role's patient's demographics (fixture manifest), for `{family}` and the like. */
  readonly demographics?: FixtureDemographics;
  readonly odsCode: string;
  /** The run clock. */
  readonly runClock: Date;
  /** This request's `Ssp-TraceID`. */
  readonly traceId: string;
  /** Parsed response bodies of the flow's earlier steps, by step name. */
  readonly steps?: ReadonlyMap<string, unknown>;
  /** Evaluates FHIRPath (for `{step.<name>:<FHIRPath>}`). */
  readonly evaluateFhirPath?: (resource: unknown, expression: string) => unknown[];
  /** The JWT issue time, epoch seconds (`{epoch±N}`). */
  readonly epoch?: number;
  /** The well-formed token (`{jwt}`). */
  readonly jwt?: string;
}

/** A template that cannot be filled (unknown placeholder, missing value). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** A `{step.…}` value an earlier flow step did not produce (it never ran, or had no such value). */
export class MissingStepError extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = "MissingStepError";
  }
}

const simple = /^\{([A-Za-z][\w.+\-]*)\}/;
const known =
  /^(nhsNumber|patientId|family|given|prefix|gender|birthDate|odsCode|now|traceId|jwt|today(?:[+-]\d{1,5})?|epoch(?:[+-]\d{1,9})?|step\..+)$/;

/** A value that is exactly one `{epoch±N}` placeholder (a JWT time claim: becomes a number). */
export const epochOnly = /^\{epoch(?:[+-]\d{1,9})?\}$/;

/**
 * `template` with its placeholders filled. Strict (the default): an unknown `{name}` is an error,
 * so a typo cannot pass silently. Lenient (raw bodies, FHIRPath expressions, which may hold any
 * braces): unknown names stay as written.
 *
 * @example
 * ```ts
 * const context = {
 *   nhsNumber: "9690937278",
 *   odsCode: "B82617",
 *   runClock: new Date("2026-11-23T10:00:00Z"),
 *   traceId: crypto.randomUUID(),
 * };
 *
 * fillTemplate("/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}", context);
 * fillTemplate("ge{today-7}", context); // "ge2026-11-16" with a run clock of 2026-11-23
 * ```
 */
export function fillTemplate(
  template: string,
  context: PlaceholderContext,
  options: { readonly strict?: boolean } = {},
): string {
  const strict = options.strict ?? true;
  let out = "";
  let from = 0;
  for (let at = template.indexOf("{"); at >= 0; at = template.indexOf("{", at + 1)) {
    if (at < from) continue;
    const fhirPath = fhirPathPlaceholderAt(template, at);
    if (fhirPath) {
      out += template.slice(from, at) + stepFhirPath(fhirPath.step, fhirPath.expression, context);
      from = fhirPath.end;
      continue;
    }
    const match = simple.exec(template.slice(at));
    if (!match) continue;
    const name = match[1] ?? "";
    if (!known.test(name)) {
      if (strict) throw new TemplateError(`unknown placeholder ${match[0]}`);
      continue;
    }
    out += template.slice(from, at) + resolve(name, context);
    from = at + match[0].length;
  }
  return out + template.slice(from);
}

function resolve(name: string, context: PlaceholderContext): string {
  switch (name) {
    case "nhsNumber":
      return need(context.nhsNumber, `{nhsNumber} needs request.patientRole`);
    case "patientId":
      return need(
        context.patientId,
        context.patientRole === undefined
          ? "{patientId} needs request.patientRole"
          : `{patientId}: no logical id for role ${context.patientRole} on the target`,
      );
    case "odsCode":
      return context.odsCode;
    case "traceId":
      return context.traceId;
    case "now":
      return context.runClock.toISOString().replace(/\.\d{3}Z$/, "Z");
    case "jwt":
      return need(context.jwt, "{jwt} is only available in mutations");
    case "family":
      return demographic(context, name, (d) => d.family);
    case "given":
      return demographic(context, name, (d) => d.given[0]);
    case "prefix":
      return demographic(context, name, (d) => d.prefix?.[0]);
    case "gender":
      return demographic(context, name, (d) => d.gender);
    case "birthDate":
      return demographic(context, name, (d) => d.birthDate);
    default:
      break;
  }
  if (name.startsWith("today")) {
    const days = name.length === 5 ? 0 : Number(name.slice(5));
    const date = new Date(context.runClock.getTime());
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }
  if (name.startsWith("epoch")) {
    const epoch = context.epoch;
    if (epoch === undefined) throw new TemplateError(`{${name}} is only available in mutations`);
    return String(epoch + (name.length === 5 ? 0 : Number(name.slice(5))));
  }
  const [, stepName = "", ...path] = name.split(".");
  const text = valueText(dottedPath(stepBody(stepName, name, context), path));
  if (text === undefined) {
    throw new MissingStepError(
      `{${name}}: no value at ${path.join(".")} in step ${stepName}'s response`,
    );
  }
  return text;
}

function stepBody(step: string, placeholder: string, context: PlaceholderContext): unknown {
  if (!context.steps?.has(step)) {
    throw new MissingStepError(`{${placeholder}}: step ${step} has not run`);
  }
  return context.steps.get(step);
}

function stepFhirPath(step: string, expression: string, context: PlaceholderContext): string {
  const placeholder = `step.${step}:${expression}`;
  const body = stepBody(step, placeholder, context);
  if (!context.evaluateFhirPath) throw new TemplateError(`{${placeholder}}: no FHIRPath evaluator`);
  let values: unknown[];
  try {
    values = context.evaluateFhirPath(body, expression);
  } catch (error) {
    throw new TemplateError(`{${placeholder}}: ${(error as Error).message}`);
  }
  const text = valueText(values[0]);
  if (text === undefined) {
    throw new MissingStepError(`{${placeholder}}: no value in step ${step}'s response`);
  }
  return text;
}

function demographic(
  context: PlaceholderContext,
  name: string,
  pick: (demographics: FixtureDemographics) => string | undefined,
): string {
  if (context.patientRole === undefined) {
    throw new TemplateError(`{${name}} needs request.patientRole`);
  }
  const value = context.demographics === undefined ? undefined : pick(context.demographics);
  return need(
    value,
    `{${name}}: the fixture manifest gives role ${context.patientRole}'s patient no ${name} ` +
      "(give family, given, birthDate, prefix and gender with its NHS number)",
  );
}

function need(value: string | undefined, message: string): string {
  if (value === undefined) throw new TemplateError(message);
  return value;
}

/** A JSON body with the placeholders of every string inside filled. */
export function fillBody(body: unknown, context: PlaceholderContext): unknown {
  if (typeof body === "string") return fillTemplate(body, context);
  if (Array.isArray(body)) return body.map((item) => fillBody(item, context));
  if (typeof body === "object" && body !== null) {
    return Object.fromEntries(
      Object.entries(body).map(([key, value]) => [key, fillBody(value, context)]),
    );
  }
  return body;
}
