/**
 * SDS FHIR query parameters (reference pds-sds.md §2.2; SDS `base_handler.py`,
 * `routing_reliability_handler.py`, `accredited_system_handler.py`): every value is
 * `<system>|<value>`; `identifier` repeats; an unknown parameter name, or a value whose system
 * prefix is not allowed for that parameter, is a 400; per system the last non-blank value wins,
 * whitespace stripped. `/Endpoint` needs one of the documented combinations; `/Device` needs
 * organization and interaction. Matching: ODS code and party key case-insensitively (LDAP
 * semantics), interaction id exactly.
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import { SdsError } from "./sds-outcome.ts";
import type { AsRecord, MhsRecord, SdsRecords } from "./sds-records.ts";

/** The two SDS FHIR resources. */
export type SdsResourceType = "Endpoint" | "Device";

/** A validated SDS query. */
export interface SdsQuery {
  readonly organization: string | undefined;
  readonly interaction: string | undefined;
  readonly partyKey: string | undefined;
  /** Device only: `identifier=https://fhir.nhs.uk/Id/nhsSpineASID|…`. */
  readonly asid: string | undefined;
  /** Device only: `manufacturing-organization`. */
  readonly manufacturer: string | undefined;
}

const ods = identifierSystems.odsOrganizationCode;
const interactionSystem = identifierSystems.serviceInteractionId;
const partyKeySystem = identifierSystems.mhsPartyKey;
const asidSystem = identifierSystems.spineAsid;

const allowedParams: Readonly<Record<SdsResourceType, readonly string[]>> = {
  Endpoint: ["organization", "identifier"],
  Device: ["organization", "identifier", "manufacturing-organization"],
};

const identifierSystemsOf: Readonly<Record<SdsResourceType, readonly string[]>> = {
  Endpoint: [interactionSystem, partyKeySystem],
  Device: [interactionSystem, partyKeySystem, asidSystem],
};

function invalidParam(name: string, system: string): SdsError {
  return SdsError.badRequest(
    `Missing or invalid '${name}' query parameter. Should be '${name}=${system}|value'`,
  );
}

function invalidIdentifier(resource: SdsResourceType): SdsError {
  const options = identifierSystemsOf[resource].map((system) => `'identifier=${system}|value'`);
  return SdsError.badRequest(
    `Missing or invalid 'identifier' query parameter. Should be one or both of: [${
      options.join(", ")
    }]`,
  );
}

/** The last non-blank value of `name` with `system`, stripped (SDS `get_optional_query_param`). */
function lastValue(params: URLSearchParams, name: string, system: string): string | undefined {
  const values = params.getAll(name)
    .filter((value) => value.startsWith(`${system}|`))
    .map((value) => value.slice(system.length + 1).trim())
    .filter((value) => value !== "");
  return values.at(-1);
}

/**
 * Validates the query of `GET /Endpoint` or `GET /Device`; throws 400 {@linkcode SdsError}.
 *
 * @example
 * ```ts
 * parseSdsQuery("Endpoint", new URLSearchParams(
 *   "organization=https://fhir.nhs.uk/Id/ods-organization-code|B82617" +
 *   "&identifier=https://fhir.nhs.uk/Id/nhsServiceInteractionId|urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
 * )).organization; // "B82617"
 * ```
 */
export function parseSdsQuery(resource: SdsResourceType, params: URLSearchParams): SdsQuery {
  for (const [name, value] of params) {
    if (!allowedParams[resource].includes(name)) {
      throw SdsError.badRequest(`Illegal query parameter '${name}'`);
    }
    if (
      (name === "organization" || name === "manufacturing-organization") &&
      !value.startsWith(`${ods}|`)
    ) throw invalidParam(name, ods);
    if (
      name === "identifier" &&
      !identifierSystemsOf[resource].some((system) => value.startsWith(`${system}|`))
    ) throw invalidIdentifier(resource);
  }
  const query: SdsQuery = {
    organization: lastValue(params, "organization", ods),
    interaction: lastValue(params, "identifier", interactionSystem),
    partyKey: lastValue(params, "identifier", partyKeySystem),
    asid: resource === "Device" ? lastValue(params, "identifier", asidSystem) : undefined,
    manufacturer: resource === "Device"
      ? lastValue(params, "manufacturing-organization", ods)
      : undefined,
  };
  if (resource === "Device") {
    if (!query.organization) throw invalidParam("organization", ods);
    if (!query.interaction) throw invalidParam("identifier", interactionSystem);
    return query;
  }
  const { organization, interaction, partyKey } = query;
  if (
    (organization && !interaction && !partyKey) || (!organization && (!interaction || !partyKey))
  ) {
    const org = `organization=${ods}|value`;
    const pk = `identifier=${partyKeySystem}|value`;
    const svc = `identifier=${interactionSystem}|value`;
    throw SdsError.badRequest(
      "Missing or invalid query parameters. Should one of following combinations: [" +
        `'${org}&${svc}&${pk}', '${org}&${svc}', '${org}&${pk}', '${svc}&${pk}']`,
    );
  }
  return query;
}

function same(a: string, b: string | undefined): boolean {
  return b !== undefined && a.toUpperCase() === b.toUpperCase();
}

/** The MHS records an `/Endpoint` query matches. */
export function matchEndpoints(records: SdsRecords, query: SdsQuery): MhsRecord[] {
  return records.mhs.filter((record) =>
    (query.organization === undefined || same(record.odsCode, query.organization)) &&
    (query.interaction === undefined || record.interactions.includes(query.interaction)) &&
    (query.partyKey === undefined || same(record.partyKey, query.partyKey))
  );
}

/** The AS records a `/Device` query matches. */
export function matchDevices(records: SdsRecords, query: SdsQuery): AsRecord[] {
  return records.as.filter((record) =>
    same(record.odsCode, query.organization) &&
    query.interaction !== undefined && record.interactions.includes(query.interaction) &&
    (query.partyKey === undefined || same(record.partyKey ?? "", query.partyKey)) &&
    (query.asid === undefined || record.asid === query.asid) &&
    (query.manufacturer === undefined || same(record.manufacturerOdsCode, query.manufacturer))
  );
}
