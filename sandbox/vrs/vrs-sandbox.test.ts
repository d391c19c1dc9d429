/**
 * The VRS sandbox over loopback HTTP: a proxy's relationships as RelatedPersons, narrowed by
 * `patient:identifier`, with the patients `_include`d; an empty searchset for someone who acts
 * for nobody; each documented error; headers mirrored; R4 structure.
 */
import assert from "node:assert/strict";
import { r4StructureProblems } from "../../gpconnect/r4-structure.ts";
import { vrsFixtures } from "./vrs-fixtures.ts";
import { vrsErrorSystem } from "./vrs-outcome.ts";
import { createVrsApp, vrsRelatedPersonPath } from "./vrs-sandbox.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function withVrs(
  test: (search: (query: string, headers?: HeadersInit) => Promise<Response>) => Promise<void>,
  accessTokens?: readonly string[],
): Promise<void> {
  const app = createVrsApp(accessTokens ? { accessTokens } : {});
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  try {
    const base = `http://127.0.0.1:${server.addr.port}${vrsRelatedPersonPath}`;
    await test((query, headers = { Authorization: "Bearer sandbox-token" }) =>
      fetch(`${base}${query}`, { headers })
    );
  } finally {
    await server.shutdown();
  }
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  const body: Json = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.resourceType, "OperationOutcome");
  assert.deepEqual(r4StructureProblems(body), []);
  assert.equal(body.issue[0].details.coding[0].system, vrsErrorSystem);
  assert.equal(body.issue[0].details.coding[0].version, "1");
  assert.equal(body.issue[0].details.coding[0].code, code);
}

Deno.test("VRS sandbox: a proxy's relationships, narrowed to a patient, with the patients included", () =>
  withVrs(async (search) => {
    const { proxy, patient, unrelatedPatient, nobodysProxy } = vrsFixtures;
    const requestId = crypto.randomUUID();
    const plain = await search(`?identifier=${proxy}`, {
      Authorization: "Bearer sandbox-token",
      "X-Request-ID": requestId,
      "X-Correlation-ID": "corr-1",
    });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("Content-Type"), "application/fhir+json");
    assert.equal(plain.headers.get("X-Request-ID"), requestId);
    assert.equal(plain.headers.get("X-Correlation-ID"), "corr-1");
    const bundle: Json = await plain.json();
    assert.deepEqual(r4StructureProblems(bundle), []);
    assert.equal(bundle.type, "searchset");
    assert.equal(bundle.total, 1);
    const related = bundle.entry[0].resource;
    assert.equal(related.resourceType, "RelatedPerson");
    assert.deepEqual(related.identifier, [{
      system: "https://fhir.nhs.uk/Id/nhs-number",
      value: proxy,
    }]);
    assert.equal(related.patient.identifier.value, patient);
    assert.equal(bundle.entry[0].search.mode, "match");

    const included: Json = await (await search(
      `?identifier=https://fhir.nhs.uk/Id/nhs-number|${proxy}&patient:identifier=${patient}&_include=RelatedPerson:patient`,
    )).json();
    assert.deepEqual(r4StructureProblems(included), []);
    assert.equal(included.total, 1);
    const modes = included.entry.map((
      entry: Json,
    ) => [entry.resource.resourceType, entry.search.mode]);
    assert.deepEqual(modes, [["Patient", "include"], ["RelatedPerson", "match"]]);
    assert.equal(included.entry[0].resource.id, patient);
    assert.equal(included.entry[0].resource.name[0].family, "SKELLY");

    for (
      const query of [
        `?identifier=${proxy}&patient:identifier=${unrelatedPatient}`,
        `?identifier=${nobodysProxy}`,
      ]
    ) {
      const empty: Json = await (await search(query)).json();
      assert.equal(empty.total, 0, query);
      assert.equal(empty.entry, undefined, query);
    }
  }));

Deno.test("VRS sandbox: its errors — no bearer token, missing, foreign-system and invalid identifiers, invalid patient identifier, another _include", () =>
  withVrs(async (search) => {
    const { proxy } = vrsFixtures;
    await expectError(await search(`?identifier=${proxy}`, {}), 401, "ACCESS_DENIED");
    await expectError(
      await search(`?identifier=${proxy}`, { Authorization: "Bearer other" }),
      401,
      "ACCESS_DENIED",
    );
    await expectError(await search(""), 400, "MISSING_IDENTIFIER_VALUE");
    await expectError(await search("?identifier="), 400, "MISSING_IDENTIFIER_VALUE");
    await expectError(
      await search(`?identifier=https://example.org|${proxy}`),
      400,
      "INVALID_IDENTIFIER_SYSTEM",
    );
    await expectError(await search("?identifier=9690937295"), 400, "INVALID_IDENTIFIER_VALUE");
    await expectError(await search("?identifier=abc"), 400, "INVALID_IDENTIFIER_VALUE");
    await expectError(
      await search(`?identifier=${proxy}&patient:identifier=12345`),
      400,
      "INVALID_PATIENT_IDENTIFIER_VALUE",
    );
    await expectError(
      await search(`?identifier=${proxy}&_include=RelatedPerson:other`),
      400,
      "INVALID_PARAMETER",
    );
    const allowed = await search(`?identifier=${proxy}`, { Authorization: "Bearer sandbox-token" });
    await allowed.body?.cancel();
    assert.equal(allowed.status, 200);
  }, ["sandbox-token"]));
