/**
 * Judges one patient-facing answer. The shared GP Connect judge (`runner/judge.ts`) checks the
 * status, resource and Bundle type, headers, FHIRPath assertions, profiles (STU3 resources
 * against the GP Connect package) and `Cache-Control: no-store`; on top of it:
 *
 * - the Spine error code under the STU3 or the R4 Spine error-code system (Prescriptions and
 *   User Permissions errors are R4 OperationOutcomes, A6);
 * - an expected error is an OperationOutcome in a JSON media type, not an HTML page (A6);
 * - `Bundle.id` is the request's `X-Request-ID`, which the answer mirrors (A5);
 * - a token endpoint answer is an access token, or an OAuth error JSON (A3);
 * - a retry answered with a resource has the first answer's id (R28);
 * - an R4 resource answered with 2xx keeps R4's structure (`r4Structure`, `gpconnect/r4-structure.ts`:
 *   no UK Core or R4 StructureDefinitions here, decision RX1);
 * - a Spine code is asked of an error answer (a success the scenario also accepts has none).
 *
 * Each built-in check is credited to its own requirement (`pfRuleRequirements`), so a failure
 * names the rule broken.
 *
 * @module
 */
import type { AssertionResult, ProfileValidator, ValidationMessage } from "../model.ts";
import type { ObservedResponse } from "../runner/exchange.ts";
import {
  builtInRequirements,
  cacheControlRequirement,
  expectedList,
  judge,
} from "../runner/judge.ts";
import { issueCodings, spineCodeMatches, spineCodeSystems } from "../runner/spine-codes.ts";
import { r4StructureProblems } from "../../gpconnect/r4-structure.ts";
import type { PfExpectation } from "./pf-scenario.ts";

/** The rules the built-in checks verify (specs/requirements.json). */
export const pfRuleRequirements = {
  bundleId: "PF-AR-BUNDLE-ID",
  requestIdMirrored: "PF-REQUEST-ID",
  errorShape: "PF-ERR-OUTCOME",
  noStore: "PF-NO-STORE",
  profile: "PF-STU3-PROFILE",
  r4Structure: "PF-R4-STRUCTURE",
} as const;

/** How many structure problems a failure lists (a broken Bundle may have one per entry). */
const shownProblems = 5;

/** What breaks R4's structure in a body the checker cannot walk either (e.g. `issue` not a list). */
function structureProblems(resource: Record<string, unknown>): string[] {
  try {
    return r4StructureProblems(resource);
  } catch {
    return [`${String(resource.resourceType)}: not walkable as R4 JSON`];
  }
}

/** The R4 Spine error-code system (User Permissions, Prescriptions; A6). */
export const r4SpineCodeSystem = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";

/** What judging needs besides the answer. */
export interface PfJudgeContext {
  /** The requirement of checks without their own. */
  readonly requirement?: string;
  readonly step?: string;
  /** The `X-Request-ID` the request carried. */
  readonly requestId?: string;
  /** Bodies of earlier steps (for `sameIdAs`). */
  readonly steps: ReadonlyMap<string, unknown>;
  readonly validator?: ProfileValidator;
  readonly fhirPathHolds: (resource: unknown, expression: string) => boolean;
}

/**
 * The assertions for `response` against `expect` (placeholders already filled).
 *
 * @example
 * ```ts
 * const response = {
 *   status: 200,
 *   headers: new Headers({ "content-type": "application/fhir+json", "cache-control": "no-store" }),
 *   text: '{"resourceType":"Bundle","id":"a"}',
 *   body: { resourceType: "Bundle", id: "a" },
 * };
 * const { assertions } = judgePf({ status: 200, bundleIdIsRequestId: true }, response, {
 *   requestId: "a",
 *   steps: new Map(),
 *   fhirPathHolds: () => true,
 * });
 * assertions.every((a) => a.passed); // true
 * ```
 */
