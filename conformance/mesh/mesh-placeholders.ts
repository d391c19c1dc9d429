/**
 * Placeholders of MESH scenario templates (paths, header values, text bodies, JSON checks):
 *
 * | Placeholder | Value |
 * |---|---|
 * | `{mailbox}` | the mailbox the request is made as (its token's mailbox) |
 * | `{sender}`, `{recipient}`, `{practice}` | the harness's sending and receiving mailboxes, the practice under test |
 * | `{workflow}`, `{replyWorkflow}` | the workflows of sends sender → recipient and back |
 * | `{workflowHead}`, `{workflowMiddle}` | the workflow's first half, and its middle (for inbox filters) |
 * | `{odsCode}` | the practice's ODS code |
 * | `{caseId}` | the case id; `{run}` a short id unique to this run of the case |
 * | `{now}`, `{now+5d}`, `{now+7201m}`, `{now-3h}` | an ISO instant from the real clock |
 * | `{step.<name>.<dotted path>}` | a field of an earlier step's JSON answer (its last, when repeated) |
 * | `{step.<name>.header.<name>}` | a header of an earlier step's answer |
 * | `{role.<role>.nhsNumber}`, `{role.<role>.family}`, `{role.<role>.birthDate}` | a fixture role's patient (date as `yyyymmdd`) |
 *
 * @module
 */
import { MissingStepError, TemplateError } from "../runner/placeholders.ts";

/** An earlier step's answers, for `{step.…}`. */
export interface StepAnswers {
  /** Parsed JSON bodies of each answer (undefined when not JSON), in order. */
  readonly bodies: readonly unknown[];
  /** Headers of each answer, in order. */
  readonly headers: readonly Headers[];
}

/** What placeholders resolve to. */
export interface MeshPlaceholderValues {
  readonly mailbox: string;
  readonly sender: string;
  readonly recipient?: string;
  readonly practice?: string;
  readonly workflow: string;
  readonly replyWorkflow: string;
  readonly odsCode: string;
  readonly caseId: string;
  readonly run: string;
  readonly now: number;
  readonly steps: ReadonlyMap<string, StepAnswers>;
  /** Fixture roles' patients, for `{role.…}`. */
  readonly roles?: ReadonlyMap<string, RolePatient>;
}

/** What `{role.<role>.…}` can name. */
export interface RolePatient {
  readonly nhsNumber: string;
  readonly family?: string;
  /** `yyyy-mm-dd`. */
  readonly birthDate?: string;
}

function roleValue(name: string, values: MeshPlaceholderValues): string {
  const [, role, field] = /^role\.([^.]+)\.(nhsNumber|family|birthDate)$/.exec(name) ?? [];
  if (role === undefined || field === undefined) {
    throw new TemplateError(`bad placeholder {${name}}`);
  }
  const patient = values.roles?.get(role);
  if (!patient) throw new TemplateError(`{${name}}: fixture role ${role} is not in the manifest`);
  const value = field === "birthDate"
    ? patient.birthDate?.replaceAll("-", "")
    : patient[field as "nhsNumber" | "family"];
  if (value === undefined) {
    throw new TemplateError(
      `{${name}}: the role has no ${field} (give it in the fixture manifest)`,
    );
  }
  return value;
}

/**
 * The value at a dotted path of a JSON value: `links.next`, `messages.0`, `detail.0.code`,
 * `messages.length` (a list's length), `results.*.mailbox_id` (the field of every item);
 * undefined when absent.
 *
 * @example
 * ```ts
 * valueAt({ messages: ["a", "b"] }, "messages.length"); // 2
 * valueAt({ results: [{ id: "a" }, { id: "b" }] }, "results.*.id"); // ["a", "b"]
 * ```
 */
