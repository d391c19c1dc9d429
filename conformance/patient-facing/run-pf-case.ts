/**
 * Runs one patient-facing scenario into a `TestResult`: its steps in order (a token exchange at
 * the practice's authorisation service, or a call to a product root with a provider token),
 * stopping at the first step that fails or cannot run, then its teardown whatever happened (a
 * failed clean-up is a finding; a clean-up of something never made is skipped). A scenario whose
 * needs the target lacks (no patient-facing side, an API the practice does not register, a
 * fixture patient with a particular permission level) is skipped saying which — never passed.
 * Failing to get a provider token for a caller is an error of the case, not a verdict.
 *
 * @module
 */
import type { Exchange, ProfileValidator, TestResult } from "../model.ts";
import {
  type CaseOutcome,
  emptyCaseOutcome,
  recordJudged,
  scenarioIdentity,
  setCaseError,
  startCase,
} from "../runner/case-result.ts";
import {
  evidenceText,
  type ObservedResponse,
  observedResponse,
  redactedHeaders,
  transportError,
} from "../runner/exchange.ts";
import { fillExpectationTexts } from "../runner/run-step.ts";
import { timedExchange } from "../runner/timed-exchange.ts";
import { MissingStepError } from "../runner/placeholders.ts";
import type { PfEndpoint } from "./pf-endpoint.ts";
import { judgePf } from "./pf-judge.ts";
import { buildPfRequest, type BuiltPfRequest, type PfFillContext } from "./pf-request.ts";
import type { PfScenario, PfStep } from "./pf-scenario.ts";
import {
  clientAssertion,
  exchangeToken,
  type PfSend,
  PfSetupError,
  providerToken,
  subjectToken,
} from "./pf-tokens.ts";

/** What running a patient-facing case needs. */
export interface PfCaseContext {
  /** The target's patient-facing side; absent when it has none. */
  readonly endpoint: PfEndpoint | undefined;
  readonly send: PfSend;
  readonly odsCode: string;
  readonly runClock: Date;
  /** NHS number by fixture role (the fixture manifest's). */
  readonly roles: ReadonlyMap<string, string>;
  readonly validator?: ProfileValidator;
  readonly fhirPathHolds: (resource: unknown, expression: string) => boolean;
  readonly evaluateFhirPath?: (resource: unknown, expression: string) => unknown[];
}

/** A bearer token no practice issued (`as: invalid`). */
const foreignToken = "conformance-harness-token-the-practice-never-issued";

/** Why a scenario cannot run on this target, or undefined when it can. */
export function pfSkipReason(
  endpoint: PfEndpoint | undefined,
  scenario: Pick<PfScenario, "needs">,
): string | undefined {
  if (!endpoint) {
    return "the target has no patient-facing side (target local, or a provider's " +
      "--pf-authorisation-url, client id, key and roots)";
  }
  for (const need of scenario.needs) {
    if (need === "minted-id-tokens") {
      if (endpoint.idTokens.kind !== "mint") {
        return "needs id_tokens minted on demand (a P5 login): an NHS login sandbox " +
          "(--pf-nhs-login-url), not a file of P9 tokens";
      }
    } else if (need === "view-user") {
      if (endpoint.extraRoles["view-user"] === undefined) {
        return "needs a patient whose prescriptions level is view (--pf-view-user)";
      }
    } else if (endpoint.roots[need] === undefined) {
      return endpoint.missing[need] ?? `the target has no ${need} root`;
    }
  }
  return undefined;
}

/**
 * Runs the scenario.
 *
 * @example
 * ```ts ignore
 * const result = await runPfScenario(scenario, { endpoint, send: target.send, odsCode, runClock, roles, fhirPathHolds });
 * ```
 */
export async function runPfScenario(
  scenario: PfScenario,
  context: PfCaseContext,
): Promise<TestResult> {
  const finish = startCase(scenarioIdentity(scenario));
  const outcome = emptyCaseOutcome();
  const skip = pfSkipReason(context.endpoint, scenario);
  if (skip !== undefined) {
    outcome.status = "skip";
    outcome.reason = skip;
  } else {
    await runSteps(scenario, context.endpoint!, context, outcome);
  }
  return finish(outcome);
}

