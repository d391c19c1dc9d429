/**
 * `PUT /{mailbox}/inbox/{messageId}/status/acknowledged` (mesh.md §1 #6, §9): the recipient
 * confirms a download; the message leaves the inbox and becomes `acknowledged` in one
 * compare-and-set commit, so a retried or concurrent acknowledge changes nothing more and still
 * answers 200. Any request body (NHS's npm client sends `{"messageId": …}`) is ignored.
 *
 * @module
 */
import type { Context } from "hono";
import { updateMessage } from "./message-commit.ts";
import { acknowledge } from "./message-state.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";

/**
 * The handler of acknowledgements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, inboxIds, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.put("/:mailbox/inbox/:messageId/status/acknowledged", …)
 * const world = createMeshWorld();
 * const id = await sendOne(world, "hello");
 * const path = `/messageexchange/B82617OT1/inbox/${id}/status/acknowledged`;
 * const response = await world.request("B82617OT1", path, { method: "PUT" });
 * assert.equal(response.status, 200);
 * assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
 * ```
 */
export function acknowledgeMessage(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const mailbox = c.get("mailbox");
    const audit = c.get("audit");
    const id = c.req.param("messageId")?.toUpperCase() ?? "";
    audit.messageId = id;
    await updateMessage(services.records, id, (stored) => {
      if (!stored) throw MeshError.coded(404, "20", { messageId: id });
      audit.workflowId = stored.value.workflowId;
      if (stored.value.recipient !== mailbox.id) {
        throw MeshError.plain(403, "Not the recipient of this message");
      }
      const transition = acknowledge(stored.value, services.clock.now());
      return { result: undefined, ...(transition ? { mutations: transition.mutations } : {}) };
    });
    if (c.get("apiVersion") >= 2) return c.body(null, 200);
    return c.json({ messageId: id }, 200);
  };
}
