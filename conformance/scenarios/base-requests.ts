/**
 * A minimal well-formed request per interaction of the catalogue: the base every systematic
 * negative mutates. Built in (not taken from the YAML) so the generated set does not change when a
 * hand-written scenario is edited.
 *
 * Bases of interactions that need a logical id only a flow can find (a practitioner,
 * organisation or location found by a search, an appointment, a Binary id found through a
 * document search) or that would change the provider's data name something that does not exist
 * or cannot be registered: `succeeds` is then `false`, and only negatives are
 * generated for them. Such a base is rejected by its business rules at the latest, so even a
 * provider that ignores the defect under test changes nothing (an unknown slot cannot be booked,
 * an already registered patient cannot be registered again).
 *
 * @module
 */
import { identifierSystems as systems } from "../../gpconnect/identifier-systems.ts";
import { fhirMediaType } from "../../gpconnect/media-type.ts";
import type { Mutation, RequestTemplate } from "../model.ts";
import { catalogue, type CatalogueInteraction } from "./catalogue.ts";

/** The base request of one interaction. */
export interface BaseRequest {
  readonly interaction: CatalogueInteraction;
  readonly request: RequestTemplate;
  /** Mutations every request of this interaction needs (e.g. migrate's requesting organisation). */
  readonly mutations: readonly Mutation[];
  /** Whether the base request succeeds against a conformant provider holding the fixture data. */
  readonly succeeds: boolean;
  /** HTTP status of success. */
  readonly successStatus: number;
  /** The request naming another NHS number, for interactions that take one. */
  readonly withNhsNumber?: (nhsNumber: string) => RequestTemplate;
}

/** A logical id no provider holds (well formed: `[A-Za-z0-9\-\.]{1,64}`). */
export const unknownId = "00000000-0000-4000-8000-000000000000";

/** The DSTU2 care record section value set (GPC-0.7 `$gpc.getcarerecord`). */
const recordSectionSystem = "http://fhir.nhs.net/ValueSet/gpconnect-record-section-1";

/** The test pack's practitioner1 (`Data/PractitionerCodeMap.csv`). */
export const practitioner1SdsUserId = "G13579135";

/** The includes a document search MUST send (GPC-1.6 search patient documents). */
export const documentIncludes = "_include=DocumentReference:subject:Patient" +
  "&_include=DocumentReference:custodian:Organization" +
  "&_include=DocumentReference:author:Organization" +
  "&_include=DocumentReference:author:Practitioner" +
  "&_revinclude:recurse=PractitionerRole:practitioner";

/** `patientNHSNumber` of the structured operations. */
export function structuredNhsParameter(nhsNumber: string): Record<string, unknown> {
  return {
    name: "patientNHSNumber",
    valueIdentifier: { system: systems.nhsNumber, value: nhsNumber },
  };
}

/** A `$gpc.getcarerecord` body for a section (DSTU2 Parameters). */
export function careRecordBody(
  nhsNumber: string,
  section: string,
  timePeriod?: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return {
    resourceType: "Parameters",
    parameter: [
      {
        name: "patientNHSNumber",
        valueIdentifier: { system: systems.nhsNumberDstu2, value: nhsNumber },
      },
      {
        name: "recordSection",
        valueCodeableConcept: { coding: [{ system: recordSectionSystem, code: section }] },
      },
      ...(timePeriod ? [{ name: "timePeriod", valuePeriod: timePeriod }] : []),
    ],
  };
}

/** The requesting organisation of a migration: the patient's registered practice (`{odsCode}`). */
export const registeredPracticeOrganization = {
  resourceType: "Organization",
  identifier: [{ system: systems.odsOrganizationCode, value: "{odsCode}" }],
  name: "Registered practice of the patient",
};

const jsonBody = { "Content-Type": fhirMediaType("STU3", "json") };

