/**
 * Checks the parsed YAML of a MESH scenario file (`specs/scenarios/mesh-*.yaml`) against the model
 * of `mesh-scenario.ts` and normalises it (an `auth` or `body` given as a string, a status or code
 * given alone). Every problem names where it is, like `scenario-schema.ts` does for GP Connect
 * scenarios.
 *
 * @module
 */
import { itkDefects } from "../../client/itk3/itk-defects.ts";
import {
  type Json,
  onlyKeys as only,
  SchemaError,
  schemaObject as object,
  schemaOneOf as oneOf,
  schemaText as text,
} from "../scenarios/schema-readers.ts";
import type {
  ItkDefect,
  MeshAuth,
  MeshBody,
  MeshExpectation,
  MeshJsonCheck,
  MeshNeed,
  MeshRequestTemplate,
  MeshScenario,
  MeshStep,
  MessagingExpectation,
  MessagingScenario,
} from "./mesh-scenario.ts";

function texts(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new SchemaError(where, "must not be empty");
  return list.map((item, i) =>
    text(typeof item === "number" ? String(item) : item, `${where}[${i}]`)
  );
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new SchemaError(where, `must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

function statuses(value: unknown, where: string): number | number[] {
  const read = (v: unknown, w: string) => integer(v, w, 100, 599);
  if (!Array.isArray(value)) return read(value, where);
  if (value.length === 0) throw new SchemaError(where, "must not be an empty list");
  return value.map((v, i) => read(v, `${where}[${i}]`));
}

const plainAuths = [
  "valid",
  "none",
  "wrong-hmac",
  "wrong-password",
  "wrong-key",
  "unknown-mailbox",
  "four-parts",
  "count-not-numeric",
] as const;

function readAuth(value: unknown, where: string): MeshAuth {
  if (typeof value === "string") return { kind: oneOf(value, plainAuths, where) };
  const raw = object(value, where);
  const [key, ...more] = Object.keys(raw);
  if (key === undefined || more.length > 0) {
    throw new SchemaError(where, "must be a string or a mapping with one key");
  }
  const item = raw[key];
  switch (key) {
    case "replay":
      return { kind: "replay", step: text(item, `${where}.replay`) };
    case "tokenOf":
      return { kind: "token-of", role: oneOf(item, ["sender", "recipient"], `${where}.tokenOf`) };
    case "scheme":
      if (typeof item !== "string") throw new SchemaError(`${where}.scheme`, "must be a string");
      return { kind: "scheme", scheme: item };
    case "timestampOffsetMinutes":
      return {
        kind: "timestamp-offset",
        minutes: integer(item, `${where}.${key}`, -100_000, 100_000),
      };
    case "timestamp":
      return { kind: "timestamp-text", text: text(item, `${where}.timestamp`) };
    default:
      throw new SchemaError(where, `unknown auth ${key}`);
  }
}

function readBody(value: unknown, where: string): MeshBody {
  if (typeof value === "string") return { kind: "text", text: value };
  const raw = object(value, where);
  only(raw, ["bytes", "seed"], where);
  return {
    kind: "bytes",
    size: integer(raw.bytes, `${where}.bytes`, 0, 200 * 1024 * 1024),
    seed: text(raw.seed, `${where}.seed`),
  };
}

function readRequest(value: unknown, where: string): MeshRequestTemplate {
  const raw = object(value, where);
  only(raw, ["as", "method", "path", "link", "headers", "body", "gzip", "auth"], where);
  const path = text(raw.path, `${where}.path`);
  if (raw.link !== true && !path.startsWith("/")) {
    throw new SchemaError(`${where}.path`, "must start with /");
  }
  const headers: Record<string, string | null> = {};
  if (raw.headers !== undefined) {
    for (const [name, item] of Object.entries(object(raw.headers, `${where}.headers`))) {
      if (item !== null && typeof item !== "string") {
        throw new SchemaError(`${where}.headers.${name}`, "must be a string or null");
      }
      headers[name] = item;
    }
  }
  if (raw.gzip !== undefined && typeof raw.gzip !== "boolean") {
    throw new SchemaError(`${where}.gzip`, "must be true or false");
  }
  return {
    as: raw.as === undefined
      ? "sender"
      : oneOf(raw.as, ["sender", "recipient", "anonymous"], `${where}.as`),
    method: text(raw.method, `${where}.method`).toUpperCase(),
    path,
    ...(raw.link === true ? { link: true } : {}),
    ...(raw.headers === undefined ? {} : { headers }),
    ...(raw.body === undefined ? {} : { body: readBody(raw.body, `${where}.body`) }),
    ...(raw.gzip === true ? { gzip: true } : {}),
    ...(raw.auth === undefined ? {} : { auth: readAuth(raw.auth, `${where}.auth`) }),
  };
}

const checkKinds = [
  "equals",
  "matches",
  "exists",
  "contains",
  "excludes",
  "containsAllFrom",
  "excludesAllFrom",
] as const;

function readJsonCheck(value: unknown, where: string): MeshJsonCheck {
  const raw = object(value, where);
  only(raw, ["path", "description", "requirement", "unionWith", ...checkKinds], where);
  const kinds = checkKinds.filter((kind) => raw[kind] !== undefined);
  if (kinds.length !== 1) {
    throw new SchemaError(where, `needs exactly one of ${checkKinds.join(", ")}`);
  }
  const from = (key: "containsAllFrom" | "excludesAllFrom") => {
    const ref = object(raw[key], `${where}.${key}`);
    only(ref, ["step", "path"], `${where}.${key}`);
    return {
      step: text(ref.step, `${where}.${key}.step`),
      path: text(ref.path, `${where}.${key}.path`),
    };
  };
  const kind = kinds[0]!;
  const check = kind === "containsAllFrom" || kind === "excludesAllFrom"
    ? { [kind]: from(kind) }
    : kind === "exists"
    ? { exists: raw.exists === true }
    : kind === "contains" || kind === "excludes" || kind === "matches"
    ? { [kind]: text(raw[kind], `${where}.${kind}`) }
    : { equals: raw.equals };
  return {
    path: text(raw.path, `${where}.path`),
    description: text(raw.description, `${where}.description`),
    ...(raw.requirement === undefined
      ? {}
      : { requirement: text(raw.requirement, `${where}.requirement`) }),
    ...(raw.unionWith === undefined
      ? {}
      : { unionWith: texts(raw.unionWith, `${where}.unionWith`) }),
    ...check,
  };
}

function readExpectation(value: unknown, where: string): MeshExpectation {
  const raw = object(value, where);
  only(raw, ["status", "error", "headers", "json", "body", "bodyExcludes"], where);
  let error: MeshExpectation["error"];
  if (raw.error !== undefined) {
    const e = object(raw.error, `${where}.error`);
    only(e, ["code", "requirement"], `${where}.error`);
    error = {
      ...(e.code === undefined ? {} : { code: texts(e.code, `${where}.error.code`) }),
      ...(e.requirement === undefined
        ? {}
        : { requirement: text(e.requirement, `${where}.error.requirement`) }),
    };
  }
  const headers: Record<string, string> = {};
  if (raw.headers !== undefined) {
    for (const [name, item] of Object.entries(object(raw.headers, `${where}.headers`))) {
      headers[name] = typeof item === "number"
        ? String(item)
        : text(item, `${where}.headers.${name}`);
    }
  }
  if (raw.json !== undefined && !Array.isArray(raw.json)) {
    throw new SchemaError(`${where}.json`, "must be a list");
  }
  return {
    status: statuses(raw.status, `${where}.status`),
    ...(error === undefined ? {} : { error }),
    ...(raw.headers === undefined ? {} : { headers }),
    ...(raw.json === undefined
      ? {}
      : { json: (raw.json as unknown[]).map((c, i) => readJsonCheck(c, `${where}.json[${i}]`)) }),
    ...(raw.body === undefined ? {} : { body: readBody(raw.body, `${where}.body`) }),
    ...(raw.bodyExcludes === undefined
      ? {}
      : { bodyExcludes: texts(raw.bodyExcludes, `${where}.bodyExcludes`) }),
  };
}

const idPattern = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

function header(raw: Json) {
  const id = text(raw.id, "id");
  if (!idPattern.test(id)) {
    throw new SchemaError("id", "must be lower case letters, digits, . and -");
  }
  return {
    id,
    title: text(raw.title, "title"),
    tags: raw.tags === undefined ? [] : texts(raw.tags, "tags"),
    requirements: texts(raw.requirements, "requirements"),
  };
}

/**
 * A MESH API scenario.
 *
 * @example
 * ```ts
 * const scenario = readMeshScenario({
 *   id: "mesh.auth.none", title: "No token", requirements: ["MESH-AUTH-REQUIRED"],
 *   steps: [{ name: "h", request: { method: "POST", path: "/{mailbox}", auth: "none" }, expect: { status: 403 } }],
 * });
 * ```
 */
export function readMeshScenario(value: unknown): MeshScenario {
  const raw = object(value, "scenario");
  only(raw, ["id", "title", "tags", "requirements", "needs", "steps"], "scenario");
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    throw new SchemaError("steps", "must be a non-empty list");
  }
  const names = new Set<string>();
  const steps = raw.steps.map((item, i): MeshStep => {
    const at = `steps[${i}]`;
    const step = object(item, at);
    only(step, ["name", "requirement", "request", "repeat", "retry", "expect"], at);
    let retry: MeshStep["retry"];
    if (step.retry !== undefined) {
      const r = object(step.retry, `${at}.retry`);
      only(r, ["attempts", "delayMs"], `${at}.retry`);
      retry = {
        attempts: integer(r.attempts, `${at}.retry.attempts`, 1, 200),
        delayMs: integer(r.delayMs, `${at}.retry.delayMs`, 0, 60_000),
      };
    }
    const name = text(step.name, `${at}.name`);
    if (names.has(name)) throw new SchemaError(`${at}.name`, `step name ${name} is used twice`);
    names.add(name);
    return {
      name,
      ...(step.requirement === undefined
        ? {}
        : { requirement: text(step.requirement, `${at}.requirement`) }),
      request: readRequest(step.request, `${at}.request`),
      ...(step.repeat === undefined
        ? {}
        : { repeat: integer(step.repeat, `${at}.repeat`, 1, 100) }),
      ...(retry === undefined ? {} : { retry }),
      expect: readExpectation(step.expect, `${at}.expect`),
    };
  });
  const needs: MeshNeed[] = raw.needs === undefined
    ? []
    : texts(raw.needs, "needs").map((need, i) =>
      oneOf(need, ["recipient", "admin", "practice", "routing"] as const, `needs[${i}]`)
    );
  return { ...header(raw), product: "mesh", needs, steps };
}

const defects: readonly ItkDefect[] = itkDefects;

function readAck(value: unknown, where: string) {
  const raw = object(value, where);
  only(raw, ["codes", "requirement"], where);
  return {
    codes: texts(raw.codes, `${where}.codes`),
    ...(raw.requirement === undefined
      ? {}
      : { requirement: text(raw.requirement, `${where}.requirement`) }),
  };
}

function readAckOrAbsent(value: unknown, where: string) {
  return value === "absent" ? "absent" as const : readAck(value, where);
}

/** A messaging receiver scenario. */
export function readMessagingScenario(value: unknown): MessagingScenario {
  const raw = object(value, "scenario");
  only(raw, ["id", "title", "tags", "requirements", "send", "expect"], "scenario");
  const send = object(raw.send, "send");
  only(send, ["message", "patientRole", "otherPatientRole", "defect", "address", "twice"], "send");
  const expect = object(raw.expect, "expect");
  only(expect, ["infAck", "busAck", "duplicate", "meshAcknowledged", "filed"], "expect");
  let duplicate: MessagingExpectation["duplicate"];
  if (expect.duplicate !== undefined) {
    const d = object(expect.duplicate, "expect.duplicate");
    only(d, ["infAck", "busAck"], "expect.duplicate");
    duplicate = {
      infAck: readAck(d.infAck, "expect.duplicate.infAck"),
      busAck: readAckOrAbsent(d.busAck, "expect.duplicate.busAck"),
    };
  }
  if (expect.filed !== undefined && (expect.filed !== true || send.message !== "send-document")) {
    throw new SchemaError("expect.filed", "is true, for a Send Document, or absent");
  }
  if (typeof expect.meshAcknowledged !== "boolean") {
    throw new SchemaError("expect.meshAcknowledged", "must be true or false");
  }
  if ((send.defect === "patient-differs-from-address") !== (send.otherPatientRole !== undefined)) {
    throw new SchemaError(
      "send.otherPatientRole",
      "is given exactly for patient-differs-from-address",
    );
  }
  if ((send.twice === true) !== (duplicate !== undefined)) {
    throw new SchemaError("expect.duplicate", "is given exactly when send.twice is true");
  }
  return {
    ...header(raw),
    product: "messaging",
    send: {
      message: oneOf(send.message, ["send-document", "update-record"] as const, "send.message"),
      patientRole: text(send.patientRole, "send.patientRole"),
      ...(send.otherPatientRole === undefined
        ? {}
        : { otherPatientRole: text(send.otherPatientRole, "send.otherPatientRole") }),
      defect: send.defect === undefined ? "none" : oneOf(send.defect, defects, "send.defect"),
      address: send.address === undefined
        ? "gpprovider"
        : oneOf(send.address, ["gpprovider", "mailbox"] as const, "send.address"),
      ...(send.twice === true ? { twice: true } : {}),
    },
    expect: {
      infAck: readAck(expect.infAck, "expect.infAck"),
      busAck: readAckOrAbsent(expect.busAck, "expect.busAck"),
      ...(duplicate === undefined ? {} : { duplicate }),
      meshAcknowledged: expect.meshAcknowledged,
      ...(expect.filed === true ? { filed: true } : {}),
    },
  };
}
