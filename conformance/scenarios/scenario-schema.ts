/**
 * Checks parsed YAML against the harness model ({@linkcode Scenario}, {@linkcode Flow}) and
 * normalises it: interactions given by short name become URNs, a file-level `product` fills in
 * the scenarios that name none. Every problem names where it is (`request.headers.Accept`), so the
 * loader can report the file and scenario id with it.
 *
 * @module
 */
import type {
  Expectation,
  FhirPathAssertion,
  Flow,
  FlowStep,
  Mutation,
  Product,
  RequestTemplate,
  Scenario,
} from "../model.ts";
import { products } from "../model.ts";
import { catalogueInteraction } from "./catalogue.ts";
import {
  type Json,
  onlyKeys as only,
  schemaBool as bool,
  SchemaError,
  schemaObject as object,
  schemaText as text,
  schemaTexts as texts,
} from "./schema-readers.ts";

export { SchemaError };

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

function stringMap(value: unknown, where: string): Record<string, string> {
  const map = object(value, where);
  for (const [key, item] of Object.entries(map)) {
    if (typeof item !== "string") throw new SchemaError(`${where}.${key}`, "must be a string");
  }
  return map as Record<string, string>;
}

function oneOrMany<T>(value: unknown, where: string, read: (v: unknown, w: string) => T): T | T[] {
  if (!Array.isArray(value)) return read(value, where);
  if (value.length === 0) throw new SchemaError(where, "must not be an empty list");
  return value.map((item, i) => read(item, `${where}[${i}]`));
}

function status(value: unknown, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 599) {
    throw new SchemaError(where, "must be an HTTP status (100–599)");
  }
  return value as number;
}

/** A request template; the interaction may be a URN or a short name. */
export function readRequest(value: unknown, where: string): RequestTemplate {
  const raw = object(value, where);
  only(raw, ["interaction", "patientRole", "path", "method", "headers", "body", "rawBody"], where);
  const name = text(raw.interaction, `${where}.interaction`);
  const interaction = catalogueInteraction(name);
  if (!interaction) throw new SchemaError(`${where}.interaction`, `unknown interaction ${name}`);
  const path = text(raw.path, `${where}.path`);
  if (!path.startsWith("/")) throw new SchemaError(`${where}.path`, "must start with /");
  if (raw.body !== undefined && raw.rawBody !== undefined) {
    throw new SchemaError(where, "body and rawBody are exclusive");
  }
  if (raw.rawBody !== undefined && typeof raw.rawBody !== "string") {
    throw new SchemaError(`${where}.rawBody`, "must be a string");
  }
  const patientRole = optionalText(raw.patientRole, `${where}.patientRole`);
  const method = optionalText(raw.method, `${where}.method`);
  return {
    interaction: interaction.id,
    path,
    ...(patientRole === undefined ? {} : { patientRole }),
    ...(method === undefined ? {} : { method: method.toUpperCase() }),
    ...(raw.headers === undefined ? {} : { headers: stringMap(raw.headers, `${where}.headers`) }),
    ...(raw.body === undefined ? {} : { body: raw.body }),
    ...(raw.rawBody === undefined ? {} : { rawBody: raw.rawBody as string }),
  };
}

/** One mutation. */
export function readMutation(value: unknown, where: string): Mutation {
  const raw = object(value, where);
  const kind = text(raw.kind, `${where}.kind`);
  switch (kind) {
    case "drop-header":
      only(raw, ["kind", "header"], where);
      return { kind, header: text(raw.header, `${where}.header`) };
    case "set-header":
      only(raw, ["kind", "header", "value"], where);
      return {
        kind,
        header: text(raw.header, `${where}.header`),
        value: textOrEmpty(raw.value, `${where}.value`),
      };
    case "drop-claim":
      only(raw, ["kind", "claim"], where);
      return { kind, claim: text(raw.claim, `${where}.claim`) };
    case "set-claim":
      only(raw, ["kind", "claim", "value"], where);
      if (!("value" in raw)) {
        throw new SchemaError(`${where}.value`, "is required (null is allowed)");
      }
      return { kind, claim: text(raw.claim, `${where}.claim`), value: raw.value };
    case "set-jwt-header":
      only(raw, ["kind", "header"], where);
      return { kind, header: object(raw.header, `${where}.header`) };
    case "raw-authorization":
      only(raw, ["kind", "value"], where);
      return { kind, value: textOrEmpty(raw.value, `${where}.value`) };
    case "set-query":
      only(raw, ["kind", "name", "value"], where);
      return {
        kind,
        name: text(raw.name, `${where}.name`),
        value: raw.value === null ? null : textOrEmpty(raw.value, `${where}.value`),
      };
    default:
      throw new SchemaError(`${where}.kind`, `unknown mutation kind ${kind}`);
  }
}

function textOrEmpty(value: unknown, where: string): string {
  if (typeof value !== "string") throw new SchemaError(where, "must be a string");
  return value;
}

