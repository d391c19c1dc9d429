/**
 * Stored appointments on the wire (GPC-1.6 appointment use cases; general API guidance): the
 * Appointment with `meta.versionId`, `meta.lastUpdated` and the GPConnect-Appointment-1 profile,
 * an `ETag: W/"<versionId>"`, and for a create a `Location` header with the new resource's
 * versioned absolute URL. `Prefer: return=minimal` gives an empty body (PT-1.6 "prefer header set
 * to minimal"); the default is the full representation.
 *
 * A stale `If-Match` is 409 with `FHIR_CONSTRAINT_VIOLATION` (PT-1.6 `AppointmentCancel.feature`
 * "out of date ETag"; the demonstrator's code).
 *
 * @module
 */
import type { FhirFormat } from "../../../gpconnect/media-type.ts";
import type { FhirVersion } from "../../../gpconnect/specs.ts";
import { fhirResponse } from "../fhir-format.ts";
import { ProviderError } from "../provider-error.ts";
import type { Json } from "./appointment-body.ts";
import type { AppointmentRecord } from "./appointment-store.ts";
import { appointmentUrls } from "./slot-resources.ts";

/** The FHIR Appointment of a stored record. */
export function appointmentResource(record: AppointmentRecord): Json {
  const { resourceType: _, ...rest } = record.resource;
  return {
    resourceType: "Appointment",
    id: record.id,
    meta: {
      versionId: String(record.versionId),
      lastUpdated: record.lastUpdated,
      profile: [appointmentUrls.appointmentProfile],
    },
    ...rest,
  };
}

/** The weak ETag of a record's version. */
export function versionETag(record: AppointmentRecord): string {
  return `W/"${record.versionId}"`;
}

/**
 * Whether an `If-Match` header names the record's current version. Absent → true (test-pack
 * requests leave it out by default); `W/"n"`, `"n"` and `n` are read alike.
 */
export function ifMatchAccepts(ifMatch: string | undefined, record: AppointmentRecord): boolean {
  if (ifMatch === undefined || ifMatch.trim() === "") return true;
  const version = ifMatch.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
  return version === String(record.versionId);
}

/** Options for {@linkcode appointmentResponse}. */
export interface AppointmentResponseOptions {
  readonly format: FhirFormat;
  readonly fhirVersion: FhirVersion;
  readonly status: 200 | 201;
  /** The request's `Prefer` header. */
  readonly prefer: string | undefined;
  /** For 201: the service root's absolute URL. */
  readonly rootUrl?: string;
}

/** The response carrying a stored appointment. */
export function appointmentResponse(
  record: AppointmentRecord,
  options: AppointmentResponseOptions,
): Response {
  const headers: Record<string, string> = { ETag: versionETag(record) };
  if (options.status === 201 && options.rootUrl !== undefined) {
    headers.Location = `${options.rootUrl}/Appointment/${record.id}/_history/${record.versionId}`;
  }
  if (/\breturn=minimal\b/.test(options.prefer ?? "")) {
    return new Response(null, {
      status: options.status,
      headers: { ...headers, "Cache-Control": "no-store" },
    });
  }
  return fhirResponse(appointmentResource(record), {
    format: options.format,
    fhirVersion: options.fhirVersion,
    status: options.status,
    headers,
  });
}

/** 409 FHIR_CONSTRAINT_VIOLATION for an `If-Match` that is not the current version (PT-1.6). */
export function versionConflict(diagnostics: string): ProviderError {
  return new ProviderError("FHIR_CONSTRAINT_VIOLATION", diagnostics);
}
