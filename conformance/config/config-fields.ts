/**
 * Every setting of the conformance harness, once: its key, where it lives in the JSON config file,
 * its `GPC_CONFORMANCE_*` environment variable, its command-line flag, its kind and what it means.
 * The file reader, the environment reader, the CLI's `parseArgs` options and `--help` are all
 * derived from this table, so the three sources cannot drift apart.
 *
 * @module
 */
import { products } from "../model.ts";
import { jwtFields } from "./jwt-fields.ts";
import { pfConfigFields, type PfSettingKey } from "../patient-facing/pf-settings.ts";

/** How a setting's text is parsed and checked. */
export type FieldKind =
  | "string"
  | "url"
  | "asid"
  | "ods"
  | "int"
  | "bool"
  | "list"
  | "path"
  | "instant"
  | "enum";

/** The report formats `writeReports` understands. */
export const reportFormats = ["json", "junit", "html", "evidence"] as const;

/** One setting. */
export interface ConfigField {
  /** Key in the flat settings object. */
  readonly key: SettingKey;
  /** Dotted path in the JSON config file. */
  readonly file: string;
  /** Environment variable. */
  readonly env: string;
  /** Command-line flag, without `--`. */
  readonly flag: string;
  readonly kind: FieldKind;
  /** Allowed values of an `enum`, or of each item of a `list` when restricted. */
  readonly values?: readonly string[];
  /** What it means, and its default. */
  readonly doc: string;
}

/** Keys of the flat settings. */
export type SettingKey =
  | "target"
  | "localDirect"
  | "baseUrl"
  | "foundationsUrl"
  | "structuredUrl"
  | "documentsUrl"
  | "dstu2Url"
  | "sspUrl"
  | "meshUrl"
  | "meshMailbox"
  | "meshPassword"
  | "meshRecipient"
  | "meshRecipientPassword"
  | "meshSharedKey"
  | "meshWorkflow"
  | "meshReplyWorkflow"
  | "meshAdminApi"
  | "meshRouting"
  | "meshPractice"
  | "ackWindowSeconds"
  | "fromAsid"
  | "toAsid"
  | "odsCode"
  | "jwtIss"
  | "orgOdsCode"
  | "orgName"
  | "practitionerId"
  | "sdsUserId"
  | "sdsRoleProfileId"
  | "practitionerFamily"
  | "practitionerGiven"
  | "deviceSystem"
  | "deviceValue"
  | "deviceModel"
  | "deviceVersion"
  | "fixtures"
  | "clientCert"
  | "clientKey"
  | "caCert"
  | "insecure"
  | "timeoutMs"
  | "concurrency"
  | "profilesDir"
  | "outDir"
  | "clock"
  | "formats"
  | "products"
  | "interactions"
  | "tags"
  | "requirements"
  | "ids"
  | PfSettingKey;

const e = (name: string) => `GPC_CONFORMANCE_${name}`;

