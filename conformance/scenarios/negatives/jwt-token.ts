/**
 * Systematic JWT negatives on the token's structure and its FHIR-resource claims (reference
 * gpconnect-ssp.md §2.1–§2.3, §8.1; PT-1.6 / PT-0.7 `JWT.feature`):
 *
 * - a signature present, a token that is no base64url, a payload that is no JSON object, one
 *   part only; a JOSE header with `alg` not `none`, or without `alg` or `typ`;
 * - `sub` ≠ `requesting_practitioner.id`; a resource claim of the wrong resource type (1.x 422
 *   INVALID_RESOURCE, DSTU2 400) or with an element its resource does not define (422); a
 *   device without identifier or model, an organisation without ODS identifier or name, a
 *   practitioner without SDS user id or name (400);
 * - 1.x: `requested_record` sent (400); DSTU2: `aud` not the fixed value, `requested_record` of
 *   the wrong type or not the body's patient, a practitioner without `practitionerRole` (400).
 *
 * Tolerated variants (positives): a lower-case `bearer` scheme; 1.x `UNK` SDS ids, no role
 * profile, the legacy ODS system, PT's own `aud`.
 *
 * `{jwt}` in a header value is the well-formed token the runner would have sent.
 *
 * @module
 */
import { base64urlEncode } from "../../../gpconnect/base64url.ts";
import { identifierSystems as systems } from "../../../gpconnect/identifier-systems.ts";
import type { Mutation, Scenario } from "../../model.ts";
import type { BaseRequest } from "../base-requests.ts";
import { providerError, success } from "./expectations.ts";
import {
  type GeneratedRule,
  generatedScenario,
  jwtNegativeCollector,
} from "./generated-scenario.ts";
import {
  device,
  organization,
  practitioner,
  replaceClaim,
  resourceClaims,
  wellFormed,
  without,
} from "./jwt-resources.ts";

/** The unsecured JOSE header GP Connect requires, encoded. */
const noneHeader = base64urlEncode(JSON.stringify({ alg: "none", typ: "JWT" }));

const authorization = (value: string): Mutation[] => [
  { kind: "set-header", header: "Authorization", value },
];

/**
 * The token scenarios of one interaction.
 *
 * @example
 * ```ts
 * import { baseRequest } from "../base-requests.ts";
 * import { requireInteraction } from "../catalogue.ts";
 *
 * jwtTokenScenarios(baseRequest(requireInteraction("get-care-record"))).length;
 * ```
 */
