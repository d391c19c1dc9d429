import assert from "node:assert/strict";
import { fhirJsonToXml } from "../../../gpconnect/xml.ts";
import { fhirXmlToJson } from "./appointment-xml.ts";

const appointment = {
  resourceType: "Appointment",
  id: "9",
  meta: {
    versionId: "2",
    profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"],
  },
  contained: [{
    resourceType: "Organization",
    id: "1",
    identifier: [{ system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "A00001" }],
    type: [{
      coding: [{
        system: "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1",
        code: "gp-practice",
      }],
    }],
    name: "Test & <Organization>",
    telecom: [{ system: "phone", value: "0300 303 5678" }],
  }],
  extension: [
    {
      url: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1",
      valueReference: { reference: "#1" },
    },
    {
      url: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2",
      valueCode: "In-person",
    },
  ],
  status: "booked",
  serviceCategory: { text: "General GP Appointments" },
  serviceType: [{ text: "General GP Appointment" }],
  priority: 1,
  description: 'Line one\nline "two"',
  start: "2025-01-16T09:00:00+00:00",
  end: "2025-01-16T09:15:00+00:00",
  slot: [{ reference: "Slot/20104100" }],
  created: "2025-01-15T09:59:00+00:00",
  participant: [
    {
      type: [{ coding: [{ system: "http://hl7.org/fhir/v3/ParticipationType", code: "PART" }] }],
      actor: { reference: "Patient/1" },
      status: "accepted",
    },
    { actor: { reference: "Location/1" }, status: "accepted" },
  ],
};

Deno.test("appointment-xml: reads back what fhirJsonToXml writes", () => {
  assert.deepEqual(fhirXmlToJson(fhirJsonToXml(appointment)), appointment);
});

Deno.test("appointment-xml: declarations, comments, whitespace and entities", () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
    <!-- a booking -->
    <Appointment xmlns="http://hl7.org/fhir">
      <status value='booked' />
      <description value="A &amp; B &#x41;&#66;"/>
      <slot><reference value="Slot/1"/></slot>
    </Appointment>`;
  assert.deepEqual(fhirXmlToJson(xml), {
    resourceType: "Appointment",
    status: "booked",
    description: "A & B AB",
    slot: [{ reference: "Slot/1" }],
  });
});

Deno.test("appointment-xml: rejects what is not well-formed FHIR XML", () => {
  const bad = [
    "",
    "not xml",
    '<Appointment><status value="booked"></Appointment>',
    '<Appointment><status value="booked"/></Other>',
    "<Appointment/><Appointment/>",
    "<Appointment>text</Appointment>",
    '<Appointment><status value="a"/><status value="b"/></Appointment>',
    '<Appointment><description value="&nbsp;"/></Appointment>',
  ];
  for (const text of bad) assert.throws(() => fhirXmlToJson(text), SyntaxError, text);
});
