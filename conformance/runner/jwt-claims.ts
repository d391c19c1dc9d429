/**
 * The consumer JWT claims of one request: the shared builder's claims for the interaction
 * (scope, reason, FHIR release, audience, DSTU2 `requested_record`) with the configured consumer
 * identity laid over them (iss, requesting organisation, practitioner, device).
 *
 * @module
 */
import { gpConnectJwtClaims } from "../../gpconnect/jwt/gpc-jwt.ts";
import type { Interaction } from "../../gpconnect/specs.ts";
import type { JwtValues } from "../config/harness-config.ts";

/** Options for {@linkcode consumerJwtClaims}. */
export interface ConsumerJwtOptions {
  readonly values: JwtValues;
  /** `aud` for STU3: the provider service root (DSTU2 uses its fixed value). */
  readonly audience: string;
  /** `iat` in epoch seconds (`exp` = iat + 300). */
  readonly issuedAt: number;
  /** Practice ODS code (DSTU2 organisation `requested_record`). */
  readonly odsCode: string;
  /** Patient NHS number (DSTU2 patient `requested_record`). */
  readonly nhsNumber?: string;
}

/**
 * The claims of a valid JWT for `interaction`.
 *
 * @example
 * ```ts
 * import { findInteraction } from "../../gpconnect/specs.ts";
 * import { testJwtValues as values } from "./test-support.ts";
 *
 * const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
 * const root = "https://gp.example/B82617/STU3/1/gpconnect/fhir";
 *
 * const claims = consumerJwtClaims(findInteraction(METADATA)!, { values, audience: root, issuedAt: 1_800_000_000, odsCode: "B82617" });
 * ```
 */
export function consumerJwtClaims(
  interaction: Interaction,
  options: ConsumerJwtOptions,
): Record<string, unknown> {
  const dstu2 = interaction.fhirVersion === "DSTU2";
  const values = options.values;
  const claims = gpConnectJwtClaims({
    requestedScope: interaction.requestedScope,
    fhirVersion: interaction.fhirVersion,
    reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
    ...(dstu2 ? {} : { audience: options.audience }),
    issuedAt: options.issuedAt,
    requestingOdsCode: values.orgOdsCode,
    requestedOdsCode: options.odsCode,
    ...(options.nhsNumber === undefined ? {} : { nhsNumber: options.nhsNumber }),
  });
  claims.iss = values.iss;
  claims.sub = values.practitionerId;
  const organization = claims.requesting_organization as Record<string, unknown>;
  organization.name = values.orgName;
  const device = claims.requesting_device as Record<string, unknown>;
  device.identifier = [{ system: values.deviceSystem, value: values.deviceValue }];
  device.model = values.deviceModel;
  device.version = values.deviceVersion;
  const practitioner = claims.requesting_practitioner as Record<string, unknown>;
  practitioner.id = values.practitionerId;
  practitioner.name = [{
    family: values.practitionerFamily,
    given: [values.practitionerGiven],
    prefix: ["Dr"],
  }];
  const identifiers = practitioner.identifier as Array<{ system: string; value: string }>;
  for (const identifier of identifiers) {
    if (identifier.system.endsWith("sds-user-id")) identifier.value = values.sdsUserId;
    if (identifier.system.endsWith("sds-role-profile-id")) {
      identifier.value = values.sdsRoleProfileId;
    }
  }
  return claims;
}
