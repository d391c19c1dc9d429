/**
 * Header sanitising as trusted gateways do it (reference patient-facing-and-security.md B4: Envoy
 * strips `x-forwarded-*` from external requests; B5 R8). The headers that tell a server where a
 * request came from — `Forwarded` (RFC 7239), `X-Forwarded-*` and `X-Real-IP` — are believed only
 * when the hop that sent them is a proxy gpc-edge was told to trust (`GPC_EDGE_TRUSTED_PROXIES`,
 * CIDR ranges; none by default). From anyone else they are dropped before the forward, since a
 * consumer could otherwise claim any address or host to the provider. gpc-edge then adds its own
 * RFC 7239 element describing the hop it saw: `for=` the peer address, `host=` its own configured
 * public host (never the caller's `Host`), `proto=` its public scheme. Every other header passes
 * verbatim, as the SSP promises.
 *
 * @module
 */
import { cidrContains, type CidrRange, parseCidr, parseIp } from "./ip-address.ts";

/** The ranges whose `Forwarded`/`X-Forwarded-*`/`X-Real-IP` headers are kept. */
export type TrustedProxies = readonly CidrRange[];

/**
 * Parses a comma- or space-separated list of CIDR ranges or addresses (`GPC_EDGE_TRUSTED_PROXIES`).
 * Throws a `RangeError` naming the first bad entry.
 *
 * @example
 * ```ts
 * parseTrustedProxies("10.0.0.0/8, 2001:db8::/32").length; // 2
 * ```
 */
export function parseTrustedProxies(text: string): TrustedProxies {
  return text.split(/[\s,]+/).filter((entry) => entry !== "").map(parseCidr);
}

/**
 * Whether `clientAddress` (the peer, as the runtime reports it) is a trusted proxy. An unknown or
 * unparsable address never is.
 *
 * @example
 * ```ts
 * isTrustedProxy(parseTrustedProxies("10.0.0.0/8"), "10.1.2.3"); // true
 * isTrustedProxy(parseTrustedProxies("10.0.0.0/8"), undefined); // false
 * ```
 */
export function isTrustedProxy(proxies: TrustedProxies, clientAddress: string | undefined) {
  if (proxies.length === 0 || clientAddress === undefined) return false;
  const address = parseIp(clientAddress);
  return address !== undefined && proxies.some((range) => cidrContains(range, address));
}

/**
 * Whether a (lower-case) header name is one that says where a request came from: `forwarded`,
 * `x-real-ip` or any `x-forwarded-*`.
 *
 * @example
 * ```ts
 * isForwardingHeader("x-forwarded-host"); // true
 * isForwardingHeader("ssp-from"); // false
 * ```
 */
export function isForwardingHeader(name: string): boolean {
  return name === "forwarded" || name === "x-real-ip" || name.startsWith("x-forwarded-");
}

function forwardedNode(node: string): string {
  // A token stays bare; anything else (an IPv6 address, a host with a port) is a quoted-string.
  return /^[A-Za-z0-9._-]+$/.test(node) ? node : `"${node.replace(/["\\\r\n]/g, "")}"`;
}

/** What gpc-edge knows of the hop a request made to it. */
export interface ForwardedHop {
  /** The peer's address, when the runtime knows it. */
  readonly clientAddress: string | undefined;
  /** gpc-edge's own public host (`host[:port]`), from configuration. */
  readonly host: string;
  /** gpc-edge's public scheme, `http` or `https`. */
  readonly proto: string;
}

/**
 * The RFC 7239 element for one hop; an IPv6 `for=` is bracketed and quoted (§6).
 *
 * @example
 * ```ts
 * forwardedElement({ clientAddress: "::1", host: "edge.example:8443", proto: "https" });
 * // 'for="[::1]";host="edge.example:8443";proto=https'
 * ```
 */
export function forwardedElement(hop: ForwardedHop): string {
  const parts: string[] = [];
  if (hop.clientAddress) {
    const address = hop.clientAddress.includes(":") && !hop.clientAddress.startsWith("[")
      ? `[${hop.clientAddress}]`
      : hop.clientAddress;
    parts.push(`for=${forwardedNode(address)}`);
  }
  parts.push(`host=${forwardedNode(hop.host)}`);
  parts.push(`proto=${forwardedNode(hop.proto)}`);
  return parts.join(";");
}
