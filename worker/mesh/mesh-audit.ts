/**
 * One audit line per MESH request (issue 10 item 9): time, request id, method, endpoint,
 * mailbox, message id, workflow, status, bytes and latency. Never a password, token, HMAC,
 * `mex-To` (a GPPROVIDER address holds patient details) or body.
 *
 * Latency is measured to the response head: bodies stream after the line is written, so `bytes`
 * is the size stored (uploads) or served from the store (downloads).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { meshApiVersion } from "./mesh-api-version.ts";
import { meshErrorResponse } from "./mesh-error-response.ts";

/**
 * The middleware that opens a request (id, audit fields, API version) and writes its audit line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld } from "./mesh-test-kit.ts";
 * // createMeshApp registers it first: app.use("*", meshAudit(services))
 * const world = createMeshWorld();
 * await (await world.request("B82617OT1", "/messageexchange/B82617OT1/inbox")).body?.cancel();
 * assert.deepEqual(
 *   world.logs.map((line) => [line.type, line.endpoint]),
 *   [["mesh-audit", "inbox.list"]],
 * );
 * ```
 */
export function meshAudit(services: MeshServices): MiddlewareHandler<MeshEnv> {
  return async function meshAuditMiddleware(c, next) {
    const start = services.clock.now();
    const requestId = services.randomUUID();
    c.set("requestId", requestId);
    c.set("audit", {});
    c.set("apiVersion", 1);
    try {
      let versionError: unknown;
      try {
        c.set("apiVersion", meshApiVersion(c.req.header("accept")));
      } catch (error) {
        versionError = error;
      }
      // A malformed vnd.mesh Accept is a 400 before any route runs (rendered as v1).
      if (versionError) c.res = meshErrorResponse(versionError, 1, requestId);
      else await next();
    } finally {
      const audit = c.get("audit");
      services.logger.log({
        type: "mesh-audit",
        time: new Date(start).toISOString(),
        requestId,
        method: c.req.method,
        endpoint: audit.endpoint ?? "unknown",
        mailbox: audit.mailbox ?? null,
        messageId: audit.messageId ?? null,
        workflowId: audit.workflowId ?? null,
        status: c.res.status,
        bytes: audit.bytes ?? 0,
        latencyMs: services.clock.now() - start,
        ...(audit.authFailure ? { authFailure: audit.authFailure } : {}),
      });
    }
  };
}
