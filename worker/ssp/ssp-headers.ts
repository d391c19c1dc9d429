/**
 * The SSP's request-header checks (reference gpconnect-ssp.md §1.2, §1.4): `Ssp-TraceID` (a
 * UUID), `Ssp-From` and `Ssp-To` (ASIDs), `Ssp-InteractionID` and `Authorization: Bearer …`.
 * A missing or malformed header is a 400 in the SSP's own error shape. Header names are
 * case-insensitive, so NHS's test pack's `Ssp-InteractionId` is the same header.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { GpcEdgeError } from "../errors.ts";
import type { SspEnv } from "./ssp-state.ts";
import { sspHeaderRules } from "../../gpconnect/ssp-header-rules.ts";

/**
 * Middleware: notes the `Ssp-*` headers as sent (`sspHeadersSent`, for the audit line), rejects
 * the request when one is missing or malformed with 400 `MISSING_OR_INVALID_HEADER_<name>`, and
 * sets the checked headers (`sspHeaders`).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { SspEnv } from "./ssp-state.ts";
 * new Hono<SspEnv>().use("*", sspHeaders());
 * ```
 */
export function sspHeaders(): MiddlewareHandler<SspEnv> {
  return async function sspHeadersCheck(c, next) {
    const read = (name: string) => c.req.header(name)?.trim();
    const traceId = read("Ssp-TraceID");
    const from = read("Ssp-From");
    const to = read("Ssp-To");
    const interactionId = read("Ssp-InteractionID");
    c.set("sspHeadersSent", {
      ...(traceId !== undefined ? { traceId } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(interactionId !== undefined ? { interactionId } : {}),
    });
    for (const rule of sspHeaderRules) {
      const value = read(rule.name);
      if (value === undefined || value === "" || !rule.valid(value)) {
        throw GpcEdgeError.ssp("MISSING_OR_INVALID_HEADER", { headerName: rule.name }, {
          diagnostics: value === undefined || value === ""
            ? `Header ${rule.name} is missing`
            : `Header ${rule.name} is malformed`,
        });
      }
    }
    // Every rule passed, so each of these is present and well formed.
    c.set("sspHeaders", {
      traceId: traceId!,
      from: from!,
      to: to!,
      interactionId: interactionId!,
    });
    await next();
  };
}
