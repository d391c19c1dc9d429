/**
 * Every interaction of the catalogue through gpc-edge's SSP route to the reference provider, over
 * real loopback HTTP, for the fixture patients: the "done when" of the reference provider.
 */
import assert from "node:assert/strict";
import { sspRequestInit, type SspRequestOptions } from "../client/ssp-request.ts";
import type { Logger } from "../worker/deno.ts";
import { bookingFor } from "./provider/appointments/appointments-test-kit.ts";
import { patientByRole } from "./pds/fixture-patients.ts";
import { type RunningWorld, startWorld } from "./world.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const urn = (suffix: string) => `urn:nhs:names:services:gpconnect:${suffix}`;
const silent: Logger = { log() {} };

interface Call {
  readonly interaction: string;
  readonly root: "fhir" | "structured/fhir" | "documents/fhir" | "dstu2";
  readonly path: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly options?: Partial<SspRequestOptions>;
}

async function call(
  world: RunningWorld,
  request: Call,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const providerRoot = request.root === "dstu2"
    ? `${world.providerUrl}/B82617/DSTU2/0/gpconnect`
    : `${world.providerUrl}/B82617/STU3/1/gpconnect/${request.root}`;
  const { url, headers } = sspRequestInit({
    sspBaseUrl: world.edgeUrl,
    providerRoot,
    fhirPath: request.path,
    interactionId: urn(request.interaction),
    ...request.options,
  });
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  const response = await fetch(url, {
    method: request.method ?? "GET",
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : JSON.parse(text),
    headers: response.headers,
  };
}

const parameters = (...parameter: unknown[]) => ({ resourceType: "Parameters", parameter });
const nhsParameter = (nhs: string) => ({
  name: "patientNHSNumber",
  valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhs },
});
const resources = (bundle: Json, type: string): Json[] =>
  (bundle.entry ?? []).map((entry: Json) => entry.resource).filter((resource: Json) =>
    resource.resourceType === type
  );

