/**
 * Deleting a message for good (30-day retention, admin reset): its blobs first, then its record
 * and every index entry in one commit. In that order a failure half-way leaves the record, so the
 * next run finds the message again and finishes; the other order could leave blobs nothing points
 * at.
 *
 * @module
 */
import type { RecordMutation, StoredRecord } from "../store/records-store.ts";
import {
  blobPrefix,
  inboxKey,
  localIdKey,
  messageKey,
  type MessageRecord,
  pendingKey,
} from "./message-record.ts";
import type { MeshServices } from "./mesh-env.ts";

/**
 * Purges a stored message. Resolves `false` when the record changed meanwhile (it is left for a
 * later run), `true` when it is gone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readMessage } from "./message-commit.ts";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * const world = createMeshWorld();
 * const id = await sendOne(world, "hello");
 * assert.equal(await purgeMessage(world.deps, (await readMessage(world.deps.records, id))!), true);
 * assert.equal(await readMessage(world.deps.records, id), undefined);
 * ```
 */
export async function purgeMessage(
  services: Pick<MeshServices, "records" | "blobs">,
  stored: StoredRecord<MessageRecord>,
): Promise<boolean> {
  const record = stored.value;
  await services.blobs.deletePrefix(blobPrefix(record.id));
  const mutations: RecordMutation[] = [
    { type: "delete", key: messageKey(record.id) },
    { type: "delete", key: pendingKey(record.id) },
  ];
  if (record.recipient) {
    mutations.push({ type: "delete", key: inboxKey(record.recipient, record.id) });
  }
  if (record.metadata.localId) {
    mutations.push({
      type: "delete",
      key: localIdKey(record.sender, record.metadata.localId, record.id),
    });
  }
  return await services.records.commit(
    [{ key: messageKey(record.id), version: stored.version }],
    mutations,
  );
}
