/**
 * Reading a message and changing it with compare-and-set: every transition is one commit that
 * checks the message record's version (and that any new REPORT id is free), so two requests that
 * race (two acknowledges, two last chunks, an acknowledge and the expiry sweep) apply exactly one
 * change between them; the loser re-reads and decides again.
 *
 * @module
 */
import type {
  RecordCheck,
  RecordMutation,
  RecordsStore,
  StoredRecord,
} from "../store/records-store.ts";
import { messageKey, type MessageRecord } from "./message-record.ts";

/** What a decision over the current record wants written. */
export interface MessageDecision<T> {
  /** The answer to return once the writes (if any) are committed. */
  readonly result: T;
  /** Writes; none means "nothing to change". */
  readonly mutations?: readonly RecordMutation[];
  /** Extra preconditions, e.g. `{ key: newReportKey, version: null }`. */
  readonly checks?: readonly RecordCheck[];
}

/** How often a decision is retried after losing a race before giving up. */
export const MAX_TRANSITION_ATTEMPTS = 16;

/** The stored message `id`, or `undefined`. */
export function readMessage(
  records: RecordsStore,
  id: string,
): Promise<StoredRecord<MessageRecord> | undefined> {
  return records.get<MessageRecord>(messageKey(id));
}

/**
 * Reads message `id`, asks `decide` what to write, and commits it only if the record is still at
 * the version read; otherwise reads again (at most {@linkcode MAX_TRANSITION_ATTEMPTS} times).
 * `decide` may throw (e.g. a `MeshError`), which aborts without writing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * import { messageKey } from "./message-record.ts";
 * const world = createMeshWorld();
 * const id = await sendOne(world, "hello");
 * const status = await updateMessage(world.deps.records, id, (stored) => ({
 *   result: stored?.value.status,
 *   // Written only if the record is still at the version `stored` was read at.
 *   mutations: [{
 *     type: "set",
 *     key: messageKey(id),
 *     value: { ...stored!.value, statusAt: world.clock.now() },
 *   }],
 * }));
 * assert.equal(status, "accepted");
 * ```
 */
export async function updateMessage<T>(
  records: RecordsStore,
  id: string,
  decide: (stored: StoredRecord<MessageRecord> | undefined) => MessageDecision<T>,
): Promise<T> {
  for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
    const stored = await readMessage(records, id);
    const decision = decide(stored);
    if (!decision.mutations || decision.mutations.length === 0) return decision.result;
    const checks: RecordCheck[] = [
      { key: messageKey(id), version: stored?.version ?? null },
      ...(decision.checks ?? []),
    ];
    if (await records.commit(checks, decision.mutations)) return decision.result;
  }
  throw new Error(`Message ${id} kept changing; gave up after ${MAX_TRANSITION_ATTEMPTS} attempts`);
}
