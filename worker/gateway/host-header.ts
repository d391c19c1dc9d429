/**
 * The `Host` check that keeps routing on the request line (issue 9 item 1). Deno builds
 * `Request.url` as `http://{Host}{request target}`, so a `Host` of
 * `x/http://provider/…?` would put an SSP path in front of a request line of `/_health`, and
 * every path allow-list in front of gpc-edge would be bypassed. A `Host` that is exactly RFC
 * 9110's `uri-host [ ":" port ]` (RFC 3986 reg-name, IPv4 or a bracketed IPv6 literal; port at
 * most 65535) cannot contain `/`, `?`, `#`, `@` or `\`, so once it passes, the URL's path and
 * query are the request line's, byte for byte. Anything else is a 400 (RFC 9112 §3.2) before any
 * route is chosen; it is a gateway error, answered in the SSP's shape
 * (`MISSING_OR_INVALID_HEADER_Host`). A request without `Host` (HTTP/1.0, HTTP/2's
 * `:authority`, an in-process `app.request`) has its URL authority from the runtime, which is
 * safe, and passes.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { GpcEdgeError } from "../errors.ts";

/** RFC 3986 reg-name (which includes IPv4address): unreserved, sub-delims, pct-encoded. */
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** RFC 3986 IP-literal, IPv6 only (no IPvFuture): its content is checked by the URL parser. */
const IP_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;
/** RFC 3986 port (`*DIGIT`), at most five digits here. */
const PORT = /^[0-9]{0,5}$/;

/**
 * Whether `value` is a valid `Host` field value: `uri-host [ ":" port ]`, with a port of at most
 * 65535, that the WHATWG URL parser (which builds `Request.url`) also accepts as a host.
 *
 * @example
 * ```ts
 * isValidHost("127.0.0.1:8080"); // true
 * isValidHost("[::1]:8080"); // true
 * isValidHost("x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?"); // false
 * isValidHost("x:99999"); // false
 * ```
 */
export function isValidHost(value: string): boolean {
  let host: string;
  let port: string | undefined;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    host = value.slice(0, end + 1);
    const rest = value.slice(end + 1);
    if (end < 0 || (rest !== "" && !rest.startsWith(":"))) return false;
    port = rest === "" ? undefined : rest.slice(1);
    if (!IP_LITERAL.test(host)) return false;
  } else {
    const colon = value.indexOf(":");
    host = colon < 0 ? value : value.slice(0, colon);
    port = colon < 0 ? undefined : value.slice(colon + 1);
    if (!REG_NAME.test(host)) return false;
  }
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) return false;
  // The URL parser is stricter than RFC 3986 in places (an IPv6 literal's content, a
  // percent-encoded "/", a number too large for IPv4): whatever it refuses cannot be routed safely.
  return URL.canParse(`http://${value}/`);
}

/**
 * The path of the request line, even when `Host` is invalid and `Request.url` was built from it:
 * Deno's URL is `{scheme}://{Host}{request target}`, so the target is what follows the `Host`
 * exactly as sent. For the log line of the refused request; routing never needs it, since a
 * request with an invalid `Host` is never routed.
 *
 * @example
 * ```ts
 * const request = new Request("http://x/http://p/B82617/metadata?/_health", {
 *   headers: { host: "x/http://p/B82617/metadata?" },
 * });
 * requestLinePath(request); // "/_health"
 * ```
 */
export function requestLinePath(request: Request): string {
  const url = request.url;
  const host = request.headers.get("host");
  const authority = `${url.slice(0, url.indexOf("://") + 3)}${host}`;
  const target = host !== null && url.startsWith(authority)
    ? url.slice(authority.length)
    : url.slice(url.indexOf("/", url.indexOf("://") + 3));
  const query = target.indexOf("?");
  return query < 0 ? target : target.slice(0, query);
}

/**
 * Middleware, first in the root app: rejects a request whose `Host` is not a valid host with 400
 * `MISSING_OR_INVALID_HEADER_Host`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().use(hostHeaderCheck());
 * ```
 */
export function hostHeaderCheck(): MiddlewareHandler {
  return function validHost(c, next) {
    const host = c.req.raw.headers.get("host");
    if (host !== null && !isValidHost(host)) {
      throw GpcEdgeError.ssp("MISSING_OR_INVALID_HEADER", { headerName: "Host" }, {
        diagnostics: "Host is not a valid uri-host[:port] (RFC 9110 §7.2)",
      });
    }
    return next();
  };
}
