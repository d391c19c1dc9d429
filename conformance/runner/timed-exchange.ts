/**
 * Times one HTTP call and records it as evidence (model.ts `Exchange`): the request as the caller
 * chose to show it, then either the response (status, headers and the body as the caller shows
 * it: truncated, or with a token redacted) or the transport error, with when it started and how
 * long it took. The GP Connect runner, the patient-facing runner and its token exchange all record
 * their calls this way.
 *
 * @module
 */
import type { Exchange } from "../model.ts";
import type { TransportResponse } from "../target/transport.ts";

/** A recorded call: the evidence, and the response unless the transport failed. */
export interface TimedExchange {
  readonly exchange: Exchange;
  /** Absent on a transport failure (then `exchange.error` says why). */
  readonly response?: TransportResponse;
}

/** How a call's answer is shown in evidence. */
export interface ExchangeShowing {
  /** The response body as evidence keeps it (`""`: no body recorded). */
  readonly body: (response: TransportResponse) => string;
  /** A transport failure as one line. */
  readonly error: (error: unknown) => string;
}

/**
 * Makes the call and records it.
 *
 * @example
 * ```ts
 * const { exchange, response } = await timedExchange(
 *   { step: "metadata", request: { method: "GET", url: "https://example.test/metadata", headers: {} } },
 *   () => Promise.resolve({ status: 200, headers: new Headers(), body: "{}" }),
 *   { body: (answer) => answer.body, error: (error) => String(error) },
 * );
 * exchange.response?.status; // 200
 * response?.body; // "{}"
 * ```
 */
export async function timedExchange(
  base: Pick<Exchange, "step" | "request">,
  call: () => Promise<TransportResponse>,
  show: ExchangeShowing,
): Promise<TimedExchange> {
  const startedAt = new Date();
  const started = performance.now();
  try {
    const response = await call();
    const latencyMs = Math.round(performance.now() - started);
    const body = show.body(response);
    return {
      exchange: {
        ...base,
        response: {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          ...(body === "" ? {} : { body }),
        },
        startedAt: startedAt.toISOString(),
        latencyMs,
      },
      response,
    };
  } catch (error) {
    return {
      exchange: {
        ...base,
        error: show.error(error),
        startedAt: startedAt.toISOString(),
        latencyMs: Math.round(performance.now() - started),
      },
    };
  }
}
