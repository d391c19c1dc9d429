/**
 * Prescriptions at the practice over loopback HTTP with the provider's KV file: reading the
 * patient's medication (search parameters, binding, R4 errors), the reorder journey (201, 409
 * duplicate, X-Request-ID replay, cancel by JSON Patch, bad input), concurrent reorders, the
 * write limit, permission levels enforced at the practice, delegated tokens, and Tasks surviving
 * a restart.
 */
import assert from "node:assert/strict";
import { clinicalRecordFor } from "../../clinical/clinical-records.ts";
import { startPfPractice } from "../pf-test-kit.ts";
import { r4StructureProblems } from "../../../../gpconnect/r4-structure.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const patient = "9690937286";

async function expectOutcome(response: Response, status: number, code: string): Promise<Json> {
  const body: Json = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.resourceType, "OperationOutcome");
  assert.deepEqual(r4StructureProblems(body), []);
  assert.deepEqual(body.meta.profile, [
    "https://fhir.hl7.org.uk/StructureDefinition/UKCore-OperationOutcome",
  ]);
  const coding = body.issue[0].details.coding[0];
  assert.equal(coding.system, "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode");
  assert.equal(coding.code, code);
  return body;
}

const reorder = (focus: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    resourceType: "Task",
    status: "requested",
    intent: "order",
    focus: { reference: `MedicationRequest/${focus}` },
    for: { reference: `Patient/${patient}` },
    ...extra,
  });
const cancelPatch = JSON.stringify([{ op: "replace", path: "/status", value: "cancelled" }]);

Deno.test("prescriptions: the patient's medication as R4 searchsets, consistent with the structured record; search parameters; binding", async () => {
  const practice = await startPfPractice();
  try {
    const rx = practice.urls["prescriptions-management"];
    const token = await practice.token(patient);
    const requestId = crypto.randomUUID();
    const statements = await practice.call(`${rx}/Patient/${patient}/MedicationStatement`, token, {
      headers: { "X-Request-ID": requestId },
    });
    assert.equal(statements.status, 200);
    assert.equal(statements.headers.get("Content-Type"), "application/fhir+json");
    assert.equal(statements.headers.get("X-Request-ID"), requestId);
    const bundle: Json = await statements.json();
    assert.equal(bundle.type, "searchset");
    assert.deepEqual(r4StructureProblems(bundle), []);
    assert.equal(bundle.id, requestId);
    const record = clinicalRecordFor(patient, new Date())!;
    assert.deepEqual(
      bundle.entry.map((entry: Json) => entry.resource.medicationCodeableConcept.text).sort(),
      record.medications.map((item) => item.code.display).sort(),
    );

    const search = async (query: string) => {
      const response = await practice.call(
        `${rx}/Patient/${patient}/MedicationRequest${query}`,
        token,
      );
      assert.equal(response.status, 200, query);
      return ((await response.json()) as Json).entry?.map((entry: Json) => entry.resource) ?? [];
    };
    const plans = await search("?intent=plan");
    assert.equal(plans.length, record.medications.length);
    const issues = record.medications.reduce((sum, item) => sum + item.issues.length, 0);
    assert.equal((await search("?intent=order")).length, issues);
    assert.equal((await search("")).length, record.medications.length + issues);
    const active = await search("?intent=plan&status=active");
    assert.deepEqual(
      active.map((r: Json) => r.medicationCodeableConcept.text).sort(),
      record.medications.filter((m) => m.status === "active").map((m) => m.code.display).sort(),
    );
    const day = (daysAgo: number) =>
      new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const recent = await search(`?authoredon=ge${day(100)}&authoredon=le${day(0)}`);
    assert.ok(recent.length > 0);
    for (const r of recent) assert.ok(r.authoredOn.slice(0, 10) >= day(100), r.authoredOn);
    const one = plans[0];
    const byIdentifier = await search(
      `?identifier=${encodeURIComponent(`${one.identifier[0].system}|${one.identifier[0].value}`)}`,
    );
    assert.deepEqual(byIdentifier.map((r: Json) => r.id), [one.id]);
    await expectOutcome(
      await practice.call(
        `${rx}/Patient/${patient}/MedicationRequest?authoredon=ge2026-13-01`,
        token,
      ),
      400,
      "INVALID_PARAMETER",
    );
    await expectOutcome(
      await practice.call(`${rx}/Patient/${patient}/MedicationRequest?intent=wish`, token),
      400,
      "INVALID_PARAMETER",
    );

    const read = await practice.call(`${rx}/MedicationRequest/${one.id}`, token);
    assert.equal(read.status, 200);
    assert.equal((await read.json()).id, one.id);
    const role = await practice.call(`${rx}/${one.requester.reference}`, token);
    assert.equal(role.status, 200);
    assert.equal((await role.json()).resourceType, "PractitionerRole");
    await expectOutcome(
      await practice.call(`${rx}/PractitionerRole/99`, token),
      404,
      "RESOURCE_NOT_FOUND",
    );
    // 9690937375's plan (logical id 5) is not this patient's.
    await expectOutcome(
      await practice.call(`${rx}/MedicationRequest/5-med-1-plan`, token),
      404,
      "RESOURCE_NOT_FOUND",
    );
    await expectOutcome(
      await practice.call(`${rx}/Patient/9690937294/MedicationStatement`, token),
      403,
      "ACCESS_DENIED",
    );
    await expectOutcome(
      await practice.call(`${rx}/Patient/9690937287/MedicationStatement`, token),
      400,
      "INVALID_NHS_NUMBER",
    );
    await expectOutcome(
      await practice.call(`${rx}/Patient/${patient}/MedicationStatement`, "nope"),
      401,
      "ACCESS_DENIED",
    );
  } finally {
    await practice.close();
  }
});

