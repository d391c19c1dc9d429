/**
 * The one UUID check: `Ssp-TraceID`, PDS's `X-Request-ID` and SDS's `X-Correlation-Id` must all be
 * UUIDs (8-4-4-4-12 hexadecimal; the version is not checked, as neither spec demands one).
 *
 * @module
 */

/** A UUID in its canonical textual form, either case. */
export const uuidPattern =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Whether `value` is a UUID.
 *
 * @example
 * ```ts
 * isUuid(crypto.randomUUID()); // true
 * isUuid("not-a-uuid"); // false
 * ```
 */
export function isUuid(value: string | undefined | null): value is string {
  return typeof value === "string" && uuidPattern.test(value);
}
