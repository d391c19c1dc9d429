/**
 * Prescriptions (FHIR R4) and User Permissions through the platform, against the reference
 * practice (B82617) on loopback sockets: the patient's repeat medication, a reorder (201 Task), the
 * practice's 409 DUPLICATE_REJECTED for a second reorder passed through unchanged, a retry with
 * the same X-Request-ID answered with the first Task (R28), a cancel by JSON Patch; gating by the
 * practice's levels (R29: `view` reads and never writes, `none` blocks, each medical record level
 * its sections); the patient in Task.for and ?patient bound to the token (R5); User Permissions'
 * own errors.
 */
import assert from "node:assert/strict";
import {
  platformPaths,
  type PlatformWorld,
  startPlatformWorld,
  structuredParameters,
} from "./testing/platform-world.ts";

const { accessRecord: ar, prescriptions: rx } = platformPaths;

const up = "/gp-connect/patient-facing/user-permissions";
const patient = "9690937286";
const other = "9690937278";
const apimSystem = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";
// deno-lint-ignore no-explicit-any
type Json = any;

function headers(token: string, requestId = crypto.randomUUID(), type = "application/fhir+json") {
  return { Authorization: `Bearer ${token}`, "X-Request-ID": requestId, "Content-Type": type };
}

function reorder(focus: string, forPatient = patient) {
  return JSON.stringify({
    resourceType: "Task",
    status: "requested",
    intent: "order",
    focus: { reference: `MedicationRequest/${focus}` },
    for: { reference: `Patient/${forPatient}` },
  });
}

const cancelPatch = JSON.stringify([{ op: "replace", path: "/status", value: "cancelled" }]);

async function expectOutcome(res: Response, status: number, code: string): Promise<Json> {
  const body: Json = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  assert.equal(body.resourceType, "OperationOutcome");
  const coding = body.issue[0].details.coding[0];
  assert.equal(coding.code, code, JSON.stringify(body));
  return body;
}

async function platformOutcome(res: Response, status: number, code: string): Promise<Json> {
  const body = await expectOutcome(res, status, code);
  assert.equal(body.issue[0].details.coding[0].system, apimSystem);
  return body;
}

/** The patient's repeat plans, from `GET /Patient/{nhs}/MedicationRequest?intent=plan`. */
async function repeatPlans(world: PlatformWorld, token: string): Promise<Json[]> {
  const res = await world.edge(`${rx}/Patient/${patient}/MedicationRequest?intent=plan`, {
    headers: headers(token),
  });
  const bundle: Json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(bundle));
  assert.equal(bundle.resourceType, "Bundle");
  const plans = (bundle.entry ?? []).map((entry: Json) => entry.resource).filter((r: Json) =>
    r.resourceType === "MedicationRequest" && r.intent === "plan" &&
    r.courseOfTherapyType?.coding?.some((c: Json) => c.code === "continuous")
  );
  assert.ok(plans.length > 0, "the patient has a repeat plan");
  return plans;
}

const writesTo = (world: PlatformWorld) =>
  world.practiceCalls("prescriptions-management-fhir").filter((call) =>
    call.method === "POST" || call.method === "PATCH"
  );

