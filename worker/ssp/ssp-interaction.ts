/**
 * The SSP's interaction lookup: `Ssp-InteractionID` against the catalogue in `specs/`. An unknown
 * interaction answers 415 with `ASID_CHECK_FAILED_MESSAGESENDER_<from>`, reproducing the live SSP
 * (gpconnect-provider-testing issues #97, #178; see specs/decisions.md). Every later step that
 * depends on the interaction (sender accreditation, media types, SDS, JWT) reads what this one
 * sets.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { GpcEdgeError } from "../errors.ts";
import { findInteraction } from "../../gpconnect/specs.ts";
import { established, type SspEnv } from "./ssp-state.ts";

/**
 * Middleware: sets `sspInteraction` from the checked `Ssp-InteractionID`, or rejects with 415.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { SspEnv } from "./ssp-state.ts";
 * new Hono<SspEnv>().use("*", sspInteractionLookup());
 * ```
 */
export function sspInteractionLookup(): MiddlewareHandler<SspEnv> {
  return function sspInteraction(c, next) {
    const { from, interactionId } = established(c, "sspHeaders");
    const interaction = findInteraction(interactionId);
    if (!interaction) {
      throw GpcEdgeError.ssp("UNKNOWN_INTERACTION", { fromAsid: from }, {
        diagnostics: `Unknown Ssp-InteractionID ${JSON.stringify(interactionId)}`,
      });
    }
    c.set("sspInteraction", interaction);
    return next();
  };
}
