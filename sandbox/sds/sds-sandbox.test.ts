import assert from "node:assert/strict";
import { sdsErrorSystem } from "./sds-outcome.ts";
import { createSdsSandbox } from "./sds-sandbox.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const providerBaseUrl = "http://127.0.0.1:8083";
const sds = createSdsSandbox({ providerBaseUrl });

const ORG = "https://fhir.nhs.uk/Id/ods-organization-code";
const SVC = "https://fhir.nhs.uk/Id/nhsServiceInteractionId";
const PK = "https://fhir.nhs.uk/Id/nhsMhsPartyKey";
const urn = (suffix: string) => `urn:nhs:names:services:gpconnect:${suffix}`;
const structured = urn("fhir:operation:gpc.getstructuredrecord-1");
const readMetadata = urn("fhir:rest:read:metadata-1");
const searchDocuments = urn("documents:fhir:rest:search:documentreference-1");
const careRecord = urn("fhir:operation:gpc.getcarerecord");

function query(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  return search.toString();
}

async function bundle(path: string, init: RequestInit = {}): Promise<Json> {
  const res = await sds.request(path, init);
  assert.equal(res.status, 200, path);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "Bundle");
  assert.equal(body.type, "searchset");
  assert.equal(body.total, body.entry.length);
  return body;
}

function endpoints(ods: string, interaction: string, partyKey?: string): Promise<Json> {
  const identifier = [`${SVC}|${interaction}`, ...(partyKey ? [`${PK}|${partyKey}`] : [])];
  return bundle(`/Endpoint?${query({ organization: `${ORG}|${ods}`, identifier })}`);
}

function devices(ods: string, interaction: string, extra: Record<string, string> = {}) {
  return bundle(
    `/Device?${
      query({ organization: `${ORG}|${ods}`, identifier: `${SVC}|${interaction}`, ...extra })
    }`,
  );
}

async function expectError(res: Response, status: number, code: string, issueCode: string) {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "OperationOutcome");
  assert.equal(body.id, res.headers.get("X-Correlation-ID"));
  const issue = body.issue[0];
  assert.equal(issue.severity, "error");
  assert.equal(issue.code, issueCode);
  assert.deepEqual(Object.keys(issue.details.coding[0]).sort(), ["code", "display", "system"]);
  assert.equal(issue.details.coding[0].system, sdsErrorSystem);
  assert.equal(issue.details.coding[0].code, code);
  return issue;
}

function identifierValue(resource: Json, system: string): string | undefined {
  return resource.identifier.find((identifier: Json) => identifier.system === system)?.value;
}

Deno.test("SDS /Endpoint: B82617 structured → one Endpoint with §2.3 fields", async () => {
  const body = await endpoints("B82617", structured);
  assert.equal(body.total, 1);
  assert.equal(body.link[0].relation, "self");
  assert.ok(body.link[0].url.includes(`${SVC}|${structured}`), body.link[0].url);
  const entry = body.entry[0];
  assert.equal(entry.search.mode, "match");
  assert.equal(entry.fullUrl, `http://localhost/Endpoint/${entry.resource.id}`);
  const endpoint = entry.resource;
  assert.equal(endpoint.resourceType, "Endpoint");
  assert.equal(endpoint.status, "active");
  assert.equal(endpoint.connectionType.code, "hl7-fhir-msg");
  assert.equal(endpoint.payloadType[0].coding[0].code, "any");
  assert.equal(endpoint.address, `${providerBaseUrl}/B82617/STU3/1/gpconnect/structured/fhir`);
  assert.deepEqual(endpoint.managingOrganization, {
    identifier: { system: ORG, value: "B82617" },
  });
  assert.equal(identifierValue(endpoint, PK), "B82617-0000806");
  assert.equal(identifierValue(endpoint, "https://fhir.nhs.uk/Id/nhsMhsFQDN"), "127.0.0.1");
  assert.ok(identifierValue(endpoint, "https://fhir.nhs.uk/Id/nhsMhsCPAId"));
  assert.ok(identifierValue(endpoint, "https://fhir.nhs.uk/Id/nhsMHSId"));
  const interactions = endpoint.extension
    .filter((e: Json) => e.url.endsWith("Extension-SDS-NhsServiceInteractionId"))
    .map((e: Json) => e.valueReference.identifier.value);
  assert.ok(interactions.includes(structured));
  assert.ok(
    endpoint.extension.some((e: Json) => e.url.endsWith("Extension-SDS-ReliabilityConfiguration")),
  );
});

