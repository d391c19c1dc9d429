/**
 * RESP-REQUESTED-PATIENT: an answer about a patient is the requested patient's. The patient is
 * read from the request the step sent: the NHS number of a search's `identifier`, of a
 * `patientNHSNumber` parameter (structured, migrate, the DSTU2 care record) or of the Patient a
 * registration sends, and the logical id in a `/Patient/{id}…` path. Every Patient in the
 * response must carry that NHS number (and id), and every reference to a Patient must name the
 * requested one (or a Patient of the response that is it).
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { referencesOf, resourcesIn } from "./fhir-walk.ts";
import {
  type CheckedRequest,
  type CheckInput,
  type CheckVerdict,
  jsonBodyOf,
  pathSegments,
  queryOf,
  type ResponseCheck,
} from "./response-check.ts";

const nhsSystems: readonly string[] = [
  identifierSystems.nhsNumber,
  identifierSystems.nhsNumberDstu2,
];

/** The patient a request is about. */
export interface RequestedPatient {
  readonly nhsNumber?: string;
  readonly id?: string;
}

function nhsNumberOfIdentifiers(identifiers: unknown): string | undefined {
  if (!Array.isArray(identifiers)) return undefined;
  const found = identifiers.find((i) =>
    isJsonObject(i) && typeof i.system === "string" && nhsSystems.includes(i.system)
  );
  return isJsonObject(found) && typeof found.value === "string" ? found.value : undefined;
}

function nhsNumberOfBody(body: unknown): string | undefined {
  if (!isJsonObject(body) || body.resourceType !== "Parameters") return undefined;
  const parameters = Array.isArray(body.parameter) ? body.parameter : [];
  for (const parameter of parameters) {
    if (!isJsonObject(parameter)) continue;
    if (parameter.name === "patientNHSNumber" && isJsonObject(parameter.valueIdentifier)) {
      const { system, value } = parameter.valueIdentifier;
      if (typeof system === "string" && nhsSystems.includes(system) && typeof value === "string") {
        return value;
      }
    }
    if (parameter.name === "registerPatient" && isJsonObject(parameter.resource)) {
      return nhsNumberOfIdentifiers(parameter.resource.identifier);
    }
  }
  return undefined;
}

/** The patient the request names, if it names one. */
export function requestedPatient(request: CheckedRequest): RequestedPatient | undefined {
  let nhsNumber: string | undefined;
  for (const value of queryOf(request).getAll("identifier")) {
    const [system, number] = value.split("|");
    if (system !== undefined && nhsSystems.includes(system) && number) nhsNumber = number;
  }
  nhsNumber ??= nhsNumberOfBody(jsonBodyOf(request));
  const segments = pathSegments(request);
  const at = segments.lastIndexOf("Patient");
  const next = at >= 0 ? segments[at + 1] : undefined;
  const id = next !== undefined && !next.startsWith("$") ? decodeURIComponent(next) : undefined;
  if (nhsNumber === undefined && id === undefined) return undefined;
  return { ...(nhsNumber ? { nhsNumber } : {}), ...(id ? { id } : {}) };
}

function patientVerdict(input: CheckInput): CheckVerdict | undefined {
  const requested = requestedPatient(input.request);
  if (!requested) return undefined;
  const problems: string[] = [];
  const found = resourcesIn(input.body);
  const patientIds = new Set<string>();
  for (const { resource, path } of found) {
    if (resource.resourceType !== "Patient") continue;
    const number = nhsNumberOfIdentifiers(resource.identifier);
    if (requested.nhsNumber !== undefined && number !== requested.nhsNumber) {
      problems.push(`${path} is NHS number ${number ?? "(none)"}, not ${requested.nhsNumber}`);
      continue;
    }
    if (
      requested.id !== undefined && typeof resource.id === "string" && resource.id !== requested.id
    ) {
      problems.push(`${path} is Patient/${resource.id}, not Patient/${requested.id}`);
      continue;
    }
    if (typeof resource.id === "string") patientIds.add(resource.id);
  }
  if (requested.id !== undefined) patientIds.add(requested.id);
  for (const { resource, path } of found) {
    for (const ref of referencesOf(resource, path)) {
      const id = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(ref.reference)?.[1];
      if (id !== undefined && !patientIds.has(id)) {
        problems.push(`${ref.path} refers to Patient/${id}, not the requested patient`);
      }
    }
  }
  const who = [
    requested.nhsNumber ? `NHS number ${requested.nhsNumber}` : "",
    requested.id ? `Patient/${requested.id}` : "",
  ].filter(Boolean).join(", ");
  return { description: `the response is about the requested patient (${who})`, problems };
}

/** The check. */
export const requestedPatientCheck: ResponseCheck = {
  name: "requested-patient",
  requirement: "RESP-REQUESTED-PATIENT",
  check: patientVerdict,
};
