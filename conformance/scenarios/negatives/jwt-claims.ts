/**
 * Systematic JWT claim negatives (reference gpconnect-ssp.md §2.2–§2.3; PT-1.6 and PT-0.7
 * `JWT.feature`; gpconnect `expected_error_codes.xlsx`: every JWT defect → 400 BAD_REQUEST):
 *
 * - every required claim missing, null, and of the wrong JSON type (a resource claim that is no
 *   object is 400 or 422: the error page calls a wrong FHIR resource a malformed request, PT-1.6
 *   an invalid resource — both documented variants are accepted);
 * - `exp` − `iat` of 299, 301 and −1 seconds, an expired token; a token issued 200 s in the
 *   future is accepted (PT-1.6 issue #188);
 * - `reason_for_request` not the interaction's; `requested_scope` of another resource class or
 *   access, or with a `conf/` suffix other than N or R; `conf/N` and `conf/R` accepted (1.x).
 *
 * Time claims use `{epoch±N}`: a set-claim value that is exactly this placeholder becomes the run
 * clock in epoch seconds ± N, as a JSON number.
 *
 * @module
 */
import type { Scenario } from "../../model.ts";
import type { BaseRequest } from "../base-requests.ts";
import { providerError, success } from "./expectations.ts";
import {
  type GeneratedRule,
  generatedScenario,
  jwtNegativeCollector,
} from "./generated-scenario.ts";
import { resourceClaims } from "./jwt-resources.ts";

const scalarClaims: ReadonlyArray<readonly [string, unknown, string]> = [
  ["iss", 42, "JWT-CLAIM-ISS"],
  ["sub", 1, "JWT-CLAIM-SUB"],
  ["aud", 42, "JWT-CLAIM-AUD"],
  ["exp", "1700000300", "JWT-CLAIM-EXP"],
  ["iat", "1700000000", "JWT-CLAIM-IAT"],
  ["reason_for_request", true, "JWT-CLAIM-REASON"],
  ["requested_scope", ["patient/*.read"], "JWT-CLAIM-SCOPE"],
];

function slug(claim: string): string {
  return claim.replace(/_/g, "-");
}

/**
 * The claim scenarios of one interaction.
 *
 * @example
 * ```ts
 * import { baseRequest } from "../base-requests.ts";
 * import { requireInteraction } from "../catalogue.ts";
 *
 * jwtClaimScenarios(baseRequest(requireInteraction("read-metadata"))).map((s) => s.id);
 * ```
 */
