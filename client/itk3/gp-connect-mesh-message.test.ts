import assert from "node:assert/strict";
import { buildGpConnectMeshMessage, labelPdf } from "./gp-connect-mesh-message.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const input = {
  patient: {
    nhsNumber: "9690937286",
    family: "SKELLY",
    given: ["Horace"],
    birthDate: "1942-02-03",
  },
  sender: {
    mailboxId: "A11111OT1",
    odsCode: "A11111",
    organizationName: "Consumer Org",
    practitioner: { family: "Jones", given: ["Claire"] },
  },
  label: "case one",
  now: new Date("2026-12-05T09:00:00Z"),
  newId: () => crypto.randomUUID(),
};

Deno.test("a Send Document is addressed GPPROVIDER_… with GP Connect's MESH metadata and a PDF", () => {
  const message = buildGpConnectMeshMessage({ ...input, product: "send-document" });
  assert.equal(message.to, "GPPROVIDER_9690937286_19420203_SKELLY");
  assert.equal(message.workflowId, "GPCONNECT_SEND_DOCUMENT");
  assert.equal(message.ackWorkflowId, "GPCONNECT_SEND_DOCUMENT_ACK");
  assert.deepEqual(message.headers, {
    "Mex-To": "GPPROVIDER_9690937286_19420203_SKELLY",
    "Mex-From": "A11111OT1",
    "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
    "Mex-Subject":
      "Consultation report for Horace SKELLY, NHS Number: 9690937286, seen at Consumer Org, A11111, Version: 1",
    "Mex-LocalID": "A11111",
    "Mex-FileName": `${message.ids.bundleIdentifier}.json`,
    "Mex-Content-Type": "application/fhir+json",
    "Mex-Chunk-Range": "1:1",
    "Content-Type": "application/fhir+json",
  });
  const bundle = JSON.parse(message.body) as Json;
  assert.equal(bundle.entry[0].resource.id, message.ids.messageHeaderId);
  const binary = (bundle.entry[2].resource.entry as Json[]).map((e) => e.resource)
    .find((r) => r.resourceType === "Binary");
  const pdf = new TextDecoder().decode(Uint8Array.fromBase64(binary.content));
  assert.match(pdf, /^%PDF-1\.4\n[\s\S]*\(case one\)[\s\S]*%%EOF\n$/);
});

Deno.test("an Update Record carries an observation; a mailbox address and a defect are as asked", () => {
  const message = buildGpConnectMeshMessage({
    ...input,
    product: "update-record",
    toMailbox: "B82617OT1",
    defect: "wrong-event",
  });
  assert.equal(message.headers["Mex-To"], "B82617OT1");
  assert.equal(message.workflowId, "GPCONNECT_UPDATE_RECORD");
  assert.match(
    message.headers["Mex-Subject"]!,
    /^Blood pressure check for Horace SKELLY, NHS Number: 9690937286/,
  );
  const bundle = JSON.parse(message.body) as Json;
  assert.equal(bundle.entry[0].resource.event.code, "ITK007C");
  const observation = (bundle.entry[2].resource.entry as Json[]).map((e) => e.resource)
    .find((r) => r.resourceType === "Observation");
  assert.match(observation.subject.reference, /^urn:uuid:/);
});

Deno.test("labelPdf: a PDF whose cross-reference offsets point at its objects", () => {
  const text = new TextDecoder().decode(labelPdf("x (y) \\ z"));
  const offsets = [...text.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  assert.equal(offsets.length, 5);
  offsets.forEach((offset, i) => assert.ok(text.startsWith(`${i + 1} 0 obj`, offset)));
  assert.equal(Number(/startxref\n(\d+)/.exec(text)![1]), text.indexOf("xref\n"));
});
