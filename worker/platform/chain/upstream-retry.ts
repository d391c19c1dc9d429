/**
 * When the forward to a practice tries again (B5 R16, R17, R21), as pure decisions the forward's
 * loop asks:
 *
 * - only a safe route (`safe: true` in specs/platform-products.json: a read, even a POST
 *   `$gpc.getstructuredrecord`) is retried; a write gets exactly one attempt, whatever happens
 *   (R28: never a blind second booking);
 * - only after a connect failure, a 502, 503 or 504, or a 429 that says when to come back
 *   (`Retry-After`); a timeout is not retried (the attempt already spent its whole deadline);
 * - at most 3 retries (the SSP's number, B1), each after an exponential back-off with full
 *   jitter: a random wait in [0, min(cap, base × 2^retry)), base 100 ms, cap 10 × base (Envoy);
 * - a `Retry-After` is waited out (never less than the back-off) when it fits in the request's
 *   deadline; one longer than what is left goes back to the client with its `Retry-After`
 *   instead of turning into a retry storm (R21);
 * - no retry starts that could not finish inside the request's deadline: the wait plus a whole
 *   attempt's timeout must fit in what is left (R17; Kong's 60 s × 5 lesson). The client then
 *   gets the last attempt's outcome.
 *
 * @module
 */

/** How retries wait; `random` and `sleep` are injectable so tests never wait. */
export interface RetryPolicy {
  /** Most retries after the first attempt (3). */
  readonly maxRetries: number;
  /** Back-off base, ms (100). */
  readonly baseMs: number;
  /** Back-off cap, ms (10 × base). */
  readonly capMs: number;
  /** A number in [0, 1). */
  readonly random: () => number;
  /** Waits `ms` (ends early when `signal` aborts). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What one attempt came to, as far as retrying cares. */
export type AttemptOutcome =
  | { readonly kind: "answer"; readonly status: number; readonly retryAfterMs: number | undefined }
  | { readonly kind: "unreachable" }
  | { readonly kind: "timeout" };

/** The loop's next step. */
export type RetryDecision =
  | { readonly action: "retry"; readonly waitMs: number }
  /** No further attempt (a `Retry-After` longer than the deadline allows included: its answer,
   * with its `Retry-After`, goes back to the client). */
  | { readonly action: "stop" };

/** Whether an outcome is worth another attempt at all. */
export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind === "unreachable") return true;
  if (outcome.kind === "timeout") return false;
  if (outcome.status === 429) return outcome.retryAfterMs !== undefined;
  return outcome.status === 502 || outcome.status === 503 || outcome.status === 504;
}

/** The jittered exponential back-off before retry number `retry` (0 for the first retry). */
export function backoffMs(retry: number, policy: RetryPolicy): number {
  return Math.floor(policy.random() * Math.min(policy.capMs, policy.baseMs * 2 ** retry));
}

/**
 * `Retry-After` in ms (delta-seconds or an HTTP date), or undefined when absent or unreadable.
 *
 * @example
 * ```ts
 * retryAfterMs("2", Date.now()); // 2000
 * ```
 */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^[0-9]{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** What {@linkcode decideRetry} weighs. */
export interface RetryState {
  /** Whether the route may be retried (`safe`). */
  readonly safe: boolean;
  /** Retries made so far. */
  readonly retries: number;
  /** The last attempt's outcome. */
  readonly outcome: AttemptOutcome;
  /** What is left of the request's deadline, ms. */
  readonly remainingMs: number;
  /** One attempt's timeout, ms. */
  readonly attemptTimeoutMs: number;
}

/**
 * Retry, stop with the last outcome, or hand a long `Retry-After` to the client.
 *
 * @example
 * ```ts
 * const policy = { maxRetries: 3, baseMs: 100, capMs: 1000, random: () => 0.5, sleep: async () => {} };
 * decideRetry({
 *   safe: true, retries: 0, remainingMs: 50_000, attemptTimeoutMs: 30_000,
 *   outcome: { kind: "answer", status: 503, retryAfterMs: undefined },
 * }, policy); // { action: "retry", waitMs: 50 }
 * ```
 */
export function decideRetry(state: RetryState, policy: RetryPolicy): RetryDecision {
  const { outcome } = state;
  const retryAfter = outcome.kind === "answer" ? outcome.retryAfterMs : undefined;
  if (!state.safe || !isRetryable(outcome) || state.retries >= policy.maxRetries) {
    return { action: "stop" };
  }
  const waitMs = Math.max(backoffMs(state.retries, policy), retryAfter ?? 0);
  if (waitMs + state.attemptTimeoutMs > state.remainingMs) return { action: "stop" };
  return { action: "retry", waitMs };
}
