/**
 * The patient-facing settings of the harness configuration (product `patient-facing` against a
 * GP system's patient-facing endpoints): the practice's authorisation service and product roots,
 * the harness's client id there and its RS512 private key (a JWK file with `kid`; its public half
 * registered with the practice, as the API platform's is), where id_tokens come from (an NHS
 * login sandbox's test mint endpoint, or a file of id_tokens by NHS number), and a patient whose
 * prescriptions level is `view`. With target local every value is the local world's.
 *
 * @module
 */
import { ConfigError } from "../config/config-error.ts";
import type { ConfigField } from "../config/config-fields.ts";
import { importSigningKey, type PfEndpoint } from "./pf-endpoint.ts";
import type { PfApi } from "./pf-scenario.ts";

/** Keys of the patient-facing settings. */
export type PfSettingKey =
  | "pfAuthorisationUrl"
  | "pfAccessRecordUrl"
  | "pfAppointmentsUrl"
  | "pfPrescriptionsUrl"
  | "pfUserPermissionsUrl"
  | "pfClientId"
  | "pfSigningKey"
  | "pfNhsLoginUrl"
  | "pfIdTokens"
  | "pfViewUser";

/** The settings as given (every one optional). */
export type PfSettingsInput = Readonly<Partial<Record<PfSettingKey, string>>>;

const rootKeys: ReadonlyArray<readonly [PfApi, PfSettingKey]> = [
  ["access-record", "pfAccessRecordUrl"],
  ["appointments-management", "pfAppointmentsUrl"],
  ["prescriptions", "pfPrescriptionsUrl"],
  ["user-permissions", "pfUserPermissionsUrl"],
];

const e = (name: string) => `GPC_CONFORMANCE_${name}`;

function field(
  key: PfSettingKey,
  file: string,
  env: string,
  flag: string,
  kind: ConfigField["kind"],
  doc: string,
): ConfigField {
  return { key, file: `patientFacing.${file}`, env: e(env), flag, kind, doc } as ConfigField;
}

/** The fields, in `--help` order. */
export const pfConfigFields: readonly ConfigField[] = [
  field(
    "pfAuthorisationUrl",
    "authorisationService",
    "PF_AUTHORISATION_URL",
    "pf-authorisation-url",
    "url",
    "product patient-facing against a provider (target direct): the practice's authorisation " +
      "service token URL (RFC 8693 token exchange); local: found through the SDS sandbox",
  ),
  field(
    "pfAccessRecordUrl",
    "roots.accessRecord",
    "PF_ACCESS_RECORD_URL",
    "pf-access-record",
    "url",
    "the practice's patient-facing Access Record (STU3) root",
  ),
  field(
    "pfAppointmentsUrl",
    "roots.appointmentsManagement",
    "PF_APPOINTMENTS_URL",
    "pf-appointments",
    "url",
    "its Appointment Management (STU3) root",
  ),
  field(
    "pfPrescriptionsUrl",
    "roots.prescriptions",
    "PF_PRESCRIPTIONS_URL",
    "pf-prescriptions",
    "url",
    "its Prescriptions (R4) root",
  ),
  field(
    "pfUserPermissionsUrl",
    "roots.userPermissions",
    "PF_USER_PERMISSIONS_URL",
    "pf-user-permissions",
    "url",
    "its User Permissions root",
  ),
  field(
    "pfClientId",
    "clientId",
    "PF_CLIENT_ID",
    "pf-client-id",
    "string",
    "the harness's client id at the authorisation service (iss and sub of its assertions)",
  ),
  field(
    "pfSigningKey",
    "signingKey",
    "PF_SIGNING_KEY",
    "pf-signing-key",
    "path",
    "RS512 private JWK file (with kid) signing the harness's client assertions; its public " +
      "half registered with the practice",
  ),
  field(
    "pfNhsLoginUrl",
    "idTokens.nhsLoginUrl",
    "PF_NHS_LOGIN_URL",
    "pf-nhs-login-url",
    "url",
    "an NHS login sandbox minting id_tokens for fixture patients (POST {url}/test/id-token)",
  ),
  field(
    "pfIdTokens",
    "idTokens.file",
    "PF_ID_TOKENS",
    "pf-id-tokens",
    "path",
    'instead: a JSON file {"<nhs number>": "<NHS login id_token>"} of the fixture patients\' ' +
      "P9 logins (a secret: keep it out of version control)",
  ),
  field(
    "pfViewUser",
    "viewUser",
    "PF_VIEW_USER",
    "pf-view-user",
    "string",
    "NHS number of a patient whose prescriptions level is view (local: from the practice's " +
      "permissions data)",
  ),
];

