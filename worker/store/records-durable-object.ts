/**
 * The Durable Object behind the records store on Workers: one SQLite table in the object's own
 * storage, every operation run synchronously inside `transactionSync`, so a commit's checks and
 * writes are one atomic step and the object's single thread orders all commits. It speaks a small
 * JSON protocol over `fetch` (records-protocol.ts); `createDurableObjectRecordsStore` is its
 * client.
 *
 * A plain class with `constructor(state, env)` and `fetch()`, typed structurally, so the bundle
 * imports nothing from `cloudflare:workers`. Declare it with `new_sqlite_classes` (wrangler.toml).
 *
 * Keys sort as TEXT in SQLite's BINARY collation, which compares UTF-8 bytes: code point order,
 * as records-store.ts requires. Expiry is judged by the client's clock (`now` in each request),
 * so every client of the store, and a test's injected clock, agree on it.
 *
 * @module
 */
import { listRange } from "./record-rules.ts";
import {
  type ProtocolRow,
  type RecordsRequest,
  recordsRequestProblem,
  type RecordsResponse,
} from "./records-protocol.ts";

/** The part of Workers' `SqlStorage` used here. */
export interface SqlStorageLike {
  exec(query: string, ...bindings: unknown[]): { toArray(): Array<Record<string, unknown>> };
}

/** The part of Workers' `DurableObjectState` used here (a SQLite-backed object). */
export interface DurableObjectStateLike {
  readonly storage: {
    readonly sql: SqlStorageLike;
    transactionSync<T>(closure: () => T): T;
  };
}

/** Expired rows removed per commit: enough to keep up, bounded so no commit does much more. */
const SWEEP_ROWS = 100;

/** A record's row; `version` changes on every write, `expires_at` is null when it never expires. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY, json TEXT NOT NULL, version TEXT NOT NULL, expires_at REAL
  );
  CREATE INDEX IF NOT EXISTS records_expiry ON records (expires_at) WHERE expires_at IS NOT NULL;
`;

/**
 * The records Durable Object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // The Workers entry exports the class beside its default handler; wrangler.toml binds it as
 * // GPC_EDGE_RECORDS (class_name "RecordsDurableObject", a new_sqlite_classes migration).
 * import * as workerEntry from "../cloudflare.ts";
 * assert.equal(workerEntry.RecordsDurableObject, RecordsDurableObject);
 * ```
 */
export class RecordsDurableObject {
  readonly #state: DurableObjectStateLike;

  /** Called by workerd with the object's state; creates the table on first use. */
  constructor(state: DurableObjectStateLike, _env: unknown) {
    this.#state = state;
    state.storage.sql.exec(SCHEMA);
  }

  /** Answers one protocol request (`POST`, JSON body). */
  async fetch(request: Request): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return Response.json({ error: "The body is not JSON" }, { status: 400 });
    }
    const problem = recordsRequestProblem(body);
    if (problem !== undefined) return Response.json({ error: problem }, { status: 400 });
    const answer = this.#state.storage.transactionSync(() => this.#run(body as RecordsRequest));
    return Response.json(answer);
  }

  #run(request: RecordsRequest): RecordsResponse {
    const { sql } = this.#state.storage;
    const { now } = request;
    const liveRow = (key: string): ProtocolRow | undefined => {
      const [row] = sql.exec(
        "SELECT key, json, version, expires_at AS expiresAt FROM records WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
        key,
        now,
      ).toArray();
      return row as ProtocolRow | undefined;
    };
    switch (request.op) {
      case "getMany":
        return { records: request.keys.map((key) => liveRow(key) ?? null) };
      case "commit": {
        const holds = request.checks.every((check) =>
          (liveRow(check.key)?.version ?? null) === check.version
        );
        if (!holds) return { applied: false };
        for (const mutation of request.mutations) {
          if (mutation.type === "delete") {
            sql.exec("DELETE FROM records WHERE key = ?", mutation.key);
          } else {
            sql.exec(
              `INSERT INTO records (key, json, version, expires_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (key) DO UPDATE SET
                 json = excluded.json, version = excluded.version, expires_at = excluded.expires_at`,
              mutation.key,
              mutation.json,
              crypto.randomUUID(),
              mutation.expiresAt ?? null,
            );
          }
        }
        // Expired rows read as absent already; removing a few per commit bounds the table.
        sql.exec(
          "DELETE FROM records WHERE key IN (SELECT key FROM records WHERE expires_at <= ? LIMIT ?)",
          now,
          SWEEP_ROWS,
        );
        return { applied: true };
      }
      case "list": {
        const range = listRange(request.prefix, request.after, request.reverse);
        if (range === undefined || request.limit === 0) return { records: [] };
        const [lower, upper] = range;
        const rows = sql.exec(
          `SELECT key, json, version, expires_at AS expiresAt FROM records
           WHERE key >= ?1 AND (?2 IS NULL OR key < ?2) AND (?3 IS NULL OR key <> ?3)
             AND (expires_at IS NULL OR expires_at > ?4)
           ORDER BY key ${request.reverse ? "DESC" : "ASC"} LIMIT ?5`,
          lower,
          upper ?? null,
          request.after ?? null,
          now,
          request.limit ?? -1,
        ).toArray();
        return { records: rows as unknown as ProtocolRow[] };
      }
    }
  }
}
