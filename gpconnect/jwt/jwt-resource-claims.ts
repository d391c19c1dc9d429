/**
 * Checks the FHIR-resource claims of a GP Connect JWT: `requested_record` (via
 * {@linkcode checkRequestedRecord}), `requesting_device`, `requesting_organization`,
 * `requesting_practitioner` (reference gpconnect-ssp.md §2.2 and its "0.x / DSTU2 differences"),
 * and extracts the audit identities they carry.
 *
 * Required content (each missing → 400 BAD_REQUEST, PT `JWT.feature` and DEMO
 * `WebTokenValidator.java`; structural problems → 422, see `resourceClaim` in jwt-fhir-elements.ts):
 * - Device: `identifier` with `system` and `value`, `model`, `version`; DSTU2 also `id`.
 * - Organization: `name`, an `identifier` with the ODS system and a value; DSTU2 also `id`.
 *   1.x accepts the legacy ODS system too (GPC-1.6 audit page "Deprecated - required to
 *   support AccessRecord 1.0.0-rc.5"; PT-1.6 "Backward Compatability for RC5" expects success).
 * - Practitioner: `id`, a `name` with a `family`, an `identifier` with the SDS user id system
 *   (value may be `UNK`). The role-profile identifier is optional (PT: "no role-profile → 200").
 *   DSTU2 also needs a `practitionerRole` coded in `sds-job-role-name-1` (PT-0.7).
 *
 * @module
 */
import type { FhirVersion } from "../specs.ts";
import { identifierSystems } from "../identifier-systems.ts";
import { isJsonObject, jsonType } from "../json-object.ts";
import { badRequest, invalidResource, type JwtFinding } from "./jwt-finding.ts";
import {
  type ElementContext,
  identifierList,
  identifierValue,
  resourceClaim,
  stringElement,
} from "./jwt-fhir-elements.ts";
import { checkRequestedRecord, type RequestedRecordSummary } from "./jwt-requested-record.ts";

/** Audit identities read from the resource claims; a field is absent when it could not be read. */
export interface ResourceClaimsSummary extends RequestedRecordSummary {
  /** First `requesting_device` identifier value, else the Device `id`. */
  readonly requestingDeviceId?: string;
  /** ODS code of `requesting_organization`. */
  readonly requestingOrganizationOds?: string;
  /** `requesting_practitioner.id` (equals `sub` when valid). */
  readonly requestingPractitionerId?: string;
  /** SDS user id of the practitioner (may be `UNK`). */
  readonly requestingPractitionerSdsUserId?: string;
  /** SDS role profile id of the practitioner (1.x; may be `UNK`). */
  readonly requestingPractitionerRoleProfileId?: string;
}

type MutableSummary = { -readonly [K in keyof ResourceClaimsSummary]: ResourceClaimsSummary[K] };

/**
 * Checks the resource claims for the interaction's FHIR release, collecting every finding in the
 * order requested_record, requesting_device, requesting_organization, requesting_practitioner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gpConnectJwtClaims } from "./gpc-jwt.ts";
 * const claims = gpConnectJwtClaims({ requestedScope: "patient/*.read" });
 * const { findings, summary } = checkResourceClaims(claims, "STU3");
 * assert.deepEqual(findings, []);
 * assert.equal(summary.requestingOrganizationOds, "A11111");
 * ```
 */
export function checkResourceClaims(
  claims: Readonly<Record<string, unknown>>,
  fhirVersion: FhirVersion,
): { readonly findings: readonly JwtFinding[]; readonly summary: ResourceClaimsSummary } {
  const record = checkRequestedRecord(claims, fhirVersion);
  const findings: JwtFinding[] = [...record.findings];
  const summary: MutableSummary = { ...record.summary };
  checkDevice(claims.requesting_device, fhirVersion, findings, summary);
  checkOrganization(claims.requesting_organization, fhirVersion, findings, summary);
  checkPractitioner(claims.requesting_practitioner, fhirVersion, findings, summary);
  return { findings, summary };
}

function checkDevice(
  value: unknown,
  fhirVersion: FhirVersion,
  findings: JwtFinding[],
  summary: MutableSummary,
): void {
  const context: ElementContext = { claim: "requesting_device", findings };
  const device = resourceClaim(context, value, "Device", fhirVersion);
  if (device === undefined) return;
  const id = stringElement(context, device, "id", fhirVersion === "DSTU2");
  const identifiers = identifierList(context, device, true);
  const complete = identifiers?.find((entry) =>
    entry.system !== undefined && entry.value !== undefined
  );
  if (identifiers !== undefined && complete === undefined) {
    findings.push(
      badRequest(
        context.claim,
        `Claim "${context.claim}" has no identifier with both "system" and "value"`,
      ),
    );
  }
  stringElement(context, device, "model", true);
  stringElement(context, device, "version", true);
  const deviceId = complete?.value ?? id;
  if (deviceId !== undefined) summary.requestingDeviceId = deviceId;
}

