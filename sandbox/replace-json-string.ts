/**
 * Swaps one exact string value for another throughout a JSON value (keys untouched): the
 * patient-facing practice maps NHS numbers to its logical ids and back this way, and the self-test's
 * broken practice swaps in another patient's.
 *
 * @module
 */

/**
 * `json` with every string value equal to `from` replaced by `to`.
 *
 * @example
 * ```ts
 * replaceJsonString({ subject: { reference: "Patient/9690937286" }, ids: ["9690937286"] }, "9690937286", "p1");
 * // { subject: { reference: "Patient/9690937286" }, ids: ["p1"] }
 * ```
 */
export function replaceJsonString(json: unknown, from: string, to: string): unknown {
  if (typeof json === "string") return json === from ? to : json;
  if (Array.isArray(json)) return json.map((item) => replaceJsonString(item, from, to));
  if (typeof json === "object" && json !== null) {
    return Object.fromEntries(
      Object.entries(json).map(([key, value]) => [key, replaceJsonString(value, from, to)]),
    );
  }
  return json;
}
