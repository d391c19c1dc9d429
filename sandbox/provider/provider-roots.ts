/**
 * Provider service roots, one per root kind of the interaction catalogue, in GP Connect's format
 * `[base]/[ODS_CODE]/[FHIR_VERSION_NAME]/[GPC_MAJOR_VERSION]/[PROVIDER_ROUTING_SEGMENT]`, no
 * trailing `/` (reference gpconnect-ssp.md §1.1). The SDS sandbox publishes these addresses and
 * the provider sandbox serves them, so both build them here and cannot drift apart.
 *
 * @module
 */
import { type RootKind, serviceRoots } from "../../gpconnect/specs.ts";

/** Every root kind, in catalogue order. */
export const rootKinds: readonly RootKind[] = Object.keys(serviceRoots) as RootKind[];

/**
 * The path of a service root for a practice.
 *
 * @example
 * ```ts
 * serviceRootPath("B82617", "structured"); // "/B82617/STU3/1/gpconnect/structured/fhir"
 * serviceRootPath("B82617", "dstu2"); // "/B82617/DSTU2/0/gpconnect"
 * ```
 */
export function serviceRootPath(odsCode: string, kind: RootKind): string {
  const root = serviceRoots[kind];
  return `/${odsCode}/${root.fhirVersion}/${root.majorVersion}/${root.segment}`;
}

/**
 * The service root URLs of a practice at a provider base URL.
 *
 * @example
 * ```ts
 * providerServiceRoots("http://127.0.0.1:8083", "B82617").foundations;
 * // "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir"
 * ```
 */
export function providerServiceRoots(
  providerBaseUrl: string,
  odsCode: string,
): Readonly<Record<RootKind, string>> {
  const base = providerBaseUrl.replace(/\/+$/, "");
  return Object.fromEntries(
    rootKinds.map((kind) => [kind, `${base}${serviceRootPath(odsCode, kind)}`]),
  ) as Record<RootKind, string>;
}
