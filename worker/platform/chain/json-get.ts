/**
 * One bounded JSON `GET` of a platform side call (User Permissions, VRS): a deadline over headers
 * and body, no redirects, a small body cap, and an answer that says what happened instead of
 * throwing — each caller maps it to its own errors (never a 500).
 *
 * @module
 */
import type { UpstreamFetch } from "../../app-deps.ts";
import { readCappedStream } from "../../gateway/read-capped-stream.ts";

/** What a {@linkcode getJson} call came to. */
export type JsonGetResult =
  /** An HTTP answer; `json` is `undefined` when the body was not JSON. */
  | { readonly kind: "answer"; readonly status: number; readonly json: unknown }
  /** No answer within the deadline. */
  | { readonly kind: "timeout" }
  /** No connection, a reset, or a body over the cap. */
  | { readonly kind: "failed"; readonly reason: string };

/** Largest side-call body read, bytes. */
const maxBytes = 256 * 1024;

class TooLarge extends Error {}

/**
 * GETs `url` with `headers` under `timeoutMs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fetchJson = () => Promise.resolve(Response.json({ ok: true }));
 * const result = await getJson(fetchJson, "https://vrs.example/x", {}, 1000);
 * assert.deepEqual(result, { kind: "answer", status: 200, json: { ok: true } });
 * ```
 */
export async function getJson(
  fetch: UpstreamFetch,
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<JsonGetResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: "GET",
      headers,
      redirect: "manual",
      signal: controller.signal,
    });
    const bytes = await readCappedStream(response.body, maxBytes, () => new TooLarge());
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      json = undefined;
    }
    return { kind: "answer", status: response.status, json };
  } catch (error) {
    if (controller.signal.aborted) return { kind: "timeout" };
    return {
      kind: "failed",
      reason: error instanceof TooLarge ? `body over ${maxBytes} bytes` : "no connection",
    };
  } finally {
    clearTimeout(timer);
  }
}
