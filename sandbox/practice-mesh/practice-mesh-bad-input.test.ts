/**
 * Issue 11's bad inputs, each end to end through gpc-edge's MESH to the reference practice and
 * back: the acknowledgement (or MESH report) the sender gets, and that nothing is filed.
 */
import assert from "node:assert/strict";
import { awaitAcknowledgements } from "../../client/mesh-sender/acknowledgements.ts";
import { sendGpConnectMessage } from "../../client/mesh-sender/gp-connect-send.ts";
import { meshSubject } from "../../client/mesh-sender/mesh-subject.ts";
import {
  PdsTraceError,
  type TracedPatient,
  tracePatient,
} from "../../client/mesh-sender/pds-patient-trace.ts";
import type { MeshClient } from "../../client/mesh/mesh-client.ts";
import { buildItkMessage } from "../../gpconnect/itk/itk-message.ts";
import { readItkResponse } from "../../gpconnect/itk/itk-response-read.ts";
import { buildGpProviderAddress } from "../../gpconnect/mesh/gpprovider-address.ts";
import { type MessagingWorld, startMessagingWorld } from "./messaging-test-world.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const identity = {
  mailboxId: "A11111OT1",
  odsCode: "A11111",
  organizationName: "A11111 consumer organisation",
  practitioner: { family: "Clinician", given: ["Jo"] },
};
const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };

/** A Send Document message for `patient`, changed by `mutate`, sent to `address` as GP Connect sends it. */
async function sendEdited(
  mesh: MeshClient,
  options: {
    readonly address: TracedPatient;
    readonly patient?: TracedPatient;
    readonly mutate?: (bundle: Json) => Json | string;
    readonly subjectNhsNumber?: string;
  },
) {
  const patient = options.patient ?? options.address;
  const { bundle, ids } = buildItkMessage({
    product: "send-document",
    senderMailbox: identity.mailboxId,
    sender: { odsCode: identity.odsCode, name: identity.organizationName },
    practitioner: identity.practitioner,
    patient,
    title: "Consultation report",
    attachments: [{
      contentType: "application/pdf",
      data: new TextEncoder().encode("%PDF-1.4 report"),
      title: "Consultation report",
    }],
    timestamp: clock.now().toISOString(),
    newId: clock.newId,
  });
  const body = options.mutate ? options.mutate(bundle as Json) : bundle;
  const address = options.address;
  const meshMessageId = await mesh.send({
    to: buildGpProviderAddress({
      nhsNumber: address.nhsNumber,
      birthDate: address.birthDate,
      familyName: address.family,
    }),
    from: identity.mailboxId,
    workflowId: "GPCONNECT_SEND_DOCUMENT",
    body: typeof body === "string" ? body : JSON.stringify(body),
    subject: meshSubject({
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      title: "Consultation report",
      patientName: [...address.given, address.family].join(" "),
      nhsNumber: options.subjectNhsNumber ?? address.nhsNumber,
      locationName: identity.organizationName,
      odsCode: identity.odsCode,
      version: "1",
    }),
    localId: identity.odsCode,
    contentType: "application/fhir+json",
  });
  return { meshMessageId, messageHeaderId: ids.messageHeaderId, bundle };
}

/** Polls the practice once and collects what came back for the message. */
async function answered(
  world: MessagingWorld,
  mesh: MeshClient,
  sent: { meshMessageId: string; messageHeaderId: string },
) {
  const processed = await world.poller().pollOnce();
  const acks = await awaitAcknowledgements(mesh, {
    ...sent,
    timeoutMs: 5000,
    pollIntervalMs: 20,
  });
  return { processed, acks };
}

async function filedCount(world: MessagingWorld) {
  return (await world.store.list("provider:B82617:filed-document:")).length;
}

async function withWorld(fn: (world: MessagingWorld, mesh: MeshClient) => Promise<void>) {
  const world = await startMessagingWorld();
  try {
    await fn(world, world.mesh("A11111OT1"));
  } finally {
    await world.close();
  }
}

const trace = (world: MessagingWorld, nhs: string) =>
  tracePatient(nhs, { pdsBaseUrl: world.pdsUrl });

