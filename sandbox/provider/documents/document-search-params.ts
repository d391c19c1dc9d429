/**
 * The query of "Search for a patient's documents" (GPC-1.6
 * `access_documents_development_search_patient_documents`; PT-1.6 `StructuredDocuments.feature`),
 * checked and turned into criteria. Every failure is 422 INVALID_PARAMETER with diagnostics naming
 * the parameter (the page: "Errors returned due to query parameter failure MUST include diagnostic
 * information detailing the invalid query parameter"):
 * - the four `_include` values and `_revinclude:recurse=PractitionerRole:practitioner` are
 *   mandatory; another `_include` or `_revinclude:recurse` value is unsupported;
 * - `created` at most twice, each `ge` or `le` (at most one of each) and a FHIR date or dateTime;
 *   `ge` after `le` is an empty range and rejected;
 * - `author` and `facility`: one `https://fhir.nhs.uk/Id/ods-organization-code|<ODS>` each (the
 *   page's error table: "contains an identifier other than an ODS code");
 * - `type`: one token `[system|]code`; `description`: one non-empty string (contains, ignoring case);
 * - any other parameter (PT "BadParameter") is rejected; `_format` is the provider duties'.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { ProviderError } from "../provider-error.ts";
import { fhirDateSpan } from "../fhir-date-span.ts";

/** The `_include` values a consumer MUST send. */
export const requiredIncludes = [
  "DocumentReference:subject:Patient",
  "DocumentReference:custodian:Organization",
  "DocumentReference:author:Organization",
  "DocumentReference:author:Practitioner",
] as const;

/** The `_revinclude:recurse` value a consumer MUST send. */
export const requiredRevinclude = "PractitionerRole:practitioner";

/** What a search asks for beyond "all documents of the patient". */
export interface DocumentSearchCriteria {
  /** `created=ge…`: first millisecond allowed. */
  readonly createdFrom?: number;
  /** `created=le…`: last millisecond allowed. */
  readonly createdTo?: number;
  /** `author`: ODS code of the authoring organisation. */
  readonly authorOds?: string;
  /** `facility`: ODS code of the organisation where the document was created. */
  readonly facilityOds?: string;
  /** `type`: the coded kind of document. */
  readonly type?: { readonly system: string | undefined; readonly code: string };
  /** `description`: lower-cased text the description must contain. */
  readonly description?: string;
}

const known = new Set([
  "_include",
  "_revinclude:recurse",
  "created",
  "author",
  "facility",
  "type",
  "description",
  "_format",
]);

function invalid(diagnostics: string): ProviderError {
  return new ProviderError("INVALID_PARAMETER", diagnostics);
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw invalid(`The ${name} parameter may be sent at most once`);
  const value = values[0]!.trim();
  if (value === "") throw invalid(`The ${name} parameter has no value`);
  return value;
}

function odsCode(params: URLSearchParams, name: string): string | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  const bar = value.indexOf("|");
  const system = bar < 0 ? "" : value.slice(0, bar);
  const code = bar < 0 ? "" : value.slice(bar + 1);
  if (system !== identifierSystems.odsOrganizationCode || code === "") {
    throw invalid(
      `The ${name} parameter must be ${identifierSystems.odsOrganizationCode}|<ODS code>, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return code;
}

function createdBounds(params: URLSearchParams): Pick<
  DocumentSearchCriteria,
  "createdFrom" | "createdTo"
> {
  const values = params.getAll("created");
  if (values.length > 2) throw invalid("The created parameter may be sent at most twice");
  const bounds: { createdFrom?: number; createdTo?: number } = {};
  for (const raw of values) {
    // An unencoded "+" of a time-zone offset arrives as a space.
    const value = raw.trim().replace(/ /g, "+");
    const prefix = value.slice(0, 2);
    const span = fhirDateSpan(value.slice(2));
    if ((prefix !== "ge" && prefix !== "le") || span === undefined) {
      throw invalid(
        `The created parameter must be ge or le followed by a date or dateTime, got ${
          JSON.stringify(raw)
        }`,
      );
    }
    const bound = prefix === "ge" ? "createdFrom" : "createdTo";
    if (bounds[bound] !== undefined) {
      throw invalid(`The created parameter may have only one ${prefix} bound`);
    }
    bounds[bound] = prefix === "ge" ? span.start : span.end;
  }
  if (
    bounds.createdFrom !== undefined && bounds.createdTo !== undefined &&
    bounds.createdFrom > bounds.createdTo
  ) {
    throw invalid("The created ge bound is after its le bound");
  }
  return bounds;
}

/**
 * The criteria of a documents search query; throws {@linkcode ProviderError} (422
 * INVALID_PARAMETER) when the query breaks a rule.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const url = new URL(
 *   "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/documents/fhir/Patient/2/DocumentReference" +
 *     "?_include=DocumentReference:subject:Patient" +
 *     "&_include=DocumentReference:custodian:Organization" +
 *     "&_include=DocumentReference:author:Organization" +
 *     "&_include=DocumentReference:author:Practitioner" +
 *     "&_revinclude:recurse=PractitionerRole:practitioner&description=Referral",
 * );
 * assert.equal(documentSearchCriteria(url.searchParams).description, "referral");
 * ```
 */
export function documentSearchCriteria(params: URLSearchParams): DocumentSearchCriteria {
  for (const name of new Set(params.keys())) {
    if (!known.has(name)) throw invalid(`Unsupported search parameter ${JSON.stringify(name)}`);
  }
  const includes = params.getAll("_include").map((value) => value.trim());
  const unsupported = includes.filter((value) =>
    !(requiredIncludes as readonly string[]).includes(value)
  );
  if (unsupported.length > 0) throw invalid(`Unsupported _include ${unsupported.join(", ")}`);
  const missing: string[] = requiredIncludes.filter((value) => !includes.includes(value));
  const revincludes = params.getAll("_revinclude:recurse").map((value) => value.trim());
  if (revincludes.some((value) => value !== requiredRevinclude)) {
    throw invalid(`Unsupported _revinclude:recurse ${revincludes.join(", ")}`);
  }
  if (revincludes.length === 0) missing.push(`_revinclude:recurse=${requiredRevinclude}`);
  if (missing.length > 0) {
    throw invalid(`Mandatory search parameters missing: ${missing.join(", ")}`);
  }

  const criteria: { -readonly [K in keyof DocumentSearchCriteria]: DocumentSearchCriteria[K] } = {
    ...createdBounds(params),
  };
  const author = odsCode(params, "author");
  if (author !== undefined) criteria.authorOds = author;
  const facility = odsCode(params, "facility");
  if (facility !== undefined) criteria.facilityOds = facility;
  const type = single(params, "type");
  if (type !== undefined) {
    const bar = type.indexOf("|");
    const code = bar < 0 ? type : type.slice(bar + 1);
    if (code === "") throw invalid(`The type parameter has no code: ${JSON.stringify(type)}`);
    criteria.type = { system: bar <= 0 ? undefined : type.slice(0, bar), code };
  }
  const description = single(params, "description");
  if (description !== undefined) criteria.description = description.toLowerCase();
  return criteria;
}
