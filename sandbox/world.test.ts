/**
 * End to end over real loopback HTTP: gpc-edge with Deno KV in a SQLite file, the PDS and SDS
 * sandboxes and the reference provider — the world `deno task start` runs.
 */
import assert from "node:assert/strict";
import { sspRequestInit } from "../client/ssp-request.ts";
import type { Logger } from "../worker/deno.ts";
import { patientByRole } from "./pds/fixture-patients.ts";
import { startWorld } from "./world.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const SEARCH_PATIENT = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
const SEARCH_DOCUMENTS =
  "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1";
const FREE_PORTS = { edge: 0, pds: 0, sds: 0, provider: 0 };

function quietLogger(): Logger & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  return { records, log: (record) => records.push({ ...record }) };
}

async function resolve(edgeUrl: string, nhsNumber: string, interaction = METADATA) {
  const response = await fetch(
    `${edgeUrl}/directory/resolve?nhs-number=${nhsNumber}&interaction=${
      encodeURIComponent(interaction)
    }`,
  );
  // deno-lint-ignore no-explicit-any
  return { status: response.status, body: await response.json() as Record<string, any> };
}

Deno.test("the local world: resolve 9690937278, then read the provider's metadata through the SSP", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "gpc-edge-world-" });
  const logger = quietLogger();
  const world = await startWorld({ ports: FREE_PORTS, dataDir, logger });
  try {
    const resolved = await resolve(world.edgeUrl, "9690937278");
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal(resolved.body.nhsNumber, "9690937278");
    assert.equal(resolved.body.odsCode, "B82617");
    assert.equal(resolved.body.endpoint.asid, "918999198738");
    assert.equal(
      resolved.body.endpoint.address,
      `${world.providerUrl}/B82617/STU3/1/gpconnect/fhir`,
    );
    assert.equal(resolved.body.endpoint.partyKey, "B82617-0000806");

    const { url, headers } = sspRequestInit({
      sspBaseUrl: world.edgeUrl,
      providerRoot: resolved.body.endpoint.address,
      fhirPath: "/metadata",
      interactionId: METADATA,
    });
    const metadata = await fetch(url, { headers });
    assert.equal(metadata.status, 200);
    const capability = await metadata.json();
    assert.equal(capability.resourceType, "CapabilityStatement");
    assert.equal(capability.fhirVersion, "3.0.1");
    assert.equal(metadata.headers.get("cache-control"), "no-store");

    const search = sspRequestInit({
      sspBaseUrl: world.edgeUrl,
      providerRoot: resolved.body.endpoint.address,
      fhirPath: "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937278",
      interactionId: SEARCH_PATIENT,
    });
    const patients = await fetch(search.url, { headers: search.headers });
    assert.equal(patients.status, 200);
    const bundle = await patients.json();
    assert.equal(bundle.resourceType, "Bundle");
    assert.equal(bundle.entry?.[0]?.resource?.resourceType, "Patient");

    const audits = logger.records.filter((record) => record.type === "ssp-audit");
    assert.equal(audits.length, 2);
    assert.deepEqual(audits.map((record) => record.status), [200, 200]);
  } finally {
    await world.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the local world: directory errors are GP Connect OperationOutcomes", async () => {
  const world = await startWorld({ ports: FREE_PORTS, dataDir: ":memory:", logger: quietLogger() });
  try {
    const cases: Array<[string, string, number, string]> = [
      ["invalid check digit", "9690937279", 400, "INVALID_NHS_NUMBER"],
      ["too short", "969093727", 400, "INVALID_NHS_NUMBER"],
      ["not digits", "96909372AB", 400, "INVALID_NHS_NUMBER"],
      ["unknown to PDS", "9999999999", 404, "PATIENT_NOT_FOUND"],
      ["not on PDS", "9476718943", 404, "PATIENT_NOT_FOUND"],
      ["sensitive (restricted on PDS)", "9690938533", 404, "PATIENT_NOT_FOUND"],
    ];
    for (const [label, nhsNumber, status, code] of cases) {
      const { status: got, body } = await resolve(world.edgeUrl, nhsNumber);
      assert.equal(got, status, label);
      assert.equal(body.resourceType, "OperationOutcome", label);
      assert.equal(body.issue[0].details.coding[0].code, code, label);
    }
  } finally {
    await world.close();
  }
});

Deno.test("the local world: directory answers survive a restart on the Deno KV file", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "gpc-edge-world-" });
  try {
    const first = await startWorld({ ports: FREE_PORTS, dataDir, logger: quietLogger() });
    try {
      assert.deepEqual((await resolve(first.edgeUrl, "9690937286")).body.cache, {
        pds: "upstream",
        sds: "upstream",
      });
    } finally {
      await first.close();
    }
    const second = await startWorld({ ports: FREE_PORTS, dataDir, logger: quietLogger() });
    try {
      const again = await resolve(second.edgeUrl, "9690937286");
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.cache, { pds: "kv", sds: "kv" });
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the local world: a practice without an endpoint for the interaction is a clear 404", async () => {
  const world = await startWorld({ ports: FREE_PORTS, dataDir: ":memory:", logger: quietLogger() });
  try {
    // A20047 has Foundations and structured endpoints but none for Access Document.
    const response = await fetch(
      `${world.edgeUrl}/directory/resolve?nhs-number=${
        patientByRole("registered-other-practice").nhsNumber
      }&interaction=${encodeURIComponent(SEARCH_DOCUMENTS)}`,
    );
    const body = await response.json();
    assert.equal(response.status, 404);
    assert.equal(body.issue[0].details.coding[0].code, "NO_RECORD_FOUND");
    assert.match(body.issue[0].diagnostics, /A20047/);
  } finally {
    await world.close();
  }
});
