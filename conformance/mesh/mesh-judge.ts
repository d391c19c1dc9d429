/**
 * Judges one MESH answer against a step's expectation, from the spec data alone: the status, MESH's
 * JSON error shape (v2 `{detail: [{event, code, msg}]}`, v1 `{errorEvent, errorCode,
 * errorDescription}`, or a plain `{errorDescription}`) with the MESH code and the event
 * `specs/mesh-error-codes.json` gives it, headers (names case-insensitive), JSON fields and the
 * body's bytes.
 *
 * @module
 */
import meshErrorCodes from "../../specs/mesh-error-codes.json" with { type: "json" };
import { isJsonObject } from "../../gpconnect/json-object.ts";
import type { AssertionResult } from "../model.ts";
import { meshBodyBytes } from "./mesh-bytes.ts";
import {
  fillMeshTemplate,
  type MeshPlaceholderValues,
  type StepAnswers,
  valueAt,
} from "./mesh-placeholders.ts";
import type { MeshExpectation, MeshJsonCheck } from "./mesh-scenario.ts";

/** A MESH answer as judged. */
export interface MeshObserved {
  readonly status: number;
  readonly headers: Headers;
  /** The body's bytes, decompressed. */
  readonly bytes: Uint8Array;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: unknown;
}

/** What judging needs besides the answer. */
export interface MeshJudgeContext {
  /** The requirement of checks without their own. */
  readonly requirement: string;
  readonly step: string;
  /** For placeholders in expected values, and the answers of earlier steps. */
  readonly values: MeshPlaceholderValues;
}

const events: Readonly<Record<string, { event: string }>> = meshErrorCodes.codes;

/** The MESH error of a body: its codes and events, or undefined when it is not MESH's error shape. */
export function meshErrorOf(json: unknown): { codes: string[]; events: string[] } | undefined {
  if (!isJsonObject(json)) return undefined;
  if (Array.isArray(json.detail)) {
    const details = json.detail.filter(isJsonObject);
    if (details.length === 0) return undefined;
    return {
      codes: details.flatMap((d) => typeof d.code === "string" ? [d.code] : []),
      events: details.flatMap((d) => typeof d.event === "string" ? [d.event] : []),
    };
  }
  if (typeof json.errorDescription === "string" || typeof json.errorCode === "string") {
    return {
      codes: typeof json.errorCode === "string" ? [json.errorCode] : [],
      events: typeof json.errorEvent === "string" ? [json.errorEvent] : [],
    };
  }
  return undefined;
}

function list(value: number | readonly number[]): readonly number[] {
  return typeof value === "number" ? [value] : value;
}