/** The table. Order is the order of `--help`. */
export const configFields: readonly ConfigField[] = [
  {
    key: "target",
    file: "target",
    env: e("TARGET"),
    flag: "target",
    kind: "enum",
    values: ["local", "direct", "ssp", "mesh"],
    doc: "local (default: start the local world and go through gpc-edge's SSP; its MESH too), " +
      "direct (a provider at its service roots), ssp (the provider's roots through an SSP URL " +
      "prefix) or mesh (a MESH server, and a practice behind it with --mesh-practice)",
  },
  {
    key: "localDirect",
    file: "localDirect",
    env: e("LOCAL_DIRECT"),
    flag: "local-direct",
    kind: "bool",
    doc: "with target local: call the local provider directly instead of through gpc-edge's SSP",
  },
  {
    key: "baseUrl",
    file: "baseUrl",
    env: e("BASE_URL"),
    flag: "base-url",
    kind: "url",
    doc: "STU3 base, e.g. https://host/B82617/STU3/1/gpconnect; derives the foundations " +
      "(/fhir), structured (/structured/fhir) and documents (/documents/fhir) roots",
  },
  rootField("foundationsUrl", "foundations", derivedRoot("Foundations and Appointments")),
  rootField("structuredUrl", "structured", derivedRoot("Access Record Structured")),
  rootField("documentsUrl", "documents", derivedRoot("Access Document")),
  rootField(
    "dstu2Url",
    "dstu2",
    "DSTU2 Access Record HTML service root URL, e.g. https://host/B82617/DSTU2/0/gpconnect " +
      "(never derived from base-url; without it the html cases cannot run)",
  ),
  {
    key: "sspUrl",
    file: "sspUrl",
    env: e("SSP_URL"),
    flag: "ssp-url",
    kind: "url",
    doc: "SSP URL prefix for target ssp, e.g. https://proxy.int.spine2.ncrs.nhs.uk; request URL " +
      "= ${ssp}/${root}${path}",
  },
  ...meshFields(),
  ...pfConfigFields,
  {
    key: "fromAsid",
    file: "asid.from",
    env: e("FROM_ASID"),
    flag: "from-asid",
    kind: "asid",
    doc: "consumer ASID sent as Ssp-From (default 200000000359)",
  },
  {
    key: "toAsid",
    file: "asid.to",
    env: e("TO_ASID"),
    flag: "to-asid",
    kind: "asid",
    doc: "provider ASID sent as Ssp-To (default 918999198738)",
  },
  {
    key: "odsCode",
    file: "odsCode",
    env: e("ODS_CODE"),
    flag: "ods-code",
    kind: "ods",
    doc: "practice ODS code of the target, {odsCode} (default B82617)",
  },
  ...jwtFields,
  {
    key: "fixtures",
    file: "fixtures",
    env: e("FIXTURES"),
    flag: "fixtures",
    kind: "path",
    doc: 'fixture manifest JSON {"roles": {role: nhsNumber | {nhsNumber, expect, logicalId}}}, ' +
      "merged over the roles of specs/fixture-patients.json",
  },
  tlsField("clientCert", "clientCert", "CLIENT_CERT", "client-cert", "client certificate (PEM)"),
  tlsField("clientKey", "clientKey", "CLIENT_KEY", "client-key", "client private key (PEM)"),
  tlsField("caCert", "caCert", "CA_CERT", "ca-cert", "extra trusted CA certificate(s) (PEM)"),
  {
    key: "insecure",
    file: "tls.insecure",
    env: e("INSECURE"),
    flag: "insecure",
    kind: "bool",
    doc: "DO NOT verify the server certificate (re-runs Deno with " +
      "--unsafely-ignore-certificate-errors for the target hosts; the report says so)",
  },
  {
    key: "timeoutMs",
    file: "timeoutMs",
    env: e("TIMEOUT_MS"),
    flag: "timeout-ms",
    kind: "int",
    doc: "per-request timeout in milliseconds (default 30000)",
  },
  {
    key: "concurrency",
    file: "concurrency",
    env: e("CONCURRENCY"),
    flag: "concurrency",
    kind: "int",
    doc: "read-only scenarios run at most this many at a time (default 8); flows run serially",
  },
  {
    key: "profilesDir",
    file: "profilesDir",
    env: e("PROFILES"),
    flag: "profiles",
    kind: "path",
    doc: "GP Connect FHIR profiles (StructureDefinitions, ValueSets); also env GPC_EDGE_PROFILES " +
      "(default ../shared/fhir/gpconnect-fhir-1.5.0 from the repo root)",
  },
  {
    key: "outDir",
    file: "outDir",
    env: e("OUT"),
    flag: "out",
    kind: "path",
    doc: "report directory (default conformance-results/<run start timestamp>)",
  },
  {
    key: "clock",
    file: "clock",
    env: e("CLOCK"),
    flag: "clock",
    kind: "instant",
    doc: "run clock, e.g. 2026-11-23T10:00:00Z, for {today±N} and {now} (default: now, fixed at " +
      "run start)",
  },
  {
    key: "formats",
    file: "formats",
    env: e("FORMAT"),
    flag: "format",
    kind: "list",
    values: reportFormats,
    doc: "report formats, comma list (default json,junit,html,evidence)",
  },
  selectionField("products", "PRODUCT", "product", "select by product", products),
  selectionField("interactions", "INTERACTION", "interaction", "select by interaction URN"),
  selectionField("tags", "TAG", "tag", "select by tag"),
  selectionField("requirements", "REQUIREMENT", "requirement", "select by requirement id"),
  selectionField("ids", "ID", "id", "select by test id"),
];

/**
 * The MESH settings (issue 11 item 4): the server, the harness's mailboxes, the shared key, the
 * workflows its MESH API cases use, the test-only admin API and the practice under test. The
 * local world's values are the defaults when the target is local.
 */
