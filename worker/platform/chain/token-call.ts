/**
 * One form POST to a token endpoint (a practice's authorisation service, PDS's) with a deadline
 * (R14; 20 s, APIM's ServiceCallout limit), waited on the gateway's scheduler and ended early by
 * the request's deadline when one is given (R15): the JSON answer, or a plain reason why there
 * is none.
 *
 * @module
 */
import type { UpstreamFetch } from "../../app-deps.ts";
import { type DeadlineScheduler, perRequestTimers } from "../../gateway/deadline-scheduler.ts";
import { startDeadline } from "../../gateway/request-deadline.ts";

/** A token endpoint's answer. */
export type TokenCallResult =
  | { readonly ok: true; readonly accessToken: string; readonly expiresInSeconds: number }
  | {
    readonly ok: false;
    readonly status: number | undefined;
    readonly reason: string;
    /** Whether the call's deadline (or the request's) passed. */
    readonly timedOut: boolean;
  };

/** Where the call's deadline waits, and the request's deadline that may end it sooner. */
export interface TokenCallOptions {
  /** Default: one timer per call. */
  readonly scheduler?: DeadlineScheduler;
  /** The request's deadline. */
  readonly signal?: AbortSignal;
}

/**
 * POSTs `form` to `url` and reads an OAuth token response.
 *
 * @example
 * ```ts
 * // const result = await callTokenEndpoint(fetch, "https://practice.example/token", form, 20_000);
 * ```
 */
export async function callTokenEndpoint(
  fetch: UpstreamFetch,
  url: string,
  form: URLSearchParams,
  timeoutMs: number,
  options: TokenCallOptions = {},
): Promise<TokenCallResult> {
  const deadline = startDeadline(options.scheduler ?? perRequestTimers, timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([deadline.signal, options.signal])
    : deadline.signal;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: form,
      redirect: "manual",
      signal,
    });
    const text = await response.text();
    if (response.status !== 200) {
      return {
        ok: false,
        status: response.status,
        reason: `HTTP ${response.status}`,
        timedOut: false,
      };
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, status: 200, reason: "HTTP 200 without JSON", timedOut: false };
    }
    const expiresIn = Number(body?.expires_in ?? 300);
    if (typeof body?.access_token !== "string" || body.access_token === "") {
      return { ok: false, status: 200, reason: "HTTP 200 without access_token", timedOut: false };
    }
    return {
      ok: true,
      accessToken: body.access_token,
      expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 300,
    };
  } catch (error) {
    const timedOut = signal.aborted;
    return {
      ok: false,
      status: undefined,
      reason: timedOut
        ? deadline.expired
          ? `no answer within ${timeoutMs} ms`
          : "no answer within the request's deadline"
        : `network error: ${error instanceof Error ? error.message : String(error)}`,
      timedOut,
    };
  } finally {
    deadline.cancel();
  }
}
