/**
 * What the directory answers: a patient's registered practice (PDS) and a provider endpoint for
 * an (ODS code, interaction) pair (SDS), each with where the answer came from.
 *
 * @module
 */

/** Where a directory answer came from. */
export type CacheSource = "memory" | "kv" | "upstream";

/** A directory answer and its source. */
export interface Cached<T> {
  /** The answer. */
  readonly value: T;
  /** `memory` (in-isolate LRU), `kv` (the KV store) or `upstream` (PDS/SDS was called). */
  readonly source: CacheSource;
}

/** A patient's registration as PDS tells it (reference pds-sds.md §1.5–§1.7). */
export interface PatientRegistration {
  /** The NHS number asked for. */
  readonly requestedNhsNumber: string;
  /** The NHS number of the record PDS returned (differs when superseded). */
  readonly nhsNumber: string;
  /** Whether the requested number has been superseded by `nhsNumber`. */
  readonly superseded: boolean;
  /** ODS code of the current registered GP practice. */
  readonly odsCode: string;
  /** `meta.versionId` of the PDS record, if any. */
  readonly versionId: string | undefined;
  /** Whether PDS records the patient as deceased. */
  readonly deceased: boolean;
}

/**
 * What GPPROVIDER routing (reference mesh.md §5.3) checks a MESH address against: personal data,
 * so it is never written to the KV store (see `demographicsCachePolicy` in directory-resolver.ts).
 * Fields PDS withholds are absent, and a router must then fail closed.
 */
export interface PatientDemographics {
  /** The NHS number asked for. */
  readonly requestedNhsNumber: string;
  /** The NHS number of the record PDS returned (differs when superseded). */
  readonly nhsNumber: string;
  /** Whether the requested number has been superseded by `nhsNumber`. */
  readonly superseded: boolean;
  /** `birthDate` as PDS holds it (`yyyy-mm-dd`, rarely `yyyy-mm` or `yyyy`); absent for `V`. */
  readonly birthDate: string | undefined;
  /** Family names of the patient's current names, the `usual` one first; empty for `V`. */
  readonly familyNames: readonly string[];
  /** ODS code of the current registered practice; absent when none or withheld (`R`, `V`). */
  readonly gpOdsCode: string | undefined;
  /** Whether PDS records the patient as deceased. */
  readonly deceased: boolean;
}

/** A GP Connect provider endpoint as SDS tells it (reference pds-sds.md §2–§3). */
export interface ProviderEndpoint {
  /** Practice ODS code. */
  readonly odsCode: string;
  /** Interaction URN. */
  readonly interactionId: string;
  /** Service root URL exactly as SDS holds it (`Endpoint.address`). */
  readonly address: string;
  /** MHS party key. */
  readonly partyKey: string;
  /** Provider ASID (`Ssp-To`), from the Device record with the same party key. */
  readonly asid: string;
  /** CPA id of the MHS record, if SDS has one. */
  readonly cpaId: string | undefined;
}

/** Per-lookup options. */
export interface LookupOptions {
  /** Skip both cache tiers for the read (the answer is still stored), like `Cache-Control: no-cache`. */
  readonly bypassCache?: boolean;
  /** Correlation id passed to PDS (`X-Request-ID`) and SDS (`X-Correlation-Id`); a UUID. */
  readonly requestId?: string;
  /**
   * Runs a cache write off the critical path, e.g. Workers' `executionCtx.waitUntil`
   * (style-and-performance.md lesson 10). When absent the write is awaited (Deno).
   */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/** Counters of one cached lookup kind. */
export interface CacheCounters {
  /** Answered from the in-isolate LRU. */
  memoryHits: number;
  /** Answered from the cache store. */
  kvHits: number;
  /** Asked upstream. */
  misses: number;
  /** Answered from a cached "not found". */
  negativeHits: number;
  /** Upstream calls that failed. */
  upstreamErrors: number;
}

/** Directory cache counters. */
export interface DirectoryStats {
  /** PDS lookups. */
  readonly pds: Readonly<CacheCounters>;
  /** SDS lookups. */
  readonly sds: Readonly<CacheCounters>;
  /** Entries in the in-isolate LRU. */
  readonly lruSize: number;
}

/** The cached directory service: PDS and SDS behind an LRU and the KV store. */
export interface DirectoryResolver {
  /** NHS number → registered practice. Throws `GpcEdgeError` (GP Connect audience). */
  lookupPatient(nhsNumber: string, options?: LookupOptions): Promise<Cached<PatientRegistration>>;
  /** (ODS code, interaction) → endpoint, party key, ASID. Throws `GpcEdgeError`. */
  lookupEndpoint(
    odsCode: string,
    interactionId: string,
    options?: LookupOptions,
  ): Promise<Cached<ProviderEndpoint>>;
  /** Hit/miss counters. */
  stats(): DirectoryStats;
}

/**
 * The patient demographics GPPROVIDER routing needs, beside the {@linkcode DirectoryResolver}
 * (a separate interface, so directories that only route SSP calls need not implement it).
 */
export interface DemographicsResolver {
  /**
   * NHS number → date of birth, current family names and current GP practice. Throws
   * `GpcEdgeError`: `INVALID_NHS_NUMBER` (400), `PATIENT_NOT_FOUND` (404, PDS has no record or
   * an invalidated one) or a 502/429/503 when PDS could not answer.
   */
  demographics(nhsNumber: string, options?: LookupOptions): Promise<Cached<PatientDemographics>>;
}