export function jwtClaimScenarios(base: BaseRequest): Scenario[] {
  const { interaction } = base;
  const dstu2 = interaction.fhirVersion === "DSTU2";
  const badRequest = providerError(interaction, 400, "BAD_REQUEST");
  const positive = base.succeeds && !interaction.mutating;
  const rules: GeneratedRule[] = [];
  const negative = jwtNegativeCollector(rules, badRequest);

  const claims: Array<readonly [string, unknown, string]> = [...scalarClaims];
  for (const [claim, , requirement] of resourceClaims) claims.push([claim, claim, requirement]);
  if (dstu2) claims.push(["requested_record", "9690937286", "JWT-DSTU2-REQUESTED-RECORD"]);
  for (const [claim, wrongValue, requirement] of claims) {
    negative(`${slug(claim)}-missing`, `the JWT has no ${claim} claim`, [requirement], [
      { kind: "drop-claim", claim },
    ]);
    negative(`${slug(claim)}-null`, `the JWT ${claim} claim is null`, [requirement], [
      { kind: "set-claim", claim, value: null },
    ]);
    const resourceClaim = claim.startsWith("requesting_");
    negative(
      `${slug(claim)}-wrong-type`,
      `the JWT ${claim} claim is a ${Array.isArray(wrongValue) ? "array" : typeof wrongValue}`,
      [requirement],
      [{ kind: "set-claim", claim, value: resourceClaim ? "not a resource" : wrongValue }],
      resourceClaim
        ? providerError(interaction, [400, 422], ["BAD_REQUEST", "INVALID_RESOURCE"])
        : badRequest,
    );
  }

  const times = (iat: string, exp: string) => [
    { kind: "set-claim" as const, claim: "iat", value: iat },
    { kind: "set-claim" as const, claim: "exp", value: exp },
  ];
  negative(
    "exp-iat-299",
    "exp is 299 seconds after iat",
    ["JWT-EXP-IAT-300"],
    times("{epoch}", "{epoch+299}"),
  );
  negative(
    "exp-iat-301",
    "exp is 301 seconds after iat",
    ["JWT-EXP-IAT-300"],
    times("{epoch}", "{epoch+301}"),
  );
  negative(
    "exp-before-iat",
    "exp is 1 second before iat",
    ["JWT-EXP-IAT-300"],
    times("{epoch}", "{epoch-1}"),
  );
  negative(
    "expired",
    "the token expired 300 seconds ago",
    ["JWT-EXPIRED"],
    times("{epoch-600}", "{epoch-300}"),
  );
  if (positive) {
    rules.push({
      rule: "jwt-iat-future-200",
      title: "the token was issued 200 seconds in the future (tolerated)",
      category: "jwt",
      negative: false,
      requirements: ["JWT-IAT-FUTURE"],
      mutations: times("{epoch+200}", "{epoch+500}"),
      expect: success(interaction, base.successStatus),
    });
  }

  const migration = interaction.reasonForRequest.includes("migration");
  const reasonRequirement = migration ? "JWT-REASON-MIGRATION" : "JWT-REASON-DIRECTCARE";
  const setReason = (
    value: string,
  ) => [{ kind: "set-claim" as const, claim: "reason_for_request", value }];
  negative(
    "reason-invalid",
    "reason_for_request is not a GP Connect reason",
    [reasonRequirement],
    setReason("badreason"),
  );
  negative(
    "reason-other",
    `reason_for_request is ${migration ? "directcare" : "migration"}, not this interaction's`,
    [reasonRequirement],
    setReason(migration ? "directcare" : "migration"),
  );

  const scope = interaction.requestedScope;
  const setScope = (
    value: string,
  ) => [{ kind: "set-claim" as const, claim: "requested_scope", value }];
  const otherClass = scope.startsWith("patient/")
    ? scope.replace("patient/", "organization/")
    : scope.replace("organization/", "patient/");
  const otherAccess = scope.endsWith(".read")
    ? scope.replace(/\.read$/, ".write")
    : scope.replace(/\.write$/, ".read");
  negative(
    "scope-other-class",
    `requested_scope is ${otherClass}`,
    ["JWT-SCOPE-INTERACTION"],
    setScope(otherClass),
  );
  negative(
    "scope-other-access",
    `requested_scope is ${otherAccess}`,
    ["JWT-SCOPE-INTERACTION"],
    setScope(otherAccess),
  );
  if (dstu2) {
    negative("scope-conf-suffix", "requested_scope carries a 1.x conf/N suffix", [
      "JWT-SCOPE-INTERACTION",
    ], setScope(`${scope} conf/N`));
  } else {
    negative("scope-conf-invalid", "requested_scope has a conf/ suffix other than N or R", [
      "JWT-SCOPE-CONF",
    ], setScope(`${scope} conf/X`));
    if (positive) {
      for (const level of ["N", "R"]) {
        rules.push({
          rule: `jwt-scope-conf-${level.toLowerCase()}`,
          title: `requested_scope is followed by conf/${level} (accepted)`,
          category: "jwt",
          negative: false,
          requirements: ["JWT-SCOPE-CONF"],
          mutations: setScope(`${scope} conf/${level}`),
          expect: success(interaction, base.successStatus),
        });
      }
    }
  }
  return rules.map((rule) => generatedScenario(base, rule));
}
