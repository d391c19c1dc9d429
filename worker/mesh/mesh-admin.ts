/**
 * The test-only admin API (issue 10 item 8), shaped like mesh-sandbox's (mesh.md §6): mounted only
 * when `config.adminApi` is on, which a production configuration cannot be.
 *
 * - `DELETE /admin/reset` — purge every message; `DELETE /admin/reset/{mailbox}` — every message
 *   the mailbox sent or received.
 * - `POST /admin/report` `{mailbox_id, code, description, workflow_id, subject?, local_id?,
 *   file_name?, linked_message_id?, event?}` — inject a REPORT (event `TRANSFER` by default).
 * - `GET /admin/mailbox/{id}` — id, name, ODS code and inbox count (never the password).
 * - `GET /admin/message/{id}` — the stored record.
 * - `POST /admin/housekeeping` `{at?}` — runs the lifecycle (5-day expiry with its REPORT 14,
 *   30-day purge) as of the instant `at` (ISO 8601; default now): the test-only way to drive the
 *   lifecycle clock from outside, so a black-box harness can check it without waiting days
 *   (gpc-edge's own; mesh-sandbox has none, specs/decisions.md).
 *
 * @module
 */
import { Hono } from "hono";
import type { StoredRecord } from "../store/records-store.ts";
import { readMessage } from "./message-commit.ts";
import { messagePrefix, type MessageRecord } from "./message-record.ts";
import { purgeMessage } from "./message-purge.ts";
import { deliverReport } from "./mesh-report.ts";
import { inboxCount } from "./inbox-list.ts";
import { runMeshHousekeeping } from "./mesh-housekeeping.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";

async function purgeWhere(
  services: MeshServices,
  keep: (record: MessageRecord) => boolean,
): Promise<number> {
  let purged = 0;
  let after: string | undefined;
  // Bounded by the number of messages: each page advances `after` or ends the loop.
  for (;;) {
    const page: Array<StoredRecord<MessageRecord>> = await services.records.list(messagePrefix, {
      limit: 100,
      ...(after !== undefined ? { after } : {}),
    });
    for (const stored of page) {
      if (!keep(stored.value) && await purgeMessage(services, stored)) purged++;
    }
    if (page.length < 100) return purged;
    after = page[page.length - 1]?.key;
  }
}

const text = (value: unknown, name: string, required: boolean): string => {
  if (value === undefined || value === null) {
    if (required) throw MeshError.plain(400, `${name} is required`);
    return "";
  }
  if (typeof value !== "string") throw MeshError.plain(400, `${name} must be a string`);
  return value;
};

/**
 * The admin routes (to be mounted under `/admin` only when enabled).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld } from "./mesh-test-kit.ts";
 * // createMeshApp mounts it when the configuration asks: app.route("/admin", meshAdmin(services))
 * const world = createMeshWorld(); // admin API on
 * const response = await world.app.request("/messageexchange/admin/reset", { method: "DELETE" });
 * await response.body?.cancel();
 * assert.equal(response.ok, true);
 * ```
 */
export function meshAdmin(services: MeshServices): Hono<MeshEnv> {
  const admin = new Hono<MeshEnv>();
  admin.use("*", async (c, next) => {
    c.get("audit").endpoint = "admin";
    await next();
  });
  admin.delete("/reset", async (c) => c.json({ purged: await purgeWhere(services, () => false) }));
  admin.delete("/reset/:mailbox", async (c) => {
    const mailbox = c.req.param("mailbox").toUpperCase();
    const purged = await purgeWhere(
      services,
      (m) => m.sender !== mailbox && m.recipient !== mailbox,
    );
    return c.json({ purged });
  });
  admin.post("/report", async (c) => {
    let body: Record<string, unknown>;
    try {
      body = await c.req.json();
    } catch {
      throw MeshError.plain(400, "Body must be JSON");
    }
    const recipient = text(body.mailbox_id, "mailbox_id", true).toUpperCase();
    if (!services.directory.get(recipient)) throw MeshError.coded(417, "12");
    const id = await deliverReport(services, {
      recipient,
      code: text(body.code, "code", true),
      event: text(body.event, "event", false) || "TRANSFER",
      description: text(body.description, "description", true),
      linkedMessageId: text(body.linked_message_id, "linked_message_id", false),
      workflowId: text(body.workflow_id, "workflow_id", true),
      localId: text(body.local_id, "local_id", false),
      subject: text(body.subject, "subject", false),
      fileName: text(body.file_name, "file_name", false),
      now: services.clock.now(),
    });
    c.get("audit").messageId = id;
    return c.json({ message_id: id });
  });
  admin.post("/housekeeping", async (c) => {
    let body: Record<string, unknown> = {};
    const raw = await c.req.text();
    if (raw.trim() !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        throw MeshError.plain(400, "Body must be JSON");
      }
    }
    const at = text(body.at, "at", false);
    const now = at === "" ? services.clock.now() : Date.parse(at);
    if (Number.isNaN(now)) throw MeshError.plain(400, "at must be an ISO 8601 instant");
    const result = await runMeshHousekeeping({
      ...services,
      clock: { ...services.clock, now: () => now },
    });
    return c.json({ at: new Date(now).toISOString(), ...result });
  });
  admin.get("/mailbox/:mailbox", async (c) => {
    const mailbox = services.directory.get(c.req.param("mailbox").toUpperCase());
    if (!mailbox) throw MeshError.plain(404, "No such mailbox");
    return c.json({
      mailbox_id: mailbox.id,
      mailbox_name: mailbox.name,
      ods_code: mailbox.odsCode,
      send: mailbox.send,
      receive: mailbox.receive,
      inbox_count: await inboxCount(services.records, mailbox.id),
    });
  });
  admin.get("/message/:messageId", async (c) => {
    const stored = await readMessage(services.records, c.req.param("messageId").toUpperCase());
    if (!stored) throw MeshError.coded(404, "20");
    return c.json(stored.value);
  });
  return admin;
}
