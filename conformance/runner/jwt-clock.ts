/**
 * The JWT issue time. A token must not be expired against the target's real clock, so the run
 * clock is used only when it is within 60 s of real time (and then it advances with real time, so
 * a long run's tokens stay within their 5 minutes); otherwise real time is used and the run says
 * so.
 *
 * @module
 */

/** Issue times for a run. */
export interface JwtClock {
  /** `iat` for a request built now, in epoch seconds. */
  issuedAt(): number;
  /** Set when real time is used instead of the run clock. */
  readonly note?: string;
}

/** The largest distance between run clock and real time at which the run clock is used. */
export const jwtClockToleranceMs = 60_000;

/**
 * The JWT clock for a run clock fixed at `realStart`.
 *
 * @example
 * ```ts
 * jwtClock(new Date("2026-11-23T10:00:00Z"), new Date()).note; // set unless it is about 10:00 on that day
 * ```
 */
export function jwtClock(
  runClock: Date,
  realStart: Date,
  now: () => number = Date.now,
): JwtClock {
  const offset = runClock.getTime() - realStart.getTime();
  if (Math.abs(offset) <= jwtClockToleranceMs) {
    return { issuedAt: () => Math.floor((now() + offset) / 1000) };
  }
  return {
    issuedAt: () => Math.floor(now() / 1000),
    note: `JWT iat uses real time, not the run clock ${runClock.toISOString()}, which is ` +
      `${Math.round(offset / 1000)} s from real time (a token must not be expired at the target)`,
  };
}