/** The negative-InfAck outcome every defect below must end in. */
async function assertRejected(
  world: MessagingWorld,
  mesh: MeshClient,
  sent: { meshMessageId: string; messageHeaderId: string },
  code: string,
  respondsTo = sent.messageHeaderId,
) {
  const { processed, acks } = await answered(world, mesh, {
    meshMessageId: sent.meshMessageId,
    messageHeaderId: respondsTo,
  });
  assert.equal(acks.outcome, "negative");
  assert.equal(acks.infAck?.code, code);
  assert.equal(acks.infAck?.responseCode, "fatal-error");
  assert.equal(acks.busAck, undefined);
  assert.deepEqual(processed.map((p) => [p.infAck, p.busAck]), [[code, undefined]]);
  assert.deepEqual(await mesh.inbox(), [], "no BusAck follows a negative InfAck");
  assert.deepEqual(await world.mesh("B82617OT1").inbox(), [], "the message was acknowledged");
  assert.equal(await filedCount(world), 0, "nothing was filed");
}

Deno.test("bad input: a Patient whose birth date differs from mex-To → InfAck 20009", async () => {
  await withWorld(async (world, mesh) => {
    const skelly = await trace(world, "9690937286");
    const sent = await sendEdited(mesh, {
      address: skelly,
      patient: { ...skelly, birthDate: "1942-02-04" },
    });
    await assertRejected(world, mesh, sent, "20009");
  });
});

Deno.test("bad input: a Patient who is another patient of the practice than mex-To's → InfAck 20009", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, {
      address: await trace(world, "9690937286"),
      patient: await trace(world, "9690937278"),
    });
    await assertRejected(world, mesh, sent, "20009");
  });
});

Deno.test("bad input: a MessageHeader with a destination → InfAck 20006", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, {
      address: await trace(world, "9690937286"),
      mutate: (bundle) => {
        bundle.entry[0].resource.destination = [{ endpoint: "B82617OT1" }];
        return bundle;
      },
    });
    await assertRejected(world, mesh, sent, "20006");
  });
});

Deno.test("bad input: a wrong event code → InfAck 20006", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, {
      address: await trace(world, "9690937286"),
      mutate: (bundle) => {
        bundle.entry[0].resource.event.code = "ITK003D";
        return bundle;
      },
    });
    await assertRejected(world, mesh, sent, "20006");
  });
});

Deno.test("bad input: an unparseable payload → InfAck 10009 for UNREADABLE-IN-ORIGINAL-MESSAGE", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, {
      address: await trace(world, "9690937286"),
      mutate: (bundle) => JSON.stringify(bundle).slice(0, 200),
    });
    await assertRejected(world, mesh, sent, "10009", "UNREADABLE-IN-ORIGINAL-MESSAGE");
  });
});

Deno.test("bad input: a patient not registered at the practice → 20013 then BusAck 30002; one who left → 30003", async () => {
  await withWorld(async (world, mesh) => {
    // PDS registers 9990000131 at B82617 (so MESH routes there); the practice has no record.
    for (const [nhs, code] of [["9990000131", "30002"], ["9690938142", "30003"]] as const) {
      const sent = await sendGpConnectMessage(mesh, identity, {
        product: "send-document",
        patient: await trace(world, nhs),
        title: "Consultation report",
        attachments: [{ contentType: "application/pdf", data: new Uint8Array([1]), title: "R" }],
      }, clock);
      const { acks } = await answered(world, mesh, {
        meshMessageId: sent.meshMessageId,
        messageHeaderId: sent.ids.messageHeaderId,
      });
      assert.equal(acks.outcome, "negative", nhs);
      assert.equal(acks.infAck?.code, "20013", nhs);
      assert.equal(acks.busAck?.code, code, nhs);
      assert.equal(acks.busAck?.responseCode, "fatal-error", nhs);
    }
    assert.equal(await filedCount(world), 0);
  });
});

Deno.test("bad input: an NHS number unknown to PDS: the sender's trace refuses it; sent anyway, MESH reports EPL-153", async () => {
  await withWorld(async (world, mesh) => {
    await assert.rejects(
      trace(world, "9999999999"),
      (error) => error instanceof PdsTraceError && error.problem === "not-found",
    );
    const invented: TracedPatient = {
      nhsNumber: "9999999999",
      family: "NOBODY",
      given: ["No"],
      birthDate: "1970-01-01",
      gpOdsCode: undefined,
    };
    const sent = await sendGpConnectMessage(mesh, identity, {
      product: "send-document",
      patient: invented,
      title: "Consultation report",
      attachments: [{ contentType: "application/pdf", data: new Uint8Array([1]), title: "R" }],
    }, clock);
    const { processed, acks } = await answered(world, mesh, {
      meshMessageId: sent.meshMessageId,
      messageHeaderId: sent.ids.messageHeaderId,
    });
    assert.deepEqual(processed, [], "nothing reached the practice");
    assert.equal(acks.outcome, "report");
    assert.deepEqual(acks.report, {
      code: "EPL-153",
      event: "SEND",
      description: "NHS Number not found",
    });
  });
});

