import assert from "node:assert/strict";
import { withoutOwnPolls } from "./quiet-poll-logger.ts";

Deno.test("withoutOwnPolls: drops only the polling mailboxes' successful inbox lists", () => {
  const lines: Array<Readonly<Record<string, unknown>>> = [];
  const logger = withoutOwnPolls({ log: (record) => lines.push(record) }, ["B82617OT1"]);
  const list = { type: "mesh-audit", endpoint: "inbox.list", mailbox: "B82617OT1" };
  logger.log({ ...list, status: 200 });
  logger.log({ ...list, status: 403 });
  logger.log({ ...list, mailbox: "A11111OT1", status: 200 });
  logger.log({ ...list, endpoint: "download", status: 200 });
  logger.log({ type: "ssp-audit", mailbox: "B82617OT1", endpoint: "inbox.list", status: 200 });
  assert.deepEqual(lines.map((line) => [line.type, line.endpoint, line.mailbox, line.status]), [
    ["mesh-audit", "inbox.list", "B82617OT1", 403],
    ["mesh-audit", "inbox.list", "A11111OT1", 200],
    ["mesh-audit", "download", "B82617OT1", 200],
    ["ssp-audit", "inbox.list", "B82617OT1", 200],
  ]);
});

Deno.test("withoutOwnPolls: keeps the logger's wants", () => {
  const logger = withoutOwnPolls({ log() {}, wants: (type) => type === "mesh-audit" }, []);
  assert.equal(logger.wants?.("mesh-audit"), true);
  assert.equal(logger.wants?.("ssp-audit"), false);
  assert.equal(withoutOwnPolls({ log() {} }, []).wants, undefined);
});