Deno.test("SDS /Endpoint: each root kind has its own address", async () => {
  const cases = [
    [readMetadata, "/B82617/STU3/1/gpconnect/fhir"],
    [urn("fhir:rest:create:appointment-1"), "/B82617/STU3/1/gpconnect/fhir"],
    [urn("structured:fhir:rest:read:metadata-1"), "/B82617/STU3/1/gpconnect/structured/fhir"],
    [searchDocuments, "/B82617/STU3/1/gpconnect/documents/fhir"],
    [careRecord, "/B82617/DSTU2/0/gpconnect"],
  ] as const;
  for (const [interaction, path] of cases) {
    const body = await endpoints("B82617", interaction);
    assert.equal(body.total, 1, interaction);
    assert.equal(body.entry[0].resource.address, `${providerBaseUrl}${path}`);
  }
});

Deno.test("SDS /Endpoint: no match → 200 with total 0", async () => {
  for (
    const [ods, interaction] of [
      ["A20047", searchDocuments],
      ["Y99999", structured],
      ["B82617", structured.toUpperCase()],
      ["B82617", "urn:nhs:names:services:gpconnect:fhir:rest:read:nothing-1"],
    ]
  ) {
    const body = await endpoints(ods!, interaction!);
    assert.equal(body.total, 0, `${ods} ${interaction}`);
    assert.deepEqual(body.entry, []);
  }
});

Deno.test("SDS /Endpoint: A20047 structured and foundations exist", async () => {
  const body = await endpoints("A20047", structured);
  assert.equal(
    body.entry[0].resource.address,
    `${providerBaseUrl}/A20047/STU3/1/gpconnect/structured/fhir`,
  );
  assert.equal(identifierValue(body.entry[0].resource, PK), "A20047-821870");
  assert.equal((await endpoints("A20047", readMetadata)).total, 1);
});

Deno.test("SDS /Endpoint: Y88888 has several matches, a party key picks one", async () => {
  const several = await endpoints("Y88888", structured);
  assert.equal(several.total, 2);
  const keys = several.entry.map((entry: Json) => identifierValue(entry.resource, PK)).sort();
  assert.deepEqual(keys, ["Y88888-0000001", "Y88888-0000002"]);
  assert.notEqual(several.entry[0].resource.address, several.entry[1].resource.address);
  const one = await endpoints("Y88888", structured, "Y88888-0000002");
  assert.equal(one.total, 1);
});

Deno.test("SDS /Endpoint: party-key-only and interaction+party-key queries", async () => {
  const all = await bundle(
    `/Endpoint?${query({ organization: `${ORG}|B82617`, identifier: `${PK}|B82617-0000806` })}`,
  );
  // Four direct-care roots and five patient-facing records (four products, the authorisation service).
  assert.equal(all.total, 9);
  const noOrg = await bundle(
    `/Endpoint?${query({ identifier: [`${SVC}|${structured}`, `${PK}|B82617-0000806`] })}`,
  );
  assert.equal(noOrg.total, 1);
});

