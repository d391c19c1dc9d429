import assert from "node:assert/strict";
import { buildItkMessage, type ItkMessage } from "../../gpconnect/itk/itk-message.ts";
import { type ItkDefect, itkDefects, itkPayloadWithDefect } from "./itk-defects.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const patient = {
  nhsNumber: "9690937286",
  family: "SKELLY",
  given: ["Horace"],
  birthDate: "1942-02-03",
};

function message(product: "send-document" | "update-record" = "send-document"): ItkMessage {
  return buildItkMessage({
    product,
    senderMailbox: "A11111OT1",
    sender: { odsCode: "A11111", name: "Consumer" },
    practitioner: { family: "Jones", given: ["Claire"] },
    patient,
    title: "Consultation report",
    ...(product === "send-document"
      ? {
        attachments: [{
          contentType: "application/pdf",
          data: new Uint8Array([37, 80]),
          title: "R",
        }],
      }
      : { clinicalResources: [{ resourceType: "Observation", status: "final", subject: {} }] }),
    timestamp: "2026-12-05T09:00:00Z",
    newId: () => crypto.randomUUID(),
  });
}

const header = (b: Json) => b.entry[0].resource;
const handling = (b: Json) => header(b).extension[0].extension as Json[];
const documentEntries = (b: Json) => (b.entry[2].resource.entry as Json[]).map((e) => e.resource);

Deno.test("no defect is the built message; the message itself is never changed", () => {
  const built = message();
  const before = JSON.stringify(built.bundle);
  assert.equal(itkPayloadWithDefect(built, "none"), before);
  for (const defect of itkDefects) {
    itkPayloadWithDefect(built, defect, { otherPatient: { ...patient, nhsNumber: "9690937278" } });
  }
  assert.equal(JSON.stringify(built.bundle), before);
});

Deno.test("each defect breaks exactly its rule", () => {
  const built = message();
  const parsed = (defect: ItkDefect, options = {}) =>
    JSON.parse(itkPayloadWithDefect(built, defect, options)) as Json;
  assert.throws(() => JSON.parse(itkPayloadWithDefect(built, "unparseable")));
  assert.equal(parsed("bundle-not-message").type, "collection");
  assert.equal(header(parsed("wrong-event")).event.code, "ITK014M");
  assert.equal(header(message("update-record").bundle).event.code, "ITK014M");
  assert.equal(
    header(JSON.parse(itkPayloadWithDefect(message("update-record"), "wrong-event"))).event.code,
    "ITK007C",
  );
  assert.deepEqual(
    header(parsed("destination-present", { destinationMailbox: "B82617OT1" })).destination,
    [
      { name: "GP practice", endpoint: "B82617OT1" },
    ],
  );
  const keys = (defect: ItkDefect) => handling(parsed(defect)).map((e) => e.url);
  assert.ok(!keys("inf-ack-flag-missing").includes("InfAckRequested"));
  assert.ok(keys("inf-ack-flag-missing").includes("BusAckRequested"));
  assert.ok(!keys("bus-ack-flag-missing").includes("BusAckRequested"));
  assert.ok(!keys("sender-reference-missing").includes("SenderReference"));
  const value = (defect: ItkDefect, key: string) =>
    handling(parsed(defect)).find((e) => e.url === key);
  assert.equal(value("inf-ack-not-requested", "InfAckRequested")?.valueBoolean, false);
  assert.match(
    value("message-definition-unknown", "MessageDefinition")?.valueReference.reference,
    /Unknown/,
  );
  assert.equal(value("recipient-type-invalid", "RecipientType")?.valueCoding.code, "XX");
  const other = {
    nhsNumber: "9690937278",
    family: "SAMUAL",
    given: ["Lucien"],
    birthDate: "1938-04-12",
  };
  const wrongPatient = documentEntries(
    parsed("patient-differs-from-address", { otherPatient: other }),
  )
    .find((r) => r.resourceType === "Patient");
  assert.equal(wrongPatient?.identifier[0].value, "9690937278");
  assert.equal(wrongPatient?.birthDate, "1938-04-12");
  assert.equal(documentEntries(parsed("payload-invalid"))[0]?.status, "preliminary");
  assert.equal(
    documentEntries(parsed("attachment-type-unsupported")).find((r) => r.resourceType === "Binary")
      ?.contentType,
    "application/x-msdownload",
  );
  assert.throws(() => itkPayloadWithDefect(built, "patient-differs-from-address"), /otherPatient/);
  assert.throws(() =>
    itkPayloadWithDefect(message("update-record"), "attachment-type-unsupported")
  );
});