function checkOrganization(
  value: unknown,
  fhirVersion: FhirVersion,
  findings: JwtFinding[],
  summary: MutableSummary,
): void {
  const context: ElementContext = { claim: "requesting_organization", findings };
  const organization = resourceClaim(context, value, "Organization", fhirVersion);
  if (organization === undefined) return;
  stringElement(context, organization, "id", fhirVersion === "DSTU2");
  const systems = fhirVersion === "DSTU2"
    ? [identifierSystems.odsOrganizationCodeDstu2]
    : [identifierSystems.odsOrganizationCode, identifierSystems.odsOrganizationCodeDstu2];
  const identifiers = identifierList(context, organization, true);
  const ods = identifierValue(identifiers, systems);
  if (ods !== undefined) {
    summary.requestingOrganizationOds = ods;
  } else if (identifiers !== undefined) {
    findings.push(
      badRequest(
        context.claim,
        `Claim "${context.claim}" has no identifier with system "${systems[0]}" and a value`,
      ),
    );
  }
  stringElement(context, organization, "name", true);
}

function checkPractitioner(
  value: unknown,
  fhirVersion: FhirVersion,
  findings: JwtFinding[],
  summary: MutableSummary,
): void {
  const context: ElementContext = { claim: "requesting_practitioner", findings };
  const practitioner = resourceClaim(context, value, "Practitioner", fhirVersion);
  if (practitioner === undefined) return;
  const id = stringElement(context, practitioner, "id", true);
  if (id !== undefined) summary.requestingPractitionerId = id;
  const identifiers = identifierList(context, practitioner, true);
  const sdsSystem = fhirVersion === "DSTU2"
    ? identifierSystems.sdsUserIdDstu2
    : identifierSystems.sdsUserId;
  const sdsUserId = identifierValue(identifiers, [sdsSystem]);
  if (sdsUserId !== undefined) {
    summary.requestingPractitionerSdsUserId = sdsUserId;
  } else if (identifiers !== undefined) {
    findings.push(
      badRequest(
        context.claim,
        `Claim "${context.claim}" has no identifier with system "${sdsSystem}" and a value`,
      ),
    );
  }
  if (fhirVersion === "STU3") {
    const roleProfile = identifierValue(identifiers, [identifierSystems.sdsRoleProfileId]);
    if (roleProfile !== undefined) summary.requestingPractitionerRoleProfileId = roleProfile;
  }
  checkName(context, practitioner);
  if (fhirVersion === "DSTU2") checkJobRole(context, practitioner);
}

/**
 * `name` needs a `family`. Accepts a HumanName object or an array of them, and `family` as a
 * string (STU3) or an array of strings (DSTU2), since both shapes appear in the GP Connect pages.
 */
function checkName(context: ElementContext, practitioner: Readonly<Record<string, unknown>>): void {
  const { claim, findings } = context;
  const name = practitioner.name;
  if (name === undefined || name === null || (Array.isArray(name) && name.length === 0)) {
    findings.push(badRequest(claim, `Claim "${claim}" has no "name"`));
    return;
  }
  const names: unknown[] = Array.isArray(name) ? name : [name];
  let hasFamily = false;
  let malformed = false;
  for (const humanName of names) {
    if (!isJsonObject(humanName)) {
      findings.push(
        invalidResource(
          claim,
          `Claim "${claim}" element "name" must be a HumanName (found ${jsonType(humanName)})`,
        ),
      );
      malformed = true;
      continue;
    }
    const family = humanName.family;
    const families = Array.isArray(family) ? family : [family];
    if (families.some((part) => typeof part !== "string" && part !== undefined && part !== null)) {
      findings.push(
        invalidResource(
          claim,
          `Claim "${claim}" element "name.family" must be a string (found ${jsonType(family)})`,
        ),
      );
      malformed = true;
    } else if (families.some((part) => typeof part === "string" && part !== "")) {
      hasFamily = true;
    }
  }
  if (!hasFamily && !malformed) {
    findings.push(badRequest(claim, `Claim "${claim}" has no "name" with a "family"`));
  }
}

/** DSTU2: a `practitionerRole` whose `role` is coded in `sds-job-role-name-1` (PT-0.7 → 400). */
function checkJobRole(
  context: ElementContext,
  practitioner: Readonly<Record<string, unknown>>,
): void {
  const { claim, findings } = context;
  const roles = practitioner.practitionerRole;
  if (roles === undefined || roles === null || (Array.isArray(roles) && roles.length === 0)) {
    findings.push(badRequest(claim, `Claim "${claim}" has no "practitionerRole"`));
    return;
  }
  if (!Array.isArray(roles)) {
    findings.push(
      invalidResource(
        claim,
        `Claim "${claim}" element "practitionerRole" must be an array (found ${jsonType(roles)})`,
      ),
    );
    return;
  }
  const system = identifierSystems.sdsJobRoleNameDstu2;
  const coded = roles.some((entry: unknown) =>
    isJsonObject(entry) && isJsonObject(entry.role) && Array.isArray(entry.role.coding) &&
    entry.role.coding.some((coding: unknown) =>
      isJsonObject(coding) && coding.system === system && typeof coding.code === "string" &&
      coding.code !== ""
    )
  );
  if (!coded) {
    findings.push(
      badRequest(claim, `Claim "${claim}" has no "practitionerRole" coded in "${system}"`),
    );
  }
}
