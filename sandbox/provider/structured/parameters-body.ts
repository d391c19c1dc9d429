/**
 * Reads an operation's `Parameters` body into plain parameters (FHIR STU3 Parameters; GPC-1.6
 * retrieve a patient's structured record, "Error handling"): the provider could not parse the
 * body, or it is not a `Parameters` resource, or a parameter is malformed → 422 INVALID_RESOURCE.
 *
 * A parameter keeps its name, its one `value[x]` (type and value) and its parts. A parameter with
 * neither value nor parts is valid here (GP Connect allows `{"name": "includeProblems"}`); the
 * operation decides what each parameter needs. JSON bodies only: the reference provider does
 * not read FHIR XML request bodies.
 *
 * @module
 */
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import { ProviderError } from "../provider-error.ts";

/** A `value[x]` of a parameter: `type` is the suffix, e.g. `Boolean`, `Period`, `Identifier`. */
export interface ParameterValue {
  readonly type: string;
  readonly value: unknown;
}

/** One `Parameters.parameter` (or a `part` of one). */
export interface OperationParameter {
  readonly name: string;
  readonly value: ParameterValue | undefined;
  readonly parts: readonly OperationParameter[];
}

type Json = Record<string, unknown>;

const allowedKeys = new Set(["id", "extension", "modifierExtension", "name", "part", "resource"]);

function invalid(diagnostics: string): ProviderError {
  return new ProviderError("INVALID_RESOURCE", diagnostics);
}

function readParameter(raw: unknown, where: string): OperationParameter {
  if (!isJsonObject(raw)) throw invalid(`${where} must be an object`);
  const name = raw.name;
  if (typeof name !== "string" || name.trim() === "") {
    throw invalid(`${where}.name must be a non-empty string`);
  }
  const valueKeys = Object.keys(raw).filter((key) => /^value[A-Z]/.test(key));
  const unknownKeys = Object.keys(raw).filter((key) =>
    !allowedKeys.has(key) && !valueKeys.includes(key)
  );
  if (unknownKeys.length > 0) {
    throw invalid(`${where} (${name}) has unknown element ${unknownKeys[0]}`);
  }
  if (valueKeys.length > 1) throw invalid(`${where} (${name}) has more than one value[x]`);
  const valueKey = valueKeys[0];
  const value = valueKey === undefined
    ? undefined
    : { type: valueKey.slice("value".length), value: raw[valueKey] };
  if (raw.resource !== undefined) throw invalid(`${where} (${name}) must not carry a resource`);
  let parts: OperationParameter[] = [];
  if (raw.part !== undefined) {
    if (!Array.isArray(raw.part)) throw invalid(`${where} (${name}).part must be an array`);
    parts = raw.part.map((part, index) => readParameter(part, `${name}.part[${index}]`));
  }
  if (value !== undefined && parts.length > 0) {
    throw invalid(`${where} (${name}) must not have both a value and parts`);
  }
  return { name, value, parts };
}

/**
 * The parameters of a `Parameters` body; throws 422 INVALID_RESOURCE when the text is not a
 * JSON `Parameters` resource of well-formed parameters.
 *
 * @example
 * ```ts
 * readParametersBody('{"resourceType":"Parameters","parameter":[{"name":"includeProblems"}]}');
 * // [{ name: "includeProblems", value: undefined, parts: [] }]
 * ```
 */
export function readParametersBody(text: string): OperationParameter[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid("The request body could not be parsed as a FHIR JSON Parameters resource");
  }
  if (!isJsonObject(body) || body.resourceType !== "Parameters") {
    throw invalid("The request body must be a Parameters resource");
  }
  if (body.parameter === undefined) return [];
  if (!Array.isArray(body.parameter)) throw invalid("Parameters.parameter must be an array");
  return body.parameter.map((parameter, index) => readParameter(parameter, `parameter[${index}]`));
}