export function judgePf(
  expect: PfExpectation,
  response: ObservedResponse,
  context: PfJudgeContext,
): { assertions: AssertionResult[]; validation: ValidationMessage[] } {
  const {
    spineCode,
    bundleIdIsRequestId,
    mirrorsRequestId,
    operationOutcome,
    oauth,
    sameIdAs,
    r4Structure,
    requirement: own,
    ...shared
  } = expect;
  const requirement = own ?? context.requirement;
  const judged = judge(shared, response, {
    viaSsp: false,
    fhirPathHolds: context.fhirPathHolds,
    ...(requirement === undefined ? {} : { requirement }),
    ...(context.step === undefined ? {} : { step: context.step }),
    ...(context.validator ? { validator: context.validator } : {}),
  });
  // The shared checks credit GP Connect's rules; here no-store is the platform's own (R31), and a
  // Bundle type or header check is the step's rule, profile conformance the STU3 profile rule.
  const assertions = judged.assertions.map((assertion): AssertionResult => {
    const credited = assertion.requirement;
    if (credited === cacheControlRequirement) {
      return { ...assertion, requirement: pfRuleRequirements.noStore };
    }
    if (credited === builtInRequirements.profile) {
      return { ...assertion, requirement: pfRuleRequirements.profile };
    }
    if (credited === undefined || credited.startsWith("PF-") || requirement === undefined) {
      return assertion;
    }
    return { ...assertion, requirement };
  });
  const add = (description: string, passed: boolean, message: string, rule = requirement) =>
    assertions.push({
      description,
      passed,
      ...(rule === undefined ? {} : { requirement: rule }),
      ...(passed ? {} : { message }),
      ...(context.step === undefined ? {} : { step: context.step }),
    });
  const body = response.body as Record<string, unknown> | undefined;
  const statuses = expectedList(expect.status);
  const codes = expectedList(spineCode);
  // A code is asked of an error answer; a success a scenario also accepts carries none.
  if (codes.length > 0 && (response.status >= 400 || statuses.every((status) => status >= 400))) {
    const actual = issueCodings(body)
      .filter((c) => spineCodeSystems.has(c.system ?? "") || c.system === r4SpineCodeSystem)
      .flatMap((c) => c.code === undefined ? [] : [c.code]);
    add(
      `Spine error code is ${codes.join(" or ")}`,
      actual.some((code) => spineCodeMatches(code, codes)),
      actual.length === 0 ? "no Spine error code in the body" : `got ${actual.join(", ")}`,
    );
  }
  const expectsError = statuses.length > 0 && statuses.every((status) => status >= 400);
  if ((operationOutcome ?? (expectsError && oauth === undefined)) && response.status >= 400) {
    const type = response.headers.get("content-type") ?? "";
    add(
      "the error is an OperationOutcome in a JSON media type",
      /json/i.test(type) && body?.resourceType === "OperationOutcome",
      `got ${response.status} ${type || "no Content-Type"}: ${response.text.slice(0, 80)}`,
      pfRuleRequirements.errorShape,
    );
  }
  if (bundleIdIsRequestId) {
    add(
      "Bundle.id equals the request's X-Request-ID",
      context.requestId !== undefined && body?.id === context.requestId,
      `Bundle.id ${JSON.stringify(body?.id)}, X-Request-ID ${JSON.stringify(context.requestId)}`,
      pfRuleRequirements.bundleId,
    );
  }
  if (mirrorsRequestId) {
    const mirrored = response.headers.get("x-request-id");
    add(
      "the answer mirrors X-Request-ID",
      context.requestId !== undefined && mirrored === context.requestId,
      `X-Request-ID ${JSON.stringify(mirrored)}, sent ${JSON.stringify(context.requestId)}`,
      pfRuleRequirements.requestIdMirrored,
    );
  }
  if (oauth === "token") {
    add(
      "an access token of type Bearer with its lifetime",
      typeof body?.access_token === "string" && body.access_token !== "" &&
        String(body.token_type).toLowerCase() === "bearer" &&
        typeof body.expires_in === "number",
      `got status ${response.status}, token_type ${JSON.stringify(body?.token_type)}, ` +
        `expires_in ${JSON.stringify(body?.expires_in)}`,
    );
  } else if (oauth === "error") {
    add(
      "an OAuth error JSON (error, no access token)",
      typeof body?.error === "string" && body.access_token === undefined,
      `got ${response.text.slice(0, 120)}`,
    );
  }
  // A retry answered with the first result must be that result (R28); a refusal is judged above.
  if (sameIdAs !== undefined && response.status < 300) {
    const first = (context.steps.get(sameIdAs) as Record<string, unknown> | undefined)?.id;
    add(
      `the same resource as step ${sameIdAs} (id ${JSON.stringify(first)})`,
      first !== undefined && body?.id === first,
      `got id ${JSON.stringify(body?.id)}`,
    );
  }
  // Only an answer that is a resource is judged: an error status or an empty body is judged above.
  if (
    r4Structure && response.status >= 200 && response.status < 300 &&
    typeof body?.resourceType === "string"
  ) {
    const problems = structureProblems(body);
    const more = problems.length > shownProblems
      ? ` (and ${problems.length - shownProblems} more)`
      : "";
    add(
      `the ${body.resourceType} keeps FHIR R4's structure`,
      problems.length === 0,
      problems.slice(0, shownProblems).join("; ") + more,
      pfRuleRequirements.r4Structure,
    );
  }
  return { assertions, validation: judged.validation };
}
