import assert from "node:assert/strict";
import { buildItkMessage, type ItkMessageInput } from "./itk-message.ts";
import { itkProfiles, messageDefinitions, messageHandlingExtension } from "./itk-definitions.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function counter() {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
}

const base: ItkMessageInput = {
  product: "send-document",
  senderMailbox: "A11111OT1",
  sender: { odsCode: "A11111", name: "A11111 consumer organisation" },
  practitioner: { family: "Clinician", given: ["Jo"], prefix: "Dr", sdsUserId: "G12345678" },
  patient: {
    nhsNumber: "9690937286",
    family: "SKELLY",
    given: ["Horace"],
    birthDate: "1942-02-03",
  },
  title: "Consultation report",
  attachments: [{
    contentType: "application/pdf",
    data: new Uint8Array([37, 80, 68, 70, 255]),
    title: "Consultation report",
  }],
  timestamp: "2025-01-15T10:00:00.000Z",
  newId: counter(),
};

const byUrl = (bundle: Json) => new Map(bundle.entry.map((e: Json) => [e.fullUrl, e.resource]));

Deno.test("Send Document message: §5.5 structure, references resolve, no destination or receiver", () => {
  const { bundle, ids } = buildItkMessage(base) as { bundle: Json; ids: Json };
  assert.equal(bundle.resourceType, "Bundle");
  assert.equal(bundle.type, "message");
  assert.deepEqual(bundle.meta.profile, [itkProfiles.messageBundle]);
  assert.equal(bundle.identifier.system, "https://tools.ietf.org/html/rfc4122");
  assert.equal(bundle.identifier.value, ids.bundleIdentifier);
  for (const entry of bundle.entry) assert.equal(entry.fullUrl, `urn:uuid:${entry.resource.id}`);

  const [header, headerOrg, document] = bundle.entry.map((e: Json) => e.resource);
  assert.equal(header.resourceType, "MessageHeader");
  assert.equal(header.id, ids.messageHeaderId);
  assert.deepEqual(header.event, {
    system: "https://fhir.nhs.uk/STU3/CodeSystem/ITK-MessageEvent-2",
    code: "ITK007C",
    display: "ITK GP Connect Send Document",
  });
  assert.equal(header.destination, undefined);
  assert.equal(header.receiver, undefined);
  assert.deepEqual(header.source, { endpoint: "A11111OT1" });
  const handling = header.extension.find((e: Json) => e.url === messageHandlingExtension);
  const key = (url: string) => handling.extension.find((e: Json) => e.url === url);
  assert.equal(key("BusAckRequested").valueBoolean, true);
  assert.equal(key("InfAckRequested").valueBoolean, true);
  assert.equal(key("RecipientType").valueCoding.code, "FA");
  assert.equal(
    key("MessageDefinition").valueReference.reference,
    messageDefinitions.sendDocumentV2,
  );
  assert.equal(key("SenderReference").valueString, ids.senderReference);
  assert.equal(key("LocalExtension").valueString, "None");

  const urls = byUrl(bundle);
  assert.equal(urls.get(header.sender.reference), headerOrg);
  assert.deepEqual(headerOrg.identifier, [{
    system: "https://fhir.nhs.uk/Id/ods-organization-code",
    value: "A11111",
  }]);
  assert.equal(urls.get(header.focus.reference), document);
  assert.equal(document.type, "document");

  const inner = byUrl(document);
  const composition = document.entry[0].resource;
  assert.equal(composition.resourceType, "Composition");
  assert.equal(composition.status, "final");
  assert.equal(composition.identifier.value, ids.documentId);
  assert.equal(composition.type.coding[0].code, "371531000");
  assert.equal(composition.title, "Consultation report");
  assert.equal(composition.confidentiality, "N");
  assert.equal(composition.relatesTo, undefined);
  const patient = inner.get(composition.subject.reference) as Json;
  assert.deepEqual(patient.identifier, [{
    system: "https://fhir.nhs.uk/Id/nhs-number",
    value: "9690937286",
  }]);
  assert.deepEqual(patient.name, [{ use: "official", family: "SKELLY", given: ["Horace"] }]);
  assert.equal(patient.birthDate, "1942-02-03");
  assert.equal((inner.get(composition.author[0].reference) as Json).resourceType, "Practitioner");
  const custodian = inner.get(composition.custodian.reference) as Json;
  assert.equal(custodian.identifier[0].value, "A11111");
  const binary = inner.get(composition.section[0].entry[0].reference) as Json;
  assert.equal(binary.resourceType, "Binary");
  assert.equal(binary.contentType, "application/pdf");
  assert.deepEqual(Uint8Array.fromBase64(binary.content), new Uint8Array([37, 80, 68, 70, 255]));
});

Deno.test("Update Record message: ITK014M, its definition, clinical resources point at the Patient; replaces", () => {
  const { bundle } = buildItkMessage({
    ...base,
    product: "update-record",
    newId: counter(),
    attachments: [],
    clinicalResources: [{ resourceType: "Observation", status: "final", subject: { x: 1 } }],
    replaces: "11111111-2222-4333-8444-555555555555",
  }) as { bundle: Json };
  const header = bundle.entry[0].resource;
  assert.equal(header.event.code, "ITK014M");
  const handling = header.extension[0].extension;
  assert.equal(
    handling.find((e: Json) => e.url === "MessageDefinition").valueReference.reference,
    "https://fhir.nhs.uk/MessageDefinition",
  );
  const document = bundle.entry[2].resource;
  const composition = document.entry[0].resource;
  assert.deepEqual(composition.relatesTo, [{
    code: "replaces",
    targetIdentifier: {
      system: "https://tools.ietf.org/html/rfc4122",
      value: "11111111-2222-4333-8444-555555555555",
    },
  }]);
  const inner = byUrl(document);
  const observation = inner.get(composition.section[0].entry[0].reference) as Json;
  assert.equal(observation.resourceType, "Observation");
  assert.equal(observation.subject.reference, composition.subject.reference);
});
