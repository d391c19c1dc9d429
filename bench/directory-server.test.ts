import assert from "node:assert/strict";
import { nhsNumberOfKey } from "./bench-keys.ts";
import { benchPdsHandler, benchSdsHandler } from "./directory-server.ts";

const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const endpointQuery = (ods: string) =>
  `http://sds/Endpoint?organization=https://fhir.nhs.uk/Id/ods-organization-code|${ods}` +
  `&identifier=https://fhir.nhs.uk/Id/nhsServiceInteractionId|${metadata}`;

Deno.test("the bench SDS answers generated practices and the sandbox's own, one record each time", async () => {
  const sds = benchSdsHandler("http://stub:1");
  for (const ods of ["BX1", "BX2", "B82617"]) {
    const bundle = await (await sds(new Request(endpointQuery(ods)))).json();
    assert.equal(bundle.total, 1, ods);
    assert.equal(bundle.entry[0].resource.address, `http://stub:1/${ods}/STU3/1/gpconnect/fhir`);
  }
});

Deno.test("the bench PDS answers generated NHS numbers with their practice, and fixture patients", async () => {
  const pds = benchPdsHandler();
  const headers = { "X-Request-ID": crypto.randomUUID() };
  const generated = await pds(new Request(`http://pds/Patient/${nhsNumberOfKey(3)}`, { headers }));
  assert.equal(generated.status, 200);
  const patient = await generated.json();
  assert.equal(patient.generalPractitioner[0].identifier.value, "BX3");
  const fixture = await pds(new Request("http://pds/Patient/9690937278", { headers }));
  assert.equal(fixture.status, 200);
  await fixture.body?.cancel();
});
