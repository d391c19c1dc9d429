/**
 * Judges what a practice sent back about one message (mesh.md §5.7; ITK3 response codes; GP
 * Connect Send Document / Update Record ITK3 pages): an InfAck within the window with an expected
 * code; a BusAck with an expected code, or none after a negative InfAck (negatives are final);
 * each acknowledgement an ITK3 response (Bundle `message`, MessageHeader event ITK008M,
 * `response.identifier` = the original MessageHeader id, `response.code` `ok` exactly for a
 * positive code, both handling flags false, one ITK3 response code of the right level, on the
 * `_ACK` workflow); one InfAck and at most one BusAck; the MESH message acknowledged within the
 * window, and only after its acknowledgements were sent.
 *
 * @module
 */
import type { AssertionResult } from "../model.ts";
import type { ReceivedAck, WatchResult } from "./acknowledgement-watch.ts";
import { itkCodeEntry } from "./itk-ack-reading.ts";
import type { AckExpectation } from "./mesh-scenario.ts";

/** The requirement ids the built-in checks verify. */
export const messagingRequirements = {
  infAck: "MSG-INFACK",
  busAck: "MSG-BUSACK",
  negativeFinal: "MSG-NEGATIVE-FINAL",
  shape: "MSG-ACK-SHAPE",
  once: "MSG-ACK-ONCE",
  meshAck: "MSG-MESH-ACK",
  meshAckLast: "MSG-MESH-ACK-LAST",
} as const;

/** What one phase (a message, or its duplicate) expects. */
export interface PhaseExpectation {
  readonly infAck: AckExpectation;
  readonly busAck: AckExpectation | "absent";
  readonly meshAcknowledged: boolean;
}