async function runSteps(
  scenario: PfScenario,
  endpoint: PfEndpoint,
  context: PfCaseContext,
  outcome: CaseOutcome,
): Promise<void> {
  const roles = new Map([...context.roles, ...Object.entries(endpoint.extraRoles)]);
  const bodies = new Map<string, unknown>();
  const requestIds = new Map<string, string>();
  const fill: PfFillContext = {
    roles,
    odsCode: context.odsCode,
    runClock: context.runClock,
    steps: bodies,
    requestIds,
    ...(context.evaluateFhirPath ? { evaluateFhirPath: context.evaluateFhirPath } : {}),
  };
  const run = { scenario, endpoint, context, outcome, roles, bodies, requestIds, fill };
  for (const step of scenario.steps) {
    if (!await runStep(run, step, step.name, false)) break;
  }
  for (const step of scenario.teardown ?? []) {
    await runStep(run, step, `teardown:${step.name}`, true);
  }
}

interface Run {
  readonly scenario: PfScenario;
  readonly endpoint: PfEndpoint;
  readonly context: PfCaseContext;
  readonly outcome: CaseOutcome;
  readonly roles: ReadonlyMap<string, string>;
  readonly bodies: Map<string, unknown>;
  readonly requestIds: Map<string, string>;
  readonly fill: PfFillContext;
}

/** Runs, records and judges one step; false when the scenario cannot go on. */
async function runStep(run: Run, step: PfStep, label: string, teardown: boolean) {
  const { outcome } = run;
  let sent: { exchanges: Exchange[]; response?: ObservedResponse; requestId?: string };
  let fillExpected = (text: string) => text;
  try {
    if (step.exchange) sent = await sendExchange(run, step, label);
    else {
      const built = await buildStep(run, step);
      fillExpected = built.fillExpected;
      sent = await sendBuilt(run.context.send, built, label);
    }
  } catch (error) {
    if (teardown && error instanceof MissingStepError) return true;
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    setCaseError(
      outcome,
      `${label}: ${error instanceof PfSetupError ? "" : `${name}: `}${message}`,
    );
    return false;
  }
  outcome.exchanges.push(...sent.exchanges);
  const response = sent.response;
  if (response === undefined) {
    setCaseError(outcome, `${label}: transport: ${sent.exchanges.at(-1)?.error ?? "no response"}`);
    return false;
  }
  if (response.body !== undefined) run.bodies.set(step.name, response.body);
  if (sent.requestId !== undefined) run.requestIds.set(step.name, sent.requestId);
  const requirement = run.scenario.requirements[0];
  let judged;
  try {
    const expect = fillExpectationTexts(step.expect, fillExpected);
    judged = judgePf(expect, response, {
      ...(requirement === undefined ? {} : { requirement }),
      step: label,
      ...(sent.requestId === undefined ? {} : { requestId: sent.requestId }),
      steps: run.bodies,
      ...(run.context.validator ? { validator: run.context.validator } : {}),
      fhirPathHolds: run.context.fhirPathHolds,
    });
  } catch (error) {
    // A judge that throws (a validator fault, a bad pattern) ends this case, never the run.
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    setCaseError(outcome, `${label}: cannot judge the response: ${name}: ${message}`);
    return false;
  }
  return recordJudged(outcome, judged.assertions, judged.validation);
}

async function buildStep(run: Run, step: PfStep): Promise<BuiltPfRequest> {
  const request = step.request!;
  const root = run.endpoint.roots[request.api];
  if (root === undefined) throw new PfSetupError(`the target has no ${request.api} root`);
  let token: string | undefined;
  let caller: string | undefined;
  if (request.as === "invalid") token = foreignToken;
  else if (request.as !== "none") {
    caller = run.roles.get(request.as);
    if (caller === undefined) throw new PfSetupError(`no fixture role ${request.as}`);
    const actor = request.actor === undefined ? undefined : run.roles.get(request.actor);
    if (request.actor !== undefined && actor === undefined) {
      throw new PfSetupError(`no fixture role ${request.actor}`);
    }
    token = await providerToken(run.endpoint, caller, run.context.send, actor);
  }
  return buildPfRequest(request, {
    root,
    ...(token === undefined ? {} : { token }),
    ...(caller === undefined ? {} : { caller }),
    fill: run.fill,
  });
}

