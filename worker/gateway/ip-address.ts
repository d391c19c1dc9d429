/**
 * IP addresses and CIDR ranges as 16 bytes (IPv4 as its IPv4-mapped IPv6 form, RFC 4291 §2.5.5.2),
 * so one comparison serves both families and a peer that Deno reports as `::ffff:10.0.0.1` (a
 * dual-stack socket) matches the range `10.0.0.0/8`. Parsing is strict: anything that is not an
 * address in its usual text form (RFC 4291 §2.2, dotted-quad IPv4 without leading zeros) is
 * refused, never guessed.
 *
 * @module
 */

/** An address as 16 bytes. */
export type IpBytes = Uint8Array;

/** A CIDR range: its first `prefixLength` bits must equal those of `network`. */
export interface CidrRange {
  /** The range as configured, e.g. `10.0.0.0/8`. */
  readonly text: string;
  /** The range's network address. */
  readonly network: IpBytes;
  /** In bits of the 16-byte form (an IPv4 `/8` is `/104`). */
  readonly prefixLength: number;
}

const IPV4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => IPV4_OCTET.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  let head = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tailV4 = v4;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string) => half === "" ? [] : half.split(":");
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...left, ...right];
  if (!all.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return undefined;
  const missing = 8 - all.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...left, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...right]
    .map((group) => parseInt(group, 16));
  const bytes = words.flatMap((word) => [word >> 8, word & 0xff]);
  if (tailV4.length === 4) bytes.splice(12, 4, ...tailV4);
  return bytes;
}

/**
 * The 16-byte form of an IPv4 or IPv6 address (brackets and an IPv6 zone id such as `%eth0` are
 * allowed and ignored), or `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * parseIp("10.0.0.1"); // Uint8Array [0,0,0,0,0,0,0,0,0,0,255,255,10,0,0,1]
 * parseIp("[::1]")?.[15]; // 1
 * parseIp("10.0.0.256"); // undefined
 * ```
 */
export function parseIp(text: string): IpBytes | undefined {
  let value = text.trim();
  if (value.startsWith("[") && value.endsWith("]")) value = value.slice(1, -1);
  const zone = value.indexOf("%");
  if (zone >= 0 && value.includes(":")) value = value.slice(0, zone);
  if (!value.includes(":")) {
    const v4 = parseIpv4(value);
    return v4 === undefined ? undefined : new Uint8Array([...Array(10).fill(0), 255, 255, ...v4]);
  }
  const v6 = parseIpv6(value);
  return v6 === undefined ? undefined : new Uint8Array(v6);
}

/**
 * Parses a CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or a single address (a `/32` or `/128`).
 * Throws a `RangeError` naming what is wrong.
 *
 * @example
 * ```ts
 * parseCidr("10.0.0.0/8").prefixLength; // 104
 * ```
 */
export function parseCidr(text: string): CidrRange {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const network = parseIp(addressText);
  if (network === undefined || addressText.includes("%") || addressText.startsWith("[")) {
    throw new RangeError(`${JSON.stringify(text)} is not an IP address or CIDR range`);
  }
  const v4 = !addressText.includes(":");
  const max = v4 ? 32 : 128;
  const lengthText = slash < 0 ? String(max) : trimmed.slice(slash + 1);
  const length = /^(?:0|[1-9][0-9]{0,2})$/.test(lengthText) ? Number(lengthText) : Number.NaN;
  if (!(length >= 0 && length <= max)) {
    throw new RangeError(`${JSON.stringify(text)} has a prefix length outside 0–${max}`);
  }
  return { text: trimmed, network, prefixLength: v4 ? length + 96 : length };
}

/**
 * Whether `address` lies in `range`.
 *
 * @example
 * ```ts
 * cidrContains(parseCidr("10.0.0.0/8"), parseIp("::ffff:10.1.2.3")!); // true
 * ```
 */
export function cidrContains(range: CidrRange, address: IpBytes): boolean {
  const full = range.prefixLength >> 3;
  for (let i = 0; i < full; i++) if (range.network[i] !== address[i]) return false;
  const rest = range.prefixLength & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (range.network[full]! & mask) === (address[full]! & mask);
}
