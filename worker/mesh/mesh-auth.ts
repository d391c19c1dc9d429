/**
 * NHSMESH authentication of one request (mesh.md §2, §9): the token must be well formed, name the
 * mailbox of the path, name a known mailbox, carry a timestamp within the window (±2 h by
 * default), carry the right HMAC (compared in constant time) and never have been used before.
 * Replays are keyed on (mailbox, nonce, nonce_count): NHS's Python client keeps one nonce and
 * counts up, the npm client sends a fresh nonce with count 0 each time.
 *
 * Mutual TLS is the platform's job (the TLS terminator in front of gpc-edge), not this module's.
 *
 * @module
 */
import type { Clock } from "../app-deps.ts";
import type { RecordsStore } from "../store/records-store.ts";
import type { MailboxDirectory } from "./mailbox-directory.ts";
import type { MeshConfig, MeshMailbox } from "./mesh-config.ts";
import { MeshError } from "./mesh-errors.ts";
import {
  meshTimestampMs,
  nhsmeshHmacMatches,
  parseNhsmeshAuthorization,
} from "../../gpconnect/mesh/nhsmesh-token.ts";

/** What {@linkcode authenticateMeshRequest} needs. */
export interface MeshAuthDeps {
  readonly config: MeshConfig;
  /** The shared key, imported once (`importMeshSharedKey`). */
  readonly sharedKey: CryptoKey;
  readonly directory: MailboxDirectory;
  readonly records: RecordsStore;
  readonly clock: Clock;
}

/** Why a token was refused (for the audit line; the response says less). */
export type MeshAuthFailure =
  | "unreadable"
  | "mailbox-mismatch"
  | "unknown-mailbox"
  | "stale"
  | "bad-hmac"
  | "replayed";

/** A 403 from authentication, with the reason kept for the audit line. */
export class MeshAuthError extends Error {
  /** Why the token was refused. */
  readonly reason: MeshAuthFailure;
  /** The MESH error to answer. */
  readonly meshError: MeshError;
  constructor(reason: MeshAuthFailure, meshError: MeshError) {
    super(meshError.description);
    this.name = "MeshAuthError";
    this.reason = reason;
    this.meshError = meshError;
  }
}

/**
 * The records-store key remembering a used token until it could no longer pass the time window.
 * Key: `mesh:replay:{mailbox}:{nonce}:{nonce_count}`.
 */
export function replayKey(mailboxId: string, nonce: string, nonceCount: string): string {
  return `mesh:replay:${mailboxId}:${nonce}:${nonceCount}`;
}

/**
 * Authenticates a request for `pathMailbox` (already upper-cased) and records its token as used.
 *
 * @throws {MeshAuthError} when the token is refused (render `meshError`, a 403).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importMeshSharedKey } from "../../gpconnect/mesh/nhsmesh-token.ts";
 * import { createMailboxDirectory } from "./mailbox-directory.ts";
 * import { createMeshWorld, token } from "./mesh-test-kit.ts";
 * const { deps, clock } = createMeshWorld();
 * const authDeps = {
 *   ...deps,
 *   directory: createMailboxDirectory(deps.config.mailboxes),
 *   sharedKey: await importMeshSharedKey(deps.config.sharedKey),
 * };
 * const authorization = await token(clock, "B82617OT1"); // a fresh NHSMESH token
 * const mailbox = await authenticateMeshRequest(authDeps, authorization, "B82617OT1");
 * assert.equal(mailbox.id, "B82617OT1");
 * // The same token again is a replay, refused with a 403.
 * await assert.rejects(authenticateMeshRequest(authDeps, authorization, "B82617OT1"));
 * ```
 */
export async function authenticateMeshRequest(
  deps: MeshAuthDeps,
  authorization: string | null | undefined,
  pathMailbox: string,
): Promise<MeshMailbox> {
  const parsed = parseNhsmeshAuthorization(authorization);
  // Nonce and count become part of the replay key: bound them so the key stays small.
  if (!parsed.ok || parsed.token.nonce.length > 100 || parsed.token.nonceCount.length > 20) {
    throw new MeshAuthError(
      "unreadable",
      MeshError.plain(403, "Error reading from Authorization header"),
    );
  }
  const token = parsed.token;
  const tokenMs = meshTimestampMs(token.timestamp) ?? Number.NaN;
  if (token.mailboxId !== pathMailbox) {
    throw new MeshAuthError(
      "mailbox-mismatch",
      MeshError.plain(403, "Mailbox id does not match token"),
    );
  }
  const mailbox = deps.directory.get(pathMailbox);
  if (!mailbox) {
    // NHS's sandbox renders an unknown mailbox this way (mesh.md §9); clients only see a 403.
    throw new MeshAuthError(
      "unknown-mailbox",
      MeshError.custom(403, "SEND", "EPL-151", "No mailbox matched"),
    );
  }
  const windowMs = deps.config.authWindowSeconds * 1000;
  const now = deps.clock.now();
  // The token names a minute: it is in the window if any instant of that minute is.
  if (!(tokenMs + 60_000 > now - windowMs && tokenMs <= now + windowMs)) {
    throw new MeshAuthError(
      "stale",
      MeshError.plain(403, "Authentication token timestamp outside the allowed window"),
    );
  }
  if (!await nhsmeshHmacMatches(token, mailbox.password, deps.sharedKey)) {
    throw new MeshAuthError("bad-hmac", MeshError.plain(403, "Invalid Authentication Token"));
  }
  const key = replayKey(mailbox.id, token.nonce, token.nonceCount);
  // Remembered for as long as the same token could still pass the window check above.
  const expiresAt = tokenMs + 60_000 + windowMs;
  const fresh = await deps.records.commit([{ key, version: null }], [
    { type: "set", key, value: 1, expiresAt },
  ]);
  if (!fresh) {
    throw new MeshAuthError(
      "replayed",
      MeshError.plain(403, "Error Duplicated Authentication Token"),
    );
  }
  return mailbox;
}
