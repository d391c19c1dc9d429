/**
 * The resolved configuration of one harness run: defaults, then the config file, then
 * `GPC_CONFORMANCE_*` environment variables, then flags (flags win), checked as a whole with
 * errors that name the field.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { RootKind } from "../../gpconnect/specs.ts";
import { ConfigError } from "./config-error.ts";
import { configField, reportFormats, type SettingKey } from "./config-fields.ts";
import type { Settings, SettingValue } from "./setting-value.ts";
import {
  checkPfSettings,
  hasPfProvider,
  pfSettingKeys,
  type PfSettingsInput,
} from "../patient-facing/pf-settings.ts";

/** The kinds of target. */
export type TargetKind = "local" | "direct" | "ssp" | "mesh";

/**
 * The MESH settings as given (every one optional): `openTarget` fills the local world's values
 * for target local, and requires the server, mailbox, password and shared key otherwise.
 */
export interface MeshSettingsInput {
  readonly url?: string;
  readonly mailbox?: string;
  readonly password?: string;
  readonly recipient?: string;
  readonly recipientPassword?: string;
  readonly sharedKey?: string;
  readonly workflow?: string;
  readonly replyWorkflow?: string;
  readonly adminApi?: boolean;
  readonly routing?: boolean;
  readonly practice?: string;
  readonly ackWindowSeconds?: number;
}

/** A report format. */
export type ReportFormat = typeof reportFormats[number];

/** What to run (same shape as `conformance/scenarios/selection.ts` `Selection`). */
export interface SelectionInput {
  products?: string[];
  interactions?: string[];
  tags?: string[];
  requirements?: string[];
  ids?: string[];
}

/** The values the JWT carries besides the interaction's own (scope, reason, audience). */
export interface JwtValues {
  readonly iss: string;
  readonly orgOdsCode: string;
  readonly orgName: string;
  readonly practitionerId: string;
  readonly sdsUserId: string;
  readonly sdsRoleProfileId: string;
  readonly practitionerFamily: string;
  readonly practitionerGiven: string;
  readonly deviceSystem: string;
  readonly deviceValue: string;
  readonly deviceModel: string;
  readonly deviceVersion: string;
}

/** PEM files for the transport; paths are absolute. */
export interface TlsFiles {
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly caCert?: string;
  /** Server certificate verification off. */
  readonly insecure: boolean;
}

/** The configuration of a run. */
export interface HarnessConfig {
  readonly target: TargetKind;
  readonly localDirect: boolean;
  readonly baseUrl?: string;
  /** Roots given one by one (they override those derived from `baseUrl`). */
  readonly roots: Readonly<Partial<Record<RootKind, string>>>;
  readonly sspUrl?: string;
  /** MESH server, mailboxes and practice (products mesh and messaging). */
  readonly mesh: MeshSettingsInput;
  /** A GP system's patient-facing endpoints (product patient-facing; target direct). */
  readonly patientFacing: PfSettingsInput;
  readonly fromAsid: string;
  readonly toAsid: string;
  readonly odsCode: string;
  readonly jwt: JwtValues;
  /** Fixture manifest file; absent = the default roles. */
  readonly fixtures?: string;
  readonly tls: TlsFiles;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly profilesDir: string;
  readonly outDir: string;
  /** The run clock (ISO instant). */
  readonly clock: string;
  /** Whether the clock was given (else it is the run start). */
  readonly clockGiven: boolean;
  readonly formats: readonly ReportFormat[];
  readonly selection: SelectionInput;
}

/** The default profiles directory: `../shared/fhir/gpconnect-fhir-1.5.0` from the repo root. */
export const defaultProfilesDir: string = fileURLToPath(
  new URL("../../../shared/fhir/gpconnect-fhir-1.5.0", import.meta.url),
);

