/**
 * MESH lifecycle (mesh.md §4.2; issue 10 item 6), driven by the injected clock so tests run it
 * without waiting:
 * - an accepted DATA message not acknowledged within `inboxExpiryDays` (5) becomes
 *   `undeliverable`, leaves the inbox, and its sender gets a REPORT with code 14 (one commit);
 * - every message older than `retentionDays` (30) is purged with its blobs and index entries.
 *
 * Both walk time-ordered keys (message ids start with their creation time) and stop at the first
 * one too young, so a run costs what it removes. Schedule it with {@linkcode scheduleMeshHousekeeping}
 * on Deno, a cron trigger or Durable Object alarm on Workers.
 *
 * @module
 */
import type { MeshDeps } from "./mesh-deps.ts";
import { createMessageId, messageIdTime } from "./message-id.ts";
import { messageKey, messagePrefix, pendingPrefix } from "./message-record.ts";
import type { MessageRecord } from "./message-record.ts";
import { updateMessage } from "./message-commit.ts";
import { expireUndelivered } from "./message-state.ts";
import { purgeMessage } from "./message-purge.ts";

/** What one housekeeping run did. */
export interface MeshHousekeepingResult {
  /** Messages made undeliverable (each with a REPORT to its sender). */
  readonly expired: number;
  /** Messages purged. */
  readonly purged: number;
}

const dayMs = 24 * 60 * 60 * 1000;
const pageSize = 100;

/**
 * Runs expiry and purge once.
 *
 * @param options.maxMessages most messages looked at per phase (bounds one run; the rest waits
 * for the next).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * const world = createMeshWorld();
 * await sendOne(world, "hello");
 * world.clock.advance(6 * 24 * 60 * 60 * 1000); // never downloaded, six days on
 * const { expired, purged } = await runMeshHousekeeping(world.deps);
 * assert.deepEqual([expired, purged], [1, 0]);
 * ```
 */
export async function runMeshHousekeeping(
  deps: MeshDeps,
  options: { readonly maxMessages?: number } = {},
): Promise<MeshHousekeepingResult> {
  const maxMessages = options.maxMessages ?? 10_000;
  const now = deps.clock.now();
  const expiryCutoff = now - deps.config.inboxExpiryDays * dayMs;
  let expired = 0;
  for (const key of await oldKeys(deps, pendingPrefix, expiryCutoff, maxMessages)) {
    const id = key.slice(pendingPrefix.length);
    const done = await updateMessage(deps.records, id, (stored) => {
      const record = stored?.value;
      if (!record || (record.acceptedAt ?? record.createdAt) > expiryCutoff) {
        return { result: false };
      }
      const reportId = createMessageId(now, deps.randomUUID);
      const transition = expireUndelivered(record, now, deps.config.inboxExpiryDays, reportId);
      if (!transition) return { result: false };
      return {
        result: true,
        mutations: transition.mutations,
        checks: transition.reportId
          ? [{ key: messageKey(transition.reportId), version: null }]
          : [],
      };
    });
    if (done) expired++;
  }
  const purgeCutoff = now - deps.config.retentionDays * dayMs;
  let purged = 0;
  for (const key of await oldKeys(deps, messagePrefix, purgeCutoff, maxMessages)) {
    const stored = await deps.records.get<MessageRecord>(key);
    if (stored && stored.value.createdAt <= purgeCutoff && await purgeMessage(deps, stored)) {
      purged++;
    }
  }
  return { expired, purged };
}

/** Keys under `prefix` whose message id was made at or before `cutoff`, oldest first. */
async function oldKeys(
  deps: MeshDeps,
  prefix: string,
  cutoff: number,
  maxMessages: number,
): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  while (keys.length < maxMessages) {
    const page = await deps.records.list(prefix, {
      limit: pageSize,
      ...(after !== undefined ? { after } : {}),
    });
    for (const { key } of page) {
      const time = messageIdTime(key.slice(prefix.length));
      if (time === undefined || time > cutoff) return keys;
      keys.push(key);
      if (keys.length >= maxMessages) return keys;
    }
    if (page.length < pageSize) return keys;
    after = page[page.length - 1]?.key;
  }
  return keys;
}

/**
 * Runs housekeeping once and logs it: a `mesh-housekeeping` line when it changed something, an
 * `error` line (never a stack) when it failed. Never throws; what a failed run left is done by the
 * next one. The Workers entry's cron handler and {@linkcode scheduleMeshHousekeeping} call it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * const world = createMeshWorld();
 * await sendOne(world, "hello");
 * world.clock.advance(6 * 24 * 60 * 60 * 1000); // never downloaded, six days on
 * await runLoggedMeshHousekeeping(world.deps);
 * assert.ok(world.logs.some((line) => line.type === "mesh-housekeeping" && line.expired === 1));
 * ```
 */
export async function runLoggedMeshHousekeeping(
  deps: MeshDeps,
): Promise<MeshHousekeepingResult | undefined> {
  try {
    const result = await runMeshHousekeeping(deps);
    if (result.expired + result.purged > 0) {
      deps.logger.log({
        type: "mesh-housekeeping",
        time: new Date(deps.clock.now()).toISOString(),
        ...result,
      });
    }
    return result;
  } catch (error) {
    deps.logger.log({
      type: "error",
      time: new Date(deps.clock.now()).toISOString(),
      message: `MESH housekeeping failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
    });
    return undefined;
  }
}

/**
 * Runs housekeeping every `intervalMs` (a web-standard timer, for the Deno entry) and returns a
 * function that stops it, resolving once a run under way has finished (so the stores can then be
 * closed). A failed run is logged and retried at the next tick.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld } from "./mesh-test-kit.ts";
 * const world = createMeshWorld();
 * const stop = scheduleMeshHousekeeping(world.deps, 60_000); // every minute
 * await stop(); // waits for a run under way, then no more runs
 * assert.deepEqual(world.logs, []);
 * ```
 */
export function scheduleMeshHousekeeping(
  deps: MeshDeps,
  intervalMs: number,
): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = runLoggedMeshHousekeeping(deps).finally(() => {
      running = undefined;
    });
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
