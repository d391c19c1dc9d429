/**
 * A circuit breaker per provider endpoint (issue 9 item 7; B4 Envoy outlier detection; B5 R18),
 * its state in the `records` store so every process and isolate sees one breaker per endpoint.
 *
 * - **closed**: calls go through. A failure (a 5xx answer, a timeout, a connection failure, a
 *   body cut off upstream) adds one to a count of consecutive failures; a success resets it.
 *   At `failureThreshold` (Envoy's `consecutive_5xx`, 5) the breaker opens.
 * - **open** for `openMs × 2^(ejections − 1)` (30 s, then 60 s, 120 s … up to `maxOpenMs`, Envoy's
 *   `max_ejection_time` 300 s): calls are refused without an upstream attempt.
 * - **half-open** once that time has passed: exactly one call (the probe) is let through, chosen
 *   by compare-and-set among every isolate; the others are still refused. A successful probe
 *   closes the breaker; a failed one opens it again for twice as long. A probe that never reports
 *   back (its process died) is given up after `probeTimeoutMs`, and the next call probes.
 *
 * The doubling is forgotten once the endpoint has stayed closed for `maxOpenMs`, as Envoy lowers
 * its ejection multiplier while a host stays healthy.
 *
 * Cost on the hot path (issue 15): none while the breaker is closed and healthy. Each process
 * keeps a view of every endpoint's record, replaced by every read and write it makes; a call is
 * admitted, and its success recorded, from a view showing "closed, no failures" that is at most
 * `viewMs` old, without a store access. Anything else (a failure, a view showing failures or an
 * open breaker, a stale view) reads the store and changes it by compare-and-set, as before, so
 * the store stays the one breaker every process shares. What another process changed is seen
 * here within `viewMs`, or at this process's next failure (a failure always reads the store).
 *
 * @module
 */
import type { Clock } from "../app-deps.ts";
import type { RecordsStore, StoredRecord } from "../store/records-store.ts";

/** The breaker's settings. */
export interface BreakerSettings {
  /** Consecutive failures that open the breaker (0: never opens). */
  readonly failureThreshold: number;
  /** First open interval, in milliseconds. */
  readonly openMs: number;
  /** Longest open interval, in milliseconds. */
  readonly maxOpenMs: number;
  /** How long a probe may take before another call may probe, in milliseconds. */
  readonly probeTimeoutMs: number;
}

/** Envoy's outlier-detection defaults (B4): 5 consecutive failures, 30 s, at most 300 s. */
export const ENVOY_OUTLIER_DEFAULTS: Omit<BreakerSettings, "probeTimeoutMs"> = {
  failureThreshold: 5,
  openMs: 30_000,
  maxOpenMs: 300_000,
};

/** A breaker's stored state. */
export interface BreakerState {
  readonly endpoint: string;
  readonly state: "closed" | "open" | "half-open";
  /** Consecutive failures while closed. */
  readonly failures: number;
  /** Times opened without a long healthy spell in between (the doubling). */
  readonly ejections: number;
  /** Milliseconds since the epoch: open until (open), probe given up at (half-open). */
  readonly until: number | null;
  /** When the state last changed. */
  readonly changedAt: number;
}

/** Whether a call may go upstream. */
export type BreakerAdmission =
  | { readonly allowed: true; readonly probe: boolean }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A breaker over many endpoints. */
export interface SharedCircuitBreaker {
  /** Whether a call to `endpoint` may go upstream now (and whether it is the probe). */
  admit(endpoint: string): Promise<BreakerAdmission>;
  /** Reports how an admitted call went. */
  record(endpoint: string, ok: boolean, admission: BreakerAdmission): Promise<void>;
}

/** The default key prefix of breaker records. */
export const BREAKER_KEY_PREFIX = "gateway:v1:breaker:";

const ATTEMPTS = 8;
const ADMITTED: Promise<BreakerAdmission> = Promise.resolve({ allowed: true, probe: false });

/** The record key of an endpoint's breaker (hashed if the URL would make an over-long key). */
async function breakerKey(prefix: string, endpoint: string): Promise<string> {
  if (endpoint.length <= 900) return `${prefix}${endpoint}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(endpoint));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${prefix}sha256:${hex}`;
}

/** Options of {@linkcode createRecordsCircuitBreaker}. */
export interface RecordsCircuitBreakerOptions {
  readonly records: RecordsStore;
  readonly clock: Clock;
  readonly settings: BreakerSettings;
  /** Key prefix (default {@linkcode BREAKER_KEY_PREFIX}). */
  readonly keyPrefix?: string;
  /**
   * How long this process trusts its view of a closed, healthy breaker before reading the store
   * again, in milliseconds (default {@linkcode BREAKER_VIEW_MS}; 0: read on every call).
   */
  readonly viewMs?: number;
  /** The monotonic time the view is aged by (default `performance.now`). */
  readonly monotonicNow?: () => number;
}

/** The default age of the in-process view of a closed breaker, in milliseconds. */
export const BREAKER_VIEW_MS = 500;

/** This process's last sight of an endpoint's record. */
interface BreakerView {
  /** The record as last read or written (undefined: none stored, i.e. closed). */
  state: BreakerState | undefined;
  /** Monotonic time of that sight. */
  seenAt: number;
  /** Bumped on every write by this process, so an older read in flight cannot replace it. */
  writes: number;
}

