/**
 * The reference practice as a MESH receiver, end to end on loopback: the consumer's sender sends
 * through gpc-edge's MESH (GPPROVIDER routing on PDS), the practice poller answers and files, and
 * Access Document finds the filed document through gpc-edge's SSP.
 */
import assert from "node:assert/strict";
import { awaitAcknowledgements } from "../../client/mesh-sender/acknowledgements.ts";
import {
  type GpConnectSendRequest,
  type SenderIdentity,
  sendGpConnectMessage,
} from "../../client/mesh-sender/gp-connect-send.ts";
import { tracePatient } from "../../client/mesh-sender/pds-patient-trace.ts";
import type { MeshClient } from "../../client/mesh/mesh-client.ts";
import { type MessagingWorld, startMessagingWorld } from "./messaging-test-world.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const consumer: SenderIdentity = {
  mailboxId: "A11111OT1",
  odsCode: "A11111",
  organizationName: "A11111 consumer organisation",
  practitioner: { family: "Clinician", given: ["Jo"], prefix: "Dr" },
};
const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };

/** Bytes that are not UTF-8 text, longer than one Deno KV value. */
export function pdfBytes(size: number, seed = 11): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode("%PDF-1.7\n"));
  let x = seed;
  for (let i = 9; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function send(
  world: MessagingWorld,
  mesh: MeshClient,
  nhsNumber: string,
  request: Omit<GpConnectSendRequest, "patient">,
) {
  const patient = await tracePatient(nhsNumber, { pdsBaseUrl: world.pdsUrl });
  return await sendGpConnectMessage(mesh, consumer, { ...request, patient }, clock);
}

const resources = (bundle: Json, type: string): Json[] =>
  (bundle.entry ?? []).map((e: Json) => e.resource).filter((r: Json) => r.resourceType === type);

async function documentsOf(world: MessagingWorld, nhsNumber: string): Promise<Json[]> {
  const found = await world.documents(
    "search:patient-1",
    `/Patient?identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`)}`,
  );
  assert.equal(found.status, 200);
  const id = resources(found.body, "Patient")[0]?.id;
  const search = await world.documents(
    "search:documentreference-1",
    `/Patient/${id}/DocumentReference?_include=DocumentReference:subject:Patient` +
      "&_include=DocumentReference:custodian:Organization" +
      "&_include=DocumentReference:author:Organization" +
      "&_include=DocumentReference:author:Practitioner" +
      "&_revinclude:recurse=PractitionerRole:practitioner",
  );
  assert.equal(search.status, 200, JSON.stringify(search.body));
  return resources(search.body, "DocumentReference").map((reference) => ({
    ...reference,
    bundle: search.body,
  }));
}

async function binaryBytes(world: MessagingWorld, url: string): Promise<Uint8Array> {
  const path = url.slice(url.indexOf("/Binary/"));
  const binary = await world.documents("read:binary-1", path);
  assert.equal(binary.status, 200);
  return Uint8Array.fromBase64(binary.body.content);
}

Deno.test("Send Document: InfAck 20013 and BusAck 30001; the PDF is in Access Document byte for byte", async () => {
  const world = await startMessagingWorld();
  try {
    const mesh = world.mesh("A11111OT1");
    const pdf = pdfBytes(100_000);
    const sent = await send(world, mesh, "9690937286", {
      product: "send-document",
      title: "Discharge summary",
      attachments: [{ contentType: "application/pdf", data: pdf, title: "Discharge summary" }],
    });
    assert.equal(sent.address, "GPPROVIDER_9690937286_19420203_SKELLY");
    assert.equal(sent.workflowId, "GPCONNECT_SEND_DOCUMENT");

    const processed = await world.poller().pollOnce();
    assert.deepEqual(processed.map((p) => [p.mailbox, p.infAck, p.busAck, p.filed?.length]), [
      ["B82617OT1", "20013", "30001", 1],
    ]);
    const acks = await awaitAcknowledgements(mesh, {
      meshMessageId: sent.meshMessageId,
      messageHeaderId: sent.ids.messageHeaderId,
      timeoutMs: 5000,
      pollIntervalMs: 50,
    });
    assert.equal(acks.outcome, "positive");
    assert.equal(acks.infAck?.code, "20013");
    assert.equal(acks.busAck?.code, "30001");
    assert.equal(acks.busAck?.senderReference, sent.ids.senderReference);
    assert.deepEqual(await mesh.inbox(), [], "the sender acknowledged its acknowledgements");
    assert.deepEqual(await world.mesh("B82617OT1").inbox(), [], "the practice acknowledged");
    assert.equal((await mesh.tracking(sent.meshMessageId)).status, "acknowledged");

    const filed = (await documentsOf(world, "9690937286"))
      .filter((d) => d.description === "Discharge summary");
    assert.equal(filed.length, 1);
    const document = filed[0]!;
    assert.equal(document.content[0].attachment.contentType, "application/pdf");
    assert.equal(document.content[0].attachment.size, pdf.length);
    const author = document.author[0].reference as string;
    const authorOrg = resources(document.bundle, "Organization")
      .find((org) => `Organization/${org.id}` === author);
    assert.equal(authorOrg?.identifier[0].value, "A11111");
    assert.deepEqual(await binaryBytes(world, document.content[0].attachment.url), pdf);
  } finally {
    await world.close();
  }
});

Deno.test("Update Record: acknowledged 20013/30001 and listed in Access Document as the FHIR payload", async () => {
  const world = await startMessagingWorld();
  try {
    const mesh = world.mesh("A11111OT1");
    const observation = {
      resourceType: "Observation",
      status: "final",
      code: { coding: [{ system: "http://snomed.info/sct", code: "75367002" }] },
      subject: { reference: "Patient" },
    };
    const sent = await send(world, mesh, "9690937278", {
      product: "update-record",
      title: "Blood pressure check",
      clinicalResources: [observation],
    });
    assert.equal(sent.workflowId, "GPCONNECT_UPDATE_RECORD");
    await world.poller().pollOnce();
    const acks = await awaitAcknowledgements(mesh, {
      meshMessageId: sent.meshMessageId,
      messageHeaderId: sent.ids.messageHeaderId,
      timeoutMs: 5000,
      pollIntervalMs: 50,
    });
    assert.deepEqual([acks.outcome, acks.infAck?.code, acks.busAck?.code], [
      "positive",
      "20013",
      "30001",
    ]);
    const documents = await documentsOf(world, "9690937278");
    assert.equal(documents.length, 1);
    const document = documents[0]!;
    assert.equal(document.description, "Blood pressure check");
    assert.equal(document.content[0].attachment.contentType, "application/fhir+json");
    const payload = JSON.parse(
      new TextDecoder().decode(await binaryBytes(world, document.content[0].attachment.url)),
    );
    assert.equal(payload.type, "document");
    const filedObservation = resources(payload, "Observation")[0];
    assert.equal(filedObservation?.code.coding[0].code, "75367002");
    const patient = resources(payload, "Patient")[0];
    assert.equal(filedObservation?.subject.reference, `urn:uuid:${patient?.id}`);
  } finally {
    await world.close();
  }
});

Deno.test("the poller leaves other workflows in its mailbox alone (never downloads or acknowledges them)", async () => {
  const world = await startMessagingWorld();
  try {
    const other = await world.mesh("A11111OT1").send({
      to: "B82617OT1",
      workflowId: "API-DOCS-TEST",
      body: "a MESH API test message",
    });
    assert.deepEqual(await world.poller().pollOnce(), []);
    assert.deepEqual(await world.mesh("B82617OT1").inbox(), [other]);
    const touched = () =>
      world.logged.filter((line) =>
        line.type === "mesh-audit" && line.messageId === other &&
        String(line.endpoint).startsWith("inbox.")
      );
    assert.deepEqual(touched(), []);
    await world.mesh("B82617OT1").downloadBytes(other);
    assert.equal(touched().length, 1, "a download would have shown");
  } finally {
    await world.close();
  }
});
