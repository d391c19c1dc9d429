/**
 * Test helpers for the SSP: a constant directory, a recording logger and a provider stub.
 * Test-only; never imported by runtime code.
 *
 * @module
 */
import { sspRequestInit } from "../../client/ssp-request.ts";
import type { Logger } from "../app-deps.ts";
import type { DirectoryResolver, ProviderEndpoint } from "../directory/directory-types.ts";
import { GpcEdgeError } from "../errors.ts";

/** The provider root the constant directory knows for B82617. */
export const testProviderRoot = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";

/** A directory that knows one practice, B82617, at `root`, for every interaction. */
export function constantDirectory(
  root: string = testProviderRoot,
  overrides: Partial<ProviderEndpoint> = {},
): DirectoryResolver & { calls: number } {
  const directory = {
    calls: 0,
    lookupEndpoint(odsCode: string, interactionId: string) {
      directory.calls++;
      if (odsCode !== "B82617") {
        return Promise.reject(GpcEdgeError.gpconnect("NO_RECORD_FOUND", { cacheable: true }));
      }
      return Promise.resolve({
        value: {
          odsCode,
          interactionId,
          address: root,
          partyKey: "B82617-0000806",
          asid: "918999198738",
          cpaId: "S918999198738",
          ...overrides,
        },
        source: "memory" as const,
      });
    },
    lookupPatient() {
      return Promise.reject(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"));
    },
    stats() {
      const zero = { memoryHits: 0, kvHits: 0, misses: 0, negativeHits: 0, upstreamErrors: 0 };
      return { pds: zero, sds: zero, lruSize: 0 };
    },
  };
  return directory;
}

/** A logger that keeps every record. */
export function recordingLogger(): Logger & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  return { records, log: (record) => records.push({ ...record }) };
}

/**
 * The SSP headers of a valid request to `providerRoot` (client/ssp-request.ts) as raw header
 * lines, each ending in CRLF, for tests that write their request to a socket.
 */
export function sspHeaderLines(
  providerRoot: string,
  fhirPath: string,
  interactionId: string,
): string {
  const { headers } = sspRequestInit({
    sspBaseUrl: "http://unused",
    providerRoot,
    fhirPath,
    interactionId,
  });
  return [...headers].map(([name, value]) => `${name}: ${value}\r\n`).join("");
}
