/**
 * Service roots of a target, one per root kind of the interaction catalogue: derived from an STU3
 * base URL (`https://host/B82617/STU3/1/gpconnect` → `/fhir`, `/structured/fhir`,
 * `/documents/fhir`), given one by one, or built for a practice at a provider's base URL in GP
 * Connect's format `[base]/[ODS]/[FHIR_VERSION]/[MAJOR]/[segment]` (gpconnect-ssp.md §1.1).
 *
 * @module
 */
import { type RootKind, serviceRoots } from "../../gpconnect/specs.ts";
import { ConfigError } from "../config/config-error.ts";

/** Roots by kind; a target need not have them all. */
export type Roots = Readonly<Partial<Record<RootKind, string>>>;

/** Every root kind, in catalogue order. */
export const rootKinds: readonly RootKind[] = Object.keys(serviceRoots) as RootKind[];

/**
 * The STU3 roots under a base URL (DSTU2 is never derived: its base differs).
 *
 * @example
 * ```ts
 * stu3RootsFromBase("https://h/B82617/STU3/1/gpconnect").structured;
 * // "https://h/B82617/STU3/1/gpconnect/structured/fhir"
 * ```
 */
export function stu3RootsFromBase(baseUrl: string): Roots {
  const base = baseUrl.replace(/\/+$/, "");
  if (/\/fhir$/.test(base)) {
    throw new ConfigError(
      "--base-url",
      `give the base without /fhir, e.g. ${base.replace(/\/fhir$/, "")} (the roots ` +
        `/fhir, /structured/fhir and /documents/fhir are derived from it), or give the roots ` +
        `one by one with --foundations, --structured, --documents`,
    );
  }
  const roots: Partial<Record<RootKind, string>> = {};
  for (const kind of rootKinds) {
    const root = serviceRoots[kind];
    if (root.fhirVersion !== "STU3") continue;
    // The segment is the routing segment plus the root's own suffix: "gpconnect/structured/fhir".
    roots[kind] = `${base}/${root.segment.split("/").slice(1).join("/")}`;
  }
  return roots;
}

/** Roots derived from `baseUrl` (if any), overridden by the ones given explicitly. */
export function targetRoots(baseUrl: string | undefined, explicit: Roots): Roots {
  return { ...(baseUrl === undefined ? {} : stu3RootsFromBase(baseUrl)), ...explicit };
}

/**
 * Every root of a practice at a provider base URL.
 *
 * @example
 * ```ts
 * practiceRoots("http://127.0.0.1:8083", "B82617").dstu2; // "http://127.0.0.1:8083/B82617/DSTU2/0/gpconnect"
 * ```
 */
export function practiceRoots(providerBaseUrl: string, odsCode: string): Roots {
  const base = providerBaseUrl.replace(/\/+$/, "");
  return Object.fromEntries(rootKinds.map((kind) => {
    const root = serviceRoots[kind];
    return [kind, `${base}/${odsCode}/${root.fhirVersion}/${root.majorVersion}/${root.segment}`];
  }));
}
