/**
 * SDS records as FHIR R4 resources and the searchset Bundle around them (reference pds-sds.md
 * §2.3; SDS `fhir_json_mapper.py`, spec examples `Endpoint.json`, `Device.json`). Resource ids are
 * fresh UUIDs per call, as the real API's are.
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import type { AsRecord, MhsRecord } from "./sds-records.ts";

const structureDefinition = "https://fhir.nhs.uk/StructureDefinition";

/** Extension URLs SDS uses. */
export const sdsExtensionUrls = {
  reliability: `${structureDefinition}/Extension-SDS-ReliabilityConfiguration`,
  interaction: `${structureDefinition}/Extension-SDS-NhsServiceInteractionId`,
  manufacturer: `${structureDefinition}/Extension-SDS-ManufacturingOrganisation`,
} as const;

function interactionExtension(interactionId: string): Record<string, unknown> {
  return {
    url: sdsExtensionUrls.interaction,
    valueReference: {
      identifier: { system: identifierSystems.serviceInteractionId, value: interactionId },
    },
  };
}

function odsReference(odsCode: string): Record<string, unknown> {
  return { identifier: { system: identifierSystems.odsOrganizationCode, value: odsCode } };
}

/** An MHS record as an `Endpoint`. */
export function endpointResource(record: MhsRecord, id: string): Record<string, unknown> {
  const reliability = Object.entries(record.reliability).map(([url, value]) =>
    typeof value === "number" ? { url, valueInteger: value } : { url, valueString: value }
  );
  return {
    resourceType: "Endpoint",
    id,
    status: "active",
    connectionType: {
      system: "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
      code: "hl7-fhir-msg",
      display: "HL7 FHIR Messaging",
    },
    payloadType: [{
      coding: [{
        system: "http://terminology.hl7.org/CodeSystem/endpoint-payload-type",
        code: "any",
        display: "Any",
      }],
    }],
    address: record.address,
    managingOrganization: odsReference(record.odsCode),
    identifier: [
      { system: identifierSystems.mhsFqdn, value: record.fqdn },
      { system: identifierSystems.mhsPartyKey, value: record.partyKey },
      { system: identifierSystems.mhsCpaId, value: record.cpaId },
      { system: identifierSystems.mhsId, value: record.mhsId },
    ],
    extension: [
      ...(reliability.length === 0
        ? []
        : [{ url: sdsExtensionUrls.reliability, extension: reliability }]),
      ...record.interactions.map(interactionExtension),
    ],
  };
}

/** An AS record as a `Device`. */
export function deviceResource(record: AsRecord, id: string): Record<string, unknown> {
  return {
    resourceType: "Device",
    id,
    extension: [
      {
        url: sdsExtensionUrls.manufacturer,
        valueReference: odsReference(record.manufacturerOdsCode),
      },
      ...record.interactions.map(interactionExtension),
    ],
    identifier: [
      { system: identifierSystems.spineAsid, value: record.asid },
      ...(record.partyKey === undefined
        ? []
        : [{ system: identifierSystems.mhsPartyKey, value: record.partyKey }]),
    ],
    owner: odsReference(record.odsCode),
  };
}

/**
 * A searchset Bundle: `total`, a `self` link with the full request URL (unquoted), each entry's
 * `fullUrl` = `<base>/<id>` and `search.mode` `match`.
 *
 * @example
 * ```ts
 * searchsetBundle([], "http://127.0.0.1:8082/Endpoint", "http://127.0.0.1:8082/Endpoint?…", crypto.randomUUID());
 * ```
 */
export function searchsetBundle(
  resources: readonly Record<string, unknown>[],
  resourceBaseUrl: string,
  selfUrl: string,
  id: string,
): Record<string, unknown> {
  return {
    resourceType: "Bundle",
    id,
    type: "searchset",
    total: resources.length,
    link: [{ relation: "self", url: selfUrl }],
    entry: resources.map((resource) => ({
      fullUrl: `${resourceBaseUrl}/${String(resource.id)}`,
      resource,
      search: { mode: "match" },
    })),
  };
}
