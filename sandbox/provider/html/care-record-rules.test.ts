import assert from "node:assert/strict";
import { Hono } from "hono";
import { fixturePatients } from "../../pds/fixture-patients.ts";
import { inMemoryProviderStore } from "../provider-store.ts";
import { practiceData } from "../practice/practice-data.ts";
import { providerDuties, type ProviderEnv } from "../provider-duties.ts";
import { ProviderError, providerErrorResponse } from "../provider-error.ts";
import { patientRegister } from "../provider-patients.ts";
import { htmlRoutes } from "./html-routes.ts";
import {
  compositionDiv,
  dstu2ErrorCode,
  dstu2Root,
  htmlTestClient,
  nhsNumberSystem,
  parametersBody,
  richRecordNhsNumber,
  testNow,
} from "./html-test-client.ts";
import { sampleRecord } from "./sample-record.ts";

const { careRecord } = htmlTestClient();

Deno.test("getcarerecord: request errors", async () => {
  assert.equal(await dstu2ErrorCode(await careRecord({ body: "" })), "400 BAD_REQUEST");
  assert.equal(await dstu2ErrorCode(await careRecord({ body: "{" })), "400 BAD_REQUEST");
  assert.equal(
    await dstu2ErrorCode(await careRecord({ body: JSON.stringify({ resourceType: "Patient" }) })),
    "422 INVALID_RESOURCE",
  );
  assert.equal(await dstu2ErrorCode(await careRecord({ section: "ZZZ" })), "422 INVALID_PARAMETER");
  assert.equal(await dstu2ErrorCode(await careRecord({ section: "sum" })), "422 INVALID_PARAMETER");
  assert.equal(
    await dstu2ErrorCode(await careRecord({ nhsNumber: "1234567891" })),
    "400 INVALID_NHS_NUMBER",
  );
  const noSection = JSON.stringify({
    resourceType: "Parameters",
    parameter: [{
      name: "patientNHSNumber",
      valueIdentifier: { system: nhsNumberSystem, value: richRecordNhsNumber },
    }],
  });
  assert.equal(await dstu2ErrorCode(await careRecord({ body: noSection })), "400 BAD_REQUEST");
  const badSystem = parametersBody(richRecordNhsNumber, "SUM").replace(
    nhsNumberSystem,
    "https://fhir.nhs.uk/Id/nhs-number",
  );
  assert.equal(
    await dstu2ErrorCode(await careRecord({ body: badSystem })),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  const xml = await careRecord({
    overrides: { "Content-Type": "application/xml+fhir", Accept: "application/json+fhir" },
  });
  assert.equal(xml.status, 415);
  assert.equal((await xml.json()).issue[0].details.coding[0].code, "BAD_REQUEST");
});

Deno.test("getcarerecord: the JWT requested_record must be the body's patient", async () => {
  assert.equal(
    await dstu2ErrorCode(
      await careRecord({ nhsNumber: richRecordNhsNumber, jwtNhsNumber: "9690937278" }),
    ),
    "400 BAD_REQUEST",
  );
});

Deno.test("getcarerecord: patients the practice does not serve, and dissent", async () => {
  for (const nhsNumber of ["9999999999", "9690938533", "9476718943", "9690938681", "9690938142"]) {
    assert.equal(
      await dstu2ErrorCode(await careRecord({ nhsNumber })),
      "404 PATIENT_NOT_FOUND",
      nhsNumber,
    );
  }
  for (const section of ["SUM", "ENC", "MED"]) {
    assert.equal(
      await dstu2ErrorCode(await careRecord({ nhsNumber: "9690938576", section })),
      "403 NO_PATIENT_CONSENT",
    );
  }
});

Deno.test("getcarerecord: renders an injected clinical record", async () => {
  const sample = sampleRecord(testNow);
  const record = {
    ...sample,
    referrals: sample.referrals.map((r) => ({ ...r, recipient: "Injected <Cardiology> & Co" })),
  };
  const app = new Hono<ProviderEnv>();
  app.use(
    `${dstu2Root}/*`,
    providerDuties({
      asid: "918999198738",
      rootKind: "dstu2",
      rootPath: dstu2Root,
      now: () => testNow,
    }),
  );
  app.route(
    dstu2Root,
    htmlRoutes({
      odsCode: "B82617",
      asid: "918999198738",
      register: patientRegister(fixturePatients, "B82617"),
      practice: practiceData,
      store: inMemoryProviderStore(),
      now: () => testNow,
      newId: () => "injected",
      pdsBaseUrl: undefined,
      fetch: () => Promise.reject(new Error("no PDS in this test")),
    }, { recordFor: (nhsNumber) => nhsNumber === richRecordNhsNumber ? record : undefined }),
  );
  app.onError((error) =>
    providerErrorResponse(
      error instanceof ProviderError ? error : new ProviderError("INTERNAL_SERVER_ERROR"),
      "json",
      "DSTU2",
    )
  );
  const injected = htmlTestClient(app);
  const res = await injected.careRecord({ section: "REF" });
  assert.equal(res.status, 200);
  const bundle = await res.json();
  assert.equal(bundle.id, "injected");
  assert.match(
    compositionDiv(bundle),
    /<td>Dr Melissa Parsons<\/td><td>Injected &lt;Cardiology&gt; &amp; Co<\/td><td>Urgent<\/td>/,
  );
  const other = await injected.careRecord({ nhsNumber: "9690937278", section: "REF" });
  assert.match(
    compositionDiv(await other.json()),
    /<p>No 'Referrals' data is recorded for this patient\.<\/p>/,
  );
  assert.equal(
    await dstu2ErrorCode(await injected.careRecord({ nhsNumber: "9999999999" })),
    "404 PATIENT_NOT_FOUND",
  );
});
