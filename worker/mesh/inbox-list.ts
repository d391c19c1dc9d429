/**
 * `GET /{mailbox}/inbox` and `GET /{mailbox}/count` (mesh.md §1 #2, #13, §9): the ids of
 * `accepted` messages, oldest first, read from the inbox index (`mesh:inbox:{mailbox}:{id}`)
 * that every state change keeps in step with the message in the same commit.
 *
 * `max_results` 10..5000 (default 500, else 400); `continue_from` is the last id of the previous
 * page (v1) or the opaque token of `links.next` (v2; base64url of that id); `workflow_filter`
 * 2..255 characters in the six forms of workflow-filter.ts. v2 adds root-relative `links.self`/
 * `links.next` and `approx_inbox_count`.
 *
 * @module
 */
import type { Context } from "hono";
import type { RecordsStore } from "../store/records-store.ts";
import { messageIdPattern } from "./message-id.ts";
import { type InboxEntry, inboxKey, inboxPrefix } from "./message-record.ts";
import { meshV2MediaType } from "./mesh-api-version.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";
import { workflowFilter } from "./workflow-filter.ts";

/** Where the MESH API is mounted; `links` are root-relative (NHS's Python client prefixes them). */
export const meshBasePath = "/messageexchange";

const defaultMaxResults = 500;
const pageSize = 500;

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeContinueFrom(token: string): string {
  if (messageIdPattern.test(token.toUpperCase())) return token.toUpperCase();
  try {
    const id = atob(token.replace(/-/g, "+").replace(/_/g, "/"));
    if (messageIdPattern.test(id)) return id;
  } catch {
    // Not base64: falls through to the 400.
  }
  throw MeshError.plain(400, "Invalid continue_from");
}

/** Counts a mailbox's inbox (every accepted message addressed to it). */
export async function inboxCount(records: RecordsStore, mailbox: string): Promise<number> {
  return (await records.list(inboxPrefix(mailbox))).length;
}

/**
 * The handler of inbox listing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.get("/:mailbox/inbox", …)
 * const world = createMeshWorld();
 * const id = await sendOne(world, "hello");
 * const response = await world.request("B82617OT1", "/messageexchange/B82617OT1/inbox");
 * assert.deepEqual((await response.json()).messages, [id]);
 * ```
 */
export function listInbox(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const mailbox = c.get("mailbox").id;
    const maxText = c.req.query("max_results");
    const maxResults = maxText === undefined ? defaultMaxResults : Number(maxText);
    if (!/^\d{1,9}$/.test(maxText ?? "500") || maxResults < 10 || maxResults > 5000) {
      throw MeshError.plain(400, "max_results must be an integer from 10 to 5000");
    }
    const continueText = c.req.query("continue_from");
    if (continueText !== undefined && (continueText.length < 24 || continueText.length > 1000)) {
      throw MeshError.plain(400, "continue_from must be 24 to 1000 characters");
    }
    const filterText = c.req.query("workflow_filter");
    if (filterText !== undefined && (filterText.length < 2 || filterText.length > 255)) {
      throw MeshError.plain(400, "workflow_filter must be 2 to 255 characters");
    }
    const matches = filterText === undefined ? undefined : workflowFilter(filterText);
    const ids: string[] = [];
    let after = continueText === undefined
      ? undefined
      : inboxKey(mailbox, decodeContinueFrom(continueText));
    let more = false;
    // Bounded by the inbox's size: each page advances `after` or ends the loop.
    for (;;) {
      const page = await services.records.list<InboxEntry>(inboxPrefix(mailbox), {
        limit: pageSize,
        ...(after !== undefined ? { after } : {}),
      });
      for (const entry of page) {
        if (matches && !matches(entry.value.workflowId)) continue;
        if (ids.length === maxResults) {
          more = true;
          break;
        }
        ids.push(entry.key.slice(inboxPrefix(mailbox).length));
      }
      if (more || page.length < pageSize) break;
      after = page[page.length - 1]?.key;
    }
    if (c.get("apiVersion") < 2) return c.json({ messages: ids });
    const query = (extra: Record<string, string>) => {
      const params = new URLSearchParams();
      if (maxResults !== defaultMaxResults) params.set("max_results", String(maxResults));
      if (filterText !== undefined) params.set("workflow_filter", filterText);
      for (const [k, v] of Object.entries(extra)) params.set(k, v);
      const text = params.toString();
      return `${meshBasePath}/${mailbox}/inbox${text ? `?${text}` : ""}`;
    };
    const last = ids[ids.length - 1];
    const links: Record<string, string> = { self: query({}) };
    if (more && last) links.next = query({ continue_from: base64url(last) });
    const body = {
      messages: ids,
      links,
      approx_inbox_count: await inboxCount(services.records, mailbox),
    };
    return c.body(JSON.stringify(body), 200, { "Content-Type": meshV2MediaType });
  };
}

/**
 * The handler of the deprecated inbox count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.get("/:mailbox/count", …)
 * const world = createMeshWorld();
 * await sendOne(world, "hello");
 * const response = await world.request("B82617OT1", "/messageexchange/B82617OT1/count");
 * assert.equal((await response.json()).count, 1);
 * ```
 */
export function countInbox(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const count = await inboxCount(services.records, c.get("mailbox").id);
    if (c.get("apiVersion") >= 2) return c.json({ count });
    return c.json({ count, internalID: c.get("requestId"), allResultsIncluded: true });
  };
}
