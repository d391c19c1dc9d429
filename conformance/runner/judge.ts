/**
 * Judges one response against an expectation (model.ts `Expectation`), from the spec data and
 * validators alone: status, Spine code, resource and Bundle type, `Bundle.id` = `Ssp-TraceID`,
 * headers, FHIRPath assertions, profile validation, and on every provider response
 * `Cache-Control: no-store` and a FHIR media type; on a successful response the response checks
 * of `../checks/` (the answer honours the request). Each built-in check credits its own
 * requirement ({@linkcode builtInRequirements}) unless the scenario names a narrower one for it,
 * so a failure names the rule it breaks. An error the SSP raised itself (coding system
 * `…/gpconnect-schedule-response-code-1-0`) is judged by `expect.viaSsp` alone when the scenario
 * gives one, its Spine code matched against the display.
 *
 * @module
 */
import type {
  AssertionResult,
  Expectation,
  ProfileValidator,
  ValidationMessage,
} from "../model.ts";
import type { ObservedResponse } from "./exchange.ts";
import type { CheckedRequest } from "../checks/response-check.ts";
import { runResponseChecks } from "../checks/response-checks.ts";
import { fhirMediaType } from "../../gpconnect/media-type.ts";
import {
  isSspShaped,
  issueCodings,
  spineCodeMatches,
  spineCodesOf,
  sspDisplayMatches,
} from "./spine-codes.ts";

/** Requirement id of the `Cache-Control: no-store` check on provider responses. */
export const cacheControlRequirement = "HTTP-CACHE-CONTROL-NO-STORE";

/**
 * The requirement each built-in check credits when the scenario names none narrower for it, so
 * a failure names the rule it breaks rather than the test's first requirement.
 */
export const builtInRequirements = {
  profile: "FHIR-PROFILE-CONFORMANCE",
  bundleIdIsTraceId: "FHIR-BUNDLE-ID-TRACEID",
  collection: "STR-BUNDLE-COLLECTION",
  searchset: "FHIR-SEARCH-BUNDLE-SEARCHSET",
  mediaType: "FHIR-RESPONSE-MEDIA-TYPE",
  cacheControl: cacheControlRequirement,
  etag: "HTTP-ETAG-VERSIONID",
} as const;

/** What judging needs besides the response. */
export interface JudgeContext {
  /** The requirement of checks without their own (the scenario's first). */
  readonly requirement?: string;
  /**
   * All the scenario's requirements: a built-in check (Bundle.id, Bundle.type, a header, profile
   * validation) is credited to the one that names it, so a failure names the rule broken.
   */
  readonly requirements?: readonly string[];
  /**
   * The request the response answers: with it the response checks (`../checks/`) run on a
   * successful response, and the media type is judged against its FHIR release.
   */
  readonly request?: CheckedRequest;
  /** The `Ssp-TraceID` the request carried, if any. */
  readonly traceId?: string;
  /** The target is reached through an SSP. */
  readonly viaSsp: boolean;
  /** Flow step name. */
  readonly step?: string;
  readonly validator?: ProfileValidator;
  readonly fhirPathHolds: (resource: unknown, expression: string) => boolean;
}

/** The checks of one response. */
export interface Judgement {
  readonly assertions: AssertionResult[];
  readonly validation: ValidationMessage[];
}

/**
 * An expectation field given as one value, a list, or not at all, as a list.
 *
 * @example
 * ```ts
 * expectedList(404); // [404]
 * ```
 */
export const expectedList = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value as T];

/**
 * The assertions for `response` against `expect`.
 *
 * @example
 * ```ts
 * const response = {
 *   status: 200,
 *   headers: new Headers({ "content-type": "application/fhir+json" }),
 *   text: '{"resourceType":"Bundle"}',
 *   body: { resourceType: "Bundle" },
 * };
 * const fhirPathHolds = () => true;
 *
 * const { assertions } = judge({ status: 200, resourceType: "Bundle" }, response, { viaSsp: false, fhirPathHolds });
 * ```
 */
