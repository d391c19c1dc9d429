/**
 * Runs one MESH API scenario into a `TestResult`: each step's request is built, sent (as many
 * times as it repeats) and judged; the scenario stops at the first step that fails or cannot run.
 * Whatever happened, the messages the scenario delivered to the harness's own mailboxes are then
 * acknowledged, so the next scenario finds the inboxes as they were (recorded as `teardown`
 * exchanges, not judged). A scenario whose needs the target lacks (a second mailbox, the admin
 * API, a practice) is skipped saying which — never passed.
 *
 * @module
 */
import type { AssertionResult, Exchange, TestResult, TestStatus } from "../model.ts";
import { scenarioIdentity, startCase } from "../runner/case-result.ts";
import type { TransportRequest, TransportResponse } from "../target/transport.ts";
import { buildMeshRequest, type BuiltMeshRequest } from "./mesh-request.ts";
import type { MeshEndpoint } from "./mesh-endpoint.ts";
import { sendMesh, signedMeshRequest } from "./mesh-call.ts";
import { judgeMesh } from "./mesh-judge.ts";
import type { MeshPlaceholderValues, RolePatient, StepAnswers } from "./mesh-placeholders.ts";
import type { MeshNeed, MeshScenario } from "./mesh-scenario.ts";

/** What running a MESH case needs. */
export interface MeshCaseContext {
  /** The target's MESH side; absent when it has none. */
  readonly endpoint: MeshEndpoint | undefined;
  readonly send: (url: string, request: TransportRequest) => Promise<TransportResponse>;
  /** The practice's ODS code (`{odsCode}`). */
  readonly odsCode: string;
  /** Fixture roles' patients (`{role.…}`). */
  readonly roles?: ReadonlyMap<string, RolePatient>;
}

/** Why a case cannot run on this target, or undefined when it can. */
export function meshSkipReason(
  endpoint: MeshEndpoint | undefined,
  needs: readonly MeshNeed[],
): string | undefined {
  if (!endpoint) {
    return "the target has no MESH server (use target local or mesh, or give --mesh-url)";
  }
  if (needs.includes("recipient") && !endpoint.recipient) {
    return "needs a second mailbox the harness holds (--mesh-recipient and its password)";
  }
  if (needs.includes("admin") && !endpoint.adminApi) {
    return "needs the target's test-only admin API to drive the MESH lifecycle clock " +
      "(--mesh-admin-api); not run";
  }
  if (needs.includes("routing") && !endpoint.routing) {
    return "needs a MESH server that routes GPPROVIDER addresses on PDS (--mesh-routing; the " +
      "cases send only to addresses it cannot route, so nothing reaches a practice)";
  }
  if (needs.includes("practice") && !endpoint.practice) {
    return "needs the practice mailbox (--mesh-practice) and its ODS code (--ods-code)";
  }
  return undefined;
}

/** Placeholder values every request of a case shares (steps are filled in as they answer). */
export function caseValues(
  endpoint: MeshEndpoint,
  caseId: string,
  odsCode: string,
  steps: ReadonlyMap<string, StepAnswers>,
  roles?: ReadonlyMap<string, RolePatient>,
): Omit<MeshPlaceholderValues, "mailbox"> {
  return {
    ...(roles ? { roles } : {}),
    sender: endpoint.sender.id,
    ...(endpoint.recipient ? { recipient: endpoint.recipient.id } : {}),
    ...(endpoint.practice ? { practice: endpoint.practice } : {}),
    workflow: endpoint.workflow,
    replyWorkflow: endpoint.replyWorkflow,
    odsCode,
    caseId,
    run: crypto.randomUUID().slice(0, 8).toUpperCase(),
    now: Date.now(),
    steps,
  };
}

/**
 * Runs a MESH API scenario.
 *
 * @example
 * ```ts ignore
 * const result = await runMeshScenario(scenario, { endpoint: target.mesh, send: target.send, odsCode: "B82617" });
 * ```
 */
