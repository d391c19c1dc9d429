/**
 * The interaction catalogue as the scenarios see it: every interaction of
 * `specs/interactions.json` (through its typed access, `gpconnect/specs.ts`: spec data, not a
 * judgement, ARCHITECTURE.md §3.7) with a stable short name (used in generated scenario ids and
 * accepted by selections) and whether it changes the provider's data.
 *
 * @module
 */
import { type Interaction, interactions } from "../../gpconnect/specs.ts";

/** One interaction of the catalogue, with its short name. */
export interface CatalogueInteraction extends Interaction {
  /** Stable short name, e.g. `search-patient`; unique across the catalogue. */
  readonly shortName: string;
  /** Whether a well-formed request changes the provider's data (register, book, amend, cancel). */
  readonly mutating: boolean;
}

const prefix = "urn:nhs:names:services:gpconnect:";

/** Short names by URN suffix (after `urn:nhs:names:services:gpconnect:`). */
const shortNames: Readonly<Record<string, string>> = {
  "fhir:rest:read:metadata-1": "read-metadata",
  "fhir:rest:read:patient-1": "read-patient",
  "fhir:rest:search:patient-1": "search-patient",
  "fhir:rest:read:practitioner-1": "read-practitioner",
  "fhir:rest:search:practitioner-1": "search-practitioner",
  "fhir:rest:read:organization-1": "read-organization",
  "fhir:rest:search:organization-1": "search-organization",
  "fhir:rest:read:location-1": "read-location",
  "fhir:operation:gpc.registerpatient-1": "register-patient",
  "fhir:rest:search:slot-1": "search-slots",
  "fhir:rest:create:appointment-1": "book-appointment",
  "fhir:rest:read:appointment-1": "read-appointment",
  "fhir:rest:search:patient_appointments-1": "search-patient-appointments",
  "fhir:rest:update:appointment-1": "amend-appointment",
  "fhir:rest:cancel:appointment-1": "cancel-appointment",
  "structured:fhir:rest:read:metadata-1": "structured-metadata",
  "fhir:operation:gpc.getstructuredrecord-1": "get-structured-record",
  "fhir:operation:gpc.migratestructuredrecord-1": "migrate-structured-record",
  "documents:fhir:rest:read:metadata-1": "documents-metadata",
  "documents:fhir:rest:search:patient-1": "documents-search-patient",
  "documents:fhir:rest:search:documentreference-1": "search-documents",
  "documents:fhir:rest:read:binary-1": "retrieve-document",
  "documents:fhir:rest:migrate:binary-1": "migrate-document",
  "fhir:rest:read:metadata": "html-metadata",
  "fhir:operation:gpc.getcarerecord": "get-care-record",
};

const mutatingShortNames = new Set([
  "register-patient",
  "book-appointment",
  "amend-appointment",
  "cancel-appointment",
]);

/** Every interaction of the catalogue, in catalogue order. */
export const catalogue: readonly CatalogueInteraction[] = interactions.map((interaction) => {
  const shortName = shortNames[interaction.id.slice(prefix.length)];
  if (shortName === undefined) {
    throw new Error(`specs/interactions.json: no short name for ${interaction.id}`);
  }
  return { ...interaction, shortName, mutating: mutatingShortNames.has(shortName) };
});

const byId = new Map(catalogue.map((interaction) => [interaction.id, interaction]));
const byShortName = new Map(catalogue.map((interaction) => [interaction.shortName, interaction]));

/**
 * The interaction with this URN or short name.
 *
 * @example
 * ```ts
 * catalogueInteraction("search-patient")?.id; // "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1"
 * ```
 */
export function catalogueInteraction(idOrShortName: string): CatalogueInteraction | undefined {
  return byId.get(idOrShortName) ?? byShortName.get(idOrShortName);
}

/**
 * The interaction with this URN or short name; throws when there is none.
 *
 * @example
 * ```ts
 * requireInteraction("get-care-record").fhirVersion; // "DSTU2"
 * ```
 */
export function requireInteraction(idOrShortName: string): CatalogueInteraction {
  const interaction = catalogueInteraction(idOrShortName);
  if (!interaction) throw new RangeError(`Unknown interaction ${JSON.stringify(idOrShortName)}`);
  return interaction;
}

/**
 * Another interaction of the same service root with a different verb or path, whose URN is
 * therefore well formed and routable but wrong for the request (PT-0.7 "Mismatched
 * interactionId and endpoint"). Interactions sharing verb and path (amend/cancel, retrieve/migrate
 * a document) are skipped: for those the URN is what tells the operations apart. Deterministic:
 * the next such interaction of the root in catalogue order.
 */
export function otherInteractionOfRoot(interaction: CatalogueInteraction): CatalogueInteraction {
  const sameRoot = catalogue.filter((candidate) => candidate.root === interaction.root);
  const index = sameRoot.findIndex((candidate) => candidate.id === interaction.id);
  for (let step = 1; step < sameRoot.length; step++) {
    const other = sameRoot[(index + step) % sameRoot.length]!;
    if (other.method !== interaction.method || other.path !== interaction.path) return other;
  }
  throw new Error(`No other interaction on the ${interaction.root} root`);
}
