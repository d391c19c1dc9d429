/**
 * The fixture manifest: which NHS number plays each test-patient role on the target, and whether
 * the target must serve that patient (`present`) or must not (`absent`: unknown, not on PDS,
 * sensitive, deceased, inactive, superseded). The default is the roles of
 * `specs/fixture-patients.json` (NHS England's provider test pack numbers, which every provider
 * under test preloads); a target's own manifest overrides roles one by one.
 *
 * A role may name a pool of candidate patients (`candidates`): the preflight takes the first one
 * that meets the role's expectation at the target. A flow that registers an `absent` role's
 * patient leaves it registered (GP Connect has no deregistration); the next run takes the next
 * candidate, so it runs again against the same provider until the pool is used up.
 *
 * @module
 */
import fixtureDoc from "../../specs/fixture-patients.json" with { type: "json" };
import { ConfigError } from "./config-error.ts";

/** One role on the target. */
export interface FixtureRole {
  readonly role: string;
  readonly nhsNumber: string;
  /** Whether a Patient search by the NHS number must find the patient on the target. */
  readonly expect: "present" | "absent";
  /**
   * Logical id to use for `{patientId}` when the preflight cannot find one (roles that must be
   * absent from searches but are read by id). The default is the reference provider's id.
   */
  readonly logicalId?: string;
  /**
   * The patient's demographics as PDS holds them: what a MESH message about the patient carries
   * (its GPPROVIDER address and Patient, product messaging).
   */
  readonly demographics?: FixtureDemographics;
  /**
   * The role's pool, in the order the preflight tries them; the first is `nhsNumber` and
   * `demographics`. Absent: the one patient.
   */
  readonly candidates?: readonly FixtureCandidate[];
}

/** One patient of a role's pool. */
export interface FixtureCandidate {
  readonly nhsNumber: string;
  readonly demographics?: FixtureDemographics;
}

/** Name, date of birth and gender of a role's patient, as PDS holds them. */
export interface FixtureDemographics {
  readonly family: string;
  readonly given: readonly string[];
  /** `yyyy-mm-dd`. */
  readonly birthDate: string;
  readonly prefix?: readonly string[];
  readonly gender?: "male" | "female" | "other" | "unknown";
}

/** Roles by name. */
export type FixtureManifest = ReadonlyMap<string, FixtureRole>;

interface FixtureDocPatient {
  readonly role: string;
  readonly candidateFor?: string;
  readonly nhsNumber: string;
  readonly name?: {
    readonly family?: string;
    readonly given?: readonly string[];
    readonly prefix?: readonly string[];
  };
  readonly gender?: FixtureDemographics["gender"];
  readonly birthDate?: string;
  readonly provider?: { readonly logicalId: string; readonly status: string };
}

function docDemographics(patient: FixtureDocPatient): FixtureDemographics | undefined {
  const family = patient.name?.family;
  const birthDate = patient.birthDate;
  // Relative dates (today±N) belong to the sandbox's clock: not a patient a message can name.
  if (family === undefined || birthDate === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    return undefined;
  }
  return {
    family,
    given: patient.name?.given ?? [],
    birthDate,
    ...(patient.name?.prefix ? { prefix: patient.name.prefix } : {}),
    ...(patient.gender ? { gender: patient.gender } : {}),
  };
}

function docCandidate(patient: FixtureDocPatient): FixtureCandidate {
  const demographics = docDemographics(patient);
  return { nhsNumber: patient.nhsNumber, ...(demographics ? { demographics } : {}) };
}

/**
 * The roles of `specs/fixture-patients.json`; a patient with `candidateFor` is one more candidate
 * of that role, not a role of its own.
 */
export function defaultFixtureManifest(): FixtureManifest {
  const patients = fixtureDoc.patients as unknown as readonly FixtureDocPatient[];
  const manifest = new Map<string, FixtureRole>(
    patients.filter((patient) => patient.candidateFor === undefined).map((patient) => [
      patient.role,
      {
        role: patient.role,
        ...docCandidate(patient),
        expect: patient.provider?.status === "active" ? "present" : "absent",
        ...(patient.provider ? { logicalId: patient.provider.logicalId } : {}),
      },
    ]),
  );
  for (const patient of patients) {
    const role = patient.candidateFor === undefined
      ? undefined
      : manifest.get(patient.candidateFor);
    if (role === undefined) continue;
    manifest.set(role.role, {
      ...role,
      candidates: [...(role.candidates ?? [firstCandidate(role)]), docCandidate(patient)],
    });
  }
  return manifest;
}

/** The role's own patient as a candidate. */
function firstCandidate(role: FixtureRole): FixtureCandidate {
  return {
    nhsNumber: role.nhsNumber,
    ...(role.demographics ? { demographics: role.demographics } : {}),
  };
}

/**
 * The patients a role may be played by, in order: its pool, or its one patient.
 *
 * @example
 * ```ts
 * roleCandidates(defaultFixtureManifest().get("pds-no-gp")!).length; // 13
 * ```
 */
export function roleCandidates(role: FixtureRole): readonly FixtureCandidate[] {
  return role.candidates ?? [firstCandidate(role)];
}

const nhsNumber = /^\d{10}$/;