function show(value: unknown): string {
  const text = typeof value === "string"
    ? JSON.stringify(value)
    : JSON.stringify(value) ?? "undefined";
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The assertions for `observed` against `expect`.
 *
 * @example
 * ```ts ignore
 * const assertions = judgeMesh({ status: 403, error: {} }, observed, context);
 * ```
 */
export function judgeMesh(
  expect: MeshExpectation,
  observed: MeshObserved,
  context: MeshJudgeContext,
): AssertionResult[] {
  const out: AssertionResult[] = [];
  const add = (description: string, passed: boolean, message?: string, requirement?: string) =>
    out.push({
      description,
      passed,
      requirement: requirement ?? context.requirement,
      step: context.step,
      ...(passed || message === undefined ? {} : { message }),
    });
  const fill = (text: string) => fillMeshTemplate(text, context.values);

  const statuses = list(expect.status);
  add(
    `HTTP status ${statuses.join(" or ")}`,
    statuses.includes(observed.status),
    `expected ${statuses.join(" or ")}, got ${observed.status}`,
  );

  if (expect.error) {
    const requirement = expect.error.requirement;
    const error = meshErrorOf(observed.json);
    add(
      "the body is MESH's JSON error (detail[] or errorDescription)",
      error !== undefined,
      `got ${observed.json === undefined ? "a body that is not JSON" : show(observed.json)}`,
      requirement,
    );
    const wanted = expect.error.code;
    if (error && wanted) {
      const code = error.codes.find((c) => wanted.includes(c));
      add(
        `MESH error code ${wanted.join(" or ")}`,
        code !== undefined,
        `expected ${wanted.join(" or ")}, got ${error.codes.join(", ") || "no code"}`,
        requirement,
      );
      const event = code === undefined ? undefined : events[code]?.event;
      if (event !== undefined) {
        add(
          `MESH error event ${event} (specs/mesh-error-codes.json)`,
          error.events.includes(event),
          `expected ${event}, got ${error.events.join(", ") || "no event"}`,
          requirement,
        );
      }
    }
  }

  for (const [name, raw] of Object.entries(expect.headers ?? {})) {
    const want = fill(raw);
    const got = observed.headers.get(name);
    if (want === "<absent>") {
      add(`no ${name} header`, got === null, `got ${name}: ${got}`);
    } else if (want.length > 1 && want.startsWith("/") && want.endsWith("/")) {
      const pattern = new RegExp(want.slice(1, -1), "i");
      add(`${name} matches ${want}`, got !== null && pattern.test(got), `got ${show(got)}`);
    } else {
      add(`${name}: ${want}`, got === want, `got ${show(got)}`);
    }
  }

  for (const check of expect.json ?? []) {
    const result = jsonCheck(check, observed.json, context.values, fill);
    add(check.description, result === undefined, result, check.requirement);
  }

  if (expect.bodyExcludes) {
    const text = new TextDecoder().decode(observed.bytes);
    for (const raw of expect.bodyExcludes) {
      const unwanted = fill(raw);
      add(`the body does not hold ${unwanted}`, !text.includes(unwanted), "it does");
    }
  }

  if (expect.body) {
    const want = expect.body.kind === "text"
      ? new TextEncoder().encode(fill(expect.body.text))
      : meshBodyBytes(expect.body, context.values.caseId);
    add(
      want.length === 0 ? "the body is empty" : `the body is the ${want.length} bytes sent`,
      sameBytes(observed.bytes, want),
      `expected ${want.length} bytes, got ${observed.bytes.length} bytes that differ`,
    );
  }
  return out;
}

/** The values at `ref.path` in every answer of step `ref.step` (or of each of `names`). */
function stepList(
  steps: ReadonlyMap<string, StepAnswers>,
  ref: { readonly step: string; readonly path: string },
  names: readonly string[] = [ref.step],
): unknown[] | string {
  const out: unknown[] = [];
  for (const name of names) {
    const answers = steps.get(name);
    if (!answers) return `step ${name} has not answered`;
    for (const body of answers.bodies) {
      const value = valueAt(body, ref.path);
      out.push(...(Array.isArray(value) ? value : value === undefined ? [] : [value]));
    }
  }
  return out;
}

/** Why a JSON check fails, or undefined when it holds. */
function jsonCheck(
  check: MeshJsonCheck,
  json: unknown,
  values: MeshPlaceholderValues,
  fill: (text: string) => string,
): string | undefined {
  if (json === undefined) return "the body is not JSON";
  let value = valueAt(json, check.path);
  if (check.unionWith && Array.isArray(value)) {
    const others = stepList(values.steps, { step: "", path: check.path }, check.unionWith);
    if (typeof others === "string") return others;
    value = [...value, ...others];
  }
  const at = `${check.path} is ${show(value)}`;
  if (check.exists !== undefined) {
    return (value !== undefined && value !== null) === check.exists ? undefined : at;
  }
  if (check.matches !== undefined) {
    return typeof value === "string" && new RegExp(fill(check.matches)).test(value)
      ? undefined
      : `${at}, expected to match ${check.matches}`;
  }
  if ("equals" in check) {
    const want = typeof check.equals === "string" ? fill(check.equals) : check.equals;
    return JSON.stringify(value) === JSON.stringify(want)
      ? undefined
      : `${at}, expected ${show(want)}`;
  }
  if (!Array.isArray(value)) return `${at}, expected a list`;
  if (check.contains !== undefined) {
    const want = fill(check.contains);
    return value.includes(want) ? undefined : `${check.path} lacks ${want}`;
  }
  if (check.excludes !== undefined) {
    const want = fill(check.excludes);
    return value.includes(want) ? `${check.path} holds ${want}` : undefined;
  }
  const ref = check.containsAllFrom ?? check.excludesAllFrom!;
  const others = stepList(values.steps, ref);
  if (typeof others === "string") return others;
  if (check.containsAllFrom) {
    const missing = others.filter((item) => !value.includes(item));
    return missing.length === 0 ? undefined : `${check.path} lacks ${show(missing)}`;
  }
  const shared = others.filter((item) => value.includes(item));
  return shared.length === 0 ? undefined : `${check.path} also holds ${show(shared)}`;
}