const defaults = {
  fromAsid: "200000000359",
  toAsid: "918999198738",
  odsCode: "B82617",
  jwtIss: "https://consumersupplier.thirdparty.nhs.uk/",
  orgOdsCode: "A11111",
  orgName: "gpc-edge Consumer Organisation",
  practitionerId: "1",
  sdsUserId: "111111111111",
  sdsRoleProfileId: "22222222222222",
  practitionerFamily: "Jones",
  practitionerGiven: "Claire",
  deviceSystem: "https://consumersupplier.com/Id/device-identifier",
  deviceValue: "CONS-APP-4",
  deviceModel: "gpc-edge conformance",
  deviceVersion: "1.0",
} as const;

/** Options for {@linkcode resolveConfig}. */
export interface ResolveOptions {
  /** Settings layers, lowest precedence first (file, environment, flags). */
  readonly layers: readonly Settings[];
  /** The run start. */
  readonly now: Date;
  /** Directory the default output directory is under. */
  readonly cwd: string;
}

/**
 * The configuration of a run.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ layers: [{ target: "direct", baseUrl: "https://h/B82617/STU3/1/gpconnect" }], now: new Date(), cwd: "." });
 * ```
 */
export function resolveConfig(options: ResolveOptions): HarnessConfig {
  const merged: Settings = Object.assign({}, ...options.layers);
  const str = (key: SettingKey) => merged[key] as string | undefined;
  const list = (key: SettingKey) => merged[key] as string[] | undefined;
  const target = (str("target") ?? "local") as TargetKind;
  const roots: Partial<Record<RootKind, string>> = {};
  for (const [root, key] of rootKeys) {
    const value = str(key);
    if (value !== undefined) roots[root] = value;
  }
  const pfGiven: PfSettingsInput = Object.fromEntries(
    pfSettingKeys.flatMap((key) => str(key) === undefined ? [] : [[key, str(key)]]),
  );
  checkPfSettings(target, pfGiven, reject);
  const remoteOnly: SettingKey[] = ["baseUrl", "sspUrl", ...rootKeys.map(([, key]) => key)];
  if (target === "local") {
    const stray = remoteOnly.find((key) => merged[key] !== undefined);
    if (stray) reject(stray, "only used with target direct or ssp (target is local)");
    if (merged.meshUrl !== undefined) {
      reject("meshUrl", "not used with target local (it speaks to gpc-edge's own MESH)");
    }
  } else if (target === "mesh") {
    const stray = [...remoteOnly, "localDirect" as const].find((key) =>
      merged[key] !== undefined && merged[key] !== false
    );
    if (stray) reject(stray, "not used with target mesh (a MESH server has no GP Connect roots)");
    if (str("meshUrl") === undefined) reject("meshUrl", "target mesh needs it");
  } else {
    if (merged.localDirect === true) reject("localDirect", `only used with target local`);
    if (
      str("baseUrl") === undefined && Object.keys(roots).length === 0 && !hasPfProvider(pfGiven)
    ) {
      reject(
        "baseUrl",
        `target ${target} needs base-url or at least one root URL (or pf-authorisation-url)`,
      );
    }
    if (target === "ssp" && str("sspUrl") === undefined) reject("sspUrl", "target ssp needs it");
    if (target === "direct" && str("sspUrl") !== undefined) {
      reject("sspUrl", "only used with target ssp (target is direct)");
    }
  }
  if (target !== "local" && str("meshUrl") !== undefined) {
    for (const key of ["meshMailbox", "meshPassword", "meshSharedKey"] as const) {
      if (str(key) === undefined) reject(key, "a MESH server (mesh-url) needs it");
    }
  }
  for (const key of ["meshMailbox", "meshRecipient", "meshPractice"] as const) {
    const id = str(key);
    if (id !== undefined && !/^[A-Z0-9][A-Z0-9_-]{0,99}$/.test(id)) {
      reject(key, `expected an upper-case MESH mailbox id (got ${JSON.stringify(id)})`);
    }
  }
  if ((str("meshRecipient") === undefined) !== (str("meshRecipientPassword") === undefined)) {
    reject(
      str("meshRecipient") === undefined ? "meshRecipient" : "meshRecipientPassword",
      "mesh-recipient and mesh-recipient-password go together",
    );
  }
  if ((str("clientCert") === undefined) !== (str("clientKey") === undefined)) {
    reject(
      str("clientCert") === undefined ? "clientCert" : "clientKey",
      "client-cert and client-key go together",
    );
  }
  const clock = str("clock");
  const value = <K extends keyof typeof defaults>(key: K) => str(key) ?? defaults[key];
  const selection: SelectionInput = {};
  for (const key of ["products", "interactions", "tags", "requirements", "ids"] as const) {
    const items = list(key);
    if (items !== undefined && items.length > 0) selection[key] = [...items];
  }
  return {
    target,
    localDirect: merged.localDirect === true,
    ...optional("baseUrl", str("baseUrl")),
    roots,
    ...optional("sspUrl", str("sspUrl")),
    mesh: {
      ...optional("url", str("meshUrl")),
      ...optional("mailbox", str("meshMailbox")),
      ...optional("password", str("meshPassword")),
      ...optional("recipient", str("meshRecipient")),
      ...optional("recipientPassword", str("meshRecipientPassword")),
      ...optional("sharedKey", str("meshSharedKey")),
      ...optional("workflow", str("meshWorkflow")),
      ...optional("replyWorkflow", str("meshReplyWorkflow")),
      ...(merged.meshAdminApi === undefined ? {} : { adminApi: merged.meshAdminApi === true }),
      ...(merged.meshRouting === undefined ? {} : { routing: merged.meshRouting === true }),
      ...optional("practice", str("meshPractice")),
      ...(merged.ackWindowSeconds === undefined
        ? {}
        : { ackWindowSeconds: merged.ackWindowSeconds as number }),
    },
    fromAsid: value("fromAsid"),
    toAsid: value("toAsid"),
    odsCode: value("odsCode"),
    jwt: {
      iss: value("jwtIss"),
      orgOdsCode: value("orgOdsCode"),
      orgName: value("orgName"),
      practitionerId: value("practitionerId"),
      sdsUserId: value("sdsUserId"),
      sdsRoleProfileId: value("sdsRoleProfileId"),
      practitionerFamily: value("practitionerFamily"),
      practitionerGiven: value("practitionerGiven"),
      deviceSystem: value("deviceSystem"),
      deviceValue: value("deviceValue"),
      deviceModel: value("deviceModel"),
      deviceVersion: value("deviceVersion"),
    },
    ...optional("fixtures", str("fixtures")),
    tls: {
      ...optional("clientCert", str("clientCert")),
      ...optional("clientKey", str("clientKey")),
      ...optional("caCert", str("caCert")),
      insecure: merged.insecure === true,
    },
    timeoutMs: (merged.timeoutMs as number | undefined) ?? 30_000,
    concurrency: (merged.concurrency as number | undefined) ?? 8,
    profilesDir: str("profilesDir") ?? defaultProfilesDir,
    outDir: str("outDir") ??
      `${options.cwd.replace(/\/+$/, "")}/conformance-results/${fileStamp(options.now)}`,
    clock: clock ?? options.now.toISOString(),
    clockGiven: clock !== undefined,
    formats: (list("formats") as ReportFormat[] | undefined)?.length
      ? list("formats") as ReportFormat[]
      : [...reportFormats],
    patientFacing: pfGiven,
    selection,
  };
}

const rootKeys: ReadonlyArray<readonly [RootKind, SettingKey]> = [
  ["foundations", "foundationsUrl"],
  ["structured", "structuredUrl"],
  ["documents", "documentsUrl"],
  ["dstu2", "dstu2Url"],
];

function reject(key: SettingKey, message: string): never {
  const field = configField(key);
  throw new ConfigError(`--${field.flag} (${field.file}, ${field.env})`, message);
}

function optional<K extends string>(key: K, value: SettingValue | undefined) {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** A run start as a file-name-safe stamp, e.g. `2026-11-23T10-00-00Z`. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/:/g, "-");
}