export function jwtTokenScenarios(base: BaseRequest): Scenario[] {
  const { interaction } = base;
  const release = interaction.fhirVersion;
  const dstu2 = release === "DSTU2";
  const badRequest = providerError(interaction, 400, "BAD_REQUEST");
  const invalidResource = providerError(interaction, 422, "INVALID_RESOURCE");
  const practitionerType = providerError(interaction, [400, 422], [
    "BAD_REQUEST",
    "INVALID_RESOURCE",
  ]);
  const rules: GeneratedRule[] = [];
  const negative = jwtNegativeCollector(rules, badRequest);
  const tolerated = (
    rule: string,
    title: string,
    requirements: string[],
    mutations: Mutation[],
  ) => {
    if (!base.succeeds || interaction.mutating) return;
    rules.push({
      rule: `jwt-${rule}`,
      title,
      category: "jwt",
      negative: false,
      requirements,
      mutations,
      expect: success(interaction, base.successStatus),
    });
  };

  negative(
    "signature-present",
    "the token carries a signature",
    ["JWT-STRUCTURE"],
    authorization(`Bearer {jwt}${base64urlEncode("signature")}`),
  );
  negative("one-part", "the token is a header only, no payload or signature part", [
    "JWT-STRUCTURE",
  ], authorization(`Bearer ${noneHeader}`));
  negative(
    "not-base64url",
    "the token is not base64url",
    ["JWT-BASE64URL"],
    authorization("Bearer not*base64url.not*base64url."),
  );
  negative(
    "payload-not-json",
    "the token payload is not JSON",
    ["JWT-JSON"],
    authorization(`Bearer ${noneHeader}.${base64urlEncode("not json")}.`),
  );
  negative(
    "payload-not-object",
    "the token payload is a JSON array",
    ["JWT-JSON"],
    authorization(`Bearer ${noneHeader}.${base64urlEncode("[1,2,3]")}.`),
  );
  negative("alg-hs256", "the JOSE header alg is HS256, not none", ["JWT-HEADER-ALG-NONE"], [
    { kind: "set-jwt-header", header: { alg: "HS256", typ: "JWT" } },
  ]);
  negative("alg-missing", "the JOSE header has no alg", ["JWT-HEADER-ALG-NONE"], [
    { kind: "set-jwt-header", header: { typ: "JWT" } },
  ]);
  negative("typ-missing", "the JOSE header has no typ", ["JWT-HEADER-ALG-NONE"], [
    { kind: "set-jwt-header", header: { alg: "none" } },
  ]);
  negative("sub-not-practitioner", "sub differs from requesting_practitioner.id", [
    "JWT-SUB-PRACTITIONER-ID",
  ], [
    ...replaceClaim("requesting_practitioner", practitioner(release)),
    { kind: "set-claim", claim: "sub", value: "2" },
  ]);

  for (const [claim, resourceType, , requirement] of resourceClaims) {
    const name = claim.replace("requesting_", "");
    const wrongType = {
      ...without(wellFormed(claim, release), "resourceType"),
      resourceType: "Patient",
    };
    negative(
      `${name}-wrong-resource-type`,
      `${claim} is a Patient, not a ${resourceType}`,
      dstu2 ? [requirement, "JWT-DSTU2-RESOURCE-TYPE"] : [requirement],
      replaceClaim(claim, wrongType),
      // GPC-1.6's error page gives a Patient as requesting_practitioner as its 400 BAD_REQUEST
      // example; PT-1.6 expects 422 INVALID_RESOURCE. Both are documented (specs/decisions.md).
      dstu2 ? badRequest : claim === "requesting_practitioner" ? practitionerType : invalidResource,
    );
    negative(
      `${name}-invalid-resource`,
      `${claim} has an element ${resourceType} does not define`,
      [requirement],
      replaceClaim(claim, { ...wellFormed(claim, release), notAnElement: true }),
      invalidResource,
    );
  }
  const content = (
    rule: string,
    title: string,
    requirement: string,
    claim: string,
    value: unknown,
  ) => negative(rule, title, [requirement], replaceClaim(claim, value));
  content(
    "device-no-identifier",
    "requesting_device has no identifier",
    "JWT-DEVICE-CONTENT",
    "requesting_device",
    without(device(release), "identifier"),
  );
  content(
    "device-no-model",
    "requesting_device has no model",
    "JWT-DEVICE-CONTENT",
    "requesting_device",
    without(device(release), "model"),
  );
  content(
    "organization-no-identifier",
    "requesting_organization has no ODS identifier",
    "JWT-ORGANIZATION-CONTENT",
    "requesting_organization",
    without(organization(release), "identifier"),
  );
  content(
    "organization-no-name",
    "requesting_organization has no name",
    "JWT-ORGANIZATION-CONTENT",
    "requesting_organization",
    without(organization(release), "name"),
  );
  content(
    "practitioner-no-identifier",
    "requesting_practitioner has no SDS user id identifier",
    "JWT-PRACTITIONER-CONTENT",
    "requesting_practitioner",
    without(practitioner(release), "identifier"),
  );
  content(
    "practitioner-no-name",
    "requesting_practitioner has no name",
    "JWT-PRACTITIONER-CONTENT",
    "requesting_practitioner",
    without(practitioner(release), "name"),
  );

  tolerated("bearer-lowercase", "the Authorization scheme is written bearer (case-insensitive)", [
    "JWT-BEARER",
  ], authorization("bearer {jwt}"));
  if (dstu2) {
    content(
      "practitioner-no-role",
      "requesting_practitioner has no practitionerRole",
      "JWT-DSTU2-PRACTITIONER-ROLE",
      "requesting_practitioner",
      without(practitioner(release), "practitionerRole"),
    );
    negative(
      "aud-not-fixed",
      "aud is not https://authorize.fhir.nhs.net/token",
      ["JWT-DSTU2-AUD"],
      [
        {
          kind: "set-claim",
          claim: "aud",
          value: "https://provider.example.nhs.uk/B82617/DSTU2/0/gpconnect",
        },
      ],
    );
    negative(
      "requested-record-wrong-resource",
      "requested_record is a Device, not a Patient or Organization",
      ["JWT-DSTU2-REQUESTED-RECORD"],
      [
        { kind: "set-claim", claim: "requested_record", value: device(release) },
      ],
    );
    if (interaction.shortName === "get-care-record") {
      negative(
        "requested-record-other-patient",
        "requested_record names another patient than the body",
        ["JWT-DSTU2-REQUESTED-RECORD-MATCH"],
        [{
          kind: "set-claim",
          claim: "requested_record",
          value: {
            resourceType: "Patient",
            identifier: [{ system: systems.nhsNumberDstu2, value: "9999999999" }],
          },
        }],
      );
    }
  } else {
    negative("requested-record-sent", "the 1.x token carries a requested_record claim", [
      "JWT-REQUESTED-RECORD-1X",
    ], [{
      kind: "set-claim",
      claim: "requested_record",
      value: {
        resourceType: "Patient",
        identifier: [{ system: systems.nhsNumber, value: "9690937286" }],
      },
    }]);
    tolerated(
      "practitioner-unk",
      "requesting_practitioner's SDS user and role profile ids are UNK",
      ["JWT-PRACTITIONER-UNK"],
      replaceClaim(
        "requesting_practitioner",
        practitioner(release, { sdsUserId: "UNK", roleProfile: "UNK" }),
      ),
    );
    tolerated(
      "practitioner-no-role-profile",
      "requesting_practitioner has no SDS role profile id",
      ["JWT-PRACTITIONER-UNK"],
      replaceClaim("requesting_practitioner", practitioner(release, { roleProfile: null })),
    );
    tolerated("aud-test-pack", "aud is the test pack's https://authorize.fhir.nhs.net/token/", [
      "JWT-AUD-1X-ANY",
    ], [
      { kind: "set-claim", claim: "aud", value: "https://authorize.fhir.nhs.net/token/" },
    ]);
    if (!interaction.reasonForRequest.includes("migration")) {
      tolerated(
        "organization-legacy-ods",
        "requesting_organization uses the legacy ODS system (RC5 compatibility)",
        ["JWT-ORGANIZATION-LEGACY-ODS"],
        replaceClaim(
          "requesting_organization",
          organization(release, systems.odsOrganizationCodeDstu2),
        ),
      );
    }
  }
  return rules.map((rule) => generatedScenario(base, rule));
}
