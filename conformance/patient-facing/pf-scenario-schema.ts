/**
 * Reads one patient-facing scenario (`specs/scenarios/pf-*.yaml`, model `pf-scenario.ts`)
 * strictly: unknown keys, a step that is neither an exchange nor a request, an unknown API,
 * assertion or subject kind, a duplicate step name or a `requestIdOf`/`sameIdAs` naming no earlier
 * step are errors naming where. Expectations reuse the GP Connect reader for their shared part.
 *
 * @module
 */
import { readExpectation } from "../scenarios/scenario-schema.ts";
import {
  onlyKeys as only,
  schemaBool as bool,
  SchemaError,
  schemaObject as object,
  schemaOneOf as oneOf,
  schemaText as text,
  schemaTexts as texts,
} from "../scenarios/schema-readers.ts";
import {
  type PfApi,
  pfApis,
  type PfAssertionKind,
  pfAssertionKinds,
  type PfExchangeTemplate,
  type PfExpectation,
  type PfNeed,
  type PfRequestTemplate,
  type PfScenario,
  type PfStep,
  type PfSubjectKind,
  pfSubjectKinds,
} from "./pf-scenario.ts";

const ownExpectKeys = [
  "bundleIdIsRequestId",
  "mirrorsRequestId",
  "operationOutcome",
  "oauth",
  "sameIdAs",
  "r4Structure",
  "requirement",
] as const;

function readPfExpectation(value: unknown, where: string, earlier: Set<string>): PfExpectation {
  const raw = object(value, where);
  for (const key of ["bundleIdIsTraceId", "viaSsp"]) {
    if (raw[key] !== undefined) {
      throw new SchemaError(`${where}.${key}`, "not used here (no SSP: bundleIdIsRequestId)");
    }
  }
  const shared = Object.fromEntries(
    Object.entries(raw).filter(([key]) => !(ownExpectKeys as readonly string[]).includes(key)),
  );
  const { viaSsp: _viaSsp, bundleIdIsTraceId: _traceId, ...base } = readExpectation(
    shared,
    where,
    true,
  );
  const out: { -readonly [K in keyof PfExpectation]: PfExpectation[K] } = { ...base };
  const flags = [
    "bundleIdIsRequestId",
    "mirrorsRequestId",
    "operationOutcome",
    "r4Structure",
  ] as const;
  for (const key of flags) {
    if (raw[key] !== undefined) out[key] = bool(raw[key], `${where}.${key}`);
  }
  if (raw.oauth !== undefined) out.oauth = oneOf(raw.oauth, ["token", "error"], `${where}.oauth`);
  if (raw.sameIdAs !== undefined) {
    out.sameIdAs = text(raw.sameIdAs, `${where}.sameIdAs`);
    if (!earlier.has(out.sameIdAs)) {
      throw new SchemaError(`${where}.sameIdAs`, `no earlier step ${out.sameIdAs}`);
    }
  }
  if (raw.requirement !== undefined) {
    out.requirement = text(raw.requirement, `${where}.requirement`);
  }
  return out;
}

function readExchange(value: unknown, where: string): PfExchangeTemplate {
  const raw = object(value, where);
  only(raw, ["patientRole", "actorRole", "assertion", "subject"], where);
  return {
    patientRole: text(raw.patientRole, `${where}.patientRole`),
    ...(raw.actorRole === undefined
      ? {}
      : { actorRole: text(raw.actorRole, `${where}.actorRole`) }),
    assertion: raw.assertion === undefined
      ? "valid"
      : oneOf<PfAssertionKind>(raw.assertion, pfAssertionKinds, `${where}.assertion`),
    subject: raw.subject === undefined
      ? "valid"
      : oneOf<PfSubjectKind>(raw.subject, pfSubjectKinds, `${where}.subject`),
  };
}

