/**
 * MESH mailbox service configuration: one typed object, the local world's defaults (issue 10
 * item 3) and a parser from environment-style variables (`Deno.env` on Deno, `vars` and secrets
 * on Workers).
 *
 * Passwords are secrets held only in memory: NHSMESH's HMAC covers the password itself
 * (`mailbox:nonce:count:password:timestamp`), so a server can only verify a token if it knows the
 * password (specs/decisions.md M2). They never reach the records store, a log or a response.
 *
 * @module
 */
import localMailboxes from "../../specs/mesh-mailboxes.json" with { type: "json" };
import meshWorkflows from "../../specs/mesh-workflows.json" with { type: "json" };
import { ConfigError } from "../config/config-error.ts";

/** One mailbox and the workflows it may send and receive. */
export interface MeshMailbox {
  /** Mailbox id, upper case (e.g. `B82617OT1`). */
  readonly id: string;
  /** Display name (`mailbox_name` in lookups). */
  readonly name: string;
  /** ODS code of the organisation (endpoint lookup matches it case-sensitively). */
  readonly odsCode: string;
  /** The mailbox password (a secret: never logged, stored or returned). */
  readonly password: string;
  /** Workflow ids this mailbox may send. */
  readonly send: readonly string[];
  /** Workflow ids this mailbox may receive. */
  readonly receive: readonly string[];
}

/** Everything the MESH service can be told. */
export interface MeshConfig {
  /** Deployment name; `production` refuses the local defaults (key, passwords, admin API). */
  readonly environment: string;
  /** The NHSMESH shared key (HMAC key; a secret). */
  readonly sharedKey: string;
  /** Mailboxes and their workflow permissions. */
  readonly mailboxes: readonly MeshMailbox[];
  /** How far a token's timestamp may be from the server's clock, in seconds (MESH: 2 h). */
  readonly authWindowSeconds: number;
  /** Whether the test-only admin API (`/admin/…`) is mounted. */
  readonly adminApi: boolean;
  /** Most bytes in one send or chunk request, as sent (MESH: 100 MB). */
  readonly maxChunkBytes: number;
  /** Most chunks in one message. */
  readonly maxChunks: number;
  /** Most bytes of a whole message over all its chunks, as sent. */
  readonly maxMessageBytes: number;
  /** Days an accepted message may wait in an inbox before it becomes undeliverable (MESH: 5). */
  readonly inboxExpiryDays: number;
  /** Days after which messages and their bodies are purged (MESH: 30). */
  readonly retentionDays: number;
  /** Workflow ids for which a `GPPROVIDER_…` address is routed (mesh.md §5.1). */
  readonly gpProviderWorkflows: readonly string[];
}

/** The local shared key (mesh-sandbox's); production refuses it. */
export const localMeshSharedKey = "TestKey";
/** The local mailbox password; production refuses it. */
export const localMeshPassword = "password";

/**
 * The most chunks a message may have: the message record lists every chunk and must fit the
 * records store's value limit (63 KiB) with room to spare.
 */
export const MESH_MAX_CHUNKS_LIMIT = 2000;

/** Defaults: the local world of issue 10 item 3, admin API off. */
export const defaultMeshConfig: MeshConfig = {
  environment: "local",
  sharedKey: localMeshSharedKey,
  mailboxes: localMailboxes.mailboxes.map((m) => ({ ...m, password: localMeshPassword })),
  authWindowSeconds: 2 * 60 * 60,
  adminApi: false,
  maxChunkBytes: 100 * 1024 * 1024,
  maxChunks: 1000,
  maxMessageBytes: 20 * 1024 * 1024 * 1024,
  inboxExpiryDays: 5,
  retentionDays: 30,
  gpProviderWorkflows: meshWorkflows.gpProviderWorkflows,
};

