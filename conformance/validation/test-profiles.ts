/**
 * Test support: the GP Connect 1.5.0 profile directory next to the repository
 * (`../shared/fhir/gpconnect-fhir-1.5.0`) and a validator over it. Tests that need the profiles
 * fail with a clear message when the directory is missing: they never skip.
 *
 * @module
 */
import type { ProfileValidator } from "../model.ts";
import { loadProfileValidator } from "./profile-validator.ts";

/** `../shared/fhir/gpconnect-fhir-1.5.0`, relative to the repository root. */
export const gpConnectProfilesDir: URL = new URL(
  "../../../shared/fhir/gpconnect-fhir-1.5.0",
  import.meta.url,
);

/** The validator over {@linkcode gpConnectProfilesDir}; throws a clear error when it is missing. */
export async function gpConnectValidator(): Promise<ProfileValidator> {
  try {
    return await loadProfileValidator(gpConnectProfilesDir);
  } catch (error) {
    throw new Error(
      `These tests need the GP Connect profiles at ${
        decodeURIComponent(
          gpConnectProfilesDir.pathname,
        )
      } (shared/fhir/gpconnect-fhir-1.5.0 next to the repository): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