Deno.test("bad input: the same ITK message delivered twice → the second gets InfAck 20007; filed once", async () => {
  await withWorld(async (world, mesh) => {
    const skelly = await trace(world, "9690937286");
    let first: Json | undefined;
    const one = await sendEdited(mesh, {
      address: skelly,
      mutate: (bundle) => (first = bundle),
    });
    const two = await sendEdited(mesh, { address: skelly, mutate: () => first! });
    const processed = await world.poller().pollOnce();
    assert.deepEqual(
      processed.map((p) => [p.messageId, p.infAck, p.busAck]),
      [[one.meshMessageId, "20013", "30001"], [two.meshMessageId, "20007", undefined]],
    );
    assert.equal(await filedCount(world), 1);
    // Both messages carry one MessageHeader id: the first's InfAck and BusAck and the duplicate's
    // InfAck 20007 all answer it.
    const codes: string[] = [];
    for (const id of await mesh.inbox()) {
      const read = readItkResponse(new TextDecoder().decode((await mesh.downloadBytes(id)).body));
      assert.ok(read.ok);
      assert.equal(read.response.respondsTo, one.messageHeaderId);
      codes.push(read.response.code);
    }
    assert.deepEqual(codes.sort(), ["20007", "20013", "30001"]);
  });
});

Deno.test("bad input: a MESH message redelivered after its acknowledge failed is answered once and filed once", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, { address: await trace(world, "9690937286") });
    let failures = 1;
    const flaky: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (init?.method === "PUT" && url.endsWith("/status/acknowledged") && failures-- > 0) {
        return Promise.resolve(new Response("{}", { status: 500 }));
      }
      return fetch(input, init);
    };
    const poller = world.poller({ meshFetch: flaky });
    assert.deepEqual(await poller.pollOnce(), [], "the failed acknowledge left it in the inbox");
    assert.deepEqual(await world.mesh("B82617OT1").inbox(), [sent.meshMessageId]);
    const again = await poller.pollOnce();
    assert.deepEqual(again.map((p) => [p.infAck, p.busAck]), [["20013", "30001"]]);
    assert.deepEqual(await world.mesh("B82617OT1").inbox(), []);
    assert.equal(await filedCount(world), 1);
    const acks = await awaitAcknowledgements(mesh, {
      ...sent,
      timeoutMs: 5000,
      pollIntervalMs: 20,
    });
    assert.equal(acks.outcome, "positive");
    assert.deepEqual(await mesh.inbox(), [], "exactly one InfAck and one BusAck came");
  });
});

Deno.test("bad input: an InfAck whose send landed but was not recorded is not sent twice", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, { address: await trace(world, "9690937286") });
    let lost = 1;
    // The InfAck reaches MESH, but the poller never learns it did (as if it died right after).
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (init?.method === "POST" && url.endsWith("/B82617OT1/outbox") && lost-- > 0) {
        await response.body?.cancel();
        throw new TypeError("connection reset after the request was sent");
      }
      return response;
    };
    assert.deepEqual(await world.poller({ meshFetch: lossy }).pollOnce(), []);
    const processed = await world.poller().pollOnce();
    assert.deepEqual(processed.map((p) => [p.infAck, p.busAck]), [["20013", "30001"]]);
    const codes: string[] = [];
    for (const id of await mesh.inbox()) {
      const read = readItkResponse(new TextDecoder().decode((await mesh.downloadBytes(id)).body));
      assert.ok(read.ok);
      assert.equal(read.response.respondsTo, sent.messageHeaderId);
      codes.push(read.response.code);
    }
    assert.deepEqual(codes.sort(), ["20013", "30001"]);
  });
});

Deno.test("bad input: an acknowledgement that never comes → the wait ends in timeout", async () => {
  await withWorld(async (world, mesh) => {
    const sent = await sendEdited(mesh, { address: await trace(world, "9690937286") });
    let clockMs = 0;
    const acks = await awaitAcknowledgements(mesh, {
      ...sent,
      timeoutMs: 3000,
      pollIntervalMs: 1000,
      now: () => clockMs,
      sleep: (ms) => {
        clockMs += ms;
        return Promise.resolve();
      },
    });
    assert.deepEqual(acks, { outcome: "timeout" });
    assert.deepEqual(await world.mesh("B82617OT1").inbox(), [sent.meshMessageId]);
  });
});