/**
 * Creates the breaker.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { systemClock } from "../app-deps.ts";
 * const breaker = createRecordsCircuitBreaker({
 *   records: createMemoryRecordsStore(), clock: systemClock,
 *   settings: { failureThreshold: 5, openMs: 30_000, maxOpenMs: 300_000, probeTimeoutMs: 120_000 },
 * });
 * const admission = await breaker.admit("https://provider/B82617/STU3/1/gpconnect/fhir");
 * if (admission.allowed) await breaker.record("https://provider/B82617/STU3/1/gpconnect/fhir", true, admission);
 * ```
 */
export function createRecordsCircuitBreaker(
  options: RecordsCircuitBreakerOptions,
): SharedCircuitBreaker {
  const { records, clock, settings } = options;
  const prefix = options.keyPrefix ?? BREAKER_KEY_PREFIX;
  const viewMs = options.viewMs ?? BREAKER_VIEW_MS;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const views = new Map<string, BreakerView>();
  /** Whether this process saw `endpoint` closed with no failures within `viewMs`. */
  const healthyInView = (endpoint: string): boolean => {
    if (viewMs <= 0) return false;
    const view = views.get(endpoint);
    if (view === undefined || monotonicNow() - view.seenAt >= viewMs) return false;
    const state = view.state;
    return state === undefined || (state.state === "closed" && state.failures === 0);
  };
  const see = (endpoint: string, state: BreakerState | undefined, write: boolean) => {
    let view = views.get(endpoint);
    if (view === undefined) {
      // One entry per provider endpoint this process calls: bounded by the directory.
      view = { state, seenAt: monotonicNow(), writes: 0 };
      views.set(endpoint, view);
    }
    view.state = state;
    view.seenAt = monotonicNow();
    if (write) view.writes++;
  };
  const openFor = (ejections: number) =>
    Math.min(settings.maxOpenMs, settings.openMs * 2 ** Math.max(0, ejections - 1));
  const closed = (endpoint: string, now: number): BreakerState => ({
    endpoint,
    state: "closed",
    failures: 0,
    ejections: 0,
    until: null,
    changedAt: now,
  });

  /** Applies `change` by compare-and-set until it holds or there is nothing to do. */
  async function update<T>(
    endpoint: string,
    change: (current: BreakerState, now: number) => { next?: BreakerState; result: T },
    contended: T,
  ): Promise<T> {
    const key = await breakerKey(prefix, endpoint);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const writesBefore = views.get(endpoint)?.writes ?? 0;
      const stored: StoredRecord<BreakerState> | undefined = await records.get(key);
      // A read that started before this process wrote is older than the view: keep the view.
      if ((views.get(endpoint)?.writes ?? 0) === writesBefore) see(endpoint, stored?.value, false);
      const now = clock.now();
      const { next, result } = change(stored?.value ?? closed(endpoint, now), now);
      if (next === undefined) return result;
      const ok = await records.commit(
        [{ key, version: stored?.version ?? null }],
        [{ type: "set", key, value: next }],
      );
      if (ok) {
        see(endpoint, next, true);
        return result;
      }
    }
    return contended;
  }

  return {
    admit(endpoint) {
      if (settings.failureThreshold === 0 || healthyInView(endpoint)) return ADMITTED;
      return update<BreakerAdmission>(endpoint, (current, now) => {
        if (current.state === "closed") return { result: { allowed: true, probe: false } };
        if (current.until !== null && now < current.until) {
          return {
            result: {
              allowed: false,
              retryAfterSeconds: Math.max(1, Math.ceil((current.until - now) / 1000)),
            },
          };
        }
        // Open and its time is up, or a probe that never reported: this call probes.
        return {
          next: {
            ...current,
            state: "half-open",
            until: now + settings.probeTimeoutMs,
            changedAt: now,
          },
          result: { allowed: true, probe: true },
        };
        // Lost every compare-and-set: others are changing it (probing); not this call.
      }, { allowed: false, retryAfterSeconds: 1 });
    },
    async record(endpoint, ok, admission) {
      if (settings.failureThreshold === 0 || !admission.allowed) return;
      // A success while closed with no failures changes nothing.
      if (ok && !admission.probe && healthyInView(endpoint)) return;
      await update<void>(endpoint, (current, now) => {
        const open = (ejections: number): BreakerState => ({
          endpoint,
          state: "open",
          failures: 0,
          ejections,
          until: now + openFor(ejections),
          changedAt: now,
        });
        if (admission.probe) {
          // Only the probe that holds the half-open state decides it.
          if (current.state !== "half-open") return { result: undefined };
          return {
            next: ok
              ? { ...closed(endpoint, now), ejections: current.ejections }
              : open(current.ejections + 1),
            result: undefined,
          };
        }
        // A call admitted while closed; whatever happened since decides without it.
        if (current.state !== "closed") return { result: undefined };
        if (ok) {
          return current.failures === 0
            ? { result: undefined }
            : { next: { ...current, failures: 0 }, result: undefined };
        }
        const failures = current.failures + 1;
        if (failures < settings.failureThreshold) {
          return { next: { ...current, failures }, result: undefined };
        }
        const healthyLongEnough = now - current.changedAt >= settings.maxOpenMs;
        return { next: open((healthyLongEnough ? 0 : current.ejections) + 1), result: undefined };
      }, undefined);
    },
  };
}
