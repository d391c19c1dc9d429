import assert from "node:assert/strict";
import { interactions } from "../../gpconnect/specs.ts";
import { fixturePatients } from "../pds/fixture-patients.ts";
import { patientRegister } from "./provider-patients.ts";
import { createProviderSandbox } from "./provider-sandbox.ts";
import { providerRequestHeaders } from "./provider-request.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const now = new Date("2025-01-15T10:00:00Z");
const iat = Math.floor(now.getTime() / 1000);
const provider = createProviderSandbox({ now: () => now });
const urn = (suffix: string) => `urn:nhs:names:services:gpconnect:${suffix}`;

Deno.test("provider: every interaction of the catalogue is implemented (none answers 501)", async () => {
  const concrete = (path: string) => path.replace("{id}", "2");
  const roots: Record<string, string> = {
    foundations: "/B82617/STU3/1/gpconnect/fhir",
    structured: "/B82617/STU3/1/gpconnect/structured/fhir",
    documents: "/B82617/STU3/1/gpconnect/documents/fhir",
    dstu2: "/B82617/DSTU2/0/gpconnect",
  };
  for (const interaction of interactions) {
    const headers = providerRequestHeaders(interaction.id, { issuedAt: iat });
    const hasBody = interaction.method !== "GET";
    if (hasBody) {
      headers.set(
        "Content-Type",
        interaction.fhirVersion === "DSTU2" ? "application/json+fhir" : "application/fhir+json",
      );
    }
    const res = await provider.request(`${roots[interaction.root]}${concrete(interaction.path)}`, {
      method: interaction.method,
      headers,
      ...(hasBody ? { body: "{}" } : {}),
    });
    assert.notEqual(res.status, 501, interaction.id);
    assert.notEqual(res.status, 500, interaction.id);
    assert.equal(res.headers.get("Cache-Control"), "no-store", interaction.id);
    await res.body?.cancel();
  }
});

Deno.test("provider: DSTU2 root answers in the DSTU2 error shape", async () => {
  const interaction = urn("fhir:operation:gpc.getcarerecord");
  const headers = providerRequestHeaders(interaction, { issuedAt: iat });
  headers.set("Content-Type", "application/json+fhir");
  const res = await provider.request("/B82617/DSTU2/0/gpconnect/Patient/$gpc.getcarerecord", {
    method: "POST",
    headers,
    body: "",
  });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get("Content-Type"), "application/json+fhir;charset=utf-8");
  const body: Json = await res.json();
  assert.deepEqual(body.meta.profile, [
    "http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1",
  ]);
});

Deno.test("provider: paths outside every root → 404 with no-store", async () => {
  for (
    const path of [
      "/",
      "/B82617",
      "/A20047/STU3/1/gpconnect/fhir/metadata",
      "/b82617/STU3/1/gpconnect/fhir/metadata",
    ]
  ) {
    const res = await provider.request(path, {
      headers: providerRequestHeaders(urn("fhir:rest:read:metadata-1"), { issuedAt: iat }),
    });
    assert.equal(res.status, 404, path);
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    const body: Json = await res.json();
    assert.equal(body.resourceType, "OperationOutcome");
    assert.equal(body.issue[0].details.coding[0].code, "NO_RECORD_FOUND");
  }
});

Deno.test("provider: holds the B82617 fixture patients, serves only active ones", () => {
  const register = patientRegister(fixturePatients, "B82617");
  assert.ok(register.held.length >= 20);
  assert.equal(register.byLogicalId("1")?.patient.nhsNumber, "9690937278");
  assert.equal(register.byNhsNumber("9690938533"), undefined);
  assert.equal(register.byNhsNumber("9690938614")?.record.logicalId, "12");
  const ids = register.held.map((entry) => entry.record.logicalId);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(patientRegister(fixturePatients, "A20047").held.length, 0);
});

Deno.test("provider over a real socket", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, provider.fetch);
  try {
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const res = await fetch(
      `${origin}/B82617/STU3/1/gpconnect/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9690937286`,
      { headers: providerRequestHeaders(urn("fhir:rest:search:patient-1"), { issuedAt: iat }) },
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    const body: Json = await res.json();
    assert.equal(body.entry[0].fullUrl, `${origin}/B82617/STU3/1/gpconnect/fhir/Patient/2`);
  } finally {
    await server.shutdown();
  }
});