Deno.test("R28 R29 the journey on sockets: list repeats, reorder (201), retry → the first Task, second reorder → the practice's 409, cancel by JSON Patch", async () => {
  const world = await startPlatformWorld({ sockets: true });
  try {
    const token = await world.accessToken(patient);
    const [plan] = await repeatPlans(world, token);
    const requestId = crypto.randomUUID();
    const first = await world.edge(`${rx}/Task`, {
      method: "POST",
      headers: headers(token, requestId),
      body: reorder(plan.id),
    });
    const task: Json = await first.json();
    assert.equal(first.status, 201, JSON.stringify(task));
    assert.equal(task.resourceType, "Task");
    assert.equal(task.focus.reference, `MedicationRequest/${plan.id}`);
    assert.equal(first.headers.get("X-Request-ID"), requestId);

    // The same X-Request-ID again: the first answer, and the practice saw one POST.
    const retry = await world.edge(`${rx}/Task`, {
      method: "POST",
      headers: headers(token, requestId),
      body: reorder(plan.id),
    });
    assert.equal(retry.status, 201);
    assert.deepEqual(await retry.json(), task);
    assert.equal(writesTo(world).length, 1);
    const replayed = world.logs.filter((l) => l.type === "audit" && l.replayed === true);
    assert.equal(replayed.length, 1);

    // A new reorder of the same plan while one is open: the practice's 409, unchanged.
    const second = await world.edge(`${rx}/Task`, {
      method: "POST",
      headers: headers(token),
      body: reorder(plan.id),
    });
    await expectOutcome(second, 409, "DUPLICATE_REJECTED");
    assert.equal(writesTo(world).length, 2, "the practice answered the second reorder itself");

    // The patient's Tasks, then the cancel.
    const list = await world.edge(`${rx}/Task?patient=${patient}`, { headers: headers(token) });
    const tasks: Json = await list.json();
    assert.equal(list.status, 200);
    assert.ok(tasks.entry.some((entry: Json) => entry.resource.id === task.id));
    const cancel = await world.edge(`${rx}/Task/${task.id}`, {
      method: "PATCH",
      headers: headers(token, crypto.randomUUID(), "application/json-patch+json"),
      body: cancelPatch,
    });
    const cancelled: Json = await cancel.json();
    assert.equal(cancel.status, 200, JSON.stringify(cancelled));
    assert.equal(cancelled.status, "cancelled");
  } finally {
    await world.close();
  }
});

Deno.test("R28 two identical reorders at once: the practice sees one POST, the other gets 409 or the first Task", async () => {
  const world = await startPlatformWorld({ sockets: true });
  try {
    const token = await world.accessToken(patient);
    const [plan] = await repeatPlans(world, token);
    const requestId = crypto.randomUUID();
    const send = () =>
      world.edge(`${rx}/Task`, {
        method: "POST",
        headers: headers(token, requestId),
        body: reorder(plan.id),
      });
    const answers = await Promise.all([send(), send(), send()]);
    const statuses = answers.map((res) => res.status).sort();
    for (const res of answers) await res.body?.cancel();
    assert.ok(statuses.includes(201), `one created: ${statuses}`);
    assert.ok(statuses.every((status) => status === 201 || status === 409), `${statuses}`);
    assert.equal(writesTo(world).length, 1);
  } finally {
    await world.close();
  }
});

Deno.test("R29 prescriptions view: reads allowed, reorder and cancel 403 ACCESS_DENIED and the practice sees no write", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken(patient);
  const [plan] = await repeatPlans(world, token);
  const created = await world.edge(`${rx}/Task`, {
    method: "POST",
    headers: headers(token),
    body: reorder(plan.id),
  });
  const task: Json = await created.json();
  assert.equal(created.status, 201);
  await world.setPermissions(patient, { prescriptions: "view" });
  const viewer = await world.accessToken(patient); // a new session asks the practice again
  assert.equal((await repeatPlans(world, viewer)).length > 0, true);
  const statements = await world.edge(`${rx}/Patient/${patient}/MedicationStatement`, {
    headers: headers(viewer),
  });
  assert.equal(statements.status, 200);
  await statements.body?.cancel();
  const before = writesTo(world).length;
  const body = await platformOutcome(
    await world.edge(`${rx}/Task`, {
      method: "POST",
      headers: headers(viewer),
      body: reorder(plan.id),
    }),
    403,
    "ACCESS_DENIED",
  );
  assert.match(
    body.issue[0].diagnostics,
    /needs prescriptions access level manage; the practice set view/,
  );
  await platformOutcome(
    await world.edge(`${rx}/Task/${task.id}`, {
      method: "PATCH",
      headers: headers(viewer, crypto.randomUUID(), "application/json-patch+json"),
      body: cancelPatch,
    }),
    403,
    "ACCESS_DENIED",
  );
  assert.equal(writesTo(world).length, before, "no write reached the practice");
});

