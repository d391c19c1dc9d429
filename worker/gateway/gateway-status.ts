/**
 * `GET /_status`: what the gateway's shared state looks like now, read from the `records` store
 * (so every process and isolate shows the same): each provider endpoint's circuit breaker (the
 * platform's practice endpoints too, read from its own store when it has one), the rate-limit
 * counters of the current windows, and whether the patient-facing platform is served. For operators; it names ASIDs and provider URLs
 * (which SDS publishes anyway) and no patient data. At most {@linkcode STATUS_LIST_LIMIT} entries
 * of each kind are listed.
 *
 * @module
 */
import type { Handler } from "hono";
import type { Clock } from "../app-deps.ts";
import type { RecordsStore } from "../store/records-store.ts";
import { BREAKER_KEY_PREFIX, type BreakerState } from "./circuit-breaker.ts";
import { RATE_KEY_PREFIX, type RateCounter } from "./rate-limiter.ts";

/** Most breakers and counters listed. */
export const STATUS_LIST_LIMIT = 500;

/** The body of `GET /_status`. */
export interface GatewayStatus {
  readonly time: string;
  /** Whether the patient-facing platform is served (`GPC_EDGE_PLATFORM_ENABLED`). */
  readonly platform?: "enabled" | "disabled";
  readonly breakers: ReadonlyArray<{
    readonly endpoint: string;
    readonly state: "closed" | "open" | "half-open";
    readonly consecutiveFailures: number;
    readonly ejections: number;
    /** Open: until when; half-open: when the probe is given up. */
    readonly until: string | null;
    readonly changedAt: string;
  }>;
  readonly rateLimits: ReadonlyArray<{
    readonly scope: string;
    readonly windowSeconds: number;
    readonly windowStart: string;
    readonly count: number;
    readonly limit: number;
  }>;
}

/** The patient-facing platform as `/_status` reports it. */
export interface PlatformStatusSource {
  /** Whether it is served. */
  readonly enabled: boolean;
  /** Its records store, when not the gateway's (Workers give it its own Durable Object). */
  readonly records?: RecordsStore;
}

/** Reads the status from the store (and the platform's breakers from its own, when it has one). */
export async function gatewayStatus(
  records: RecordsStore,
  clock: Clock,
  platform?: PlatformStatusSource,
): Promise<GatewayStatus> {
  const now = clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const platformRecords = platform?.enabled && platform.records !== undefined &&
      platform.records !== records
    ? platform.records
    : undefined;
  const [gatewayBreakers, platformBreakers, counters] = await Promise.all([
    records.list<BreakerState>(BREAKER_KEY_PREFIX, { limit: STATUS_LIST_LIMIT }),
    platformRecords?.list<BreakerState>(BREAKER_KEY_PREFIX, { limit: STATUS_LIST_LIMIT }) ?? [],
    records.list<RateCounter>(RATE_KEY_PREFIX, { limit: STATUS_LIST_LIMIT }),
  ]);
  const breakers = [...gatewayBreakers, ...platformBreakers].slice(0, STATUS_LIST_LIMIT);
  return {
    time: iso(now),
    ...(platform ? { platform: platform.enabled ? "enabled" : "disabled" } : {}),
    breakers: breakers.map(({ value }) => ({
      endpoint: value.endpoint,
      state: value.state,
      consecutiveFailures: value.failures,
      ejections: value.ejections,
      until: value.until === null ? null : iso(value.until),
      changedAt: iso(value.changedAt),
    })),
    rateLimits: counters.flatMap(({ key, value }) => {
      // {prefix}{scope}:{windowSeconds}:{start}; the scope may itself contain ":".
      const parts = key.slice(RATE_KEY_PREFIX.length).split(":");
      const start = Number(parts.pop());
      parts.pop();
      // Only the current window of each scope: the previous one is kept for the sliding estimate.
      const length = value.windowSeconds * 1000;
      if (!(start <= now && now < start + length)) return [];
      return [{
        scope: parts.join(":"),
        windowSeconds: value.windowSeconds,
        windowStart: iso(start),
        count: value.count,
        limit: value.limit,
      }];
    }),
  };
}

/**
 * The `GET /_status` handler.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { systemClock } from "../app-deps.ts";
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * new Hono().get("/_status", gatewayStatusHandler(createMemoryRecordsStore(), systemClock));
 * ```
 */
export function gatewayStatusHandler(
  records: RecordsStore,
  clock: Clock,
  platform?: PlatformStatusSource,
): Handler {
  return async (c) =>
    c.json(await gatewayStatus(records, clock, platform), 200, { "Cache-Control": "no-store" });
}