Deno.test("SDS /Device: provider ASID and party key", async () => {
  const body = await devices("B82617", structured);
  assert.equal(body.total, 1);
  const device = body.entry[0].resource;
  assert.equal(device.resourceType, "Device");
  assert.equal(body.entry[0].fullUrl, `http://localhost/Device/${device.id}`);
  assert.equal(identifierValue(device, "https://fhir.nhs.uk/Id/nhsSpineASID"), "918999198738");
  assert.equal(identifierValue(device, PK), "B82617-0000806");
  assert.deepEqual(device.owner, { identifier: { system: ORG, value: "B82617" } });
  const manufacturer = device.extension.find((e: Json) =>
    e.url.endsWith("Extension-SDS-ManufacturingOrganisation")
  );
  assert.equal(manufacturer.valueReference.identifier.system, ORG);
  const interactions = device.extension
    .filter((e: Json) => e.url.endsWith("Extension-SDS-NhsServiceInteractionId"))
    .map((e: Json) => e.valueReference.identifier.value);
  assert.ok(interactions.includes(careRecord));
  assert.ok(interactions.includes(searchDocuments));
});

Deno.test("SDS /Device: party key, ASID and manufacturer filters", async () => {
  assert.equal((await devices("Y88888", structured)).total, 2);
  const both = await bundle(`/Device?${
    query({
      organization: `${ORG}|Y88888`,
      identifier: [`${SVC}|${structured}`, `${PK}|Y88888-0000001`],
    })
  }`);
  assert.equal(both.total, 1);
  assert.equal(
    identifierValue(both.entry[0].resource, "https://fhir.nhs.uk/Id/nhsSpineASID"),
    "200000001111",
  );
  const byAsid = await bundle(`/Device?${
    query({
      organization: `${ORG}|Y88888`,
      identifier: [`${SVC}|${structured}`, "https://fhir.nhs.uk/Id/nhsSpineASID|200000001112"],
    })
  }`);
  assert.equal(byAsid.total, 1);
  const consumer = await devices("A11111", readMetadata, {
    "manufacturing-organization": `${ORG}|YGA`,
  });
  assert.equal(consumer.total, 1);
  assert.equal(
    identifierValue(consumer.entry[0].resource, "https://fhir.nhs.uk/Id/nhsSpineASID"),
    "200000000359",
  );
  assert.equal(
    (await devices("A11111", readMetadata, { "manufacturing-organization": `${ORG}|X1` })).total,
    0,
  );
  assert.equal((await devices("A20047", searchDocuments)).total, 0);
  assert.equal((await devices("Y99999", structured)).total, 0);
});