Deno.test("R29 prescriptions none blocks every Prescriptions route before the practice's endpoint", async () => {
  const world = await startPlatformWorld();
  await world.setPermissions(patient, { prescriptions: "none" });
  const token = await world.accessToken(patient);
  for (
    const path of [
      `/Patient/${patient}/MedicationRequest`,
      `/Patient/${patient}/MedicationStatement`,
      `/MedicationRequest/2-med-1-plan`,
      `/Task?patient=${patient}`,
    ]
  ) {
    await platformOutcome(
      await world.edge(`${rx}${path}`, { headers: headers(token) }),
      403,
      "ACCESS_DENIED",
    );
  }
  assert.equal(world.practiceCalls("prescriptions-management-fhir").length, 0);
  // The levels were asked once for the session.
  assert.equal(world.practiceCalls("user-permissions").length, 1);
});

Deno.test("R29 each medical record level releases exactly its sections and routes of Access Record", async () => {
  const world = await startPlatformWorld({ rateLimits: { perSecond: 1000, perMinute: 1000 } });
  const structured = (token: string, section?: string) =>
    world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
      method: "POST",
      headers: headers(token),
      body: structuredParameters(patient, ...(section ? [section] : [])),
    });
  const levels = ["none", "summary", "detailed", "documents", "full"];
  for (const [rank, level] of levels.entries()) {
    await world.setPermissions(patient, { medicalRecord: level });
    const token = await world.accessToken(patient);
    const cases: Array<[() => Promise<Response>, number]> = [
      [() => structured(token, "includeMedication"), 1],
      [() => structured(token, "includeConsultations"), 2],
      [() => world.edge(`${ar}/documents/Patient/${patient}`, { headers: headers(token) }), 3],
      [() => structured(token, "includeFullRecord"), 4],
    ];
    for (const [index, [send, needed]] of cases.entries()) {
      const before = world.practiceCalls("access-record-fhir").length;
      const res = await send();
      if (rank >= needed) {
        assert.notEqual(res.status, 403, `${level} case ${index}`);
        await res.body?.cancel();
        assert.equal(world.practiceCalls("access-record-fhir").length, before + 1);
      } else {
        await platformOutcome(res, 403, "ACCESS_DENIED");
        assert.equal(world.practiceCalls("access-record-fhir").length, before, `${level} ${index}`);
      }
    }
  }
});