/** Environment variables {@linkcode meshConfigFromEnv} reads, with what each sets. */
export const meshConfigEnvironmentVariables: Readonly<Record<string, string>> = {
  GPC_EDGE_ENVIRONMENT: "environment (production refuses local key, passwords and admin API)",
  GPC_EDGE_MESH_SHARED_KEY: "sharedKey (secret)",
  GPC_EDGE_MESH_MAILBOXES: "mailboxes (JSON: [{ id, name, odsCode, send: [], receive: [] }])",
  GPC_EDGE_MESH_PASSWORDS: "mailbox passwords (secret; JSON: { mailboxId: password })",
  GPC_EDGE_MESH_AUTH_WINDOW_SECONDS: "authWindowSeconds",
  GPC_EDGE_MESH_ADMIN_API: "adminApi (on | off)",
  GPC_EDGE_MESH_MAX_CHUNK_BYTES: "maxChunkBytes",
  GPC_EDGE_MESH_MAX_CHUNKS: `maxChunks (at most ${MESH_MAX_CHUNKS_LIMIT})`,
  GPC_EDGE_MESH_MAX_MESSAGE_BYTES: "maxMessageBytes",
  GPC_EDGE_MESH_INBOX_EXPIRY_DAYS: "inboxExpiryDays",
  GPC_EDGE_MESH_RETENTION_DAYS: "retentionDays",
};

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = /^\s*[0-9]+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      name,
      `expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === "") return fallback;
  if (["on", "true", "1", "yes"].includes(text)) return true;
  if (["off", "false", "0", "no"].includes(text)) return false;
  throw new ConfigError(name, `expected on or off, got ${JSON.stringify(env[name])}`);
}

function json(env: Env, name: string): unknown {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    // Never echo the value: GPC_EDGE_MESH_PASSWORDS is a secret.
    throw new ConfigError(name, "not JSON", { cause });
  }
}

const mailboxIdPattern = /^[A-Z0-9][A-Z0-9_-]{0,99}$/;
const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string" && s !== "");

function mailboxList(env: Env): ReadonlyArray<Omit<MeshMailbox, "password">> {
  const parsed = json(env, "GPC_EDGE_MESH_MAILBOXES");
  if (parsed === undefined) return localMailboxes.mailboxes;
  const problem = () =>
    new ConfigError(
      "GPC_EDGE_MESH_MAILBOXES",
      "expected [{ id, name, odsCode, send: [...], receive: [...] }] with unique upper-case ids",
    );
  if (!Array.isArray(parsed)) throw problem();
  const ids = new Set<string>();
  return parsed.map((entry: unknown) => {
    const m = entry as Partial<Record<keyof MeshMailbox, unknown>> | null;
    if (
      !m || typeof m.id !== "string" || !mailboxIdPattern.test(m.id) || ids.has(m.id) ||
      typeof m.name !== "string" || typeof m.odsCode !== "string" || m.odsCode === "" ||
      !isStringList(m.send) || !isStringList(m.receive)
    ) throw problem();
    ids.add(m.id);
    return { id: m.id, name: m.name, odsCode: m.odsCode, send: m.send, receive: m.receive };
  });
}

function passwords(env: Env, ids: readonly string[]): (id: string) => string {
  const parsed = json(env, "GPC_EDGE_MESH_PASSWORDS");
  if (parsed === undefined) return () => localMeshPassword;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError("GPC_EDGE_MESH_PASSWORDS", "expected { mailboxId: password }");
  }
  const table = parsed as Record<string, unknown>;
  for (const id of ids) {
    const password = table[id];
    if (typeof password !== "string" || password === "") {
      throw new ConfigError("GPC_EDGE_MESH_PASSWORDS", `no password for mailbox ${id}`);
    }
  }
  return (id) => table[id] as string;
}

/**
 * Builds the MESH configuration from environment-style variables over
 * {@linkcode defaultMeshConfig}. Throws a {@linkcode ConfigError} naming the variable when a value
 * is invalid, and when `GPC_EDGE_ENVIRONMENT=production` keeps the local shared key, a local
 * password or the admin API. Secret values never appear in the messages.
 *
 * @example
 * ```ts
 * const config = meshConfigFromEnv({ GPC_EDGE_MESH_ADMIN_API: "on" });
 * config.adminApi; // true
 * ```
 */
export function meshConfigFromEnv(env: Env): MeshConfig {
  const environment = env.GPC_EDGE_ENVIRONMENT?.trim() || defaultMeshConfig.environment;
  const sharedKey = env.GPC_EDGE_MESH_SHARED_KEY || defaultMeshConfig.sharedKey;
  const list = mailboxList(env);
  const passwordOf = passwords(env, list.map((m) => m.id));
  const mailboxes = list.map((m) => ({ ...m, password: passwordOf(m.id) }));
  const adminApi = onOff(env, "GPC_EDGE_MESH_ADMIN_API", defaultMeshConfig.adminApi);
  if (environment === "production") {
    if (sharedKey === localMeshSharedKey) {
      throw new ConfigError("GPC_EDGE_MESH_SHARED_KEY", "production refuses the local shared key");
    }
    if (mailboxes.some((m) => m.password === localMeshPassword)) {
      throw new ConfigError(
        "GPC_EDGE_MESH_PASSWORDS",
        "production refuses the local mailbox password",
      );
    }
    if (adminApi) {
      throw new ConfigError("GPC_EDGE_MESH_ADMIN_API", "production cannot turn it on");
    }
  }
  const maxChunkBytes = integer(
    env,
    "GPC_EDGE_MESH_MAX_CHUNK_BYTES",
    defaultMeshConfig.maxChunkBytes,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const inboxExpiryDays = integer(
    env,
    "GPC_EDGE_MESH_INBOX_EXPIRY_DAYS",
    defaultMeshConfig.inboxExpiryDays,
    1,
    365,
  );
  // A message must outlive its inbox expiry, or its undeliverable REPORT would point at nothing.
  const retentionDays = integer(
    env,
    "GPC_EDGE_MESH_RETENTION_DAYS",
    defaultMeshConfig.retentionDays,
    inboxExpiryDays,
    3650,
  );
  return {
    environment,
    sharedKey,
    mailboxes,
    authWindowSeconds: integer(
      env,
      "GPC_EDGE_MESH_AUTH_WINDOW_SECONDS",
      defaultMeshConfig.authWindowSeconds,
      60,
      7 * 24 * 3600,
    ),
    adminApi,
    maxChunkBytes,
    maxChunks: integer(
      env,
      "GPC_EDGE_MESH_MAX_CHUNKS",
      defaultMeshConfig.maxChunks,
      1,
      MESH_MAX_CHUNKS_LIMIT,
    ),
    maxMessageBytes: integer(
      env,
      "GPC_EDGE_MESH_MAX_MESSAGE_BYTES",
      defaultMeshConfig.maxMessageBytes,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    inboxExpiryDays,
    retentionDays,
    gpProviderWorkflows: defaultMeshConfig.gpProviderWorkflows,
  };
}