/** Sends a built request and records it (Authorization redacted). */
async function sendBuilt(send: PfSend, built: BuiltPfRequest, step: string) {
  const request = {
    method: built.method,
    url: built.url,
    headers: redactedHeaders(built.headers),
    ...(built.body === undefined ? {} : { body: evidenceText(built.body) }),
  };
  const requestId = built.requestId;
  const { exchange, response } = await timedExchange(
    { step, request },
    () =>
      send(built.url, {
        method: built.method,
        headers: built.headers,
        ...(built.body === undefined ? {} : { body: built.body }),
      }),
    { body: (answer) => evidenceText(answer.body), error: transportError },
  );
  return {
    exchanges: [exchange],
    ...(response === undefined ? {} : { response: observedResponse(response) }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/** A token exchange step (a replay sends the same assertion twice; the second is judged). */
async function sendExchange(run: Run, step: PfStep, label: string) {
  const template = step.exchange!;
  const nhsNumber = run.roles.get(template.patientRole);
  if (nhsNumber === undefined) throw new PfSetupError(`no fixture role ${template.patientRole}`);
  const { endpoint, context } = run;
  const actor = template.actorRole === undefined ? undefined : run.roles.get(template.actorRole);
  if (template.actorRole !== undefined && actor === undefined) {
    throw new PfSetupError(`no fixture role ${template.actorRole}`);
  }
  const subject = await subjectToken(
    endpoint.idTokens,
    nhsNumber,
    template.subject,
    context.send,
    actor,
  );
  const assertion = await clientAssertion(endpoint, template.assertion, Date.now());
  const exchanges: Exchange[] = [];
  if (template.assertion === "replayed") {
    const first = await exchangeToken(endpoint, subject, assertion, context.send, `${label}:first`);
    exchanges.push(first.exchange);
  }
  const result = await exchangeToken(endpoint, subject, assertion, context.send, label);
  exchanges.push(result.exchange);
  if (!result.response) return { exchanges };
  return { exchanges, response: observedResponse(result.response) };
}

/** What the harness's case runner holds that a patient-facing case reads. */
export interface PfRunnerContext {
  readonly target: { readonly send: PfSend; readonly patientFacing?: PfEndpoint };
  readonly manifest?: ReadonlyMap<string, { readonly nhsNumber: string }>;
  readonly build: {
    readonly odsCode: string;
    readonly runClock: Date;
    readonly evaluateFhirPath?: (resource: unknown, expression: string) => unknown[];
  };
  readonly validator?: ProfileValidator;
  readonly fhirPathHolds: (resource: unknown, expression: string) => boolean;
}

/**
 * Runs a patient-facing case from the harness's case runner (`runner/run-case.ts`).
 *
 * @example
 * ```ts ignore
 * if (testCase.kind === "patient-facing") return await runPfCase(testCase.scenario, context);
 * ```
 */
export function runPfCase(scenario: PfScenario, context: PfRunnerContext): Promise<TestResult> {
  return runPfScenario(scenario, {
    endpoint: context.target.patientFacing,
    send: context.target.send,
    odsCode: context.build.odsCode,
    runClock: context.build.runClock,
    roles: new Map(
      [...(context.manifest?.entries() ?? [])].map(([role, { nhsNumber }]) => [role, nhsNumber]),
    ),
    ...(context.validator ? { validator: context.validator } : {}),
    fhirPathHolds: context.fhirPathHolds,
    ...(context.build.evaluateFhirPath ? { evaluateFhirPath: context.build.evaluateFhirPath } : {}),
  });
}