export function judge(
  expect: Expectation,
  response: ObservedResponse,
  context: JudgeContext,
): Judgement {
  const sspShaped = context.viaSsp && isSspShaped(response.body);
  const { viaSsp, ...direct } = expect;
  // The SSP's own error has nothing of the provider's shape, so its expectation stands alone.
  const bySsp = sspShaped && viaSsp !== undefined;
  const effective: Omit<Expectation, "viaSsp"> = bySsp ? viaSsp : direct;
  const assertions: AssertionResult[] = [];
  const validation: ValidationMessage[] = [];
  const add = (description: string, passed: boolean, message?: string, requirement?: string) => {
    const req = requirement ?? context.requirement;
    assertions.push({
      description,
      passed,
      ...(req === undefined ? {} : { requirement: req }),
      ...(passed || message === undefined ? {} : { message }),
      ...(context.step === undefined ? {} : { step: context.step }),
    });
  };
  const naming = (pattern: RegExp, own: string): string =>
    context.requirements?.find((id) => pattern.test(id)) ?? own;
  const body = response.body as Record<string, unknown> | undefined;
  const where = sspShaped ? " (SSP error)" : "";

  const statuses = expectedList(effective.status);
  add(
    `HTTP status is ${statuses.join(" or ")}${where}`,
    statuses.includes(response.status),
    `expected ${statuses.join(" or ")}, got ${response.status}${summary(response)}`,
  );
  if (effective.resourceType !== undefined) {
    const actual = body?.resourceType;
    add(
      `resourceType is ${effective.resourceType}`,
      actual === effective.resourceType,
      `got ${actual === undefined ? "no FHIR body" : JSON.stringify(actual)}`,
    );
  }
  if (effective.bundleType !== undefined) {
    add(
      `Bundle.type is ${effective.bundleType}`,
      body?.type === effective.bundleType,
      `got ${JSON.stringify(body?.type)}`,
      naming(
        /BUNDLE-(COLLECTION|SEARCHSET|TYPE)$/,
        effective.bundleType === "collection"
          ? builtInRequirements.collection
          : builtInRequirements.searchset,
      ),
    );
  }
  if (effective.bundleIdIsTraceId) {
    add(
      "Bundle.id equals the request's Ssp-TraceID",
      context.traceId !== undefined && body?.id === context.traceId,
      `Bundle.id ${JSON.stringify(body?.id)}, Ssp-TraceID ${JSON.stringify(context.traceId)}`,
      naming(/BUNDLE-ID/, builtInRequirements.bundleIdIsTraceId),
    );
  }
  const codes = expectedList(effective.spineCode);
  if (codes.length > 0) {
    if (bySsp) {
      const displays = issueCodings(body).flatMap((c) => [c.display, c.diagnostics])
        .filter((d): d is string => d !== undefined);
      add(
        `SSP error display matches ${codes.join(" or ")}`,
        displays.some((display) => codes.some((code) => sspDisplayMatches(display, code))),
        `got display ${JSON.stringify(displays)}`,
      );
    } else {
      const actual = spineCodesOf(body);
      add(
        `Spine error code is ${codes.join(" or ")}`,
        actual.some((code) => spineCodeMatches(code, codes)),
        actual.length === 0
          ? `no Spine error code in the body${summary(response)}`
          : `got ${actual.join(", ")}`,
      );
    }
  }
  for (const [name, expected] of Object.entries(effective.headers ?? {})) {
    const actual = response.headers.get(name);
    add(
      `header ${name} is ${expected}`,
      actual !== null && headerMatches(actual, expected),
      actual === null ? `no ${name} header` : `got ${JSON.stringify(actual)}`,
      headerRequirement(name, naming, context.requirement),
    );
  }
  for (const assertion of effective.fhirpath ?? []) {
    let passed = false;
    let message = body === undefined ? "no FHIR body" : "evaluated to false";
    if (body !== undefined) {
      try {
        passed = context.fhirPathHolds(body, assertion.expression);
      } catch (error) {
        message = `FHIRPath error: ${(error as Error).message}`;
      }
    }
    add(
      `${assertion.description} [${assertion.expression}]`,
      passed,
      message,
      assertion.requirement,
    );
  }
  if (effective.profile !== undefined || effective.validate) {
    const profile = effective.profile;
    const label = profile === undefined ? "the profiles it claims" : profile;
    if (body === undefined || context.validator === undefined) {
      add(
        `body validates against ${label}`,
        false,
        body === undefined ? "no FHIR body" : "no profile validator loaded",
        naming(/(^|-)PROFILE$/, builtInRequirements.profile),
      );
    } else {
      const messages = context.validator.validate(body, profile === undefined ? {} : { profile });
      validation.push(...messages);
      const errors = messages.filter((m) => m.severity === "error");
      add(
        `body validates against ${label}`,
        errors.length === 0,
        `${errors.length} error(s): ${
          errors.slice(0, 3).map((m) => `${m.path}: ${m.message}`).join("; ")
        }`,
        naming(/(^|-)PROFILE$/, builtInRequirements.profile),
      );
    }
  }
  if (!sspShaped && (response.text ?? "").trim() !== "" && context.request !== undefined) {
    const mentioned = Object.keys(effective.headers ?? {}).some((name) =>
      name.toLowerCase() === "content-type"
    );
    const contentType = response.headers.get("content-type");
    if (!mentioned) {
      add(
        `Content-Type is a FHIR ${context.request.fhirVersion} media type`,
        contentType !== null && isFhirResponseMediaType(contentType, context.request.fhirVersion),
        `got ${contentType === null ? "no Content-Type header" : JSON.stringify(contentType)}`,
        builtInRequirements.mediaType,
      );
    }
  }
  const succeeded = response.status >= 200 && response.status < 300 &&
    statuses.includes(response.status);
  if (!sspShaped && succeeded && context.request !== undefined && isObject(body)) {
    for (const assertion of runResponseChecks({ request: context.request, body })) {
      assertions.push({
        ...assertion,
        ...(context.step === undefined ? {} : { step: context.step }),
      });
    }
  }
  if (!sspShaped) {
    const cacheControl = response.headers.get("cache-control");
    add(
      "Cache-Control: no-store on the provider response",
      cacheControl !== null && /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl),
      `got ${cacheControl === null ? "no Cache-Control header" : JSON.stringify(cacheControl)}`,
      cacheControlRequirement,
    );
  }
  return { assertions, validation };
}

