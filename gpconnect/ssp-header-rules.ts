/**
 * The format rules of the SSP request headers (reference gpconnect-ssp.md §1.2): the SSP checks
 * them before it forwards (worker/ssp/ssp-headers.ts) and a provider checks them again before it
 * answers (the reference provider's duties, §1.6). Only the *format*: whether an ASID is
 * registered or the provider's own is each caller's judgement.
 *
 * @module
 */
import { isUuid } from "./uuid.ts";

/**
 * An ASID (`Ssp-From`, `Ssp-To`): the numeric `uniqueIdentifier` of an SDS accredited-system
 * record, at most 12 digits. Every published ASID has 12 digits, but the GP Connect and Spine
 * specifications state no length, so a shorter one is well-formed and left to the authorisation
 * checks (specs/decisions.md, "One ASID pattern").
 */
export const asidPattern = /^[0-9]{1,12}$/;

/**
 * Whether `value` is a well-formed ASID ({@linkcode asidPattern}).
 *
 * @example
 * ```ts
 * isAsid("918999198738"); // true
 * isAsid("91899919873X"); // false
 * ```
 */
export function isAsid(value: string): boolean {
  return asidPattern.test(value);
}

/** An interaction id: a URN (`urn:nhs:names:services:gpconnect:…`). */
export const interactionUrnPattern = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/;

/** `Authorization: Bearer <token>`, the scheme in any case (RFC 7235 §2.1). */
export const bearerAuthorizationPattern = /^Bearer +\S+$/i;

/** One header rule: its name and what a valid (trimmed, non-empty) value looks like. */
export interface SspHeaderRule {
  /** The header's name as the specification spells it (header names are case-insensitive). */
  readonly name: string;
  /** Whether a present, trimmed value is well-formed. */
  readonly valid: (value: string) => boolean;
}

/**
 * The header rules, in the order the SSP checks them: `Ssp-TraceID` a UUID, `Ssp-From` and
 * `Ssp-To` ASIDs, `Ssp-InteractionID` a URN, `Authorization` a Bearer token.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const headers = new Headers({
 *   "Ssp-TraceID": crypto.randomUUID(),
 *   "Ssp-From": "200000000359",
 *   "Ssp-To": "not-an-asid",
 *   "Ssp-InteractionID": "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
 *   "Authorization": "Bearer a.b.",
 * });
 * const firstBad = sspHeaderRules.find((rule) => !rule.valid(headers.get(rule.name)?.trim() ?? ""));
 * assert.equal(firstBad?.name, "Ssp-To");
 * ```
 */
export const sspHeaderRules: readonly SspHeaderRule[] = [
  { name: "Ssp-TraceID", valid: isUuid },
  { name: "Ssp-From", valid: isAsid },
  { name: "Ssp-To", valid: isAsid },
  { name: "Ssp-InteractionID", valid: (value) => interactionUrnPattern.test(value) },
  { name: "Authorization", valid: (value) => bearerAuthorizationPattern.test(value) },
];