/** An Appointment for a slot that does not exist (for negatives of book, amend and cancel). */
function unbookableAppointment(id?: string): Record<string, unknown> {
  return {
    resourceType: "Appointment",
    ...(id === undefined ? {} : { id }),
    meta: { profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"] },
    contained: [{
      resourceType: "Organization",
      id: "1",
      identifier: [{ system: systems.odsOrganizationCode, value: "A20047" }],
      name: "gpc-edge conformance harness",
      telecom: [{ system: "phone", value: "01823938938", use: "temp" }],
    }],
    extension: [{
      url: "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1",
      valueReference: { reference: "#1" },
    }],
    status: "booked",
    description: "Conformance harness negative test",
    start: "{today+1}T09:00:00+00:00",
    end: "{today+1}T09:15:00+00:00",
    slot: [{ reference: `Slot/${unknownId}` }],
    created: "{now}",
    participant: [
      { actor: { reference: "Patient/{patientId}" }, status: "accepted" },
      { actor: { reference: `Location/${unknownId}` }, status: "accepted" },
    ],
  };
}

/** A register body for the `no-allergies` patient, who is already registered (→ 409). */
function registerBody(nhsNumber: string): Record<string, unknown> {
  return {
    resourceType: "Parameters",
    parameter: [{
      name: "registerPatient",
      resource: {
        resourceType: "Patient",
        identifier: [{ system: systems.nhsNumber, value: nhsNumber }],
        name: [{ use: "official", family: "SAMUAL", given: ["Lucien"], prefix: ["Mr"] }],
        gender: "male",
        birthDate: "1938-04-12",
      },
    }],
  };
}

type Builder = Omit<BaseRequest, "interaction" | "mutations" | "succeeds" | "successStatus"> & {
  readonly mutations?: readonly Mutation[];
  readonly succeeds?: boolean;
  readonly successStatus?: number;
};

function get(interaction: string, path: string, patientRole?: string): RequestTemplate {
  return { interaction, path, ...(patientRole ? { patientRole } : {}) };
}

function post(interaction: string, path: string, body: unknown, role?: string): RequestTemplate {
  return { interaction, path, headers: jsonBody, body, ...(role ? { patientRole: role } : {}) };
}

/** Amend and cancel share verb and path: a PUT of an appointment that does not exist. */
function putUnknownAppointment(id: string): Builder {
  return {
    request: {
      ...post(id, `/Appointment/${unknownId}`, unbookableAppointment(unknownId), "no-allergies"),
      method: "PUT",
    },
    succeeds: false,
  };
}

const builders: Readonly<Record<string, (id: string) => Builder>> = {
  "read-metadata": (id) => ({ request: get(id, "/metadata") }),
  "read-patient": (id) => ({ request: get(id, "/Patient/{patientId}", "rich-record") }),
  "search-patient": (id) => ({
    request: get(id, `/Patient?identifier=${systems.nhsNumber}|{nhsNumber}`, "rich-record"),
    withNhsNumber: (nhs) => get(id, `/Patient?identifier=${systems.nhsNumber}|${nhs}`),
  }),
  "read-practitioner": (id) => ({
    request: get(id, `/Practitioner/${unknownId}`),
    succeeds: false,
  }),
  "search-practitioner": (id) => ({
    request: get(id, `/Practitioner?identifier=${systems.sdsUserId}|${practitioner1SdsUserId}`),
  }),
  "read-organization": (id) => ({
    request: get(id, `/Organization/${unknownId}`),
    succeeds: false,
  }),
  "search-organization": (id) => ({
    request: get(id, `/Organization?identifier=${systems.odsOrganizationCode}|{odsCode}`),
  }),
  "read-location": (id) => ({ request: get(id, `/Location/${unknownId}`), succeeds: false }),
  "register-patient": (id) => ({
    request: post(id, "/Patient/$gpc.registerpatient", registerBody("{nhsNumber}"), "no-allergies"),
    withNhsNumber: (nhs) => post(id, "/Patient/$gpc.registerpatient", registerBody(nhs)),
    succeeds: false,
  }),
  "search-slots": (id) => ({
    request: get(id, "/Slot?start=ge{today+1}&end=le{today+7}&status=free&_include=Slot:schedule"),
  }),
  "book-appointment": (id) => ({
    request: post(id, "/Appointment", unbookableAppointment(), "no-allergies"),
    succeeds: false,
    successStatus: 201,
  }),
  "read-appointment": (id) => ({ request: get(id, `/Appointment/${unknownId}`), succeeds: false }),
  "search-patient-appointments": (id) => ({
    request: get(
      id,
      "/Patient/{patientId}/Appointment?start=ge{today}&start=le{today+14}",
      "rich-record",
    ),
  }),
  "amend-appointment": putUnknownAppointment,
  "cancel-appointment": putUnknownAppointment,
  "structured-metadata": (id) => ({ request: get(id, "/metadata") }),
  "get-structured-record": (id) => {
    const body = (nhs: string) => ({
      resourceType: "Parameters",
      parameter: [structuredNhsParameter(nhs), {
        name: "includeAllergies",
        part: [{ name: "includeResolvedAllergies", valueBoolean: false }],
      }],
    });
    const path = "/Patient/$gpc.getstructuredrecord";
    return {
      request: post(id, path, body("{nhsNumber}"), "rich-record"),
      withNhsNumber: (nhs) => post(id, path, body(nhs)),
    };
  },
  "migrate-structured-record": (id) => {
    const body = (nhs: string) => ({
      resourceType: "Parameters",
      parameter: [structuredNhsParameter(nhs), {
        name: "includeFullRecord",
        part: [{ name: "includeSensitiveInformation", valueBoolean: false }],
      }],
    });
    const path = "/Patient/$gpc.migratestructuredrecord";
    return {
      request: post(id, path, body("{nhsNumber}"), "rich-record"),
      withNhsNumber: (nhs) => post(id, path, body(nhs)),
      mutations: [{
        kind: "set-claim",
        claim: "requesting_organization",
        value: registeredPracticeOrganization,
      }],
    };
  },
  "documents-metadata": (id) => ({ request: get(id, "/metadata") }),
  "documents-search-patient": (id) => ({
    request: get(id, `/Patient?identifier=${systems.nhsNumber}|{nhsNumber}`, "rich-record"),
    withNhsNumber: (nhs) => get(id, `/Patient?identifier=${systems.nhsNumber}|${nhs}`),
  }),
  "search-documents": (id) => ({
    request: get(id, `/Patient/{patientId}/DocumentReference?${documentIncludes}`, "rich-record"),
  }),
  "retrieve-document": (id) => ({ request: get(id, `/Binary/${unknownId}`), succeeds: false }),
  "migrate-document": (id) => ({ request: get(id, `/Binary/${unknownId}`), succeeds: false }),
  "html-metadata": (id) => ({ request: get(id, "/metadata") }),
  "get-care-record": (id) => {
    const path = "/Patient/$gpc.getcarerecord";
    const headers = { "Content-Type": fhirMediaType("DSTU2", "json") };
    return {
      request: {
        interaction: id,
        path,
        headers,
        body: careRecordBody("{nhsNumber}", "SUM"),
        patientRole: "rich-record",
      },
      withNhsNumber: (nhs) => ({
        interaction: id,
        path,
        headers,
        body: careRecordBody(nhs, "SUM"),
      }),
    };
  },
};

/**
 * The base request of an interaction.
 *
 * @example
 * ```ts
 * import { requireInteraction } from "./catalogue.ts";
 *
 * baseRequest(requireInteraction("search-patient")).request.path;
 * // "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}"
 * ```
 */
export function baseRequest(interaction: CatalogueInteraction): BaseRequest {
  const builder = builders[interaction.shortName];
  if (!builder) throw new Error(`No base request for ${interaction.shortName}`);
  const built = builder(interaction.id);
  return {
    interaction,
    request: built.request,
    mutations: built.mutations ?? [],
    succeeds: built.succeeds ?? true,
    successStatus: built.successStatus ?? 200,
    ...(built.withNhsNumber ? { withNhsNumber: built.withNhsNumber } : {}),
  };
}

/** The base request of every interaction, in catalogue order. */
export function baseRequests(): BaseRequest[] {
  return catalogue.map(baseRequest);
}