export function valueAt(value: unknown, path: string): unknown {
  const parts = path.split(".");
  let current = value;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (Array.isArray(current)) {
      if (part === "*") {
        const rest = parts.slice(i + 1).join(".");
        return rest === "" ? current : current.flatMap((item) => {
          const found = valueAt(item, rest);
          return found === undefined ? [] : [found];
        });
      }
      if (part === "length") current = current.length;
      else if (/^\d+$/.test(part)) current = current[Number(part)];
      else return undefined;
    } else if (typeof current === "object" && current !== null) {
      current = (current as Record<string, unknown>)[part];
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

const unit: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

function instant(name: string, now: number): string | undefined {
  const match = /^now((?:[+-]\d{1,6}[dhm])*)$/.exec(name);
  if (!match) return undefined;
  let ms = now;
  for (const [, sign, count, u] of match[1]!.matchAll(/([+-])(\d+)([dhm])/g)) {
    ms += (sign === "-" ? -1 : 1) * Number(count) * unit[u!]!;
  }
  return new Date(ms).toISOString();
}

function stepValue(name: string, values: MeshPlaceholderValues): string {
  const [, step, rest] = /^step\.([^.]+)\.(.+)$/.exec(name) ?? [];
  if (step === undefined || rest === undefined) {
    throw new TemplateError(`bad placeholder {${name}}`);
  }
  const answers = values.steps.get(step);
  if (!answers || answers.bodies.length === 0) {
    throw new MissingStepError(`{${name}}: step ${step} has not answered`);
  }
  const last = answers.bodies.length - 1;
  const found = rest.startsWith("header.")
    ? answers.headers[last]?.get(rest.slice("header.".length)) ?? undefined
    : valueAt(answers.bodies[last], rest);
  if (found === undefined || found === null) {
    throw new MissingStepError(`{${name}}: step ${step}'s answer has no ${rest}`);
  }
  return typeof found === "string" ? found : JSON.stringify(found);
}

/** The workflow's halves for the inbox filter forms `X*` and `*X*` (never the whole id). */
function workflowParts(workflow: string): { head: string; middle: string } {
  const half = Math.max(1, Math.floor(workflow.length / 2));
  const middleStart = Math.min(1, workflow.length - 1);
  const middleEnd = Math.max(middleStart + 1, workflow.length - 1);
  return { head: workflow.slice(0, half), middle: workflow.slice(middleStart, middleEnd) };
}

/**
 * `template` with its placeholders filled; an unknown or unavailable one is a
 * {@linkcode TemplateError} (the case cannot run as written).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const values = {
 *   mailbox: "A11111OT1",
 *   sender: "A11111OT1",
 *   workflow: "GPCONNECT_SEND_DOCUMENT",
 *   replyWorkflow: "GPCONNECT_SEND_DOCUMENT_ACK",
 *   odsCode: "A11111",
 *   caseId: "MESH-INBOX-1",
 *   run: crypto.randomUUID(),
 *   now: Date.now(),
 *   steps: new Map(),
 * };
 * assert.equal(fillMeshTemplate("/{mailbox}/inbox", values), "/A11111OT1/inbox");
 * ```
 */
export function fillMeshTemplate(template: string, values: MeshPlaceholderValues): string {
  return template.replace(/\{([A-Za-z][\w.+\-]*)\}/g, (_, name: string) => {
    const parts = workflowParts(values.workflow);
    const simple: Record<string, string | undefined> = {
      mailbox: values.mailbox,
      sender: values.sender,
      recipient: values.recipient,
      practice: values.practice,
      workflow: values.workflow,
      replyWorkflow: values.replyWorkflow,
      workflowHead: parts.head,
      workflowMiddle: parts.middle,
      odsCode: values.odsCode,
      caseId: values.caseId,
      run: values.run,
    };
    if (name in simple) {
      const value = simple[name];
      if (value === undefined) throw new TemplateError(`{${name}} is not configured`);
      return value;
    }
    if (name.startsWith("step.")) return stepValue(name, values);
    if (name.startsWith("role.")) return roleValue(name, values);
    const time = instant(name, values.now);
    if (time !== undefined) return time;
    throw new TemplateError(`unknown placeholder {${name}}`);
  });
}
