import assert from "node:assert/strict";
import { buildItkMessage } from "../../gpconnect/itk/itk-message.ts";
import type { MeshProduct } from "../../gpconnect/mesh/mesh-workflows.ts";
import { checkItkMessage } from "./itk-message-check.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function message(product: MeshProduct = "send-document"): Json {
  return buildItkMessage({
    product,
    senderMailbox: "A11111OT1",
    sender: { odsCode: "A11111", name: "A11111 consumer organisation" },
    practitioner: { family: "Clinician", given: ["Jo"] },
    patient: {
      nhsNumber: "9690937286",
      family: "SKELLY",
      given: ["Horace"],
      birthDate: "1942-02-03",
    },
    title: "Consultation report",
    attachments: [{ contentType: "application/pdf", data: new Uint8Array([1, 2]), title: "R" }],
    clinicalResources: [{ resourceType: "Observation", status: "final", subject: {} }],
    timestamp: "2025-01-15T10:00:00.000Z",
    newId: () => crypto.randomUUID(),
  }).bundle as Json;
}

const header = (bundle: Json) => bundle.entry[0].resource;
const handling = (bundle: Json, url: string) =>
  header(bundle).extension[0].extension.find((e: Json) => e.url === url);
const composition = (bundle: Json) => bundle.entry[2].resource.entry[0].resource;
const inner = (bundle: Json, type: string) =>
  bundle.entry[2].resource.entry.map((e: Json) => e.resource).find((r: Json) =>
    r.resourceType === type
  );

function check(bundle: Json | string, product: MeshProduct = "send-document") {
  return checkItkMessage(typeof bundle === "string" ? bundle : JSON.stringify(bundle), {
    product,
    senderMailbox: "A11111OT1",
  });
}

Deno.test("a well-formed Send Document and Update Record pass, with what filing needs", () => {
  const sd = message();
  const passed = check(sd);
  assert.ok(passed.ok);
  assert.equal(passed.message.messageHeaderId, header(sd).id);
  assert.equal(passed.message.bundleIdentifier, sd.identifier.value);
  assert.deepEqual(passed.message.patient, {
    nhsNumber: "9690937286",
    family: "SKELLY",
    given: ["Horace"],
    birthDate: "1942-02-03",
  });
  assert.deepEqual(passed.message.sender, {
    odsCode: "A11111",
    name: "A11111 consumer organisation",
  });
  assert.deepEqual(passed.message.attachments.map((a) => [a.contentType, [...a.bytes]]), [
    ["application/pdf", [1, 2]],
  ]);
  assert.ok(check(message("update-record"), "update-record").ok);
});

Deno.test("each defect gets its ITK3 code, naming the original MessageHeader when it can be read", () => {
  const cases: Array<[string, (bundle: Json) => Json | string, string]> = [
    ["unparseable payload", () => "{not json", "10009"],
    ["Bundle of type document", (b) => ({ ...b, type: "document" }), "20006"],
    ["first entry not a MessageHeader", (b) => ({ ...b, entry: b.entry.slice(1) }), "20006"],
    ["no handling extension", (b) => (delete header(b).extension, b), "10001"],
    [
      "InfAckRequested missing",
      (b) => (handling(b, "InfAckRequested").valueBoolean = "yes", b),
      "10002",
    ],
    [
      "BusAckRequested missing",
      (b) => (delete handling(b, "BusAckRequested").valueBoolean, b),
      "10003",
    ],
    [
      "wrong MessageDefinition",
      (b) => (handling(b, "MessageDefinition").valueReference.reference = "https://x", b),
      "10004",
    ],
    [
      "empty SenderReference",
      (b) => (handling(b, "SenderReference").valueString = " ", b),
      "10007",
    ],
    ["RecipientType XX", (b) => (handling(b, "RecipientType").valueCoding.code = "XX", b), "10010"],
    [
      "InfAck not requested",
      (b) => (handling(b, "InfAckRequested").valueBoolean = false, b),
      "10008",
    ],
    ["wrong event code", (b) => (header(b).event.code = "ITK014M", b), "20006"],
    [
      "MessageHeader with a destination",
      (b) => (header(b).destination = [{ endpoint: "B82617OT1" }], b),
      "20006",
    ],
    ["MessageHeader with a receiver", (b) => (header(b).receiver = { reference: "x" }, b), "20006"],
    ["source is another mailbox", (b) => (header(b).source.endpoint = "A20047OT1", b), "20006"],
    ["focus is not the document", (b) => (header(b).focus.reference = "urn:uuid:nope", b), "20009"],
    ["Composition not final", (b) => (composition(b).status = "preliminary", b), "20009"],
    [
      "Patient NHS number fails modulus 11",
      (b) => (inner(b, "Patient").identifier[0].value = "9690937287", b),
      "20009",
    ],
    ["Patient without birth date", (b) => (delete inner(b, "Patient").birthDate, b), "20009"],
    [
      "attachment of type application/zip",
      (b) => (inner(b, "Binary").contentType = "application/zip", b),
      "20005",
    ],
    ["attachment content not base64", (b) => (inner(b, "Binary").content = "%%%", b), "20009"],
  ];
  for (const [name, mutate, code] of cases) {
    const bundle = message();
    const result = check(mutate(bundle));
    assert.ok(!result.ok, name);
    assert.equal(result.rejection.code, code, name);
    assert.ok(result.rejection.diagnostics.length > 0, name);
    const headerUnread = ["unparseable payload", "Bundle of type document"].includes(name) ||
      name === "first entry not a MessageHeader";
    assert.equal(
      result.rejection.messageHeaderId,
      headerUnread ? "UNREADABLE-IN-ORIGINAL-MESSAGE" : header(bundle).id,
      name,
    );
  }
});

Deno.test("the event is the workflow's: ITK007C on an Update Record workflow is refused", () => {
  const result = check(message("send-document"), "update-record");
  assert.ok(!result.ok);
  // The Send Document definition is checked before the event.
  assert.equal(result.rejection.code, "10004");
  const swapped = message("send-document");
  handling(swapped, "MessageDefinition").valueReference.reference =
    "https://fhir.nhs.uk/MessageDefinition";
  const event = check(swapped, "update-record");
  assert.ok(!event.ok);
  assert.equal(event.rejection.code, "20006");
  assert.match(event.rejection.diagnostics, /ITK007C.*ITK014M/);
});

Deno.test("an Update Record without a clinical resource is a payload failure", () => {
  const bundle = message("update-record");
  composition(bundle).section = [];
  const result = check(bundle, "update-record");
  assert.ok(!result.ok);
  assert.equal(result.rejection.code, "20009");
});