function readAssertion(value: unknown, where: string): FhirPathAssertion {
  const raw = object(value, where);
  only(raw, ["expression", "description", "requirement"], where);
  const requirement = optionalText(raw.requirement, `${where}.requirement`);
  return {
    expression: text(raw.expression, `${where}.expression`),
    description: text(raw.description, `${where}.description`),
    ...(requirement === undefined ? {} : { requirement }),
  };
}

const expectationKeys = [
  "status",
  "spineCode",
  "resourceType",
  "bundleType",
  "profile",
  "validate",
  "bundleIdIsTraceId",
  "headers",
  "fhirpath",
] as const;

/** An expectation, with its optional `viaSsp` override. */
export function readExpectation(value: unknown, where: string, nested = false): Expectation {
  const raw = object(value, where);
  only(raw, nested ? expectationKeys : [...expectationKeys, "viaSsp"], where);
  const expectation: { -readonly [K in keyof Expectation]: Expectation[K] } = {
    status: oneOrMany(raw.status, `${where}.status`, status),
  };
  if (raw.spineCode !== undefined) {
    expectation.spineCode = oneOrMany(raw.spineCode, `${where}.spineCode`, text);
  }
  for (const key of ["resourceType", "bundleType", "profile"] as const) {
    if (raw[key] !== undefined) expectation[key] = text(raw[key], `${where}.${key}`);
  }
  if (raw.validate !== undefined) expectation.validate = bool(raw.validate, `${where}.validate`);
  if (raw.bundleIdIsTraceId !== undefined) {
    expectation.bundleIdIsTraceId = bool(raw.bundleIdIsTraceId, `${where}.bundleIdIsTraceId`);
  }
  if (raw.headers !== undefined) expectation.headers = stringMap(raw.headers, `${where}.headers`);
  if (raw.fhirpath !== undefined) {
    if (!Array.isArray(raw.fhirpath)) throw new SchemaError(`${where}.fhirpath`, "must be a list");
    expectation.fhirpath = raw.fhirpath.map((item, i) =>
      readAssertion(item, `${where}.fhirpath[${i}]`)
    );
  }
  if (raw.viaSsp !== undefined) {
    expectation.viaSsp = readExpectation(raw.viaSsp, `${where}.viaSsp`, true);
  }
  return expectation;
}

function readMutations(value: unknown, where: string): Mutation[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new SchemaError(where, "must be a list");
  return value.map((item, i) => readMutation(item, `${where}[${i}]`));
}

const idPattern = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

function header(raw: Json, defaultProduct: Product | undefined) {
  const id = text(raw.id, "id");
  if (!idPattern.test(id)) {
    throw new SchemaError("id", "must be lower case letters, digits, . and -");
  }
  const product = raw.product ?? defaultProduct;
  if (!products.includes(product as Product)) {
    throw new SchemaError("product", `must be one of ${products.join(", ")}`);
  }
  return {
    id,
    title: text(raw.title, "title"),
    product: product as Product,
    tags: raw.tags === undefined ? [] : texts(raw.tags, "tags"),
    requirements: texts(raw.requirements, "requirements", true),
  };
}

/** A scenario; `defaultProduct` comes from the file. */
export function readScenario(value: unknown, defaultProduct: Product | undefined): Scenario {
  const raw = object(value, "scenario");
  only(
    raw,
    ["id", "title", "product", "tags", "requirements", "request", "mutations", "expect"],
    "scenario",
  );
  const mutations = readMutations(raw.mutations, "mutations");
  return {
    ...header(raw, defaultProduct),
    request: readRequest(raw.request, "request"),
    ...(mutations ? { mutations } : {}),
    expect: readExpectation(raw.expect, "expect"),
  };
}

function readSteps(value: unknown, where: string, names: Set<string>): FlowStep[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new SchemaError(where, "must be a non-empty list");
  }
  return value.map((item, i) => {
    const at = `${where}[${i}]`;
    const raw = object(item, at);
    only(raw, ["name", "request", "mutations", "expect"], at);
    const name = text(raw.name, `${at}.name`);
    if (names.has(name)) throw new SchemaError(`${at}.name`, `step name ${name} is used twice`);
    names.add(name);
    const mutations = readMutations(raw.mutations, `${at}.mutations`);
    return {
      name,
      request: readRequest(raw.request, `${at}.request`),
      ...(mutations ? { mutations } : {}),
      expect: readExpectation(raw.expect, `${at}.expect`),
    };
  });
}

/** A flow; `defaultProduct` comes from the file. */
export function readFlow(value: unknown, defaultProduct: Product | undefined): Flow {
  const raw = object(value, "flow");
  only(raw, ["id", "title", "product", "tags", "requirements", "steps", "teardown"], "flow");
  const names = new Set<string>();
  const steps = readSteps(raw.steps, "steps", names);
  const teardown = raw.teardown === undefined
    ? undefined
    : readSteps(raw.teardown, "teardown", names);
  return { ...header(raw, defaultProduct), steps, ...(teardown ? { teardown } : {}) };
}
