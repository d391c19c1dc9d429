/**
 * CORS for browser apps (R32, A5): only origins on the configured allow-list get
 * `Access-Control-Allow-Origin` (APIM reflects any origin; gpc-edge does not). A preflight is
 * answered here, without authentication and without any upstream call.
 *
 * @module
 */
import { corsSettings } from "../platform-specs.ts";

/** Adds CORS headers to `response` when `origin` is allowed. */
export function applyCors(response: Response, origin: string | null, allowed: readonly string[]) {
  if (origin === null || !allowed.includes(origin)) return;
  response.headers.set("Access-Control-Allow-Origin", origin);
  response.headers.append("Vary", "Origin");
  response.headers.set("Access-Control-Expose-Headers", "X-Request-ID, X-Correlation-ID");
}

/** Whether `request` is a CORS preflight. */
export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && request.headers.has("Access-Control-Request-Method");
}

/**
 * The answer to a preflight: 204, with the CORS headers only for an allowed origin.
 *
 * @example
 * ```ts
 * preflightResponse("https://app.example", ["https://app.example"]).status; // 204
 * ```
 */
export function preflightResponse(origin: string | null, allowed: readonly string[]): Response {
  const response = new Response(null, { status: 204 });
  if (origin !== null && allowed.includes(origin)) {
    applyCors(response, origin, allowed);
    response.headers.set("Access-Control-Allow-Headers", corsSettings.allowHeaders);
    response.headers.set("Access-Control-Allow-Methods", corsSettings.allowMethods);
    response.headers.set("Access-Control-Max-Age", String(corsSettings.maxAgeSeconds));
  }
  return response;
}