export async function runMeshScenario(
  scenario: MeshScenario,
  context: MeshCaseContext,
): Promise<TestResult> {
  const finishCase = startCase(scenarioIdentity(scenario));
  const assertions: AssertionResult[] = [];
  const exchanges: Exchange[] = [];
  let status: TestStatus = "pass";
  let reason: string | undefined;
  const finish = () => finishCase({ status, reason, assertions, validation: [], exchanges });
  const skip = meshSkipReason(context.endpoint, scenario.needs);
  if (skip !== undefined || !context.endpoint) {
    status = "skip";
    reason = skip;
    return finish();
  }
  const endpoint = context.endpoint;
  const steps = new Map<string, StepAnswers>();
  const tokens = new Map<string, string>();
  const delivered: Array<{ id: string; to: string }> = [];
  const values = caseValues(endpoint, scenario.id, context.odsCode, steps, context.roles);
  const requirement = scenario.requirements[0]!;
  outer: for (const step of scenario.steps) {
    const bodies: unknown[] = [];
    const headers: Headers[] = [];
    for (let round = 0; round < (step.repeat ?? 1); round++) {
      const label = step.repeat ? `${step.name}#${round + 1}` : step.name;
      const attempts = step.retry?.attempts ?? 1;
      // Bounded by attempts; only the last attempt's answer is judged and kept.
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let built: BuiltMeshRequest;
        try {
          built = await buildMeshRequest(step.request, {
            endpoint,
            values: { ...values, now: Date.now() },
            tokens,
          });
        } catch (error) {
          status = "error";
          reason = `step ${label}: cannot build the request: ${(error as Error).message}`;
          break outer;
        }
        if (built.authorization !== undefined) tokens.set(step.name, built.authorization);
        const sent = await sendMesh(context.send, built, label);
        if (!sent.observed) {
          exchanges.push(sent.exchange);
          status = "error";
          reason = `step ${label}: transport: ${sent.exchange.error ?? "no response"}`;
          break outer;
        }
        noteDelivery(built, sent.observed, delivered);
        const answered = {
          bodies: [...bodies, sent.observed.json],
          headers: [...headers, sent.observed.headers],
        };
        const judged = judgeMesh(step.expect, sent.observed, {
          requirement: step.requirement ?? requirement,
          step: label,
          values: { ...values, mailbox: "", steps: new Map([...steps, [step.name, answered]]) },
        });
        const passed = judged.every((a) => a.passed);
        if (!passed && attempt < attempts) {
          await new Promise((resolve) => setTimeout(resolve, step.retry?.delayMs ?? 0));
          continue;
        }
        exchanges.push(sent.exchange);
        bodies.push(sent.observed.json);
        headers.push(sent.observed.headers);
        steps.set(step.name, { bodies, headers });
        assertions.push(...judged);
        if (!passed) {
          status = "fail";
          break outer;
        }
        break;
      }
    }
  }
  exchanges.push(...await acknowledgeDelivered(context, endpoint, delivered));
  return finish();
}

/** Remembers a message the harness sent that reached one of its own mailboxes. */
function noteDelivery(
  built: BuiltMeshRequest,
  observed: { status: number; json: unknown },
  delivered: Array<{ id: string; to: string }>,
): void {
  if (built.method !== "POST" || !/\/outbox$/.test(new URL(built.url).pathname)) return;
  if (observed.status !== 202) return;
  const id = observed.json as { message_id?: unknown; messageID?: unknown } | undefined;
  const messageId = typeof id?.message_id === "string"
    ? id.message_id
    : typeof id?.messageID === "string"
    ? id.messageID
    : undefined;
  const to = built.headers.get("mex-to")?.trim().toUpperCase();
  if (messageId !== undefined && to) delivered.push({ id: messageId, to });
}

/** Acknowledges what the case delivered to the harness's mailboxes (best effort, recorded). */
async function acknowledgeDelivered(
  context: MeshCaseContext,
  endpoint: MeshEndpoint,
  delivered: ReadonlyArray<{ id: string; to: string }>,
): Promise<Exchange[]> {
  const own = [endpoint.sender, ...(endpoint.recipient ? [endpoint.recipient] : [])];
  const out: Exchange[] = [];
  for (const { id, to } of delivered) {
    const mailbox = own.find((m) => m.id === to);
    if (!mailbox) continue;
    const built = await signedMeshRequest(endpoint, mailbox, {
      method: "PUT",
      path: `/${mailbox.id}/inbox/${encodeURIComponent(id)}/status/acknowledged`,
    });
    out.push((await sendMesh(context.send, built, "teardown:acknowledge")).exchange);
  }
  return out;
}
