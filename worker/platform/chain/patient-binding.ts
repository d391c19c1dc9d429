/**
 * Patient binding (R5, R6; A4; OWASP API1): the patient is the token's `nhs_number`, never the
 * request's. Every NHS number the request carries — the route's path parameter or query
 * parameter, a Parameters body's `patientNHSNumber`, an Appointment's `Patient/{nhs}`
 * participants, a Task's `for` (a reference other than `Patient/{nhs}` is judged as given, so
 * it fails the NHS number check), and any identifier with the NHS number system anywhere in a JSON body — is first
 * validated (400 INVALID_NHS_NUMBER) and must then equal the token's (403 ACCESS_DENIED). A route
 * that names its patient in the body must name one (422). Nothing upstream is called before this.
 *
 * @module
 */
import { nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import { PlatformError } from "../platform-error.ts";
import type { PatientLocation, ProductRoute } from "../platform-specs.ts";

const nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

/** What the binding looks at. */
export interface BindingInput {
  readonly route: ProductRoute;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The body parsed as JSON, or `undefined` when there is none. */
  readonly body: unknown;
  /** The token's patient. */
  readonly tokenNhsNumber: string;
  /**
   * The proxy of a delegated session: a Task's `requester` may name them (the person asking), and
   * nothing else may.
   */
  readonly actorNhsNumber?: string | undefined;
}

/** Every NHS-number identifier value anywhere in `json` (bounded depth). */
function identifierValues(json: unknown, found: string[], depth = 0): string[] {
  if (depth > 32 || typeof json !== "object" || json === null) return found;
  if (Array.isArray(json)) {
    for (const item of json) identifierValues(item, found, depth + 1);
    return found;
  }
  const record = json as Record<string, unknown>;
  if (record.system === nhsNumberSystem && typeof record.value === "string") {
    found.push(record.value);
  }
  for (const value of Object.values(record)) identifierValues(value, found, depth + 1);
  return found;
}

function parametersPatients(body: unknown, name: string): string[] {
  const parameters = (body as { parameter?: unknown })?.parameter;
  if (!Array.isArray(parameters)) return [];
  return parameters
    .filter((p) => (p as { name?: unknown })?.name === name)
    .map((p) => String((p as { valueIdentifier?: { value?: unknown } }).valueIdentifier?.value));
}

/** A Task's `for`: the NHS number of its `Patient/{nhs}` reference, else of its identifier. */
function taskPatients(body: unknown): string[] {
  const subject = (body as { for?: unknown })?.for as
    | { reference?: unknown; identifier?: { system?: unknown; value?: unknown } }
    | undefined;
  if (typeof subject !== "object" || subject === null) return [];
  const found: string[] = [];
  if (typeof subject.reference === "string") {
    found.push(
      subject.reference.startsWith("Patient/")
        ? subject.reference.slice("Patient/".length)
        : subject.reference,
    );
  }
  if (subject.identifier?.system === nhsNumberSystem && subject.identifier.value !== undefined) {
    found.push(String(subject.identifier.value));
  }
  return found;
}

function appointmentPatients(body: unknown): string[] {
  const participants = (body as { participant?: unknown })?.participant;
  if (!Array.isArray(participants)) return [];
  return participants.flatMap((p) => {
    const reference = (p as { actor?: { reference?: unknown } })?.actor?.reference;
    if (typeof reference !== "string" || !reference.startsWith("Patient/")) return [];
    return [reference.slice("Patient/".length)];
  });
}

/** The patients a route names outside its path: where, and the error when it names none. */
interface RequiredPatients {
  readonly values: string[];
  readonly where: string;
  readonly code: "INVALID_PARAMETER" | "INVALID_RESOURCE";
  readonly diagnostics: string;
}

function requiredPatients(
  input: BindingInput,
  location: PatientLocation | undefined,
): RequiredPatients | undefined {
  switch (location?.in) {
    case "query":
      return {
        values: input.query.getAll(location.name),
        where: `query ${location.name}`,
        code: "INVALID_PARAMETER",
        diagnostics: `The ${location.name} query parameter is required`,
      };
    case "parameters-body":
      return {
        values: parametersPatients(input.body, location.name),
        where: `body ${location.name}`,
        code: "INVALID_RESOURCE",
        diagnostics: `The Parameters resource must have a ${location.name} parameter`,
      };
    case "appointment-body":
      return {
        values: appointmentPatients(input.body),
        where: "body participant",
        code: "INVALID_RESOURCE",
        diagnostics: "The Appointment must have a Patient/{NHS number} participant",
      };
    case "task-body":
      return {
        values: taskPatients(input.body),
        where: "body Task.for",
        code: "INVALID_RESOURCE",
        diagnostics: "The Task must name its patient in for (Patient/{NHS number})",
      };
    default:
      return undefined;
  }
}

/** The NHS numbers the request names, with where. */
export function namedPatients(input: BindingInput): Array<{ where: string; value: string }> {
  const named: Array<{ where: string; value: string }> = [];
  const location = input.route.patient;
  if (location?.in === "path") {
    named.push({ where: `path ${location.name}`, value: input.params[location.name]! });
  }
  const required = requiredPatients(input, location);
  if (required) {
    if (required.values.length === 0) {
      throw new PlatformError(required.code, { diagnostics: required.diagnostics });
    }
    for (const value of required.values) named.push({ where: required.where, value });
  }
  // A delegated Task's requester may be the proxy; every other identifier must be the patient.
  const task = input.route.patient?.in === "task-body" && input.actorNhsNumber !== undefined &&
      typeof input.body === "object" && input.body !== null && !Array.isArray(input.body)
    ? input.body as Record<string, unknown>
    : undefined;
  const { requester, ...rest } = task ?? {};
  for (const value of identifierValues(task ? rest : input.body, [])) {
    named.push({ where: "body identifier", value });
  }
  for (const value of identifierValues(requester, [])) {
    if (value !== input.actorNhsNumber) named.push({ where: "body requester", value });
  }
  return named;
}

/**
 * Checks the binding; throws `PlatformError` (400, 403, 422).
 *
 * @example
 * ```ts
 * import { productById } from "../platform-specs.ts";
 * const route = productById("appointments-management").routes.find((r) => r.name === "patient-appointments")!;
 * bindPatient({ route, params: { nhsNumber: "9690937286" }, query: new URLSearchParams(),
 *   body: undefined, tokenNhsNumber: "9690937286" });
 * ```
 */
export function bindPatient(input: BindingInput): void {
  const named = namedPatients(input);
  for (const { where, value } of named) {
    const problem = nhsNumberProblem(value);
    if (problem) {
      throw new PlatformError("INVALID_NHS_NUMBER", { diagnostics: `${where}: ${problem}` });
    }
  }
  for (const { where, value } of named) {
    if (value !== input.tokenNhsNumber) {
      throw new PlatformError("ACCESS_DENIED", {
        status: 403,
        display: "Access denied",
        diagnostics: `The ${where} NHS number is not the logged-in patient's`,
      });
    }
  }
}