/** Every key, for the config resolver. */
export const pfSettingKeys: readonly PfSettingKey[] = pfConfigFields.map(
  (f) => f.key as PfSettingKey,
);

/**
 * Checks the settings against the target; `reject` throws naming the field.
 *
 * @example
 * ```ts
 * checkPfSettings("direct", {}, (key, message) => { throw new Error(`${key}: ${message}`); });
 * ```
 */
export function checkPfSettings(
  target: string,
  given: PfSettingsInput,
  reject: (key: PfSettingKey, message: string) => never,
): void {
  const set = pfSettingKeys.filter((key) => given[key] !== undefined);
  if (set.length === 0) return;
  if (target === "local" || target === "mesh") {
    const stray = set.find((key) => key !== "pfViewUser");
    if (stray) reject(stray, `only used with target direct (target is ${target})`);
    return;
  }
  for (const key of ["pfAuthorisationUrl", "pfClientId", "pfSigningKey"] as const) {
    if (given[key] === undefined) reject(key, "a patient-facing provider needs it");
  }
  if (!rootKeys.some(([, key]) => given[key] !== undefined)) {
    reject("pfAccessRecordUrl", "a patient-facing provider needs at least one product root");
  }
  if ((given.pfNhsLoginUrl === undefined) === (given.pfIdTokens === undefined)) {
    reject("pfNhsLoginUrl", "give exactly one id_token source: pf-nhs-login-url or pf-id-tokens");
  }
  if (given.pfViewUser !== undefined && !/^\d{10}$/.test(given.pfViewUser)) {
    reject("pfViewUser", "expected a 10-digit NHS number");
  }
}

/** Whether the settings describe a patient-facing provider. */
export function hasPfProvider(given: PfSettingsInput): boolean {
  return given.pfAuthorisationUrl !== undefined;
}

async function readJson(path: string, flag: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new ConfigError(flag, `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * The endpoint of a configured patient-facing provider, or undefined when none is configured.
 *
 * @example
 * ```ts
 * await pfEndpointFromSettings({}); // undefined
 * ```
 */
export async function pfEndpointFromSettings(
  given: PfSettingsInput,
): Promise<PfEndpoint | undefined> {
  if (!hasPfProvider(given)) return undefined;
  const jwk = await readJson(given.pfSigningKey!, "--pf-signing-key");
  const signingKey = await importSigningKey(jwk as Record<string, string>, "--pf-signing-key");
  let idTokens: PfEndpoint["idTokens"];
  if (given.pfIdTokens !== undefined) {
    const tokens = await readJson(given.pfIdTokens, "--pf-id-tokens");
    if (
      typeof tokens !== "object" || tokens === null ||
      !Object.values(tokens).every((token) => typeof token === "string")
    ) {
      throw new ConfigError("--pf-id-tokens", "expected a JSON object of NHS number to id_token");
    }
    idTokens = { kind: "tokens", byNhsNumber: tokens as Record<string, string> };
  } else idTokens = { kind: "mint", url: given.pfNhsLoginUrl! };
  const roots: Partial<Record<PfApi, string>> = {};
  const missing: Partial<Record<PfApi, string>> = {};
  for (const [api, key] of rootKeys) {
    const url = given[key];
    if (url === undefined) missing[api] = `no ${api} root configured (--${flagOf(key)})`;
    else roots[api] = url;
  }
  return {
    roots,
    authorisationService: given.pfAuthorisationUrl!,
    clientId: given.pfClientId!,
    signingKey,
    idTokens,
    extraRoles: given.pfViewUser === undefined ? {} : { "view-user": given.pfViewUser },
    missing,
  };
}

function flagOf(key: PfSettingKey): string {
  return pfConfigFields.find((f) => f.key === key)?.flag ?? key;
}
