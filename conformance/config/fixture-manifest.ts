/**
 * The fixture manifest: which NHS number plays each test-patient role on the target, and whether
 * the target must serve that patient (`present`) or must not (`absent`: unknown, not on PDS,
 * sensitive, deceased, inactive, superseded). The default is the roles of
 * `specs/fixture-patients.json` (NHS England's provider test pack numbers, which every provider
 * under test preloads); a target's own manifest overrides roles one by one.
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
}

/** Name and date of birth of a role's patient. */
export interface FixtureDemographics {
  readonly family: string;
  readonly given: readonly string[];
  /** `yyyy-mm-dd`. */
  readonly birthDate: string;
}

/** Roles by name. */
export type FixtureManifest = ReadonlyMap<string, FixtureRole>;

interface FixtureDocPatient {
  readonly role: string;
  readonly nhsNumber: string;
  readonly name?: { readonly family?: string; readonly given?: readonly string[] };
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
  return { family, given: patient.name?.given ?? [], birthDate };
}

/** The roles of `specs/fixture-patients.json`. */
export function defaultFixtureManifest(): FixtureManifest {
  const patients = fixtureDoc.patients as unknown as readonly FixtureDocPatient[];
  return new Map(patients.map((patient) => [patient.role, {
    role: patient.role,
    nhsNumber: patient.nhsNumber,
    expect: patient.provider?.status === "active" ? "present" : "absent",
    ...(patient.provider ? { logicalId: patient.provider.logicalId } : {}),
    ...(docDemographics(patient) ? { demographics: docDemographics(patient)! } : {}),
  }]));
}

const nhsNumber = /^\d{10}$/;

/**
 * A manifest from JSON `{"roles": {role: nhsNumber | {nhsNumber, expect?, logicalId?, family?,
 * given?, birthDate?}}}`, layered over `base`. A role given only as an NHS number keeps the base
 * role's `expect` (or `present`); demographics are kept only when the NHS number is unchanged or
 * given anew.
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
    const { nhsNumber: number, expect, logicalId } = entry as Record<string, unknown>;
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
    const demographics = parseDemographics(entry as Record<string, unknown>, field) ??
      (base.get(role)?.nhsNumber === number ? base.get(role)?.demographics : undefined);
    merged.set(role, {
      role,
      nhsNumber: number,
      expect: expect ?? base.get(role)?.expect ?? "present",
      ...(logicalId !== undefined ? { logicalId } : {}),
      ...(demographics ? { demographics } : {}),
    });
  }
  return merged;
}

function parseDemographics(
  entry: Record<string, unknown>,
  field: string,
): FixtureDemographics | undefined {
  const { family, given, birthDate } = entry;
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
  return { family, given, birthDate };
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