Deno.test("through the SSP: every interaction of the catalogue answers for the fixture patients", async () => {
  const world = await startWorld({
    ports: { edge: 0, pds: 0, sds: 0, provider: 0 },
    dataDir: ":memory:",
    logger: silent,
  });
  try {
    // Foundations
    for (const root of ["fhir", "structured/fhir", "documents/fhir"] as const) {
      const prefix = root === "fhir" ? "" : `${root.split("/")[0]}:`;
      const metadata = await call(world, {
        interaction: `${prefix}fhir:rest:read:metadata-1`,
        root,
        path: "/metadata",
      });
      assert.equal(metadata.status, 200, root);
      assert.equal(metadata.body.resourceType, "CapabilityStatement");
    }
    const rich = patientByRole("rich-record").nhsNumber;
    const search = await call(world, {
      interaction: "fhir:rest:search:patient-1",
      root: "fhir",
      path: `/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${rich}`,
    });
    assert.equal(search.status, 200);
    const patientId = resources(search.body, "Patient")[0]!.id;
    const read = await call(world, {
      interaction: "fhir:rest:read:patient-1",
      root: "fhir",
      path: `/Patient/${patientId}`,
    });
    assert.equal(read.status, 200);
    assert.match(read.headers.get("etag") ?? "", /^W\/"\d+"$/);
    for (
      const [interaction, path, type] of [
        ["fhir:rest:read:practitioner-1", "/Practitioner/1", "Practitioner"],
        [
          "fhir:rest:search:practitioner-1",
          "/Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id|G13579135",
          "Bundle",
        ],
        ["fhir:rest:read:organization-1", "/Organization/1", "Organization"],
        [
          "fhir:rest:search:organization-1",
          "/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|B82617",
          "Bundle",
        ],
        ["fhir:rest:read:location-1", "/Location/1", "Location"],
      ] as const
    ) {
      const answer = await call(world, { interaction, root: "fhir", path });
      assert.equal(answer.status, 200, interaction);
      assert.equal(answer.body.resourceType, type, interaction);
    }

    // Register a patient of another practice as temporary, then book, amend and cancel for them.
    const visitor = patientByRole("registered-other-practice");
    assert.ok(visitor.name);
    const registered = await call(world, {
      interaction: "fhir:operation:gpc.registerpatient-1",
      root: "fhir",
      path: "/Patient/$gpc.registerpatient",
      method: "POST",
      body: parameters({
        name: "registerPatient",
        resource: {
          resourceType: "Patient",
          identifier: [{ system: "https://fhir.nhs.uk/Id/nhs-number", value: visitor.nhsNumber }],
          name: [{ use: "official", family: visitor.name!.family, given: visitor.name!.given }],
          gender: visitor.gender,
          birthDate: visitor.birthDate,
        },
      }),
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const visitorId = resources(registered.body, "Patient")[0]!.id;

    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const slots = await call(world, {
      interaction: "fhir:rest:search:slot-1",
      root: "fhir",
      path: `/Slot?start=ge${day(1)}T00:00:00+00:00&end=le${
        day(8)
      }T23:59:59+00:00&status=free&_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner&_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization`,
    });
    assert.equal(slots.status, 200);
    assert.ok(resources(slots.body, "Slot").length > 0);
    const booked = await call(world, {
      interaction: "fhir:rest:create:appointment-1",
      root: "fhir",
      path: "/Appointment",
      method: "POST",
      body: bookingFor(slots.body, { patientId: visitorId }),
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const again = await call(world, {
      interaction: "fhir:rest:create:appointment-1",
      root: "fhir",
      path: "/Appointment",
      method: "POST",
      body: bookingFor(slots.body, { patientId: visitorId }),
    });
    assert.equal(again.status, 409, "the slot is taken");
    const appointmentId = booked.body.id;
    const appointment = await call(world, {
      interaction: "fhir:rest:read:appointment-1",
      root: "fhir",
      path: `/Appointment/${appointmentId}`,
    });
    assert.equal(appointment.status, 200);
    const listed = await call(world, {
      interaction: "fhir:rest:search:patient_appointments-1",
      root: "fhir",
      path: `/Patient/${visitorId}/Appointment?start=ge${day(0)}&start=le${day(14)}`,
    });
    assert.equal(resources(listed.body, "Appointment").length, 1);
    const amended = await call(world, {
      interaction: "fhir:rest:update:appointment-1",
      root: "fhir",
      path: `/Appointment/${appointmentId}`,
      method: "PUT",
      headers: { "If-Match": appointment.headers.get("etag")! },
      body: { ...appointment.body, description: "Amended description" },
    });
    assert.equal(amended.status, 200, JSON.stringify(amended.body));
    const cancelled = await call(world, {
      interaction: "fhir:rest:cancel:appointment-1",
      root: "fhir",
      path: `/Appointment/${appointmentId}`,
      method: "PUT",
      headers: { "If-Match": amended.headers.get("etag")! },
      body: {
        ...amended.body,
        status: "cancelled",
        extension: [
          ...(amended.body.extension ?? []),
          {
            url:
              "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1",
            valueString: "Patient asked",
          },
        ],
      },
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, "cancelled");

    // Access Record Structured
    const structured = await call(world, {
      interaction: "fhir:operation:gpc.getstructuredrecord-1",
      root: "structured/fhir",
      path: "/Patient/$gpc.getstructuredrecord",
      method: "POST",
      body: parameters(
        nhsParameter(rich),
        {
          name: "includeAllergies",
          part: [{ name: "includeResolvedAllergies", valueBoolean: true }],
        },
        { name: "includeMedication" },
      ),
    });
    assert.equal(structured.status, 200);
    assert.equal(structured.body.type, "collection");
    assert.ok(resources(structured.body, "AllergyIntolerance").length > 0);
    assert.ok(resources(structured.body, "MedicationStatement").length > 0);
    const migrated = await call(world, {
      interaction: "fhir:operation:gpc.migratestructuredrecord-1",
      root: "structured/fhir",
      path: "/Patient/$gpc.migratestructuredrecord",
      method: "POST",
      body: parameters(nhsParameter(rich), {
        name: "includeFullRecord",
        part: [{ name: "includeSensitiveInformation", valueBoolean: false }],
      }),
      options: { jwt: { requestingOdsCode: "B82617" } },
    });
    assert.equal(migrated.status, 200, JSON.stringify(migrated.body));
    for (
      const [nhs, status, code] of [["9999999999", 404, "PATIENT_NOT_FOUND"], [
        "9690937279",
        400,
        "INVALID_NHS_NUMBER",
      ]] as const
    ) {
      const refused = await call(world, {
        interaction: "fhir:operation:gpc.getstructuredrecord-1",
        root: "structured/fhir",
        path: "/Patient/$gpc.getstructuredrecord",
        method: "POST",
        body: parameters(nhsParameter(nhs)),
      });
      assert.equal(refused.status, status, nhs);
      assert.equal(refused.body.issue[0].details.coding[0].code, code, nhs);
    }

    // Access Document
    const documentPatients = await call(world, {
      interaction: "documents:fhir:rest:search:patient-1",
      root: "documents/fhir",
      path: `/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${rich}`,
    });
    const documentPatientId = resources(documentPatients.body, "Patient")[0]!.id;
    const documents = await call(world, {
      interaction: "documents:fhir:rest:search:documentreference-1",
      root: "documents/fhir",
      path:
        `/Patient/${documentPatientId}/DocumentReference?_include=DocumentReference:subject:Patient&_include=DocumentReference:custodian:Organization&_include=DocumentReference:author:Organization&_include=DocumentReference:author:Practitioner&_revinclude:recurse=PractitionerRole:practitioner`,
    });
    assert.equal(documents.status, 200);
    const attachmentUrl: string | undefined = resources(documents.body, "DocumentReference")
      .map((reference) => reference.content?.[0]?.attachment?.url)
      .find((url: string | undefined) => url !== undefined);
    assert.ok(attachmentUrl);
    const binaryPath = attachmentUrl.slice(
      `${world.providerUrl}/B82617/STU3/1/gpconnect/documents/fhir`.length,
    );
    for (
      const interaction of [
        "documents:fhir:rest:read:binary-1",
        "documents:fhir:rest:migrate:binary-1",
      ]
    ) {
      const binary = await call(world, { interaction, root: "documents/fhir", path: binaryPath });
      assert.equal(binary.status, 200, interaction);
      assert.equal(binary.body.resourceType, "Binary");
    }

    // Access Record HTML (DSTU2)
    const conformance = await call(world, {
      interaction: "fhir:rest:read:metadata",
      root: "dstu2",
      path: "/metadata",
    });
    assert.equal(conformance.status, 200);
    assert.equal(conformance.body.resourceType, "Conformance");
    const summary = await call(world, {
      interaction: "fhir:operation:gpc.getcarerecord",
      root: "dstu2",
      path: "/Patient/$gpc.getcarerecord",
      method: "POST",
      body: parameters(
        {
          name: "patientNHSNumber",
          valueIdentifier: { system: "http://fhir.nhs.net/Id/nhs-number", value: rich },
        },
        {
          name: "recordSection",
          valueCodeableConcept: {
            coding: [{
              system: "http://fhir.nhs.net/ValueSet/gpconnect-record-section-1",
              code: "SUM",
            }],
          },
        },
      ),
      options: { nhsNumber: rich },
    });
    assert.equal(summary.status, 200, JSON.stringify(summary.body));
    assert.equal(summary.body.entry[0].resource.resourceType, "Composition");
    assert.match(summary.body.entry[0].resource.section[0].text.div, /<div/);
  } finally {
    await world.close();
  }
});