/** What judging needs besides the watch. */
export interface MessagingJudgeContext {
  readonly step: string;
  readonly ackWorkflowId: string;
  readonly windowMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The level of an acknowledgement, by its (first) code. */
export function ackLevel(ack: ReceivedAck): "infrastructure" | "business" | undefined {
  const code = ack.reading.codes[0];
  return code === undefined ? undefined : itkCodeEntry(code)?.level;
}

/**
 * The assertions of one phase.
 *
 * @example
 * ```ts ignore
 * const assertions = judgeAcknowledgements(expect, watch, { step: "message", ackWorkflowId, windowMs });
 * ```
 */
export function judgeAcknowledgements(
  expect: PhaseExpectation,
  watch: WatchResult,
  context: MessagingJudgeContext,
): AssertionResult[] {
  const out: AssertionResult[] = [];
  const add = (description: string, passed: boolean, requirement: string, message?: string) =>
    out.push({
      description,
      passed,
      requirement,
      step: context.step,
      ...(passed || message === undefined ? {} : { message }),
    });
  const r = messagingRequirements;
  const window = seconds(context.windowMs);
  const infAcks = watch.acks.filter((ack) => ackLevel(ack) === "infrastructure");
  const busAcks = watch.acks.filter((ack) => ackLevel(ack) === "business");
  const unmatchedNote = watch.unmatched.length > 0
    ? `; acknowledgements naming other messages arrived (response.identifier ${
      watch.unmatched.slice(0, 3).join(", ")
    })`
    : "";

  const infAck = infAcks[0];
  add(
    infAck
      ? `an InfAck came back (after ${seconds(infAck.afterMs)}, window ${window})`
      : `an InfAck comes back within ${window}`,
    infAck !== undefined,
    r.infAck,
    `no InfAck naming the message came within ${window}${unmatchedNote}`,
  );
  if (infAck) {
    const code = infAck.reading.codes[0] ?? "none";
    add(
      `InfAck code ${expect.infAck.codes.join(" or ")}`,
      expect.infAck.codes.includes(code),
      expect.infAck.requirement ?? r.infAck,
      `got ${code} (${itkCodeEntry(code)?.display ?? "not an ITK3 response code"})`,
    );
  }

  if (expect.busAck === "absent") {
    add(
      "no BusAck follows a negative InfAck",
      busAcks.length === 0,
      r.negativeFinal,
      `a BusAck came: ${busAcks.map((a) => a.reading.codes.join(",")).join("; ")}`,
    );
  } else {
    const busAck = busAcks[0];
    add(
      busAck
        ? `a BusAck came back (after ${seconds(busAck.afterMs)}, window ${window})`
        : `a BusAck comes back within ${window}`,
      busAck !== undefined,
      r.busAck,
      `no BusAck naming the message came within ${window}${unmatchedNote}`,
    );
    if (busAck) {
      const code = busAck.reading.codes[0] ?? "none";
      add(
        `BusAck code ${expect.busAck.codes.join(" or ")}`,
        expect.busAck.codes.includes(code),
        expect.busAck.requirement ?? r.busAck,
        `got ${code} (${itkCodeEntry(code)?.display ?? "not an ITK3 response code"})`,
      );
    }
  }

  for (const ack of watch.acks) judgeShape(ack, context, add);
  add(
    "one InfAck and at most one BusAck",
    infAcks.length <= 1 && busAcks.length <= 1 &&
      infAcks.length + busAcks.length === watch.acks.length,
    r.once,
    `${infAcks.length} InfAck(s), ${busAcks.length} BusAck(s), ${
      watch.acks.length - infAcks.length - busAcks.length
    } acknowledgement(s) without a known code`,
  );

  if (expect.meshAcknowledged) {
    add(
      watch.acknowledgedAfterMs === undefined
        ? `the practice acknowledges the MESH message within ${window}`
        : `the practice acknowledged the MESH message (after ${
          seconds(watch.acknowledgedAfterMs)
        })`,
      watch.acknowledgedAfterMs !== undefined,
      r.meshAck,
      `tracking still says ${watch.lastStatus ?? "nothing"} after ${window}`,
    );
    if (watch.acknowledgedAfterMs !== undefined) {
      const before = watch.acksAtAcknowledgement ?? 0;
      const wanted = Math.max(watch.acks.length, expect.busAck === "absent" ? 1 : 2);
      add(
        "the MESH message was acknowledged only after its acknowledgements were sent",
        before >= wanted,
        r.meshAckLast,
        `when MESH first said acknowledged, ${before} of the ${wanted} acknowledgement(s) had been sent`,
      );
    }
  }
  return out;
}

function judgeShape(
  ack: ReceivedAck,
  context: MessagingJudgeContext,
  add: (description: string, passed: boolean, requirement: string, message?: string) => void,
): void {
  const { reading } = ack;
  const code = reading.codes[0];
  const entry = code === undefined ? undefined : itkCodeEntry(code);
  const label = `acknowledgement ${code ?? "without a code"}`;
  const requirement = messagingRequirements.shape;
  const problems: string[] = [];
  if (reading.bundleType !== "message") {
    problems.push(`Bundle.type is ${String(reading.bundleType)}`);
  }
  if (reading.event !== "ITK008M") problems.push(`event is ${String(reading.event)}, not ITK008M`);
  if (reading.codes.length !== 1) {
    problems.push(`${reading.codes.length} ITK3 response codes instead of one`);
  } else if (!entry) problems.push(`${code} is not an ITK3 response code`);
  if (entry) {
    const wanted = entry.positive ? "ok" : "fatal-error";
    if (reading.responseCode !== wanted) {
      problems.push(`response.code is ${String(reading.responseCode)}, not ${wanted}`);
    }
  }
  if (reading.infAckRequested !== false || reading.busAckRequested !== false) {
    problems.push("the handling flags InfAckRequested and BusAckRequested are not both false");
  }
  if (ack.workflowId !== context.ackWorkflowId) {
    problems.push(`it came on workflow ${ack.workflowId}, not ${context.ackWorkflowId}`);
  }
  add(
    `${label} is an ITK3 response to the message`,
    problems.length === 0,
    requirement,
    problems.join("; "),
  );
}