Deno.test("prescriptions: reorder a repeat (201), duplicate 409, X-Request-ID replay returns the same Task, cancel by JSON Patch, reorder again", async () => {
  const practice = await startPfPractice();
  try {
    const rx = practice.urls["prescriptions-management"];
    const token = await practice.token(patient);
    const post = (body: string, requestId = crypto.randomUUID()) =>
      practice.call(`${rx}/Task`, token, {
        method: "POST",
        body,
        headers: { "X-Request-ID": requestId },
      });
    const firstId = crypto.randomUUID();
    const created = await post(
      reorder("2-med-1-plan", {
        input: [{
          type: { coding: [{ code: "preferred-performer" }] },
          valueIdentifier: {
            system: "https://fhir.nhs.uk/Id/ods-organization-code",
            value: "FLM49",
          },
        }],
      }),
      firstId,
    );
    const task: Json = await created.json();
    assert.equal(created.status, 201, JSON.stringify(task));
    assert.equal(created.headers.get("Location"), `${rx}/Task/${task.id}`);
    assert.equal(task.status, "requested");
    assert.deepEqual(r4StructureProblems(task), []);
    assert.equal(task.focus.reference, "MedicationRequest/2-med-1-plan");
    assert.match(task.focus.display, /Amlodipine/);
    assert.equal(task.for.reference, `Patient/${patient}`);
    assert.equal(task.input[0].valueIdentifier.value, "FLM49");
    assert.equal(task.code.coding[0].code, "103742009");

    await expectOutcome(await post(reorder("2-med-1-plan")), 409, "DUPLICATE_REJECTED");
    const replay = await post(reorder("2-med-1-plan"), firstId);
    assert.equal(replay.status, 201);
    assert.equal((await replay.json()).id, task.id);
    await expectOutcome(await post(reorder("2-med-2-plan"), firstId), 409, "DUPLICATE_REJECTED");

    const listed = await practice.call(`${rx}/Task?patient=${patient}`, token);
    const tasks: Json = await listed.json();
    assert.deepEqual(tasks.entry.map((entry: Json) => entry.resource.id), [task.id]);
    const withFocus: Json = await (await practice.call(
      `${rx}/Task?patient=Patient/${patient}&_include=Task:focus`,
      token,
    )).json();
    assert.deepEqual(r4StructureProblems(withFocus), []);
    assert.deepEqual(
      withFocus.entry.map((entry: Json) => [entry.resource.id, entry.search.mode]),
      [[task.id, "match"], ["2-med-1-plan", "include"]],
    );
    assert.equal(withFocus.total, 1);
    await expectOutcome(
      await practice.call(`${rx}/Task?patient=${patient}&_include=Task:owner`, token),
      400,
      "INVALID_PARAMETER",
    );
    await expectOutcome(
      await practice.call(`${rx}/Task?patient=9690937294`, token),
      403,
      "ACCESS_DENIED",
    );

    const patch = (id: string, body = cancelPatch, headers: Record<string, string> = {}) =>
      practice.call(`${rx}/Task/${id}`, token, {
        method: "PATCH",
        body,
        headers: { "Content-Type": "application/json-patch+json", ...headers },
      });
    const cancelId = crypto.randomUUID();
    await expectOutcome(
      await patch(task.id, JSON.stringify([{ op: "replace", path: "/focus", value: "x" }])),
      422,
      "INVALID_RESOURCE",
    );
    await expectOutcome(
      await patch(
        task.id,
        JSON.stringify([
          { op: "replace", path: "/status", value: "cancelled" },
          { op: "add", path: "/note", value: [{ text: "x" }] },
        ]),
      ),
      422,
      "INVALID_RESOURCE",
    );
    await expectOutcome(
      await patch(task.id, cancelPatch, { "Content-Type": "text/plain" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    const cancelled = await patch(task.id, cancelPatch, { "X-Request-ID": cancelId });
    assert.equal(cancelled.status, 200);
    assert.equal((await cancelled.json()).status, "cancelled");
    const again = await patch(task.id, cancelPatch, { "X-Request-ID": cancelId });
    assert.equal(again.status, 200, "the same cancel retried");
    await expectOutcome(await patch(task.id), 400, "INVALID_REQUEST_STATE");
    await expectOutcome(await patch(crypto.randomUUID()), 404, "RESOURCE_NOT_FOUND");

    const reordered = await post(reorder("2-med-1-plan"));
    assert.equal(reordered.status, 201);
    assert.notEqual((await reordered.json()).id, task.id);
    assert.equal((await practice.store.list(`provider:B82617:pf-task:${patient}:`)).length, 2);
  } finally {
    await practice.close();
  }
});

Deno.test("prescriptions: a reorder's bad input — focus not found, not a plan, another patient's, acute; another patient in for; not a Task; no X-Request-ID", async () => {
  const practice = await startPfPractice();
  try {
    const rx = practice.urls["prescriptions-management"];
    const token = await practice.token(patient);
    const post = (body: string, headers: Record<string, string> = {}) =>
      practice.call(`${rx}/Task`, token, { method: "POST", body, headers });
    await expectOutcome(await post(reorder("2-med-99-plan")), 422, "REFERENCE_NOT_FOUND");
    await expectOutcome(await post(reorder("2-med-1-issue-1")), 422, "REFERENCE_NOT_FOUND");
    await expectOutcome(await post(reorder("5-med-1-plan")), 422, "REFERENCE_NOT_FOUND");
    await expectOutcome(await post(reorder("2-med-3-plan")), 422, "INVALID_RESOURCE");
    await expectOutcome(
      await post(reorder("2-med-1-plan", { for: { reference: "Patient/9690937294" } })),
      403,
      "ACCESS_DENIED",
    );
    await expectOutcome(
      await post(JSON.stringify({ resourceType: "Patient" })),
      422,
      "INVALID_RESOURCE",
    );
    await expectOutcome(
      await post(reorder("2-med-1-plan"), { "X-Request-ID": "" }),
      400,
      "BAD_REQUEST",
    );
    assert.deepEqual(await practice.store.list(`provider:B82617:pf-task:`), []);
  } finally {
    await practice.close();
  }
});

Deno.test("prescriptions: concurrent reorders of one medication make one Task; the per-patient write limit answers 429", async () => {
  const practice = await startPfPractice({
    prescriptionWriteLimit: { limit: 2, windowSeconds: 3600 },
  });
  try {
    const rx = practice.urls["prescriptions-management"];
    const token = await practice.token(patient);
    const post = (focus: string) =>
      practice.call(`${rx}/Task`, token, { method: "POST", body: reorder(focus) });
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const response = await post("2-med-1-plan");
        await response.body?.cancel();
        return response.status;
      }),
    );
    assert.deepEqual(statuses.sort(), [201, 409, 409, 409, 409]);
    assert.equal((await practice.store.list(`provider:B82617:pf-task:${patient}:`)).length, 1);
    assert.equal((await post("2-med-2-plan")).status, 201);
    const limited = await post("2-med-4-plan");
    await expectOutcome(limited, 429, "TOO_MANY_REQUESTS");
    assert.ok(Number(limited.headers.get("Retry-After")) > 0);
  } finally {
    await practice.close();
  }
});

