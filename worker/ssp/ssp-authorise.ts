/**
 * The SSP's table-driven authorisation (reference gpconnect-ssp.md §1.3 checks 2 and 4): the
 * sender ASID must be accredited for the interaction, and a data-sharing (FoT) agreement must
 * exist from sender to receiver. Both tables are configuration (`specs/ssp-authorisation.json`
 * ships sandbox values).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { SspAuthorisation } from "../config.ts";
import { GpcEdgeError } from "../errors.ts";
import { established, type SspEnv } from "./ssp-state.ts";

function listed(table: Readonly<Record<string, readonly string[]>>, key: string, value: string) {
  const entries = table[key];
  return entries !== undefined && (entries.includes("*") || entries.includes(value));
}

/**
 * Middleware: checks that the sender is accredited for the interaction, else 403
 * `ASID_CHECK_FAILED_MESSAGESENDER_<from>`.
 */
export function sspSenderCheck(authorisation: SspAuthorisation): MiddlewareHandler<SspEnv> {
  return function sspSenderAccreditation(c, next) {
    const { from } = established(c, "sspHeaders");
    const interaction = established(c, "sspInteraction");
    if (!listed(authorisation.accreditedSenders, from, interaction.id)) {
      throw GpcEdgeError.ssp("ASID_CHECK_FAILED", { fromAsid: from });
    }
    return next();
  };
}

/**
 * Middleware: checks that a data-sharing (FoT) agreement exists from `Ssp-From` to `Ssp-To`,
 * else 403 `FOT_CHECK_FAILED_MESSAGESENDER_<from>_MESSAGERECEIVER_<to>`.
 */
export function sspAgreementCheck(authorisation: SspAuthorisation): MiddlewareHandler<SspEnv> {
  return function sspSharingAgreement(c, next) {
    const { from, to } = established(c, "sspHeaders");
    if (!listed(authorisation.agreements, from, to)) {
      throw GpcEdgeError.ssp("FOT_CHECK_FAILED", { from, to });
    }
    return next();
  };
}
