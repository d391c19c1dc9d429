/**
 * `GET /Patient/{id}/MedicationRequest`'s search parameters (A1): `authoredon` (repeatable, with
 * a `ge|le|gt|lt|eq` prefix, a date or a date-time), `identifier` (`[system|]value`), `intent`
 * and `status` (comma lists). A value that is none of these is 400 INVALID_PARAMETER (Simplifier
 * "Errors and issues": invalid date); other parameters are ignored, as FHIR search allows.
 *
 * @module
 */
import { PfError } from "../pf-error.ts";
import { medicationRequestStatuses } from "../../../../gpconnect/r4-structure.ts";
import type { R4Resource } from "./medication-r4.ts";

const intents = ["proposal", "plan", "order", "original-order", "reflex-order", "filler-order"];

const invalidParameter = (diagnostics: string) =>
  new PfError(400, "INVALID_PARAMETER", "value", "Invalid parameter", diagnostics);

type Filter = (resource: R4Resource) => boolean;

function authoredOnFilter(value: string): Filter {
  const match =
    /^(ge|le|gt|lt|eq)?(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/
      .exec(value);
  const bound = match ? (match[3] ? Date.parse(`${match[2]}${match[3]}`) : match[2]) : undefined;
  if (!match || bound === undefined || (typeof bound === "number" && Number.isNaN(bound))) {
    throw invalidParameter(`authoredon ${JSON.stringify(value)} is not [ge|le|gt|lt|eq]date`);
  }
  if (typeof bound === "string" && Number.isNaN(Date.parse(bound))) {
    throw invalidParameter(`authoredon ${JSON.stringify(value)} is not a date`);
  }
  const prefix = match[1] ?? "eq";
  return (resource) => {
    const authored = String(resource.authoredOn ?? "");
    // A date compares with the day authored; a date-time with the instant.
    const left: string | number = typeof bound === "string"
      ? authored.slice(0, 10)
      : Date.parse(authored);
    if (prefix === "ge") return left >= bound;
    if (prefix === "le") return left <= bound;
    if (prefix === "gt") return left > bound;
    if (prefix === "lt") return left < bound;
    return left === bound;
  };
}

function listFilter(name: string, allowed: readonly string[], value: string): Filter {
  const wanted = value.split(",");
  for (const entry of wanted) {
    if (!allowed.includes(entry)) {
      throw invalidParameter(`${name} ${JSON.stringify(entry)} is not one of ${allowed.join("|")}`);
    }
  }
  return (resource) => wanted.includes(String(resource[name]));
}

function identifierFilter(value: string): Filter {
  const bar = value.lastIndexOf("|");
  const system = bar < 0 ? undefined : value.slice(0, bar);
  const code = bar < 0 ? value : value.slice(bar + 1);
  if (code === "") throw invalidParameter("identifier needs a value");
  return (resource) =>
    (Array.isArray(resource.identifier) ? resource.identifier : []).some((identifier) =>
      identifier?.value === code && (system === undefined || system === "" ||
        identifier?.system === system)
    );
}

/**
 * The MedicationRequests the query selects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const requests = [
 *   { resourceType: "MedicationRequest", id: "a", intent: "plan", status: "active", authoredOn: "2026-01-10T10:00:00Z" },
 *   { resourceType: "MedicationRequest", id: "b", intent: "order", status: "completed", authoredOn: "2026-02-10T10:00:00Z" },
 * ];
 * const query = new URLSearchParams("intent=plan&authoredon=ge2026-01-01");
 * assert.deepEqual(searchMedicationRequests(requests, query).map((r) => r.id), ["a"]);
 * ```
 */
export function searchMedicationRequests(
  requests: readonly R4Resource[],
  query: URLSearchParams,
): R4Resource[] {
  const filters: Filter[] = [
    ...query.getAll("authoredon").map(authoredOnFilter),
    ...query.getAll("identifier").map(identifierFilter),
    ...query.getAll("intent").map((value) => listFilter("intent", intents, value)),
    ...query.getAll("status").map((value) =>
      listFilter("status", medicationRequestStatuses, value)
    ),
  ];
  return requests.filter((resource) => filters.every((filter) => filter(resource)));
}
