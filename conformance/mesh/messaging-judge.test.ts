import assert from "node:assert/strict";
import { buildItkResponse } from "../../gpconnect/itk/itk-response.ts";
import type { ReceivedAck, WatchResult } from "./acknowledgement-watch.ts";
import { readAck } from "./itk-ack-reading.ts";
import { judgeAcknowledgements, type PhaseExpectation } from "./messaging-judge.ts";

const original = "11111111-2222-4333-8444-555555555555";
const ackWorkflowId = "GPCONNECT_SEND_DOCUMENT_ACK";

function ack(
  code: string,
  edit: (bundle: Record<string, unknown>) => void = () => {},
): ReceivedAck {
  const { bundle } = buildItkResponse({
    code,
    originalMessageHeaderId: original,
    senderReference: "ref-1",
    responderMailbox: "B82617OT1",
    responder: { odsCode: "B82617", name: "Practice B82617" },
    timestamp: "2026-12-05T09:00:00Z",
    newId: () => crypto.randomUUID(),
  });
  edit(bundle);
  return {
    meshMessageId: `M${code}`,
    workflowId: ackWorkflowId,
    reading: readAck(bundle)!,
    afterMs: 500,
  };
}

function watch(acks: ReceivedAck[], extra: Partial<WatchResult> = {}): WatchResult {
  return {
    acks,
    reports: [],
    unmatched: [],
    acknowledgedAfterMs: 900,
    acksAtAcknowledgement: acks.length,
    lastStatus: "acknowledged",
    timedOut: false,
    exchanges: [],
    ...extra,
  };
}

const positive: PhaseExpectation = {
  infAck: { codes: ["20013"], requirement: "MSG-INFACK-POSITIVE" },
  busAck: { codes: ["30001"], requirement: "MSG-BUSACK-KNOWN" },
  meshAcknowledged: true,
};
const failures = (expect: PhaseExpectation, result: WatchResult) =>
  judgeAcknowledgements(expect, result, { step: "message", ackWorkflowId, windowMs: 60_000 })
    .filter((a) => !a.passed)
    .map((a) => a.requirement);

Deno.test("readAck: the response's identifier, code, event and flags, as an ITK3 response carries them", () => {
  const { reading } = ack("20013");
  assert.equal(reading.respondsTo, original);
  assert.deepEqual(reading.codes, ["20013"]);
  assert.equal(reading.event, "ITK008M");
  assert.equal(reading.responseCode, "ok");
  assert.equal(reading.bundleType, "message");
  assert.equal(reading.infAckRequested, false);
  assert.equal(reading.busAckRequested, false);
  assert.equal(readAck({ resourceType: "OperationOutcome" }), undefined);
});

Deno.test("a positive InfAck, BusAck and MESH acknowledgement pass every check", () => {
  assert.deepEqual(failures(positive, watch([ack("20013"), ack("30001")])), []);
});

Deno.test("a missing BusAck, the wrong code, or none after a negative each name their rule", () => {
  assert.deepEqual(failures(positive, watch([ack("20013")])), ["MSG-BUSACK", "MSG-MESH-ACK-LAST"]);
  assert.deepEqual(failures(positive, watch([ack("20013"), ack("30002")])), ["MSG-BUSACK-KNOWN"]);
  const negative: PhaseExpectation = {
    infAck: { codes: ["20009"], requirement: "MSG-REJECT-PAYLOAD" },
    busAck: "absent",
    meshAcknowledged: true,
  };
  assert.deepEqual(failures(negative, watch([ack("20009")])), []);
  assert.deepEqual(failures(negative, watch([ack("20009"), ack("30001")])), ["MSG-NEGATIVE-FINAL"]);
  assert.deepEqual(failures(negative, watch([ack("20013")])), ["MSG-REJECT-PAYLOAD"]);
  assert.deepEqual(
    failures(negative, watch([], { acknowledgedAfterMs: 100, acksAtAcknowledgement: 0 })),
    [
      "MSG-INFACK",
      "MSG-MESH-ACK-LAST",
    ],
  );
});

Deno.test("acknowledgement shape: event, response code, flags, one code, workflow", () => {
  const badEvent = ack("20013", (b) => {
    // deno-lint-ignore no-explicit-any
    (b.entry as any[])[0].resource.event.code = "ITK007C";
  });
  assert.deepEqual(failures(positive, watch([badEvent, ack("30001")])), ["MSG-ACK-SHAPE"]);
  const okForNegative = ack("30002", (b) => {
    // deno-lint-ignore no-explicit-any
    (b.entry as any[])[0].resource.response.code = "ok";
  });
  const expect30002 = { ...positive, busAck: { codes: ["30002"] } };
  assert.deepEqual(failures(expect30002, watch([ack("20013"), okForNegative])), ["MSG-ACK-SHAPE"]);
  const wrongWorkflow = { ...ack("20013"), workflowId: "GPCONNECT_SEND_DOCUMENT" };
  assert.deepEqual(failures(positive, watch([wrongWorkflow, ack("30001")])), ["MSG-ACK-SHAPE"]);
});

Deno.test("twice the InfAck; no MESH acknowledgement; acknowledged before the acks were sent", () => {
  assert.deepEqual(failures(positive, watch([ack("20013"), ack("20013"), ack("30001")])), [
    "MSG-ACK-ONCE",
  ]);
  const notAcked = watch([ack("20013"), ack("30001")], { lastStatus: "accepted" });
  delete (notAcked as { acknowledgedAfterMs?: number }).acknowledgedAfterMs;
  assert.deepEqual(failures(positive, notAcked), ["MSG-MESH-ACK"]);
  assert.deepEqual(
    failures(positive, watch([ack("20013"), ack("30001")], { acksAtAcknowledgement: 0 })),
    ["MSG-MESH-ACK-LAST"],
  );
});
