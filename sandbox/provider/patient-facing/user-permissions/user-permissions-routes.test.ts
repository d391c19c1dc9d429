/**
 * User Permissions at the practice over loopback HTTP: levels per patient and per proxy, the R4
 * errors (INVALID_RESOURCE_ID, ACCESS_DENIED), the sandbox control changing a patient's levels
 * (and the practice then refusing a `view` user's reorder) and resetting them, and the medical
 * record level enforced on Access Record.
 */
import assert from "node:assert/strict";
import { startPfPractice } from "../pf-test-kit.ts";
import { patientLevelFixtures, proxyLevelFixtures } from "./permission-fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function expectOutcome(response: Response, status: number, code: string): Promise<Json> {
  const body: Json = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.issue[0].details.coding[0].code, code);
  assert.equal(
    body.issue[0].details.coding[0].system,
    "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode",
  );
  assert.ok(!Number.isNaN(Date.parse(body.meta.lastUpdated)));
  return body;
}

Deno.test("user permissions: each patient's levels, a proxy's own levels, R4 errors", async () => {
  const practice = await startPfPractice();
  try {
    const up = practice.urls["user-permissions"];
    const own = await practice.token("9690937286");
    const response = await practice.call(`${up}/Patient/9690937286`, own);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
    const body: Json = await response.json();
    assert.deepEqual(
      { ...body, medicalRecord: { ...body.medicalRecord, effectiveDate: "-" } },
      {
        medicalRecord: {
          effectiveDate: "-",
          current: { accessLevel: "full" },
          historical: { accessLevel: "full" },
        },
        prescriptions: { accessLevel: "manage" },
        requests: [],
      },
    );
    assert.match(body.medicalRecord.effectiveDate, /^\d{4}-\d{2}-\d{2}$/);

    for (const [nhs, levels] of Object.entries(patientLevelFixtures)) {
      const token = await practice.token(nhs);
      const listed: Json = await (await practice.call(`${up}/Patient/${nhs}`, token)).json();
      assert.equal(listed.medicalRecord.current.accessLevel, levels.current, nhs);
      assert.equal(listed.medicalRecord.historical.accessLevel, levels.historical, nhs);
      assert.equal(listed.prescriptions.accessLevel, levels.prescriptions, nhs);
    }
    const fixture = proxyLevelFixtures[0]!;
    const proxy = await practice.token(fixture.patient, fixture.actor);
    const proxied: Json = await (await practice.call(`${up}/Patient/${fixture.patient}`, proxy))
      .json();
    assert.equal(proxied.medicalRecord.current.accessLevel, fixture.levels.current);
    assert.equal(proxied.prescriptions.accessLevel, fixture.levels.prescriptions);
    // A proxy the practice has granted nothing has nothing.
    const stranger = await practice.token("9690937278", "9690937294");
    const nothing: Json = await (await practice.call(`${up}/Patient/9690937278`, stranger)).json();
    assert.equal(nothing.medicalRecord.current.accessLevel, "none");
    assert.equal(nothing.prescriptions.accessLevel, "none");

    await expectOutcome(
      await practice.call(`${up}/Patient/9690937287`, own),
      400,
      "INVALID_RESOURCE_ID",
    );
    await expectOutcome(await practice.call(`${up}/Patient/abc`, own), 400, "INVALID_RESOURCE_ID");
    await expectOutcome(await practice.call(`${up}/Patient/9690937294`, own), 403, "ACCESS_DENIED");
    await expectOutcome(
      await practice.call(`${up}/Patient/9690937286`, "not-a-token"),
      401,
      "ACCESS_DENIED",
    );
  } finally {
    await practice.close();
  }
});

Deno.test("user permissions: the sandbox control sets a patient's levels (view: the practice refuses a reorder) and resets them", async () => {
  const practice = await startPfPractice();
  try {
    const control = `${practice.urls.sandboxPermissions}/9690937286`;
    const put = (body: unknown, query = "") =>
      fetch(`${control}${query}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const viewOnly = {
      medicalRecord: { current: { accessLevel: "summary" }, historical: { accessLevel: "none" } },
      prescriptions: { accessLevel: "view" },
    };
    const set = await put(viewOnly);
    assert.equal(set.status, 200);
    assert.equal((await set.json()).prescriptions.accessLevel, "view");
    await expectOutcome(
      await put({ prescriptions: { accessLevel: "all" } }),
      422,
      "INVALID_RESOURCE",
    );
    await expectOutcome(
      await fetch(`${practice.urls.sandboxPermissions}/123`, { method: "PUT", body: "{}" }),
      400,
      "INVALID_RESOURCE_ID",
    );

    const token = await practice.token("9690937286");
    const up: Json = await (await practice.call(
      `${practice.urls["user-permissions"]}/Patient/9690937286`,
      token,
    )).json();
    assert.equal(up.prescriptions.accessLevel, "view");
    assert.equal(up.medicalRecord.current.accessLevel, "summary");
    const reorder = await practice.call(
      `${practice.urls["prescriptions-management"]}/Task`,
      token,
      {
        method: "POST",
        body: JSON.stringify({
          resourceType: "Task",
          focus: { reference: "MedicationRequest/2-med-1-plan" },
          for: { reference: "Patient/9690937286" },
        }),
      },
    );
    await expectOutcome(reorder, 403, "ACCESS_DENIED");
    assert.deepEqual(await practice.store.list("provider:B82617:pf-task:"), []);
    // summary: the record, but no documents.
    await expectOutcomeStu3(
      await practice.call(`${practice.urls["access-record"]}/documents/Patient/9690937286`, token),
    );

    // A proxy's levels are set apart from the patient's own.
    const proxySet = await put(
      { ...viewOnly, prescriptions: { accessLevel: "manage" } },
      "?actor=9690937294",
    );
    assert.equal(proxySet.status, 200);
    const proxy = await practice.token("9690937286", "9690937294");
    const proxied: Json = await (await practice.call(
      `${practice.urls["user-permissions"]}/Patient/9690937286`,
      proxy,
    )).json();
    assert.equal(proxied.prescriptions.accessLevel, "manage");

    const reset = await fetch(control, { method: "DELETE" });
    assert.equal(reset.status, 204);
    const back: Json = await (await practice.call(
      `${practice.urls["user-permissions"]}/Patient/9690937286`,
      token,
    )).json();
    assert.equal(back.prescriptions.accessLevel, "manage");
    assert.equal(
      (await practice.call(`${practice.urls["access-record"]}/documents/Patient/9690937286`, token))
        .status,
      200,
    );
  } finally {
    await practice.close();
  }
});

Deno.test("user permissions: medical record none refuses Access Record at the practice", async () => {
  const practice = await startPfPractice();
  try {
    const token = await practice.token("9690938134");
    await expectOutcomeStu3(
      await practice.call(
        `${practice.urls["access-record"]}/Patient/$gpc.getstructuredrecord`,
        token,
        {
          method: "POST",
          body: JSON.stringify({
            resourceType: "Parameters",
            parameter: [{
              name: "patientNHSNumber",
              valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690938134" },
            }],
          }),
        },
      ),
    );
  } finally {
    await practice.close();
  }
});

async function expectOutcomeStu3(response: Response): Promise<void> {
  const body: Json = await response.json();
  assert.equal(response.status, 403, JSON.stringify(body));
  assert.equal(
    body.meta.profile[0],
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1",
  );
  assert.equal(body.issue[0].details.coding[0].code, "ACCESS_DENIED");
}
