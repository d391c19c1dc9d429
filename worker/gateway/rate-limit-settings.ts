/**
 * Rate limits as configuration text: one limit is `N/Ws` (N requests in any W seconds; `10/s`,
 * `600/60s` and `600/m` also read) or `off`. The SSP's limits (`GPC_EDGE_SSP_RATE_LIMITS`) are a
 * JSON object with a default per consumer ASID and per consumer and provider pair, and overrides
 * per consumer ASID:
 *
 * ```json
 * { "consumer": "1000/10s", "pair": "200/10s", "asids": { "200000000359": { "pair": "off" } } }
 * ```
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";
import type { RateLimit } from "./rate-limiter.ts";

/** A limit, or `null` for none. */
export type LimitSetting = RateLimit | null;

/** The SSP's rate limits. */
export interface SspRateLimits {
  /** Per consumer ASID (`Ssp-From`), across every provider. */
  readonly consumer: LimitSetting;
  /** Per consumer ASID and provider ASID (`Ssp-From`, `Ssp-To`). */
  readonly pair: LimitSetting;
  /** Overrides per consumer ASID. */
  readonly asids: Readonly<
    Record<string, { readonly consumer?: LimitSetting; readonly pair?: LimitSetting }>
  >;
}

/**
 * Parses one limit. Throws an `Error` whose message says what is expected.
 *
 * @example
 * ```ts
 * parseLimit("200/10s"); // { limit: 200, windowSeconds: 10 }
 * parseLimit("600/m"); // { limit: 600, windowSeconds: 60 }
 * parseLimit("off"); // null
 * ```
 */
export function parseLimit(text: string): LimitSetting {
  if (text.trim() === "off") return null;
  const match = /^\s*([0-9]{1,9})\s*\/\s*([0-9]{0,6})\s*(s|m)\s*$/.exec(text);
  const limit = match ? Number(match[1]) : 0;
  const count = match?.[2] === "" ? 1 : Number(match?.[2]);
  const windowSeconds = match?.[3] === "m" ? count * 60 : count;
  if (!match || limit < 1 || !(windowSeconds >= 1 && windowSeconds <= 86_400)) {
    throw new Error(
      `expected a limit "N/Ws" (N ≥ 1 requests in W seconds, at most a day) or "off", got ${
        JSON.stringify(text)
      }`,
    );
  }
  return { limit, windowSeconds };
}

function limitField(object: Record<string, unknown>, name: string, where: string) {
  const value = object[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Error(`${where}.${name} must be a string like "10/s"`);
  try {
    return parseLimit(value);
  } catch (error) {
    throw new Error(`${where}.${name}: ${(error as Error).message}`);
  }
}

/**
 * Parses `GPC_EDGE_SSP_RATE_LIMITS` over `defaults` (absent fields keep them).
 *
 * @example
 * ```ts
 * const limits = parseSspRateLimits('{"pair":"10/s","asids":{"200000000359":{"consumer":"off"}}}', {
 *   consumer: { limit: 1000, windowSeconds: 10 }, pair: null, asids: {},
 * });
 * limits.pair; // { limit: 10, windowSeconds: 1 }
 * ```
 */
export function parseSspRateLimits(text: string, defaults: SspRateLimits): SspRateLimits {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error("not JSON", { cause });
  }
  if (!isJsonObject(parsed)) throw new Error("expected { consumer, pair, asids: { asid: {…} } }");
  const unknown = Object.keys(parsed).filter((k) => !["consumer", "pair", "asids"].includes(k));
  if (unknown.length > 0) throw new Error(`unknown field ${JSON.stringify(unknown[0])}`);
  const asids: Record<string, { consumer?: LimitSetting; pair?: LimitSetting }> = {};
  if (parsed.asids !== undefined) {
    if (!isJsonObject(parsed.asids)) throw new Error("asids must be an object keyed by ASID");
    for (const [asid, entry] of Object.entries(parsed.asids)) {
      if (!isJsonObject(entry)) throw new Error(`asids.${asid} must be { consumer?, pair? }`);
      const consumer = limitField(entry, "consumer", `asids.${asid}`);
      const pair = limitField(entry, "pair", `asids.${asid}`);
      asids[asid] = {
        ...(consumer !== undefined ? { consumer } : {}),
        ...(pair !== undefined ? { pair } : {}),
      };
    }
  }
  const consumer = limitField(parsed, "consumer", "$");
  const pair = limitField(parsed, "pair", "$");
  return {
    consumer: consumer === undefined ? defaults.consumer : consumer,
    pair: pair === undefined ? defaults.pair : pair,
    asids: { ...defaults.asids, ...asids },
  };
}

/** The limits that apply to consumer `asid`: its overrides over the defaults. */
export function limitsFor(
  limits: SspRateLimits,
  asid: string,
): { consumer: LimitSetting; pair: LimitSetting } {
  const own = Object.hasOwn(limits.asids, asid) ? limits.asids[asid] : undefined;
  return {
    consumer: own?.consumer !== undefined ? own.consumer : limits.consumer,
    pair: own?.pair !== undefined ? own.pair : limits.pair,
  };
}
