import assert from "node:assert/strict";
import { evidenceBodyLimit, redactedHeaders, sendRequest } from "./exchange.ts";
import { buildRequest } from "./request-builder.ts";
import { fhirResponse, stubTarget, testBuildContext } from "./test-support.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

Deno.test("an exchange redacts Authorization, keeps the decoded claims and parses the body", async () => {
  const target = stubTarget(() => fhirResponse(200, { resourceType: "CapabilityStatement" }));
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    undefined,
    testBuildContext(target),
  );
  const { exchange, response } = await sendRequest(target, built, "read");
  assert.equal(exchange.step, "read");
  assert.equal(exchange.request.headers.authorization, "Bearer <redacted>");
  assert.equal(
    (exchange.request.jwt as { requested_scope: string }).requested_scope,
    "organization/*.read",
  );
  assert.ok(!JSON.stringify(exchange).includes(built.headers.get("authorization") ?? "never"));
  assert.equal(exchange.response?.status, 200);
  assert.equal(exchange.response?.headers["cache-control"], "no-store");
  assert.deepEqual(response?.body, { resourceType: "CapabilityStatement" });
  // The stub target received the real token.
  assert.match(target.received[0]?.headers.get("authorization") ?? "", /^Bearer ey/);
});

Deno.test("a raw Authorization is redacted to its scheme and its claims decoded when it is a JWT", async () => {
  const target = stubTarget(() => fhirResponse(400, {}));
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    [{ kind: "set-header", header: "Authorization", value: "bearer {jwt}" }],
    testBuildContext(target),
  );
  const { exchange } = await sendRequest(target, built);
  assert.equal(exchange.request.headers.authorization, "bearer <redacted>");
  assert.equal(
    (exchange.request.jwt as { iss: string }).iss,
    "https://consumersupplier.thirdparty.nhs.uk/",
  );
  assert.deepEqual(redactedHeaders(new Headers({ Authorization: "garbage" })), {
    authorization: "<redacted>",
  });
});

Deno.test("a transport failure is recorded as the exchange's error, with no response", async () => {
  const target = stubTarget(() => Promise.reject(new Error("timeout after 5 ms")));
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    undefined,
    testBuildContext(target),
  );
  const { exchange, response } = await sendRequest(target, built);
  assert.equal(response, undefined);
  assert.equal(exchange.error, "timeout after 5 ms");
  assert.equal(exchange.response, undefined);
});

Deno.test("bodies past 1 MB are truncated in evidence with a note, but judged whole", async () => {
  const big = { resourceType: "Binary", data: "x".repeat(evidenceBodyLimit + 10) };
  const target = stubTarget(() => fhirResponse(200, big));
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    undefined,
    testBuildContext(target),
  );
  const { exchange, response } = await sendRequest(target, built);
  assert.match(exchange.response?.body ?? "", /…\[truncated: \d+ characters in all\]$/);
  assert.equal((response?.body as { data: string }).data.length, evidenceBodyLimit + 10);
});

Deno.test("an XML FHIR body is parsed to FHIR JSON for judging", async () => {
  const xml =
    '<OperationOutcome xmlns="http://hl7.org/fhir"><issue><severity value="error"/><code value="invalid"/>' +
    '<details><coding><system value="https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1"/>' +
    '<code value="BAD_REQUEST"/></coding></details></issue></OperationOutcome>';
  const target = stubTarget(() => ({
    status: 400,
    headers: new Headers({ "content-type": "application/fhir+xml" }),
    body: xml,
  }));
  const built = buildRequest(
    { interaction: METADATA, path: "/metadata" },
    undefined,
    testBuildContext(target),
  );
  const { response } = await sendRequest(target, built);
  const body = response?.body as {
    resourceType: string;
    issue: Array<{ details: { coding: Array<{ code: string }> } }>;
  };
  assert.equal(body.resourceType, "OperationOutcome");
  assert.equal(body.issue[0]?.details.coding[0]?.code, "BAD_REQUEST");
});