/**
 * A manifest from JSON `{"roles": {role: nhsNumber | {nhsNumber, expect?, logicalId?, family?,
 * given?, birthDate?, prefix?, gender?, candidates?}}}`, layered over `base`. A role given only
 * as an NHS number keeps the base role's `expect` (or `present`); demographics and the base's
 * pool are kept only when the NHS number is unchanged, else given anew. `candidates` (NHS numbers
 * or `{nhsNumber, family, given, birthDate, prefix?, gender?}`) is the role's pool, after
 * `nhsNumber` when that is given too.
 */
export function parseFixtureManifest(
  json: unknown,
  label: string,
  base: FixtureManifest = defaultFixtureManifest(),
): FixtureManifest {
  const roles = (json as { roles?: unknown } | null)?.roles;
  if (typeof roles !== "object" || roles === null || Array.isArray(roles)) {
    throw new ConfigError(label, 'expected {"roles": {"<role>": "<nhs number>" | {…}}}');
  }
  const merged = new Map(base);
  for (const [role, value] of Object.entries(roles as Record<string, unknown>)) {
    const field = `${label} roles.${role}`;
    const entry = typeof value === "string" ? { nhsNumber: value } : value;
    if (typeof entry !== "object" || entry === null) {
      throw new ConfigError(field, "expected an NHS number or {nhsNumber, expect, logicalId}");
    }
    const { nhsNumber: given, expect, logicalId } = entry as Record<string, unknown>;
    const pool = parseCandidates((entry as Record<string, unknown>).candidates, field);
    const number = given === undefined && pool !== undefined ? pool[0]?.nhsNumber : given;
    if (typeof number !== "string" || !nhsNumber.test(number)) {
      throw new ConfigError(
        field,
        `expected a 10-digit NHS number (got ${JSON.stringify(number)})`,
      );
    }
    if (expect !== undefined && expect !== "present" && expect !== "absent") {
      throw new ConfigError(`${field}.expect`, 'expected "present" or "absent"');
    }
    if (logicalId !== undefined && typeof logicalId !== "string") {
      throw new ConfigError(`${field}.logicalId`, "expected a string");
    }
    const unchanged = base.get(role)?.nhsNumber === number ? base.get(role) : undefined;
    const demographics = parseDemographics(entry as Record<string, unknown>, field) ??
      (given === undefined ? pool?.[0]?.demographics : unchanged?.demographics);
    const first = { nhsNumber: number, ...(demographics ? { demographics } : {}) };
    const candidates = pool === undefined
      ? unchanged?.candidates
      : [first, ...pool.filter((candidate) => candidate.nhsNumber !== number)];
    merged.set(role, {
      role,
      ...first,
      expect: expect ?? base.get(role)?.expect ?? "present",
      ...(logicalId !== undefined ? { logicalId } : {}),
      ...(candidates && candidates.length > 1 ? { candidates } : {}),
    });
  }
  return merged;
}

function parseCandidates(value: unknown, field: string): FixtureCandidate[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      `${field}.candidates`,
      "expected a list of NHS numbers or {nhsNumber, …}",
    );
  }
  return value.map((item, index) => {
    const where = `${field}.candidates[${index}]`;
    const entry = typeof item === "string" ? { nhsNumber: item } : item;
    const number = (entry as Record<string, unknown> | null)?.nhsNumber;
    if (typeof number !== "string" || !nhsNumber.test(number)) {
      throw new ConfigError(
        where,
        `expected a 10-digit NHS number (got ${JSON.stringify(number)})`,
      );
    }
    const demographics = parseDemographics(entry as Record<string, unknown>, where);
    return { nhsNumber: number, ...(demographics ? { demographics } : {}) };
  });
}

const genders = ["male", "female", "other", "unknown"] as const;

function parseDemographics(
  entry: Record<string, unknown>,
  field: string,
): FixtureDemographics | undefined {
  const { family, given, birthDate, prefix, gender } = entry;
  if (family === undefined && given === undefined && birthDate === undefined) return undefined;
  if (typeof family !== "string" || family === "") {
    throw new ConfigError(`${field}.family`, "expected the family name with given and birthDate");
  }
  if (!Array.isArray(given) || !given.every((g) => typeof g === "string")) {
    throw new ConfigError(`${field}.given`, "expected a list of given names");
  }
  if (typeof birthDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    throw new ConfigError(`${field}.birthDate`, "expected yyyy-mm-dd");
  }
  if (
    prefix !== undefined && (!Array.isArray(prefix) || !prefix.every((p) => typeof p === "string"))
  ) {
    throw new ConfigError(`${field}.prefix`, "expected a list of name prefixes");
  }
  const sex = genders.find((known) => known === gender);
  if (gender !== undefined && sex === undefined) {
    throw new ConfigError(`${field}.gender`, `expected one of ${genders.join(", ")}`);
  }
  return {
    family,
    given,
    birthDate,
    ...(prefix === undefined ? {} : { prefix }),
    ...(sex === undefined ? {} : { gender: sex }),
  };
}

/** The manifest at `path` over the default, or the default when no path is given. */
export async function loadFixtureManifest(path?: string): Promise<FixtureManifest> {
  if (path === undefined) return defaultFixtureManifest();
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new ConfigError("fixtures", `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseFixtureManifest(json, path);
}
