/**
 * Offline terminology over a profile directory: ValueSet membership from `compose.include`
 * (explicit `concept` lists, `concept =` filters, whole CodeSystems of the directory with their
 * concepts, nested ValueSets) or from an `expansion`. What cannot be decided offline (SNOMED CT
 * ECL and refset filters, CodeSystems not in the directory) is "unknown", never "not a member".
 *
 * @module
 */
import type {
  CodeSystemConcept,
  ConformancePackage,
  ValueSet,
  ValueSetInclude,
} from "./conformance-resources.ts";

/** The answer to "is this code in the ValueSet?". */
export type Membership =
  | { readonly result: "member" }
  | { readonly result: "not-member" }
  | { readonly result: "unknown"; readonly reason: string };

/** One expanded include: a system (undefined = any) and its codes, or why they are unknown. */
interface Part {
  readonly system: string | undefined;
  readonly codes?: ReadonlySet<string>;
  readonly unknown?: string;
}

interface Expansion {
  readonly include: readonly Part[];
  readonly exclude: readonly Part[];
}

function flatten(concepts: readonly CodeSystemConcept[] | undefined, into: Set<string>): void {
  for (const concept of Array.isArray(concepts) ? concepts : []) {
    if (concept.code) into.add(concept.code);
    flatten(concept.concept, into);
  }
}

/** Membership checks against the ValueSets and CodeSystems of one directory. */
export class Terminology {
  readonly #pkg: ConformancePackage;
  readonly #expansions = new Map<string, Expansion>();

  constructor(pkg: ConformancePackage) {
    this.#pkg = pkg;
  }

  /** True when the ValueSet is in the directory. */
  hasValueSet(url: string): boolean {
    return this.#pkg.valueSets.has(url);
  }

  #codeSystemPart(system: string): Part {
    const cs = this.#pkg.codeSystems.get(system);
    if (!cs) return { system, unknown: `CodeSystem ${system} not available` };
    if (cs.content !== undefined && cs.content !== "complete") {
      return { system, unknown: `CodeSystem ${system} content is ${cs.content}` };
    }
    const codes = new Set<string>();
    flatten(cs.concept, codes);
    return { system, codes };
  }

  #parts(includes: readonly ValueSetInclude[] | undefined, seen: Set<string>): Part[] {
    const parts: Part[] = [];
    for (const include of includes ?? []) {
      for (const nested of include.valueSet ?? []) {
        const expansion = this.#expand(nested, seen);
        if (expansion) parts.push(...expansion.include);
        else parts.push({ system: undefined, unknown: `ValueSet ${nested} not available` });
      }
      const system = include.system;
      if (system === undefined) continue;
      if (include.concept?.length) {
        parts.push({ system, codes: new Set(include.concept.flatMap((c) => c.code ?? [])) });
      } else if (include.filter?.length) {
        const equalities = include.filter.every((f) => f.property === "concept" && f.op === "=");
        parts.push(
          equalities
            ? { system, codes: new Set(include.filter.flatMap((f) => f.value ?? [])) }
            : { system, unknown: `ValueSet filter on ${system} cannot be expanded offline` },
        );
      } else {
        parts.push(this.#codeSystemPart(system));
      }
    }
    return parts;
  }

  #expand(url: string, seen = new Set<string>()): Expansion | undefined {
    const cached = this.#expansions.get(url);
    if (cached) return cached;
    const vs: ValueSet | undefined = this.#pkg.valueSets.get(url);
    if (!vs || seen.has(url)) return undefined;
    seen.add(url);
    let expansion: Expansion;
    if (vs.expansion?.contains?.length) {
      const bySystem = new Map<string | undefined, Set<string>>();
      for (const c of vs.expansion.contains) {
        const codes = bySystem.get(c.system) ?? new Set<string>();
        if (c.code) codes.add(c.code);
        bySystem.set(c.system, codes);
      }
      expansion = {
        include: [...bySystem].map(([system, codes]) => ({ system, codes })),
        exclude: [],
      };
    } else {
      expansion = {
        include: this.#parts(vs.compose?.include, seen),
        exclude: this.#parts(vs.compose?.exclude, seen),
      };
    }
    this.#expansions.set(url, expansion);
    return expansion;
  }

  /**
   * Whether `code` (of `system`; undefined for a bare `code` element) is in ValueSet `url`.
   *
   * @example
   * ```ts
   * import { isProfilesDir, profilesDirFromEnv } from "../config/profiles-dir.ts";
   * import { loadConformancePackage } from "./profile-loader.ts";
   *
   * const dir = profilesDirFromEnv(Deno.env.toObject(), Deno.cwd());
   * if (await isProfilesDir(dir)) {
   *   const terminology = new Terminology(await loadConformancePackage(dir));
   *   terminology.check(
   *     "https://fhir.nhs.uk/STU3/ValueSet/CareConnect-RegistrationType-1",
   *     "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1",
   *     "R",
   *   ); // { result: "member" }
   * }
   * ```
   */
  check(url: string, system: string | undefined, code: string): Membership {
    const expansion = this.#expand(url);
    if (!expansion) return { result: "unknown", reason: `ValueSet ${url} not available` };
    const applies = (part: Part) =>
      system === undefined || part.system === undefined || part.system === system;
    if (expansion.exclude.some((p) => applies(p) && p.codes?.has(code))) {
      return { result: "not-member" };
    }
    const candidates = expansion.include.filter(applies);
    if (candidates.some((p) => p.codes?.has(code))) return { result: "member" };
    const unknown = candidates.find((p) => p.unknown !== undefined);
    if (unknown) return { result: "unknown", reason: unknown.unknown as string };
    return { result: "not-member" };
  }
}
