/**
 * What every product's routes receive from the provider sandbox: the practice, its patients, the
 * provider's store (bookings and registrations persist through it), the clock and ids.
 *
 * @module
 */
import type { ProviderStore } from "./provider-store.ts";
import type { PracticeData } from "./practice/practice-data.ts";
import type { PatientRegister } from "./provider-patients.ts";

/**
 * A `fetch`-shaped function for the provider's PDS calls (registration traces): the global
 * `fetch` in the world, the PDS sandbox app in tests.
 */
export type ProviderFetch = (
  input: Request | string | URL,
  init?: RequestInit,
) => Promise<Response>;

/** Options passed to each `<product>Routes(options)` factory. */
export interface ProviderRoutesOptions {
  /** The practice ODS code (first path segment of every root). */
  readonly odsCode: string;
  /** This provider's ASID. */
  readonly asid: string;
  /** The practice's patients (fixture data). */
  readonly register: PatientRegister;
  /** Organisations, practitioners, locations. */
  readonly practice: PracticeData;
  /** The provider's store: bookings, registrations. Keys start `provider:{odsCode}:`. */
  readonly store: ProviderStore;
  /** Clock: every clinical and appointment date is relative to it. */
  readonly now: () => Date;
  /** Id generator. */
  readonly newId: () => string;
  /** PDS base URL for registration checks. */
  readonly pdsBaseUrl: string | undefined;
  /** Fetch for PDS calls. */
  readonly fetch: ProviderFetch;
}
