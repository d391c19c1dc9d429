/**
 * One form POST to a token endpoint (a practice's authorisation service, PDS's) with a deadline
 * (R14): the JSON answer, or a plain reason why there is none.
 *
 * @module
 */
import type { UpstreamFetch } from "../../app-deps.ts";

/** A token endpoint's answer. */
export type TokenCallResult =
  | { readonly ok: true; readonly accessToken: string; readonly expiresInSeconds: number }
  | { readonly ok: false; readonly status: number | undefined; readonly reason: string };

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
): Promise<TokenCallResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: form,
      redirect: "manual",
      signal: controller.signal,
    });
    const text = await response.text();
    if (response.status !== 200) {
      return { ok: false, status: response.status, reason: `HTTP ${response.status}` };
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, status: 200, reason: "HTTP 200 without JSON" };
    }
    const expiresIn = Number(body?.expires_in ?? 300);
    if (typeof body?.access_token !== "string" || body.access_token === "") {
      return { ok: false, status: 200, reason: "HTTP 200 without access_token" };
    }
    return {
      ok: true,
      accessToken: body.access_token,
      expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 300,
    };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    return {
      ok: false,
      status: undefined,
      reason: timedOut
        ? `no answer within ${timeoutMs} ms`
        : `network error: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