function meshFields(): ConfigField[] {
  const field = (
    key: SettingKey,
    file: string,
    env: string,
    flag: string,
    kind: FieldKind,
    doc: string,
  ): ConfigField => ({ key, file, env: e(env), flag, kind, doc });
  return [
    field(
      "meshUrl",
      "mesh.url",
      "MESH_URL",
      "mesh-url",
      "url",
      "MESH server root, e.g. https://msg.intspineservices.nhs.uk (requests go to " +
        "${url}/messageexchange/…); needed by target mesh, optional with direct and ssp " +
        "(local: gpc-edge's own MESH)",
    ),
    field(
      "meshMailbox",
      "mesh.mailbox",
      "MESH_MAILBOX",
      "mesh-mailbox",
      "string",
      "the harness's sending mailbox id (local default A11111OT1, the consumer)",
    ),
    field(
      "meshPassword",
      "mesh.password",
      "MESH_PASSWORD",
      "mesh-password",
      "string",
      "its password (a secret: prefer the environment; local default: the local password)",
    ),
    field(
      "meshRecipient",
      "mesh.recipient.mailbox",
      "MESH_RECIPIENT",
      "mesh-recipient",
      "string",
      "a second mailbox the harness holds, to receive, download and acknowledge (local " +
        "default Y88888OT1); without it the MESH cases that need one are skipped",
    ),
    field(
      "meshRecipientPassword",
      "mesh.recipient.password",
      "MESH_RECIPIENT_PASSWORD",
      "mesh-recipient-password",
      "string",
      "its password (a secret)",
    ),
    field(
      "meshSharedKey",
      "mesh.sharedKey",
      "MESH_SHARED_KEY",
      "mesh-shared-key",
      "string",
      "the environment's NHSMESH shared key (a secret; local default TestKey)",
    ),
    field(
      "meshWorkflow",
      "mesh.workflow",
      "MESH_WORKFLOW",
      "mesh-workflow",
      "string",
      "workflow id the MESH API cases send from the sending mailbox to the recipient " +
        "(default API-DOCS-TEST; local GPCONNECT_SEND_DOCUMENT)",
    ),
    field(
      "meshReplyWorkflow",
      "mesh.replyWorkflow",
      "MESH_REPLY_WORKFLOW",
      "mesh-reply-workflow",
      "string",
      "workflow id for the recipient's sends back (default: mesh-workflow; local " +
        "GPCONNECT_SEND_DOCUMENT_ACK)",
    ),
    field(
      "meshAdminApi",
      "mesh.adminApi",
      "MESH_ADMIN_API",
      "mesh-admin-api",
      "bool",
      "the server has the test-only admin API (/messageexchange/admin/…); lifecycle cases " +
        "need it and are skipped without it (local: on)",
    ),
    field(
      "meshRouting",
      "mesh.routing",
      "MESH_ROUTING",
      "mesh-routing",
      "bool",
      "the server routes GPPROVIDER_{nhs}_{dob}_{surname} addresses on PDS; the routing cases " +
        "(EPL-150..154 REPORTs, unrouted workflows) need it and send only to addresses that " +
        "cannot be delivered (local: on)",
    ),
    field(
      "meshPractice",
      "mesh.practice.mailbox",
      "MESH_PRACTICE",
      "mesh-practice",
      "string",
      "mailbox of the GP practice system under test (product messaging); its ODS code is " +
        "--ods-code (local: B82617OT1 when the local world runs its practice's MESH receiver)",
    ),
    field(
      "ackWindowSeconds",
      "mesh.practice.ackWindowSeconds",
      "ACK_WINDOW_SECONDS",
      "ack-window-seconds",
      "int",
      "how long the practice may take to send its acknowledgements and acknowledge the MESH " +
        "message (default 600; local 60)",
    ),
  ];
}

function derivedRoot(what: string): string {
  return `${what} service root URL (overrides the one derived from base-url)`;
}

function rootField(key: SettingKey, root: string, doc: string): ConfigField {
  return {
    key,
    file: `roots.${root}`,
    env: e(`${root.toUpperCase()}_URL`),
    flag: root,
    kind: "url",
    doc,
  };
}

function tlsField(key: SettingKey, file: string, env: string, flag: string, doc: string) {
  return { key, file: `tls.${file}`, env: e(env), flag, kind: "path" as const, doc };
}

function selectionField(
  key: SettingKey,
  env: string,
  flag: string,
  doc: string,
  values?: readonly string[],
): ConfigField {
  return {
    key,
    file: `selection.${key}`,
    env: e(env),
    flag,
    kind: "list",
    ...(values ? { values } : {}),
    doc: `${doc} (repeatable, comma lists ok)`,
  };
}

/** The field with a key. */
export function configField(key: SettingKey): ConfigField {
  const field = configFields.find((candidate) => candidate.key === key);
  if (!field) throw new RangeError(`No config field ${key}`);
  return field;
}
