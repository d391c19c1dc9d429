/**
 * The end-to-end fields of a provider's answer taken straight from its field lines, for a
 * forwarder building its own `Response`: the same rule as `endToEndEntries` over `Headers`
 * (hop-by-hop fields and those `Connection` names dropped), without building a `Headers` first.
 *
 * @module
 */
import { HOP_BY_HOP_HEADERS } from "../gateway/connection-header.ts";

/**
 * The fields that are neither hop-by-hop, nor named by `Connection`, nor refused by `drop`
 * (called with the lower-case name), names lower-cased as `Headers` would give them.
 *
 * @example
 * ```ts
 * endToEndFields([["Connection", "x-a"], ["X-A", "1"], ["X-B", "2"]]); // [["x-b", "2"]]
 * ```
 */
export function endToEndFields(
  fields: ReadonlyArray<readonly [string, string]>,
  drop?: (name: string) => boolean,
): Array<[string, string]> {
  let named: Set<string> | undefined;
  for (const [name, value] of fields) {
    if (name.length !== 10 || name.toLowerCase() !== "connection") continue;
    named ??= new Set();
    for (const token of value.split(",")) {
      const option = token.trim().toLowerCase();
      if (option !== "") named.add(option);
    }
  }
  const entries: Array<[string, string]> = [];
  for (const [name, value] of fields) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower) || named?.has(lower) || drop?.(lower)) continue;
    entries.push([lower, value]);
  }
  return entries;
}