function readRequest(value: unknown, where: string, earlier: Set<string>): PfRequestTemplate {
  const raw = object(value, where);
  only(raw, ["api", "method", "path", "as", "actor", "headers", "body", "requestIdOf"], where);
  const path = text(raw.path, `${where}.path`);
  if (!path.startsWith("/")) throw new SchemaError(`${where}.path`, "must start with /");
  const out: { -readonly [K in keyof PfRequestTemplate]: PfRequestTemplate[K] } = {
    api: oneOf<PfApi>(raw.api, pfApis, `${where}.api`),
    method: raw.method === undefined ? "GET" : text(raw.method, `${where}.method`).toUpperCase(),
    path,
    as: text(raw.as, `${where}.as`),
  };
  if (raw.actor !== undefined) out.actor = text(raw.actor, `${where}.actor`);
  if (raw.headers !== undefined) {
    const headers = object(raw.headers, `${where}.headers`);
    for (const [name, item] of Object.entries(headers)) {
      if (item !== null && typeof item !== "string") {
        throw new SchemaError(`${where}.headers.${name}`, "must be a string or null");
      }
    }
    out.headers = headers as Record<string, string | null>;
  }
  if (raw.body !== undefined) out.body = raw.body;
  if (raw.requestIdOf !== undefined) {
    out.requestIdOf = text(raw.requestIdOf, `${where}.requestIdOf`);
    if (!earlier.has(out.requestIdOf)) {
      throw new SchemaError(`${where}.requestIdOf`, `no earlier step ${out.requestIdOf}`);
    }
  }
  return out;
}

function readSteps(value: unknown, where: string, names: Set<string>): PfStep[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new SchemaError(where, "must be a non-empty list of steps");
  }
  return value.map((item, i) => {
    const at = `${where}[${i}]`;
    const raw = object(item, at);
    only(raw, ["name", "exchange", "request", "expect"], at);
    const name = text(raw.name, `${at}.name`);
    if (names.has(name)) throw new SchemaError(`${at}.name`, `duplicate step name ${name}`);
    if ((raw.exchange === undefined) === (raw.request === undefined)) {
      throw new SchemaError(at, "needs exactly one of exchange and request");
    }
    const step: PfStep = {
      name,
      ...(raw.exchange === undefined
        ? {}
        : { exchange: readExchange(raw.exchange, `${at}.exchange`) }),
      ...(raw.request === undefined
        ? {}
        : { request: readRequest(raw.request, `${at}.request`, names) }),
      expect: readPfExpectation(raw.expect, `${at}.expect`, names),
    };
    names.add(name);
    return step;
  });
}

const idPattern = /^pf\.[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/**
 * One scenario of a `pf-*.yaml` file.
 *
 * @example
 * ```ts
 * const scenario = readPfScenario({
 *   id: "pf.ar.documents-patient",
 *   title: "The patient's own Patient resource",
 *   requirements: ["PF-AR-DOCUMENTS"],
 *   steps: [{
 *     name: "patient",
 *     request: { api: "access-record", path: "/documents/Patient/{nhsNumber}", as: "rich-record" },
 *     expect: { status: 200, resourceType: "Patient" },
 *   }],
 * });
 * scenario.needs; // ["access-record"]
 * ```
 */
export function readPfScenario(value: unknown): PfScenario {
  const raw = object(value, "scenario");
  const id = text(raw.id, "id");
  if (!idPattern.test(id)) throw new SchemaError("id", "must look like pf.<area>.<name>");
  only(raw, ["id", "title", "tags", "requirements", "needs", "steps", "teardown"], id);
  const names = new Set<string>();
  const steps = readSteps(raw.steps, `${id}.steps`, names);
  const teardown = raw.teardown === undefined
    ? undefined
    : readSteps(raw.teardown, `${id}.teardown`, names);
  const requirements = texts(raw.requirements, `${id}.requirements`);
  if (requirements.length === 0) throw new SchemaError(`${id}.requirements`, "must not be empty");
  const listed = raw.needs === undefined
    ? []
    : texts(raw.needs, `${id}.needs`).map((need, i) =>
      oneOf<PfNeed>(need, [...pfApis, "view-user", "minted-id-tokens"], `${id}.needs[${i}]`)
    );
  // A P5 or a delegated login cannot come from a file of P9 id_tokens: it is minted on demand.
  const minted = (step: PfStep) =>
    step.exchange?.subject === "p5" || step.exchange?.actorRole !== undefined ||
    step.request?.actor !== undefined;
  const used = [...steps, ...(teardown ?? [])].flatMap((step): PfNeed[] => [
    ...(step.request ? [step.request.api] : []),
    ...(minted(step) ? ["minted-id-tokens" as const] : []),
  ]);
  return {
    id,
    title: text(raw.title, `${id}.title`),
    product: "patient-facing",
    tags: raw.tags === undefined ? [] : texts(raw.tags, `${id}.tags`),
    requirements,
    needs: [...new Set<PfNeed>([...used, ...listed])],
    steps,
    ...(teardown ? { teardown } : {}),
  };
}
