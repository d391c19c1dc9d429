/**
 * Systematic negatives for the SSP headers and `Authorization` (reference gpconnect-ssp.md §1.2,
 * §1.6; PT-0.7 `SpineSecurityProxy.feature`, PT-1.6 `SSP.feature`; gpconnect
 * `expected_error_codes.xlsx`: any missing or invalid SSP header → 400 BAD_REQUEST):
 *
 * - each of `Ssp-TraceID`, `Ssp-From`, `Ssp-To`, `Ssp-InteractionID`, `Authorization` missing;
 * - a trace id that is no UUID, non-numeric ASIDs, an `Ssp-To` that is not the provider's ASID;
 * - an unknown interaction id, another interaction's id, the interaction id mis-cased;
 * - an `Authorization` scheme other than Bearer, and Bearer without a token.
 *
 * Through an SSP the SSP answers most of these itself (specs/decisions.md S1–S3): a malformed
 * header 400 `MISSING_OR_INVALID_HEADER`, a wrong `Ssp-To` 403 `PARTYKEY_…`, an unknown or
 * mis-cased interaction 415 `ASID_CHECK_FAILED_…`. The one positive: an `Ssp-From` the SSP does
 * not know reaches no provider through an SSP, and a provider called directly must not refuse it
 * (it is for audit only, CORE `ssp_providers` §9).
 *
 * @module
 */
import type { Scenario } from "../../model.ts";
import type { BaseRequest } from "../base-requests.ts";
import { otherInteractionOfRoot } from "../catalogue.ts";
import { errorWithSsp, providerError, sspError, success } from "./expectations.ts";
import { type GeneratedRule, generatedScenario } from "./generated-scenario.ts";

const missing = [
  ["Ssp-TraceID", "SSP-HDR-TRACEID"],
  ["Ssp-From", "SSP-HDR-FROM"],
  ["Ssp-To", "SSP-HDR-TO"],
  ["Ssp-InteractionID", "SSP-HDR-INTERACTIONID"],
  ["Authorization", "SSP-HDR-AUTHORIZATION"],
] as const;

/**
 * The SSP-header scenarios of one interaction.
 *
 * @example
 * ```ts
 * import { baseRequest } from "../base-requests.ts";
 * import { requireInteraction } from "../catalogue.ts";
 *
 * sspHeaderScenarios(baseRequest(requireInteraction("read-metadata"))).length; // 14
 * ```
 */
export function sspHeaderScenarios(base: BaseRequest): Scenario[] {
  const { interaction } = base;
  const badRequest = providerError(interaction, 400, "BAD_REQUEST");
  const malformedViaSsp = sspError(400, "MISSING_OR_INVALID_HEADER");
  const header = (name: string, value: string) => [{
    kind: "set-header" as const,
    header: name,
    value,
  }];
  const rules: GeneratedRule[] = missing.map(([name, requirement]) => ({
    rule: `missing-${name.toLowerCase()}`,
    title: `the ${name} header is missing`,
    category: "ssp-headers",
    negative: true,
    requirements: [requirement, "SSP-ERR-MISSING-HEADER"],
    mutations: [{ kind: "drop-header", header: name }],
    expect: { ...badRequest, viaSsp: malformedViaSsp },
  }));
  const malformed = (
    rule: string,
    title: string,
    name: string,
    value: string,
    requirement: string,
  ): GeneratedRule => ({
    rule,
    title,
    category: "ssp-headers",
    negative: true,
    requirements: [requirement, "SSP-ERR-MISSING-HEADER"],
    mutations: header(name, value),
    expect: { ...badRequest, viaSsp: malformedViaSsp },
  });
  const urn = interaction.id;
  const other = otherInteractionOfRoot(interaction);
  rules.push(
    malformed(
      "traceid-not-uuid",
      "Ssp-TraceID is not a UUID",
      "Ssp-TraceID",
      "not-a-uuid",
      "SSP-HDR-TRACEID",
    ),
    malformed(
      "from-not-numeric",
      "Ssp-From is not a numeric ASID",
      "Ssp-From",
      "CONSUMER-ASID",
      "SSP-HDR-FROM",
    ),
    malformed(
      "to-not-numeric",
      "Ssp-To is not a numeric ASID",
      "Ssp-To",
      "PROVIDER-ASID",
      "SSP-HDR-TO",
    ),
    malformed(
      "authorization-not-bearer",
      "the Authorization scheme is not Bearer",
      "Authorization",
      "Basic {jwt}",
      "JWT-BEARER",
    ),
    malformed(
      "authorization-no-token",
      "Authorization is Bearer without a token",
      "Authorization",
      "Bearer",
      "JWT-BEARER",
    ),
    {
      rule: "to-other-asid",
      title: "Ssp-To is a well-formed ASID that is not the provider's",
      category: "ssp-headers",
      negative: true,
      requirements: ["SSP-HDR-TO-OWN-ASID", "SSP-ERR-PARTYKEY"],
      mutations: header("Ssp-To", "999999999999"),
      expect: errorWithSsp(interaction, 400, "BAD_REQUEST", sspError(403, "PARTYKEY_CHECK_FAILED")),
    },
    {
      rule: "interaction-unknown",
      title: "Ssp-InteractionID names no GP Connect interaction",
      category: "ssp-headers",
      negative: true,
      requirements: ["SSP-HDR-INTERACTIONID-KNOWN", "SSP-ERR-UNKNOWN-INTERACTION"],
      mutations: header(
        "Ssp-InteractionID",
        "urn:nhs:names:services:gpconnect:fhir:rest:read:unknown-1",
      ),
      expect: errorWithSsp(interaction, 400, "BAD_REQUEST", sspError(415, "UNKNOWN_INTERACTION")),
    },
    {
      rule: "interaction-other",
      title: `Ssp-InteractionID is another interaction's (${other.shortName})`,
      category: "ssp-headers",
      negative: true,
      requirements: ["SSP-HDR-INTERACTIONID-MATCH"],
      mutations: header("Ssp-InteractionID", other.id),
      expect: badRequest,
    },
    {
      rule: "interaction-miscased",
      title: "Ssp-InteractionID differs from the interaction's only in case",
      category: "ssp-headers",
      negative: true,
      requirements: ["SSP-HDR-INTERACTIONID-CASE", "SSP-ERR-UNKNOWN-INTERACTION"],
      mutations: header("Ssp-InteractionID", urn.replace(":gpconnect:", ":GPConnect:")),
      expect: errorWithSsp(interaction, 400, "BAD_REQUEST", sspError(415, "UNKNOWN_INTERACTION")),
    },
  );
  if (base.succeeds && !interaction.mutating) {
    rules.push({
      rule: "from-unregistered-asid",
      title: "Ssp-From is a well-formed ASID the SSP does not know; the provider does not judge it",
      category: "ssp-headers",
      negative: false,
      requirements: ["SSP-FROM-AUDIT-ONLY", "SSP-ERR-ASID-CHECK"],
      mutations: header("Ssp-From", "200000000999"),
      expect: {
        ...success(interaction, base.successStatus),
        viaSsp: sspError(403, "ASID_CHECK_FAILED"),
      },
    });
  }
  return rules.map((rule) => generatedScenario(base, rule));
}
