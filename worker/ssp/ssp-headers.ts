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
import type { SspEnv, SspHeadersSent } from "./ssp-state.ts";
import { sspHeaderRules } from "../../gpconnect/ssp-header-rules.ts";
import { receivedFields } from "../../gpconnect/header-pairs.ts";

/** The rules' field names as `receivedFields` keys them. */
const RULE_FIELDS = sspHeaderRules.map((rule) => rule.name.toLowerCase());
/** Where each `Ssp-*` header's value is among the rules'. */
const AT = {
  traceId: sspHeaderRules.findIndex((rule) => rule.name === "Ssp-TraceID"),
  from: sspHeaderRules.findIndex((rule) => rule.name === "Ssp-From"),
  to: sspHeaderRules.findIndex((rule) => rule.name === "Ssp-To"),
  interactionId: sspHeaderRules.findIndex((rule) => rule.name === "Ssp-InteractionID"),
};

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
  return function sspHeadersCheck(c, next) {
    // One pass: each header read once, in the rules' order, and the rules judge those values.
    const fields = receivedFields(c.req.raw.headers);
    const values = RULE_FIELDS.map((name) => fields.get(name)?.trim());
    const traceId = values[AT.traceId];
    const from = values[AT.from];
    const to = values[AT.to];
    const interactionId = values[AT.interactionId];
    const sent: { -readonly [K in keyof SspHeadersSent]: SspHeadersSent[K] } = {};
    if (traceId !== undefined) sent.traceId = traceId;
    if (from !== undefined) sent.from = from;
    if (to !== undefined) sent.to = to;
    if (interactionId !== undefined) sent.interactionId = interactionId;
    c.set("sspHeadersSent", sent);
    for (let index = 0; index < sspHeaderRules.length; index++) {
      const rule = sspHeaderRules[index]!;
      const value = values[index];
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
    return next();
  };
}