/** A response's Content-Type is the release's FHIR media type, JSON or XML (parameters aside). */
function isFhirResponseMediaType(contentType: string, version: "STU3" | "DSTU2"): boolean {
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  return type === fhirMediaType(version, "json") || type === fhirMediaType(version, "xml");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The requirement a header check credits: Cache-Control, ETag and Content-Type have their own
 * (Content-Type the scenario's format requirement when it names one); another header the
 * scenario's requirement naming it, else the scenario's (a Location header is the booking's).
 */
function headerRequirement(
  name: string,
  naming: (pattern: RegExp, own: string) => string,
  scenario: string | undefined,
): string | undefined {
  switch (name.toLowerCase()) {
    case "cache-control":
      return builtInRequirements.cacheControl;
    case "etag":
      return naming(/ETAG/, builtInRequirements.etag);
    case "content-type":
      return naming(/FORMAT|MEDIA-TYPE|CONTENT-TYPE/, builtInRequirements.mediaType);
    default: {
      const pattern = new RegExp(name.replace(/[^A-Za-z0-9]+/g, "-"), "i");
      return naming(pattern, scenario ?? "") || undefined;
    }
  }
}

/** Exact value, or `/regex/flags`. */
export function headerMatches(actual: string, expected: string): boolean {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(expected);
  return regex ? new RegExp(regex[1] ?? "", regex[2]).test(actual) : actual === expected;
}

function summary(response: ObservedResponse): string {
  const coding = issueCodings(response.body)[0];
  if (coding === undefined) return "";
  return ` (${[coding.code, coding.display ?? coding.diagnostics].filter(Boolean).join(": ")})`;
}
