/**
 * Test support for the tests that need the GP Connect STU3 profile package (NHS England's data,
 * not in this repository): where it is (`GPC_EDGE_PROFILES`, else
 * `../shared/fhir/gpconnect-fhir-1.5.0` beside the repository), a validator over it, and
 * {@linkcode profileTest}, which registers such a test. Without the package those tests are
 * ignored, named as needing it (`deno task test` says once how to get it), unless
 * `GPC_EDGE_REQUIRE_PROFILES=1` (CI): then they run, and fail saying the package is missing.
 *
 * @module
 */
import {
  isProfilesDir,
  missingProfilesMessage,
  profilesDirFromEnv,
} from "../config/profiles-dir.ts";
import type { ProfileValidator } from "../model.ts";
import { loadProfileValidator } from "./profile-validator.ts";

function environment(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    return {}; // no --allow-env: the default place only
  }
}

const env = environment();

/** The profile package directory the tests use. */
export const gpConnectProfilesDir: string = profilesDirFromEnv(env, Deno.cwd());

/** Whether the tests that need the package run (it is there, or CI requires them). */
export const profileTestsRun: boolean = env.GPC_EDGE_REQUIRE_PROFILES === "1" ||
  await isProfilesDir(gpConnectProfilesDir);

/**
 * Registers a test that needs the profile package; ignored, and named so, when the package is
 * missing and not required.
 *
 * @example
 * ```ts
 * // In a test module: profileTest("…", async () => { … }) registers a test that needs the package.
 * if (profileTestsRun) {
 *   const validator = await gpConnectValidator();
 *   validator.profiles.length; // 67 for GP Connect 1.5.0
 * }
 * ```
 */
export function profileTest(name: string, fn: () => void | Promise<void>): void {
  Deno.test({
    name: profileTestsRun ? name : `${name} [needs the GP Connect profile package]`,
    ignore: !profileTestsRun,
    fn,
  });
}

const skipped: ProfileValidator = {
  profiles: [],
  validate() {
    throw new Error(missingProfilesMessage(gpConnectProfilesDir));
  },
};

/**
 * The validator over {@linkcode gpConnectProfilesDir}. Throws, saying how to get the package, when
 * it is missing and required; when the profile tests are skipped, a stand-in that no test calls.
 */
export async function gpConnectValidator(): Promise<ProfileValidator> {
  if (!profileTestsRun) return skipped;
  if (!(await isProfilesDir(gpConnectProfilesDir))) {
    throw new Error(`GPC_EDGE_REQUIRE_PROFILES=1: ${missingProfilesMessage(gpConnectProfilesDir)}`);
  }
  return await loadProfileValidator(gpConnectProfilesDir);
}