Deno.test("prescriptions: levels enforced at the practice — view reads but cannot reorder, none reads nothing; a proxy has their own levels", async () => {
  const practice = await startPfPractice();
  try {
    const rx = practice.urls["prescriptions-management"];
    const viewer = await practice.token("9690937375");
    assert.equal(
      (await practice.call(`${rx}/Patient/9690937375/MedicationStatement`, viewer)).status,
      200,
    );
    await expectOutcome(
      await practice.call(`${rx}/Task`, viewer, {
        method: "POST",
        body: reorder("5-med-1-plan", { for: { reference: "Patient/9690937375" } }),
      }),
      403,
      "ACCESS_DENIED",
    );
    const none = await practice.token("9690937278");
    await expectOutcome(
      await practice.call(`${rx}/Patient/9690937278/MedicationStatement`, none),
      403,
      "ACCESS_DENIED",
    );
    const proxy = await practice.token(patient, "9690937294");
    assert.equal(
      (await practice.call(`${rx}/Patient/${patient}/MedicationRequest`, proxy)).status,
      200,
    );
    await expectOutcome(
      await practice.call(`${rx}/Task`, proxy, { method: "POST", body: reorder("2-med-1-plan") }),
      403,
      "ACCESS_DENIED",
    );
    assert.deepEqual(await practice.store.list("provider:B82617:pf-task:"), []);
  } finally {
    await practice.close();
  }
});

Deno.test("prescriptions: Tasks live in the provider's KV file and survive a restart", async () => {
  const first = await startPfPractice();
  let dir = first.dir;
  try {
    const token = await first.token(patient);
    const created = await first.call(`${first.urls["prescriptions-management"]}/Task`, token, {
      method: "POST",
      body: reorder("2-med-1-plan"),
    });
    const id = (await created.json()).id;
    await first.close({ keepDir: true });
    const second = await startPfPractice({ dir });
    dir = "";
    try {
      const token2 = await second.token(patient);
      const read = await second.call(
        `${second.urls["prescriptions-management"]}/Task/${id}`,
        token2,
      );
      assert.equal(read.status, 200);
      assert.equal((await read.json()).status, "requested");
      await expectOutcome(
        await second.call(`${second.urls["prescriptions-management"]}/Task`, token2, {
          method: "POST",
          body: reorder("2-med-1-plan"),
        }),
        409,
        "DUPLICATE_REJECTED",
      );
    } finally {
      await second.close();
    }
  } finally {
    if (dir) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
