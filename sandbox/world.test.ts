/**
 * End to end over real loopback HTTP: gpc-edge with Deno KV in a SQLite file, the PDS, SDS and
 * NHS login sandboxes, the reference provider and its MESH receiver — the world `deno task start`
 * runs.
 */
import assert from "node:assert/strict";
import { createMeshClient } from "../client/mesh/mesh-client.ts";
import { meshCli } from "../client/mesh-sender/mesh-cli.ts";
import { requestPatientToken } from "../client/pf-token.ts";
import { sspRequestInit } from "../client/ssp-request.ts";
import type { Logger } from "../worker/deno.ts";
import { patientByRole } from "./pds/fixture-patients.ts";
import { startWorld } from "./world.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const SEARCH_PATIENT = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
const SEARCH_DOCUMENTS =
  "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1";
const FREE_PORTS = { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 };

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

const STRUCTURED_RECORD =
  "/gp-connect/patient-facing/access-record-fhir/FHIR/STU3/Patient/$gpc.getstructuredrecord";

function structuredRecordRequest(nhsNumber: string, headers: Record<string, string>) {
  return {
    method: "POST",
    headers: { "Content-Type": "application/fhir+json", ...headers },
    body: JSON.stringify({
      resourceType: "Parameters",
      parameter: [{
        name: "patientNHSNumber",
        valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhsNumber },
      }],
    }),
  };
}

Deno.test("the local world: NHS login's discovery, a MESH handshake with the admin API on, the platform's 401 and a patient's structured record", async () => {
  const logger = quietLogger();
  const world = await startWorld({ ports: FREE_PORTS, dataDir: ":memory:", logger });
  try {
    const discovery = await fetch(`${world.nhsLoginUrl}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    assert.equal((await discovery.json()).issuer, world.nhsLoginUrl);

    // The VRS sandbox answers, and the platform asks it for delegated access.
    assert.equal(world.config.platform.vrsBaseUrl, world.vrsUrl);
    const relationships = await fetch(
      `${world.vrsUrl}/validated-relationships/FHIR/R4/RelatedPerson?identifier=9690937294`,
      { headers: { Authorization: "Bearer sandbox" } },
    );
    assert.equal(relationships.status, 200);
    assert.equal((await relationships.json()).total, 1);

    const consumer = createMeshClient({
      baseUrl: world.edgeUrl,
      mailboxId: "A11111OT1",
      password: "password",
      sharedKey: "TestKey",
      maxRetries: 0,
    });
    await consumer.handshake();
    const mailbox = await fetch(`${world.edgeUrl}/messageexchange/admin/mailbox/B82617OT1`);
    assert.equal(mailbox.status, 200, "the world turns MESH's admin API on");
    assert.equal((await mailbox.json()).mailbox_id, "B82617OT1");
    assert.deepEqual(world.meshPractices, ["B82617OT1", "A20047OT1"]);

    const requestId = crypto.randomUUID();
    const refused = await fetch(
      `${world.edgeUrl}${STRUCTURED_RECORD}`,
      structuredRecordRequest("9690937286", { "X-Request-ID": requestId }),
    );
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).issue[0].details.coding[0].code, "ACCESS_DENIED");

    // task pf-token's exchange, then the record through the platform, PDS, SDS and the practice.
    const token = await requestPatientToken({
      nhsNumber: "9690937286",
      level: "P9",
      edgeUrl: world.edgeUrl,
      nhsLoginUrl: world.nhsLoginUrl,
      clientId: "pfs-sandbox-app",
    });
    assert.ok(token.ok, JSON.stringify(token));
    const record = await fetch(
      `${world.edgeUrl}${STRUCTURED_RECORD}`,
      structuredRecordRequest("9690937286", {
        "X-Request-ID": requestId,
        Authorization: `Bearer ${token.accessToken}`,
      }),
    );
    const bundle = await record.json();
    assert.equal(record.status, 200, JSON.stringify(bundle));
    assert.equal(bundle.resourceType, "Bundle");
    assert.equal(bundle.id, requestId);
    const audits = logger.records.filter((line) => line.audience === "platform");
    assert.ok(audits.some((line) => line.status === 401), JSON.stringify(audits));
    assert.ok(audits.some((line) => line.status === 200 && line.ods === "B82617"));
  } finally {
    await world.close();
  }
});

Deno.test("the local world: task mesh send-document reaches the practice, which answers InfAck and BusAck and acknowledges it", async () => {
  const logger = quietLogger();
  const world = await startWorld({
    ports: FREE_PORTS,
    dataDir: ":memory:",
    logger,
    practicePollIntervalMs: 100,
  });
  try {
    const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
    const out: string[] = [];
    const errors: string[] = [];
    const status = await meshCli([
      "send-document",
      "--nhs-number",
      "9690937286",
      "--pdf",
      "report.pdf",
      "--mesh-url",
      world.edgeUrl,
      "--pds-url",
      world.pdsUrl,
      // The default --timeout (60 s) and --poll-interval (1 s), as the banner's command has them.
    ], {
      out: (line) => out.push(line),
      error: (line) => errors.push(line),
      env: {},
      readFile: (path) =>
        path === "report.pdf" ? Promise.resolve(pdf) : Promise.reject(new Deno.errors.NotFound()),
    });
    assert.equal(status, 0, [...out, ...errors].join("\n"));
    assert.ok(out.some((line) => line.includes("InfAck 20013")), out.join("\n"));
    assert.ok(out.some((line) => line.includes("BusAck 30001")), out.join("\n"));
    // The practice acknowledged the MESH message: its inbox holds no GP Connect message.
    const practice = createMeshClient({
      baseUrl: world.edgeUrl,
      mailboxId: "B82617OT1",
      password: "password",
      sharedKey: "TestKey",
      maxRetries: 0,
    });
    const acknowledged = () => practice.inbox({ workflowFilter: "GP*" });
    let left = await acknowledged();
    for (let poll = 0; poll < 100 && left.length > 0; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = await acknowledged();
    }
    assert.deepEqual(left, []);
  } finally {
    await world.close();
  }
});
