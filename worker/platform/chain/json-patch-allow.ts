/**
 * JSON Patch bodies limited to what the route may change (OWASP API3, mass assignment): a route
 * with `patchPaths` (Prescriptions' `PATCH /Task/{id}`: `/status` only) takes a JSON array of
 * `replace` operations on those paths and nothing else — any other shape, operation or path is
 * 422 INVALID_RESOURCE before the practice is called. The practice checks the values itself.
 *
 * @module
 */
import { PlatformError } from "../platform-error.ts";
import type { ProductRoute } from "../platform-specs.ts";

/**
 * Throws 422 unless `body` is a JSON Patch touching only the route's `patchPaths`.
 *
 * @example
 * ```ts
 * import { productById } from "../platform-specs.ts";
 * const route = productById("prescriptions-management").routes.find((r) => r.name === "cancel-task")!;
 * checkJsonPatch(route, [{ op: "replace", path: "/status", value: "cancelled" }]);
 * ```
 */
export function checkJsonPatch(route: ProductRoute, body: unknown): void {
  const allowed = route.patchPaths;
  if (!allowed) return;
  const refuse = (why: string) =>
    new PlatformError("INVALID_RESOURCE", {
      diagnostics: `The JSON Patch ${why}; it may only replace ${allowed.join(", ")}`,
    });
  if (!Array.isArray(body) || body.length === 0) throw refuse("must be a non-empty array");
  for (const operation of body) {
    const { op, path } = (operation ?? {}) as { op?: unknown; path?: unknown };
    if (op !== "replace") throw refuse(`has a ${JSON.stringify(op)} operation`);
    if (typeof path !== "string" || !allowed.includes(path)) {
      throw refuse(`touches ${JSON.stringify(path)}`);
    }
  }
}
