/**
 * FHIR media types per release and the small amount of content negotiation the SSP and the
 * directory API need. STU3 formal types are `application/fhir+json` / `application/fhir+xml`;
 * DSTU2's are `application/json+fhir` / `application/xml+fhir` (GPC-1.6 and GPC-0.7 FHIR API
 * guidance). Both releases also accept plain `application/json` and `application/xml`.
 *
 * @module
 */
import type { FhirVersion } from "./specs.ts";

/** A FHIR wire format. */
export type FhirFormat = "json" | "xml";

const mediaTypes: Readonly<Record<FhirVersion, ReadonlyMap<string, FhirFormat>>> = {
  STU3: new Map([
    ["application/fhir+json", "json"],
    ["application/fhir+xml", "xml"],
    ["application/json+fhir", "json"],
    ["application/xml+fhir", "xml"],
    ["application/json", "json"],
    ["application/xml", "xml"],
  ]),
  DSTU2: new Map([
    ["application/json+fhir", "json"],
    ["application/xml+fhir", "xml"],
    ["application/json", "json"],
    ["application/xml", "xml"],
  ]),
};

/** The canonical media type for a FHIR release and format. */
export function fhirMediaType(version: FhirVersion, format: FhirFormat): string {
  if (version === "DSTU2") {
    return format === "json" ? "application/json+fhir" : "application/xml+fhir";
  }
  return format === "json" ? "application/fhir+json" : "application/fhir+xml";
}

interface MediaRange {
  readonly type: string;
  readonly q: number;
}

/** A `q` parameter, which may refuse the media type it follows (q=0). */
const Q_PARAMETER = /;\s*q\s*=/i;

function parseAccept(accept: string): MediaRange[] {
  return accept.split(",").map((part) => {
    const [type = "", ...params] = part.split(";").map((p) => p.trim());
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split("=").map((p) => p.trim());
      if (name?.toLowerCase() === "q" && value !== undefined) q = Number(value);
    }
    return { type: type.toLowerCase(), q: Number.isFinite(q) ? q : 0 };
  }).filter((range) => range.type !== "");
}

/**
 * The FHIR format an `Accept` header asks for, `"any"` when it takes anything (absent, `*\/*`,
 * `application/*`), or `undefined` when it names no media type this FHIR release supports.
 *
 * @example
 * ```ts
 * acceptedFhirFormat("application/fhir+xml;charset=utf-8", "STU3"); // "xml"
 * acceptedFhirFormat("text/html", "STU3"); // undefined
 * ```
 */
export function acceptedFhirFormat(
  accept: string | null | undefined,
  version: FhirVersion,
): FhirFormat | "any" | undefined {
  if (accept === null || accept === undefined || accept.trim() === "") return "any";
  // One media type, with parameters other than q (what consumers send on nearly every request,
  // `application/fhir+json;charset=utf-8`): its format, as the whole reading below would find it,
  // without splitting the list.
  if (!accept.includes(",") && !Q_PARAMETER.test(accept)) {
    const semicolon = accept.indexOf(";");
    const type = semicolon < 0 ? accept : accept.slice(0, semicolon);
    const format = mediaTypes[version].get(type.trim().toLowerCase());
    if (format) return format;
  }
  const parsed = parseAccept(accept);
  // A media type listed with q=0 is "not acceptable" (RFC 9110 §12.5.1) even when a wildcard
  // accepts everything else, so a wildcard can only stand for the formats not refused that way.
  const refused = new Set(parsed.filter((range) => range.q <= 0).map((range) => range.type));
  const open = (["json", "xml"] as const).filter((format) =>
    !refused.has(fhirMediaType(version, format))
  );
  const ranges = parsed.filter((range) => range.q > 0).sort((a, b) => b.q - a.q);
  for (const range of ranges) {
    const format = mediaTypes[version].get(range.type);
    if (format) return format;
    if (range.type === "*/*" || range.type === "application/*") {
      return open.length === 2 ? "any" : open[0];
    }
  }
  return undefined;
}

/** Whether `value` holds a comma outside a quoted string: two field lines combined into one. */
function isList(value: string): boolean {
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value.charCodeAt(index);
    if (quoted && char === 0x5c /* a backslash quotes the next character */) index++;
    else if (char === 0x22 /* " */) quoted = !quoted;
    else if (char === 0x2c /* , */ && !quoted) return true;
  }
  return false;
}

/**
 * The FHIR format of a `Content-Type` header, or `undefined` when it is not a FHIR media type of
 * this release. `Content-Type` is a singleton (RFC 9110 §8.3): two of them, which a server hands
 * over joined by a comma, are not one media type, in whichever order they came.
 *
 * @example
 * ```ts
 * contentTypeFhirFormat("application/fhir+json;charset=utf-8", "STU3"); // "json"
 * contentTypeFhirFormat("application/fhir+json;charset=utf-8, text/plain", "STU3"); // undefined
 * ```
 */
export function contentTypeFhirFormat(
  contentType: string | null | undefined,
  version: FhirVersion,
): FhirFormat | undefined {
  if (!contentType || (contentType.includes(",") && isList(contentType))) return undefined;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return mediaTypes[version].get(type);
}
