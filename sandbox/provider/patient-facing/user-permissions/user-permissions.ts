/**
 * The practice's User Permissions: a user's levels for a patient, from the fixtures
 * (`permission-fixtures.ts`) unless the sandbox control stored others in the provider's store.
 *
 * | Key | Value |
 * |---|---|
 * | `provider:{odsCode}:pf-permissions:{patient}` | the patient's own {@linkcode PermissionLevels} |
 * | `provider:{odsCode}:pf-permissions:{patient}:proxy:{actor}` | a proxy's levels for the patient |
 *
 * @module
 */
import type { ProviderStore } from "../../provider-store.ts";
import {
  defaultPatientLevels,
  defaultProxyLevels,
  type FixtureLevels,
  patientLevelFixtures,
  proxyLevelFixtures,
} from "./permission-fixtures.ts";
import type { PermissionLevels } from "./permission-levels.ts";

/** Whose levels: a patient's own, or a proxy's (`actor`) for the patient. */
export interface PermissionSubject {
  readonly nhsNumber: string;
  readonly actorNhsNumber?: string | undefined;
}

/** The practice's permission levels. */
export interface UserPermissions {
  /** The levels that apply now. */
  levelsFor(subject: PermissionSubject): Promise<PermissionLevels>;
  /** Stores levels over the fixtures (the sandbox control). */
  set(subject: PermissionSubject, levels: PermissionLevels): Promise<void>;
  /** Back to the fixtures. */
  reset(subject: PermissionSubject): Promise<void>;
  /** The fixture's `effectiveDate` for a subject (a body may leave it out). */
  fixtureDate(subject: PermissionSubject): string;
}

function fixtureFor(subject: PermissionSubject): FixtureLevels {
  if (subject.actorNhsNumber === undefined) {
    return patientLevelFixtures[subject.nhsNumber] ?? defaultPatientLevels;
  }
  return proxyLevelFixtures.find((entry) =>
    entry.actor === subject.actorNhsNumber && entry.patient === subject.nhsNumber
  )?.levels ?? defaultProxyLevels;
}

/**
 * The permissions of practice `odsCode`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inMemoryProviderStore } from "../../provider-store.ts";
 * const permissions = userPermissions(inMemoryProviderStore(), "B82617", () => new Date());
 * const proxy = await permissions.levelsFor({ nhsNumber: "9690937286", actorNhsNumber: "9690937294" });
 * assert.equal(proxy.prescriptions, "view");
 * ```
 */
export function userPermissions(
  store: ProviderStore,
  odsCode: string,
  now: () => Date,
): UserPermissions {
  const key = (subject: PermissionSubject) =>
    `provider:${odsCode}:pf-permissions:${subject.nhsNumber}` +
    (subject.actorNhsNumber === undefined ? "" : `:proxy:${subject.actorNhsNumber}`);
  const fixtureDate = (subject: PermissionSubject) => {
    const day = new Date(now().getTime() - fixtureFor(subject).effectiveDaysAgo * 86_400_000);
    return day.toISOString().slice(0, 10);
  };
  return {
    async levelsFor(subject) {
      const stored = await store.get<PermissionLevels>(key(subject));
      if (stored) return stored;
      const fixture = fixtureFor(subject);
      return {
        medicalRecord: {
          effectiveDate: fixtureDate(subject),
          current: fixture.current,
          historical: fixture.historical,
        },
        prescriptions: fixture.prescriptions,
      };
    },
    set: (subject, levels) => store.set(key(subject), levels),
    async reset(subject) {
      await store.commit({ deletes: [key(subject)] });
    },
    fixtureDate,
  };
}