Deno.test("R29 levels are asked once per session with the session's practice token; a failing or nonsensical User Permissions is 502, a refusing one 403", async () => {
  let answer: "practice" | "fail" | "refuse" | "nonsense" = "practice";
  const world = await startPlatformWorld({
    intercept: (request) => {
      if (!new URL(request.url).pathname.includes("/patient-facing/user-permissions/")) return;
      if (answer === "fail") return new Response("<html>down</html>", { status: 500 });
      if (answer === "nonsense") {
        return Response.json({ medicalRecord: { current: { accessLevel: "everything" } } });
      }
      if (answer === "refuse") {
        return Response.json({ resourceType: "OperationOutcome", issue: [] }, { status: 403 });
      }
    },
  });
  const token = await world.accessToken(patient);
  for (let i = 0; i < 3; i++) {
    const res = await world.edge(`${rx}/Patient/${patient}/MedicationStatement`, {
      headers: headers(token),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
  }
  const asked = world.practiceCalls("user-permissions");
  assert.equal(asked.length, 1);
  assert.match(asked[0]!.headers.get("Authorization") ?? "", /^Bearer /);
  const productCall = world.practiceCalls("prescriptions-management-fhir")[0]!;
  assert.equal(asked[0]!.headers.get("Authorization"), productCall.headers.get("Authorization"));
  // Each in a new session (a new token), so User Permissions is asked again.
  const tasksInNewSession = async () =>
    world.edge(`${rx}/Task?patient=${patient}`, {
      headers: headers(await world.accessToken(patient)),
    });
  answer = "fail";
  await platformOutcome(await tasksInNewSession(), 502, "502");
  answer = "nonsense";
  await platformOutcome(await tasksInNewSession(), 502, "502");
  answer = "refuse";
  const before = world.practiceCalls("prescriptions-management-fhir").length;
  await platformOutcome(await tasksInNewSession(), 403, "ACCESS_DENIED");
  assert.equal(world.practiceCalls("prescriptions-management-fhir").length, before);
});

Deno.test("R5 Task.for, ?patient and the path must be the token's patient; a Task without for is 422", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken(patient);
  await platformOutcome(
    await world.edge(`${rx}/Task`, {
      method: "POST",
      headers: headers(token),
      body: reorder("2-med-1-plan", other),
    }),
    403,
    "ACCESS_DENIED",
  );
  await platformOutcome(
    await world.edge(`${rx}/Task`, {
      method: "POST",
      headers: headers(token),
      body: JSON.stringify({ resourceType: "Task", focus: { reference: "MedicationRequest/x" } }),
    }),
    422,
    "INVALID_RESOURCE",
  );
  await platformOutcome(
    await world.edge(`${rx}/Task?patient=${other}`, { headers: headers(token) }),
    403,
    "ACCESS_DENIED",
  );
  await platformOutcome(
    await world.edge(`${rx}/Task`, { headers: headers(token) }),
    422,
    "INVALID_PARAMETER",
  );
  await platformOutcome(
    await world.edge(`${rx}/Patient/${other}/MedicationRequest`, { headers: headers(token) }),
    403,
    "ACCESS_DENIED",
  );
  const upstream = world.upstream.filter((call) => !call.url.includes("jwks"));
  assert.equal(upstream.length, 0, "neither PDS nor the practice asked");
});

Deno.test("R29 User Permissions through the platform: the patient's levels; a bad NHS number 400 INVALID_RESOURCE_ID; another's 403", async () => {
  const world = await startPlatformWorld();
  await world.setPermissions(patient, { medicalRecord: "detailed", prescriptions: "view" });
  const token = await world.accessToken(patient);
  const res = await world.edge(`${up}/Patient/${patient}`, { headers: headers(token) });
  const body: Json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.medicalRecord.current.accessLevel, "detailed");
  assert.equal(body.prescriptions.accessLevel, "view");
  await platformOutcome(
    await world.edge(`${up}/Patient/9690937287`, { headers: headers(token) }),
    400,
    "INVALID_RESOURCE_ID",
  );
  await platformOutcome(
    await world.edge(`${up}/Patient/${other}`, { headers: headers(token) }),
    403,
    "ACCESS_DENIED",
  );
});

Deno.test("R5 API3 a JSON Patch may only replace /status: anything else is 422 before the practice", async () => {
  const world = await startPlatformWorld();
  const token = await world.accessToken(patient);
  for (
    const patch of [
      [{ op: "replace", path: "/for", value: { reference: `Patient/${other}` } }],
      [{ op: "replace", path: "/status", value: "cancelled" }, { op: "remove", path: "/note" }],
      [{ op: "add", path: "/status", value: "cancelled" }],
      [],
      { op: "replace", path: "/status", value: "cancelled" },
    ]
  ) {
    await platformOutcome(
      await world.edge(`${rx}/Task/some-task`, {
        method: "PATCH",
        headers: headers(token, crypto.randomUUID(), "application/json-patch+json"),
        body: JSON.stringify(patch),
      }),
      422,
      "INVALID_RESOURCE",
    );
  }
  assert.equal(world.practiceCalls("").length, 0, "nothing reached the practice");
});
