/**
 * Giving a fresh `Headers` the field lines gpc-edge's HTTP/1.1 parser has already checked, without
 * Deno checking every character of every value again (issue 15). `Headers.append` converts both
 * arguments to ByteStrings, trims the value, checks the name is a token and the value has no NUL,
 * CR or LF, one character at a time in JavaScript: for an SSP request, whose `Authorization`
 * carries a 1.3 KB JWT, that was a fifth of the route's time in-process (40 → 31 µs a request
 * without it, measured side by side). The parser has already refused everything those checks
 * refuse (request-head.ts, header-fields.ts: names are tokens; values are Latin-1, trimmed of
 * SP/HTAB, with no control character but HTAB), so the fields go straight into the `Headers`
 * object's own list.
 *
 * That list is Deno's, not a web API: it is found by its symbol's description on a fresh
 * `Headers`, and used only if, once at load, a set of fields filled that way reads back exactly as
 * the same fields appended (every read, copy and later change compared, {@linkcode sameAsAppended}).
 * On any other runtime or Deno version, or a `Headers` that already has fields, the fields are
 * appended as before; decision G13 in specs/decisions.md.
 *
 * @module
 */
import { appendHeaders, headerPairs } from "../../gpconnect/header-pairs.ts";

/** Deno's internal slots of a `Headers`: its field list and its cached lower-case names. */
export interface HeadersInternals {
  /** The slot holding the `[name, value]` list, in the order the fields were added. */
  readonly list: symbol;
  /** The slot caching the names lower-cased (`null` until a read needs it). */
  readonly lowerNames: symbol;
}

type Slots = Record<symbol, unknown>;

/** The internal slots of this runtime's `Headers`, when it has the shape this module knows. */
export function findHeadersInternals(): HeadersInternals | undefined {
  const probe = new Headers() as unknown as Slots;
  const symbols = Object.getOwnPropertySymbols(probe);
  const list = symbols.find((symbol) => symbol.description === "header list");
  const lowerNames = symbols.find((symbol) => symbol.description === "lowercase header names");
  if (list === undefined || lowerNames === undefined) return undefined;
  const fresh = probe[list];
  if (!Array.isArray(fresh) || fresh.length !== 0 || probe[lowerNames] !== null) return undefined;
  return { list, lowerNames };
}

/** Whether `headers` can take fields straight into its list: a list, empty, no cached names. */
function takesDirectly(headers: Headers, internals: HeadersInternals): boolean {
  const slots = headers as unknown as Slots;
  const list = slots[internals.list];
  return Array.isArray(list) && list.length === 0 && slots[internals.lowerNames] === null;
}

/**
 * Fills `headers` with `fields`: straight into its list when `internals` are known (not `null`)
 * and it has no field yet (nor a cache of their names), else through `append`. Every value must
 * be one the parser has checked (see the module).
 *
 * @example
 * ```ts
 * const headers = new Headers();
 * fillCheckedFields(headers, [["Accept", "application/fhir+json"], ["X-A", "1"], ["x-a", "2"]]);
 * headers.get("x-a"); // "1, 2"
 * ```
 */
export function fillCheckedFields(
  headers: Headers,
  fields: ReadonlyArray<readonly [string, string]>,
  internals: HeadersInternals | null = checkedFieldsInternals,
): void {
  if (internals === null || !takesDirectly(headers, internals)) {
    appendHeaders(headers, fields as Array<[string, string]>);
    return;
  }
  const list = (headers as unknown as Slots)[internals.list] as Array<[string, string]>;
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    list.push([field[0], field[1]]);
  }
}

/** Fields with everything a read of `Headers` treats specially: case, repeats, `set-cookie`. */
const SAMPLE: ReadonlyArray<readonly [string, string]> = [
  ["Host", "gpc-edge.example:8443"],
  ["Accept", "application/fhir+json"],
  ["X-Repeated", "1"],
  ["authorization", "Bearer a.b."],
  ["x-repeated", "2"],
  ["Set-Cookie", "a=1"],
  ["X-Latin-1", "caf\u00e9\tbar"],
  ["set-cookie", "b=2"],
  ["X-Empty", ""],
];

/** Everything a reader can see of `headers`, as one comparable text. */
function readings(headers: Headers): string {
  const names = [...SAMPLE.map(([name]) => name), "X-Absent"];
  const upper = names.map((name) => name.toUpperCase());
  return JSON.stringify([
    headerPairs(headers),
    [...headers],
    [...headers.keys()],
    [...headers.values()],
    headers.getSetCookie(),
    [...names, ...upper].map((name) => [headers.get(name), headers.has(name)]),
    headerPairs(new Headers(headers)),
    headerPairs(new Request("http://gpc-edge.example/", { headers }).headers),
    headerPairs(new Response(null, { headers }).headers),
  ]);
}

/**
 * Whether fields filled straight into the list read back exactly as appended ones: in a plain
 * `Headers` and a `Request`'s, before and after changes through `set`, `append` and `delete`.
 */
export function sameAsAppended(internals: HeadersInternals): boolean {
  try {
    for (
      const make of [() => new Headers(), () => new Request("http://gpc-edge.example/").headers]
    ) {
      const appended = make();
      appendHeaders(appended, SAMPLE as Array<[string, string]>);
      const filled = make();
      // A fill that would append proves nothing about the slots.
      if (!takesDirectly(filled, internals)) return false;
      fillCheckedFields(filled, SAMPLE, internals);
      if (readings(filled) !== readings(appended)) return false;
      for (const headers of [appended, filled]) {
        headers.set("x-repeated", "3");
        headers.append("X-Added", "4");
        headers.delete("accept");
      }
      if (readings(filled) !== readings(appended)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** This runtime's internals when filling them was found to read back as appending (at load). */
const checkedFieldsInternals: HeadersInternals | null = (() => {
  const internals = findHeadersInternals();
  return internals !== undefined && sameAsAppended(internals) ? internals : null;
})();

/** Whether {@linkcode fillCheckedFields} fills the list directly on this runtime. */
export const checkedFieldsFillDirectly: boolean = checkedFieldsInternals !== null;
