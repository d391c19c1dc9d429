/**
 * {@linkcode RecordsStore} on Workers: a client of the records Durable Object
 * (records-durable-object.ts) over a Durable Object namespace binding, typed structurally so the
 * core never imports Workers types. It applies record-rules.ts before sending, so a bad argument
 * rejects here exactly as on the memory and Deno KV adapters.
 *
 * One object (by `name`) holds the whole store, which makes every multi-key commit atomic and
 * orders all commits; a store that outgrows one object splits by purpose, one name each.
 *
 * @module
 */
import {
  assertGetManyKeys,
  assertListLimit,
  assertRecordKey,
  prepareCommit,
} from "./record-rules.ts";
import type { ProtocolRow, RecordsRequest } from "./records-protocol.ts";
import type {
  ListOptions,
  RecordCheck,
  RecordMutation,
  RecordsStore,
  StoredRecord,
} from "./records-store.ts";

/** The part of Workers' `DurableObjectNamespace` used here. */
export interface DurableObjectNamespaceLike<Id> {
  /** The id of the object called `name`. */
  idFromName(name: string): Id;
  /** A stub for the object `id`. */
  get(id: Id): { fetch(input: string, init: RequestInit): Promise<Response> };
}

/** Options for {@linkcode createDurableObjectRecordsStore}. */
export interface DurableObjectRecordsOptions {
  /** The object holding the store (default `"records"`). */
  readonly name?: string;
  /** The clock expiry is judged by, sent with every request (default `Date.now`). */
  readonly now?: () => number;
}

/** Only the path matters to the object; the host just makes the URL absolute. */
const ENDPOINT = "https://records.gpc-edge.internal/";

/**
 * A records store held by one Durable Object of `namespace`.
 *
 * @example
 * ```ts
 * import { createDurableObjectRecordsStore } from "./durable-object-records-store.ts";
 * import type { DurableObjectNamespaceLike } from "./durable-object-records-store.ts";
 * // In the Worker's fetch handler:
 * export const recordsFor = (env: { GPC_EDGE_RECORDS: DurableObjectNamespaceLike<unknown> }) =>
 *   createDurableObjectRecordsStore(env.GPC_EDGE_RECORDS, { name: "mesh" });
 * ```
 */
export function createDurableObjectRecordsStore<Id>(
  namespace: DurableObjectNamespaceLike<Id>,
  options: DurableObjectRecordsOptions = {},
): RecordsStore {
  const now = options.now ?? Date.now;
  const name = options.name ?? "records";
  const call = async <T>(request: RecordsRequest): Promise<T> => {
    const stub = namespace.get(namespace.idFromName(name));
    const response = await stub.fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`The records Durable Object answered ${response.status}`);
    }
    return await response.json() as T;
  };
  const toRecord = <T>(row: ProtocolRow): StoredRecord<T> => ({
    key: row.key,
    value: JSON.parse(row.json) as T,
    version: row.version,
    expiresAt: row.expiresAt ?? undefined,
  });
  const getMany = async <T>(keys: readonly string[]) => {
    assertGetManyKeys(keys);
    const { records } = await call<{ records: Array<ProtocolRow | null> }>({
      op: "getMany",
      now: now(),
      keys,
    });
    return records.map((row) => row === null ? undefined : toRecord<T>(row));
  };
  return {
    async get<T>(key: string): Promise<StoredRecord<T> | undefined> {
      assertRecordKey(key);
      return (await getMany<T>([key]))[0];
    },
    getMany,
    async commit(
      checks: readonly RecordCheck[],
      mutations: readonly RecordMutation[],
    ): Promise<boolean> {
      const encoded = prepareCommit(checks, mutations);
      const request: RecordsRequest = {
        op: "commit",
        now: now(),
        checks: checks.map(({ key, version }) => ({ key, version })),
        mutations: encoded,
      };
      return (await call<{ applied: boolean }>(request)).applied;
    },
    async list<T>(prefix: string, listOptions: ListOptions = {}): Promise<Array<StoredRecord<T>>> {
      const { after, limit, reverse = false } = listOptions;
      assertRecordKey(prefix);
      if (after !== undefined) assertRecordKey(after);
      assertListLimit(limit);
      const request: RecordsRequest = {
        op: "list",
        now: now(),
        prefix,
        reverse,
        ...(after === undefined ? {} : { after }),
        ...(limit === undefined ? {} : { limit }),
      };
      const { records } = await call<{ records: ProtocolRow[] }>(request);
      return records.map((row) => toRecord<T>(row));
    },
  };
}
