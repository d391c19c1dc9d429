/**
 * The SSP URL form: `/{provider service root URL}/{FHIR request}`, the root with its scheme
 * exactly as SDS holds it (reference gpconnect-ssp.md §1.1). This module splits the raw request
 * URL without normalising it, because the target check compares it byte for byte.
 *
 * @module
 */
import { GpcEdgeError } from "../errors.ts";

/** The embedded provider URL of an SSP request. */
export interface SspTarget {
  /** Everything after the SSP's own `/`: the provider URL with path and query, verbatim. */
  readonly url: string;
  /** `url` parsed (once: the forward hands it to the upstream client as is). */
  readonly parsed: URL;
  /**
   * The practice ODS code: the first path segment of the provider URL (service root format), or
   * `undefined` when that segment cannot be an ODS code (see {@linkcode isOdsCode}).
   */
  readonly odsCode: string | undefined;
}

const EMBEDDED_SCHEME = /^https?:\/\//i;

/**
 * Whether a path segment can be an ODS organisation code: 1 to 12 letters or digits, what SDS
 * accepts (directory/sds-client.ts). Anything else is the consumer's mistake, answered before
 * SDS is asked.
 *
 * @example
 * ```ts
 * isOdsCode("B82617"); // true
 * isOdsCode("B82617B82617B"); // false
 * ```
 */
export function isOdsCode(segment: string): boolean {
  return /^[A-Za-z0-9]{1,12}$/.test(segment);
}

/**
 * A path segment the WHATWG URL parser (and so `fetch`) resolves as `.` or `..`: the dots may be
 * percent-encoded in any mix and case (`.%2e`, `%2E.`, `%2e%2e`).
 */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The raw path and query of a request URL, exactly as received (no URL normalisation). */
export function rawPathAndQuery(requestUrl: string): string {
  const authorityStart = requestUrl.indexOf("//");
  const pathStart = requestUrl.indexOf("/", authorityStart < 0 ? 0 : authorityStart + 2);
  return pathStart < 0 ? "/" : requestUrl.slice(pathStart);
}

/** `new URL(url)`, or null where it would throw (`URL.parse` is not in every Workers runtime). */
function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Parses the embedded provider URL from a request URL. Rejects (400, SSP shape) a URL that is not
 * absolute http(s), and a non-canonical path (empty, `.` or `..` segments after the authority, in
 * any percent-encoded spelling, or anything else URL parsing would rewrite, such as `\`), so that
 * the target check and the provider cannot disagree about which resource is meant.
 */
export function parseSspTarget(requestUrl: string): SspTarget {
  const url = rawPathAndQuery(requestUrl).slice(1);
  // Parsed once: `URL.canParse` and then `new URL` would parse the same URL twice per request.
  const parsed = EMBEDDED_SCHEME.test(url) ? parseUrl(url) : null;
  if (parsed === null) {
    throw GpcEdgeError.ssp("NON_CANONICAL_PATH", {}, {
      diagnostics: "The request path does not embed an absolute http(s) provider URL",
    });
  }
  const afterScheme = url.slice(url.indexOf("//") + 2);
  const queryStart = afterScheme.search(/[?#]/);
  const hostAndPath = queryStart < 0 ? afterScheme : afterScheme.slice(0, queryStart);
  const pathStart = hostAndPath.indexOf("/");
  const path = pathStart < 0 ? "" : hostAndPath.slice(pathStart);
  const segments = hostAndPath.split("/").slice(1);
  const nonCanonical =
    segments.some((segment, index) =>
      DOT_SEGMENT.test(segment) || (segment === "" && index < segments.length - 1)
    ) ||
    // The forward `fetch`es this URL, and the WHATWG parser would still rewrite what the checks
    // above cannot see (`\` as `/` in an http(s) URL, stripped tabs and newlines): the path must
    // reach the provider exactly as the target check read it.
    parsed.pathname !== (path === "" ? "/" : path);
  if (nonCanonical) {
    throw GpcEdgeError.ssp("NON_CANONICAL_PATH", {}, {
      diagnostics:
        "The provider URL path is not canonical: empty, '.' or '..' segments, or characters URL parsing rewrites",
    });
  }
  const first = segments[0];
  return { url, parsed, odsCode: first !== undefined && isOdsCode(first) ? first : undefined };
}

/**
 * Whether `target` is the SDS endpoint `address` plus a FHIR request: it must start with the
 * address byte for byte and continue with `/`, `?` or nothing (the spec's roots have no
 * trailing `/`; a root that has one is matched as given).
 */
export function targetMatchesEndpoint(target: string, address: string): boolean {
  if (!target.startsWith(address)) return false;
  if (address.endsWith("/")) return true;
  const next = target.charAt(address.length);
  return next === "" || next === "/" || next === "?";
}
