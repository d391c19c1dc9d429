/**
 * End to end on real loopback sockets: NHS login, PDS, SDS, the reference practice (with its
 * patient-facing side) and gpc-edge's platform, each its own server. The issue's "done when".
 */
import assert from "node:assert/strict";
import {
  bookingFor,
  dayOffset,
  slotQuery,
} from "../../sandbox/provider/appointments/appointments-test-kit.ts";
import { platformPaths, startPlatformWorld } from "./testing/platform-world.ts";

const { accessRecord: ar, appointments: am } = platformPaths;

// deno-lint-ignore no-explicit-any
type Json = any;

function headers(token: string, extra: Record<string, string> = {}) {
  return {
    Authorization: `Bearer ${token}`,
    "X-Request-ID": crypto.randomUUID(),
    Accept: "application/fhir+json",
    "Content-Type": "application/fhir+json",
    ...extra,
  };
}

function structuredRequest(nhsNumber: string) {
  return JSON.stringify({
    resourceType: "Parameters",
    parameter: [
      {
        name: "patientNHSNumber",
        valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhsNumber },
      },
      {
        name: "includeAllergies",
        part: [{ name: "includeResolvedAllergies", valueBoolean: true }],
      },
    ],
  });
}

Deno.test("e2e R1 R4 R5 R7: structured record for the token's patient; another patient 403 without upstream calls; P5 401", async () => {
  const world = await startPlatformWorld({ sockets: true });
  try {
    const token = await world.accessToken("9690937286");
    const requestId = crypto.randomUUID();
    const res = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
      method: "POST",
      headers: headers(token, { "X-Request-ID": requestId, "X-Correlation-ID": "corr-1" }),
      body: structuredRequest("9690937286"),
    });
    const body: Json = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.resourceType, "Bundle");
    assert.equal(body.id, requestId);
    assert.equal(res.headers.get("X-Request-ID"), requestId);
    assert.equal(res.headers.get("X-Correlation-ID"), "corr-1");
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    const patient = body.entry.find((e: Json) => e.resource.resourceType === "Patient").resource;
    assert.equal(patient.identifier[0].value, "9690937286");

    const before = world.upstream.length;
    const other = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
      method: "POST",
      headers: headers(token),
      body: structuredRequest("9690937294"),
    });
    assert.equal(other.status, 403);
    const outcome: Json = await other.json();
    assert.equal(outcome.issue[0].details.coding[0].code, "ACCESS_DENIED");
    assert.equal(world.upstream.length, before, "PDS and the provider see no request");

    const p5 = await world.accessToken("9690937286", { identity_proofing_level: "P5" });
    const refused = await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, {
      method: "POST",
      headers: headers(p5),
      body: structuredRequest("9690937286"),
    });
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).issue[0].details.coding[0].code, "ACCESS_DENIED");
    assert.equal(world.upstream.length, before);
  } finally {
    await world.close();
  }
});

Deno.test("e2e: book, read, list and cancel an appointment through the patient-facing route", async () => {
  const world = await startPlatformWorld({ sockets: true });
  try {
    const nhs = "9690937278";
    const token = await world.accessToken(nhs);
    const now = new Date();
    const slotsRes = await world.edge(
      `${am}${slotQuery(dayOffset(now, 1), dayOffset(now, 14))}`,
      { headers: headers(token) },
    );
    const slots: Json = await slotsRes.json();
    assert.equal(slotsRes.status, 200, JSON.stringify(slots));
    const booking = bookingFor(slots, { patientId: nhs });
    const booked = await world.edge(`${am}/Appointment`, {
      method: "POST",
      headers: headers(token),
      body: JSON.stringify(booking),
    });
    const appointment: Json = await booked.json();
    assert.equal(booked.status, 201, JSON.stringify(appointment));
    assert.ok(
      appointment.participant.some((p: Json) => p.actor.reference === `Patient/${nhs}`),
      "the practice answers in NHS numbers",
    );
    const read = await world.edge(`${am}/Appointment/${appointment.id}`, {
      headers: headers(token),
    });
    assert.equal(read.status, 200);
    const list = await world.edge(
      `${am}/Patient/${nhs}/Appointment?start=ge${dayOffset(now, 0)}&start=le${dayOffset(now, 20)}`,
      { headers: headers(token) },
    );
    const listed: Json = await list.json();
    assert.equal(list.status, 200, JSON.stringify(listed));
    assert.ok(listed.entry.some((e: Json) => e.resource.id === appointment.id));

    const someoneElse = await world.accessToken("9690937286");
    const foreign = await world.edge(`${am}/Appointment/${appointment.id}`, {
      headers: headers(someoneElse),
    });
    assert.equal(foreign.status, 404, "another patient's appointment is not found");

    const cancel = {
      ...appointment,
      status: "cancelled",
      extension: [
        ...appointment.extension,
        {
          url:
            "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1",
          valueString: "No longer needed",
        },
      ],
    };
    const cancelled = await world.edge(`${am}/Appointment/${appointment.id}`, {
      method: "PUT",
      headers: headers(token),
      body: JSON.stringify(cancel),
    });
    const cancelledBody: Json = await cancelled.json();
    assert.equal(cancelled.status, 200, JSON.stringify(cancelledBody));
    assert.equal(cancelledBody.status, "cancelled");
  } finally {
    await world.close();
  }
});
