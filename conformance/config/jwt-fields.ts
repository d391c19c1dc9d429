/**
 * The consumer identity the JWT carries (reference gpconnect-ssp.md §2.2): issuer, requesting
 * organisation, practitioner and device. Part of the settings table of `config-fields.ts`.
 *
 * @module
 */
import type { ConfigField, FieldKind, SettingKey } from "./config-fields.ts";

function jwtField(
  key: SettingKey,
  file: string,
  env: string,
  flag: string,
  kind: FieldKind,
  doc: string,
): ConfigField {
  return { key, file: `jwt.${file}`, env: `GPC_CONFORMANCE_${env}`, flag, kind, doc };
}

/** The JWT settings, in `--help` order. */
export const jwtFields: readonly ConfigField[] = [
  jwtField(
    "jwtIss",
    "iss",
    "JWT_ISS",
    "jwt-iss",
    "string",
    "JWT iss: the consumer's Spine endpoint URL",
  ),
  jwtField(
    "orgOdsCode",
    "requestingOrganization.odsCode",
    "ORG_ODS_CODE",
    "org-ods-code",
    "ods",
    "JWT requesting_organization ODS code (default A11111)",
  ),
  jwtField(
    "orgName",
    "requestingOrganization.name",
    "ORG_NAME",
    "org-name",
    "string",
    "JWT requesting_organization name",
  ),
  jwtField(
    "practitionerId",
    "practitioner.id",
    "PRACTITIONER_ID",
    "practitioner-id",
    "string",
    "JWT sub and requesting_practitioner.id (default 1)",
  ),
  jwtField(
    "sdsUserId",
    "practitioner.sdsUserId",
    "SDS_USER_ID",
    "sds-user-id",
    "string",
    "requesting_practitioner SDS user id (or UNK)",
  ),
  jwtField(
    "sdsRoleProfileId",
    "practitioner.sdsRoleProfileId",
    "SDS_ROLE_PROFILE_ID",
    "sds-role-profile-id",
    "string",
    "requesting_practitioner SDS role profile id (or UNK)",
  ),
  jwtField(
    "practitionerFamily",
    "practitioner.family",
    "PRACTITIONER_FAMILY",
    "practitioner-family",
    "string",
    "requesting_practitioner family name",
  ),
  jwtField(
    "practitionerGiven",
    "practitioner.given",
    "PRACTITIONER_GIVEN",
    "practitioner-given",
    "string",
    "requesting_practitioner given name",
  ),
  jwtField(
    "deviceSystem",
    "device.system",
    "DEVICE_SYSTEM",
    "device-system",
    "url",
    "requesting_device identifier system",
  ),
  jwtField(
    "deviceValue",
    "device.value",
    "DEVICE_VALUE",
    "device-value",
    "string",
    "requesting_device identifier value",
  ),
  jwtField(
    "deviceModel",
    "device.model",
    "DEVICE_MODEL",
    "device-model",
    "string",
    "requesting_device model",
  ),
  jwtField(
    "deviceVersion",
    "device.version",
    "DEVICE_VERSION",
    "device-version",
    "string",
    "requesting_device version",
  ),
];
