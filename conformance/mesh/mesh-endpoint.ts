/**
 * The MESH side of a target: the server, the harness's mailboxes and their credentials, the
 * shared key, the workflows its MESH API cases use, whether the test-only admin API may be used,
 * and the practice mailbox under test. Resolved from the configuration, with the local world's
 * values for target local (ARCHITECTURE.md §4).
 *
 * @module
 */
import { ConfigError } from "../config/config-error.ts";
import type { MeshSettingsInput } from "../config/harness-config.ts";

/** A mailbox the harness holds. */
export interface MeshMailboxCredentials {
  readonly id: string;
  /** A secret: used for the HMAC only, never written anywhere. */
  readonly password: string;
}

/** The MESH server and mailboxes a run uses. */
export interface MeshEndpoint {
  /** Server root; MESH paths start `${url}/messageexchange`. */
  readonly url: string;
  readonly sender: MeshMailboxCredentials;
  readonly recipient?: MeshMailboxCredentials;
  /** The NHSMESH shared key (a secret). */
  readonly sharedKey: string;
  /** Workflow id of sends from `sender` to `recipient`. */
  readonly workflow: string;
  /** Workflow id of sends from `recipient` back to `sender`. */
  readonly replyWorkflow: string;
  /** The test-only admin API may be used. */
  readonly adminApi: boolean;
  /** The server routes `GPPROVIDER_…` addresses on PDS (routing cases may run). */
  readonly routing: boolean;
  /** The practice mailbox (endpoint lookups; the receiver under test for product messaging). */
  readonly practice?: string;
  /**
   * Why no GP system answers at the practice mailbox, when none does (product messaging is then
   * skipped saying so).
   */
  readonly noReceiverReason?: string;
  /** How long the practice may take to acknowledge, milliseconds. */
  readonly ackWindowMs: number;
}

/** The local world's MESH values (specs/mesh-mailboxes.json; local secrets). */
export const localMeshDefaults = {
  sender: "A11111OT1",
  /** Nobody polls it in the local world, so the harness can receive there undisturbed. */
  recipient: "Y88888OT1",
  password: "password",
  sharedKey: "TestKey",
  workflow: "GPCONNECT_SEND_DOCUMENT",
  replyWorkflow: "GPCONNECT_SEND_DOCUMENT_ACK",
  practice: "B82617OT1",
  ackWindowSeconds: 60,
} as const;

/**
 * The local world's MESH endpoint at `url` (settings given override the defaults); `practice`
 * only when the world runs the practice's MESH receiver.
 *
 * @example
 * ```ts
 * const mesh = localMeshEndpoint("http://127.0.0.1:8080", {}, { runsPractice: false });
 * mesh.sender.id; // "A11111OT1"
 * ```
 */
export function localMeshEndpoint(
  url: string,
  given: MeshSettingsInput,
  world: { readonly runsPractice: boolean },
): MeshEndpoint {
  const d = localMeshDefaults;
  const practice = given.practice ?? d.practice;
  return {
    url,
    sender: { id: given.mailbox ?? d.sender, password: given.password ?? d.password },
    recipient: {
      id: given.recipient ?? d.recipient,
      password: given.recipientPassword ?? d.password,
    },
    sharedKey: given.sharedKey ?? d.sharedKey,
    workflow: given.workflow ?? d.workflow,
    replyWorkflow: given.replyWorkflow ?? given.workflow ?? d.replyWorkflow,
    adminApi: given.adminApi ?? true,
    routing: given.routing ?? true,
    practice,
    ...(world.runsPractice
      ? {}
      : { noReceiverReason: "the local world runs no practice MESH receiver" }),
    ackWindowMs: (given.ackWindowSeconds ?? d.ackWindowSeconds) * 1000,
  };
}

/**
 * The MESH endpoint of a remote target, or undefined when no MESH server is configured.
 *
 * @example
 * ```ts
 * meshEndpointFromSettings({
 *   url: "https://msg.intspineservices.nhs.uk", mailbox: "X26ABC1", password: "secret",
 *   sharedKey: "key",
 * })?.workflow; // "API-DOCS-TEST"
 * ```
 */
export function meshEndpointFromSettings(given: MeshSettingsInput): MeshEndpoint | undefined {
  if (given.url === undefined) return undefined;
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined) {
      throw new ConfigError(`--${flag}`, "a MESH server (mesh-url) needs it");
    }
    return value;
  };
  const workflow = given.workflow ?? "API-DOCS-TEST";
  return {
    url: given.url.replace(/\/+$/, ""),
    sender: {
      id: need(given.mailbox, "mesh-mailbox"),
      password: need(given.password, "mesh-password"),
    },
    ...(given.recipient === undefined || given.recipientPassword === undefined
      ? {}
      : { recipient: { id: given.recipient, password: given.recipientPassword } }),
    sharedKey: need(given.sharedKey, "mesh-shared-key"),
    workflow,
    replyWorkflow: given.replyWorkflow ?? workflow,
    adminApi: given.adminApi ?? false,
    routing: given.routing ?? false,
    ...(given.practice === undefined
      ? { noReceiverReason: "no practice mailbox is configured (--mesh-practice)" }
      : { practice: given.practice }),
    ackWindowMs: (given.ackWindowSeconds ?? 600) * 1000,
  };
}

/** One line for the run's description. */
export function describeMeshEndpoint(mesh: MeshEndpoint): string {
  return [
    `MESH ${mesh.url}/messageexchange as ${mesh.sender.id}`,
    ...(mesh.recipient ? [`and ${mesh.recipient.id}`] : []),
    ...(mesh.practice ? [`practice ${mesh.practice}`] : []),
    ...(mesh.adminApi ? ["admin API on"] : []),
  ].join(", ");
}
