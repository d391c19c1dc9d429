/**
 * The local world's console without the reference practice polling its own inboxes: its
 * receiver lists B82617OT1 and A20047OT1 every second, and each successful list is a MESH audit
 * line, which buried everything else `task start` printed. Every other line, and a list that
 * failed, is printed as before; production logging is not touched (this wraps only the local
 * world's logger).
 *
 * @module
 */
import { consoleLogger, type Logger } from "../worker/deno.ts";

/** The local world's console: {@linkcode consoleLogger} without the practice's own polls. */
export function localWorldConsole(mailboxes: readonly string[]): Logger {
  return withoutOwnPolls(consoleLogger, mailboxes);
}

/**
 * `logger` without the successful `inbox.list` audit lines of `mailboxes`.
 *
 * @example
 * ```ts
 * const lines: unknown[] = [];
 * const logger = withoutOwnPolls({ log: (record) => lines.push(record) }, ["B82617OT1"]);
 * logger.log({ type: "mesh-audit", endpoint: "inbox.list", mailbox: "B82617OT1", status: 200 });
 * logger.log({ type: "mesh-audit", endpoint: "inbox.list", mailbox: "A11111OT1", status: 200 });
 * lines.length; // 1
 * ```
 */
export function withoutOwnPolls(logger: Logger, mailboxes: readonly string[]): Logger {
  const polling = new Set(mailboxes);
  return {
    log(record) {
      const ownPoll = record.type === "mesh-audit" && record.endpoint === "inbox.list" &&
        typeof record.mailbox === "string" && polling.has(record.mailbox) &&
        record.status === 200;
      if (!ownPoll) logger.log(record);
    },
    ...(logger.wants ? { wants: (type: string) => logger.wants!(type) } : {}),
  };
}