Deno.test("SDS: parameter errors → 400 BAD_REQUEST (issue code required)", async () => {
  const bad = [
    `/Endpoint?${query({ organization: `${ORG}|B82617` })}`,
    `/Endpoint?${query({ identifier: `${SVC}|${structured}` })}`,
    `/Endpoint?${
      query({
        organization: `${ORG}|B82617`,
        identifier: `${SVC}|${structured}`,
        "manufacturing-organization": `${ORG}|YGA`,
      })
    }`,
    `/Endpoint?${query({ organization: "B82617", identifier: `${SVC}|${structured}` })}`,
    `/Endpoint?${query({ organization: `${ORG}|B82617`, identifier: `wrong|${structured}` })}`,
    `/Device?${query({ identifier: `${SVC}|${structured}` })}`,
    `/Device?${query({ organization: `${ORG}|B82617` })}`,
    `/Device?${
      query({ organization: `${ORG}|B82617`, identifier: `${SVC}|${structured}`, foo: "1" })
    }`,
    "/Device",
  ];
  for (const path of bad) {
    const issue = await expectError(await sds.request(path), 400, "BAD_REQUEST", "required");
    assert.match(issue.diagnostics, /^HTTP 400: Bad Request \(/, path);
  }
});

Deno.test("SDS: X-Correlation-Id must be a UUID, echoed as X-Correlation-ID", async () => {
  const path = `/Device?${
    query({ organization: `${ORG}|B82617`, identifier: `${SVC}|${structured}` })
  }`;
  const id = "2f8ab8c5-7f0c-4a3a-a6b4-5b3c1f0a9e11";
  const ok = await sds.request(path, { headers: { "X-Correlation-Id": id } });
  assert.equal(ok.headers.get("X-Correlation-ID"), id);
  await ok.body?.cancel();
  const generated = await sds.request(path);
  assert.match(generated.headers.get("X-Correlation-ID") ?? "", /^[0-9a-f-]{36}$/);
  await generated.body?.cancel();
  const bad = await sds.request(path, { headers: { "X-Correlation-Id": "not-a-uuid" } });
  const issue = await expectError(bad, 400, "BAD_REQUEST", "required");
  assert.match(issue.diagnostics, /^HTTP 400: Invalid X-Correlation-ID header/);
});

Deno.test("SDS: Accept → application/fhir+json, application/json, */*; else 406", async () => {
  const path = `/Device?${
    query({ organization: `${ORG}|B82617`, identifier: `${SVC}|${structured}` })
  }`;
  for (
    const [accept, type] of [
      ["application/fhir+json", "application/fhir+json"],
      ["application/json", "application/json"],
      ["*/*", "application/fhir+json"],
    ]
  ) {
    const res = await sds.request(path, { headers: { Accept: accept! } });
    assert.equal(res.status, 200, accept);
    assert.equal(res.headers.get("Content-Type"), type);
    await res.body?.cancel();
  }
  const res = await sds.request(path, { headers: { Accept: "application/fhir+xml" } });
  const issue = await expectError(res, 406, "MISSING_OR_INVALID_HEADER", "not-supported");
  assert.equal(issue.diagnostics, "Accept type not supported");
});

Deno.test("SDS: non-GET → 405 with Allow: GET; unknown path → 404", async () => {
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const res = await sds.request("/Endpoint", { method });
    assert.equal(res.headers.get("Allow"), "GET");
    await expectError(res, 405, "NOT_IMPLEMENTED", "not-supported");
  }
  for (const path of ["/", "/endpoint", "/Endpoint/abc", "/Organization"]) {
    const issue = await expectError(await sds.request(path), 404, "NO_RECORD_FOUND", "not-found");
    assert.equal(issue.diagnostics, "HTTP endpoint not found");
  }
});

Deno.test("SDS: apikey enforced only when configured", async () => {
  const secured = createSdsSandbox({ providerBaseUrl, apiKey: "key-1" });
  const path = `/Device?${
    query({ organization: `${ORG}|B82617`, identifier: `${SVC}|${structured}` })
  }`;
  await expectError(await secured.request(path), 401, "ACCESS_DENIED", "forbidden");
  const ok = await secured.request(path, { headers: { apikey: "key-1" } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("SDS: injected id generator gives deterministic ids", async () => {
  let n = 0;
  const fixed = createSdsSandbox({ providerBaseUrl, newId: () => `id-${++n}` });
  const res = await fixed.request(
    `/Endpoint?${query({ organization: `${ORG}|B82617`, identifier: `${SVC}|${structured}` })}`,
  );
  const body: Json = await res.json();
  assert.equal(body.entry[0].resource.id, "id-1");
  assert.equal(body.id, "id-2");
});

Deno.test("SDS sandbox over a real socket", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sds.fetch);
  try {
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const res = await fetch(
      `${origin}/Endpoint?${
        query({ organization: `${ORG}|B82617`, identifier: `${SVC}|${structured}` })
      }`,
      { headers: { "X-Correlation-Id": crypto.randomUUID() } },
    );
    assert.equal(res.status, 200);
    const body: Json = await res.json();
    assert.equal(body.entry[0].fullUrl, `${origin}/Endpoint/${body.entry[0].resource.id}`);
    assert.equal(
      body.link[0].url,
      `${origin}/Endpoint?organization=${ORG}|B82617&identifier=${SVC}|${structured}`,
    );
  } finally {
    await server.shutdown();
  }
});
