import assert from "node:assert/strict";
import { buildItkResponse, unreadableOriginalIdentifier } from "./itk-response.ts";
import { readItkResponse } from "./itk-response-read.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const input = {
  originalMessageHeaderId: "8a1c4c1e-0000-4000-8000-000000000001",
  senderReference: "encounter-42",
  responderMailbox: "B82617OT1",
  responder: { odsCode: "B82617", name: "COXWOLD SURGERY" },
  timestamp: "2025-01-15T10:00:00.000Z",
  newId: () => crypto.randomUUID(),
};

Deno.test("InfAck 20013: ITK008M, both flags false, response ok, information issue; read back", () => {
  const built = buildItkResponse({ ...input, code: "20013" });
  const bundle = built.bundle as Json;
  assert.equal(bundle.type, "message");
  const [header, org, outcome] = bundle.entry.map((e: Json) => e.resource);
  assert.equal(header.event.code, "ITK008M");
  assert.deepEqual(
    header.extension[0].extension.filter((e: Json) => "valueBoolean" in e).map((e: Json) =>
      e.valueBoolean
    ),
    [false, false],
  );
  assert.deepEqual(header.response.identifier, input.originalMessageHeaderId);
  assert.equal(header.response.code, "ok");
  assert.equal(header.source.endpoint, "B82617OT1");
  assert.equal(header.sender.reference, `urn:uuid:${org.id}`);
  assert.equal(org.identifier[0].value, "B82617");
  assert.equal(outcome.issue[0].severity, "information");
  assert.deepEqual(outcome.issue[0].details.coding[0], {
    system: "https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1",
    code: "20013",
    display: "Success",
  });

  const read = readItkResponse(JSON.stringify(bundle));
  assert.ok(read.ok);
  assert.deepEqual(read.response, {
    messageHeaderId: built.messageHeaderId,
    respondsTo: input.originalMessageHeaderId,
    responseCode: "ok",
    code: "20013",
    display: "Success",
    level: "infrastructure",
    positive: true,
    diagnostics: undefined,
    senderReference: "encounter-42",
  });
});

Deno.test("negative responses: fatal-error, fatal issue, diagnostics; BusAck level; unknown codes refused", () => {
  const read = readItkResponse(
    buildItkResponse({ ...input, code: "30002", diagnostics: "not here" }).bundle,
  );
  assert.ok(read.ok);
  assert.equal(read.response.level, "business");
  assert.equal(read.response.positive, false);
  assert.equal(read.response.responseCode, "fatal-error");
  assert.equal(read.response.diagnostics, "not here");

  const unreadable = buildItkResponse({
    ...input,
    code: "10009",
    originalMessageHeaderId: unreadableOriginalIdentifier,
    senderReference: "None",
  });
  const issue = (unreadable.bundle as Json).entry[2].resource.issue[0];
  assert.equal(issue.severity, "fatal");
  assert.equal(issue.code, "processing");
  assert.throws(() => buildItkResponse({ ...input, code: "99999" }), RangeError);
});

Deno.test("readItkResponse names what is wrong with a payload that is not a response", () => {
  assert.deepEqual(readItkResponse("{"), { ok: false, problem: "the payload is not JSON" });
  assert.equal(readItkResponse({ resourceType: "Bundle", type: "document" }).ok, false);
  const notResponse = {
    resourceType: "Bundle",
    type: "message",
    entry: [{ resource: { resourceType: "MessageHeader", event: { code: "ITK007C" } } }],
  };
  const read = readItkResponse(notResponse);
  assert.ok(!read.ok);
  assert.match(read.problem, /ITK007C/);
});
