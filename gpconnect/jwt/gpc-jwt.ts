/**
 * Consumer-side builder of the GP Connect JWT (unsigned, `alg: none`): the claims of reference
 * gpconnect-ssp.md §2.2 (1.x / STU3) and the DSTU2 variant of §2.2 "0.x differences".
 * A request *builder*, shared by the sandbox, tests and the harness; it judges nothing.
 *
 * @module
 */
import { base64urlEncode } from "../base64url.ts";

/** Options for {@linkcode gpConnectJwtClaims}. */
export interface GpConnectJwtOptions {
  /** `requested_scope`, e.g. `patient/*.read` (a `conf/…` suffix may be included). */
  readonly requestedScope: string;
  /** FHIR release of the interaction; DSTU2 adds `requested_record` and legacy systems. */
  readonly fhirVersion?: "STU3" | "DSTU2";
  /** `reason_for_request`; defaults to `directcare`. */
  readonly reasonForRequest?: string;
  /** `aud`; defaults to the provider service root for STU3, the fixed DSTU2 value otherwise. */
  readonly audience?: string;
  /** Issue time in epoch seconds; defaults to now. */
  readonly issuedAt?: number;
  /** ODS code of the requesting organisation; defaults to the sandbox consumer `A11111`. */
  readonly requestingOdsCode?: string;
  /** NHS number for DSTU2 `requested_record` (patient-scoped interactions). */
  readonly nhsNumber?: string;
  /** ODS code for DSTU2 `requested_record` (organisation-scoped interactions); default B82617. */
  readonly requestedOdsCode?: string;
}

/** The fixed DSTU2 audience. */
export const dstu2Audience = "https://authorize.fhir.nhs.net/token";

/**
 * The claims of a valid GP Connect JWT.
 *
 * @example
 * ```ts
 * const claims = gpConnectJwtClaims({ requestedScope: "organization/*.read" });
 * ```
 */
export function gpConnectJwtClaims(options: GpConnectJwtOptions): Record<string, unknown> {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const dstu2 = options.fhirVersion === "DSTU2";
  const ods = options.requestingOdsCode ?? "A11111";
  const practitionerId = "1";
  const claims: Record<string, unknown> = {
    iss: "https://consumersupplier.thirdparty.nhs.uk/",
    sub: practitionerId,
    aud: options.audience ?? (dstu2 ? dstu2Audience : "https://authorize.fhir.nhs.net/token/"),
    exp: iat + 300,
    iat,
    reason_for_request: options.reasonForRequest ?? "directcare",
    requested_scope: options.requestedScope,
    requesting_device: {
      resourceType: "Device",
      ...(dstu2 ? { id: "1" } : {}),
      identifier: [{
        system: "https://consumersupplier.com/Id/device-identifier",
        value: "CONS-APP-4",
      }],
      model: "gpc-edge-consumer",
      version: "1.0",
    },
    requesting_organization: {
      resourceType: "Organization",
      ...(dstu2 ? { id: "1" } : {}),
      identifier: [{
        system: dstu2
          ? "http://fhir.nhs.net/Id/ods-organization-code"
          : "https://fhir.nhs.uk/Id/ods-organization-code",
        value: ods,
      }],
      name: "gpc-edge Consumer Organisation",
    },
    requesting_practitioner: {
      resourceType: "Practitioner",
      id: practitionerId,
      identifier: dstu2
        ? [
          { system: "http://fhir.nhs.net/sds-user-id", value: "G13579135" },
          {
            system: "https://consumersupplier.com/Id/user-guid",
            value: "98ed4f78-814d-4266-8d5b-cde742f3093c",
          },
        ]
        : [
          { system: "https://fhir.nhs.uk/Id/sds-user-id", value: "111111111111" },
          { system: "https://fhir.nhs.uk/Id/sds-role-profile-id", value: "22222222222222" },
          {
            system: "https://consumersupplier.com/Id/user-guid",
            value: "98ed4f78-814d-4266-8d5b-cde742f3093c",
          },
        ],
      name: [{ family: "Jones", given: ["Claire"], prefix: ["Dr"] }],
      ...(dstu2
        ? {
          practitionerRole: [{
            role: {
              coding: [{
                system: "http://fhir.nhs.net/ValueSet/sds-job-role-name-1",
                code: "R8000",
              }],
            },
          }],
        }
        : {}),
    },
  };
  if (dstu2) {
    // DSTU2 names the record asked for: the patient, or for organisation-scoped reads the
    // organisation (GPC-0.7 audit page; the 0.7 test pack sends an Organization for metadata).
    claims.requested_record = options.requestedScope.startsWith("organization/")
      ? {
        resourceType: "Organization",
        identifier: [{
          system: "http://fhir.nhs.net/Id/ods-organization-code",
          value: options.requestedOdsCode ?? "B82617",
        }],
      }
      : {
        resourceType: "Patient",
        identifier: [{
          system: "http://fhir.nhs.net/Id/nhs-number",
          value: options.nhsNumber ?? "9690937278",
        }],
      };
  }
  return claims;
}

/**
 * Encodes claims as an unsecured JWT: `base64url(header).base64url(payload).` with the header
 * exactly `{"alg":"none","typ":"JWT"}` and an empty signature.
 */
export function encodeUnsignedJwt(
  claims: Readonly<Record<string, unknown>>,
  header: Readonly<Record<string, unknown>> = { alg: "none", typ: "JWT" },
): string {
  return `${base64urlEncode(JSON.stringify(header))}.${base64urlEncode(JSON.stringify(claims))}.`;
}

/** A valid GP Connect JWT for the options, ready for `Authorization: Bearer …`. */
export function gpConnectJwt(options: GpConnectJwtOptions): string {
  return encodeUnsignedJwt(gpConnectJwtClaims(options));
}
