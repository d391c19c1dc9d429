/**
 * RESP-SEARCH-WINDOW: a search returns only what lies inside the window and status it asked for,
 * the window read from the request the step sent:
 * - Search for free slots (`start=ge…&end=le…&status=free`): each Slot lies fully within the
 *   period (GPC-1.6 search for free slots) and has the requested status;
 * - Retrieve a patient's appointments (`start=ge…&start=le…`): each Appointment starts within it;
 * - Search for documents (`created=ge…`, `created=le…`): each DocumentReference was created
 *   within it.
 * A bound that is a whole date compares with the date part of the value as written (providers
 * write UK local times with their offset); a bound with a time compares instants.
 *
 * @module
 */
import { primaryResources } from "./fhir-walk.ts";
import {
  type CheckInput,
  type CheckVerdict,
  interactionIds,
  queryOf,
  type ResponseCheck,
} from "./response-check.ts";

/** A bound of the window: `ge` (value ≥ bound) or `le` (value ≤ bound). */
export interface WindowBound {
  readonly prefix: "ge" | "le" | "gt" | "lt";
  readonly value: string;
}

/** The bounds of a date search parameter (`ge2025-01-16`), those without a prefix ignored. */
export function boundsOf(values: readonly string[]): WindowBound[] {
  return values.flatMap((raw) => {
    const match = /^(ge|le|gt|lt)(\d{4}-\d{2}-\d{2}.*)$/.exec(raw.trim());
    return match ? [{ prefix: match[1] as WindowBound["prefix"], value: match[2] as string }] : [];
  });
}

/** Whether a FHIR date/dateTime/instant `value` keeps `bound`; undefined if either is unreadable. */
export function keepsBound(value: string, bound: WindowBound): boolean | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(bound.value);
  let order: number;
  if (dateOnly) {
    const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
    if (day === undefined) return undefined;
    order = day < bound.value ? -1 : day > bound.value ? 1 : 0;
  } else {
    const a = Date.parse(value);
    const b = Date.parse(bound.value);
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    order = Math.sign(a - b);
  }
  switch (bound.prefix) {
    case "ge":
      return order >= 0;
    case "gt":
      return order > 0;
    case "le":
      return order <= 0;
    case "lt":
      return order < 0;
  }
}

/** What is searched: the resource type, which element each bound applies to. */
interface WindowRule {
  readonly resourceType: string;
  /** Bounds and the element of the resource each is checked on. */
  readonly bounds: readonly { readonly bound: WindowBound; readonly element: string }[];
  /** Required `status`, if the request names one. */
  readonly status?: string;
}

function ruleFor(input: CheckInput): WindowRule | undefined {
  const query = queryOf(input.request);
  switch (input.request.interaction) {
    case interactionIds.searchSlots: {
      // A slot lies fully within the period: it starts on or after `start`, ends by `end`.
      const start = boundsOf(query.getAll("start")).map((bound) => ({ bound, element: "start" }));
      const end = boundsOf(query.getAll("end")).map((bound) => ({ bound, element: "end" }));
      const status = query.get("status") ?? undefined;
      return {
        resourceType: "Slot",
        bounds: [...start, ...end],
        ...(status ? { status } : {}),
      };
    }
    case interactionIds.patientAppointments:
      return {
        resourceType: "Appointment",
        bounds: boundsOf(query.getAll("start")).map((bound) => ({ bound, element: "start" })),
      };
    case interactionIds.searchDocuments:
      return {
        resourceType: "DocumentReference",
        bounds: boundsOf(query.getAll("created")).map((bound) => ({ bound, element: "created" })),
      };
    default:
      return undefined;
  }
}

function windowVerdict(input: CheckInput): CheckVerdict | undefined {
  const rule = ruleFor(input);
  if (!rule || input.body.resourceType !== "Bundle") return undefined;
  if (rule.bounds.length === 0 && rule.status === undefined) return undefined;
  const problems: string[] = [];
  for (const { resource, path } of primaryResources(input.body)) {
    if (resource.resourceType !== rule.resourceType) continue;
    const name = `${rule.resourceType}/${String(resource.id)}`;
    for (const { bound, element } of rule.bounds) {
      const value = resource[element];
      const kept = typeof value === "string" ? keepsBound(value, bound) : undefined;
      if (kept === false) {
        problems.push(`${name} ${element} ${value} is outside ${bound.prefix}${bound.value}`);
      } else if (kept === undefined) {
        problems.push(`${name} has no readable ${element} (${path}.${element})`);
      }
    }
    if (rule.status !== undefined && resource.status !== rule.status) {
      problems.push(`${name} status ${JSON.stringify(resource.status)} is not ${rule.status}`);
    }
  }
  const window = rule.bounds.map(({ bound, element }) =>
    `${element} ${bound.prefix}${bound.value}`
  );
  const status = rule.status === undefined ? [] : [`status ${rule.status}`];
  return {
    description: `every ${rule.resourceType} is inside the requested window (${
      [...window, ...status].join(", ")
    })`,
    problems,
  };
}

/** The check. */
export const searchWindowCheck: ResponseCheck = {
  name: "search-window",
  requirement: "RESP-SEARCH-WINDOW",
  check: windowVerdict,
};
