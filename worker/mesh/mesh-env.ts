/**
 * The MESH sub-app's Hono environment and the services its handlers share: the injected
 * {@linkcode MeshDeps} plus what `createMeshApp` derives from them once (mailbox directory,
 * imported shared key).
 *
 * @module
 */
import type { MailboxDirectory } from "./mailbox-directory.ts";
import type { MeshApiVersion } from "./mesh-api-version.ts";
import type { MeshMailbox } from "./mesh-config.ts";
import type { MeshDeps } from "./mesh-deps.ts";

/** What one request's audit line says (filled in by the handlers as they learn it). */
export interface MeshAuditFields {
  /** Which MESH endpoint (e.g. `send`, `inbox.list`). */
  endpoint?: string;
  /** The authenticated mailbox, or the path's when authentication failed. */
  mailbox?: string;
  /** The message concerned. */
  messageId?: string;
  /** The workflow concerned. */
  workflowId?: string;
  /** Body bytes received or sent (as stored). */
  bytes?: number;
  /** Why authentication failed, if it did. */
  authFailure?: string;
}

/** Hono environment of the MESH sub-app. */
export interface MeshEnv {
  Variables: {
    /** Id of this request (audit lines, `internal_id` of errors). */
    requestId: string;
    /** Body shapes the client asked for. */
    apiVersion: MeshApiVersion;
    /** The authenticated mailbox (routes under `/:mailbox`). */
    mailbox: MeshMailbox;
    /** This request's audit fields. */
    audit: MeshAuditFields;
  };
}

/** The injected dependencies plus what the app derives from them once. */
export interface MeshServices extends MeshDeps {
  /** The configured mailboxes and permissions. */
  readonly directory: MailboxDirectory;
  /** The shared key, imported once for HMAC checks. */
  readonly sharedKey: Promise<CryptoKey>;
}
