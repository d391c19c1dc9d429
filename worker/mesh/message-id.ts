/**
 * MESH message ids in MESH's real form (mesh.md §4.4): `yyyyMMddHHmmssSSSSSS_XXXXXX`, a UTC
 * timestamp to the microsecond and six upper-case hex digits. The timestamp prefix makes ids sort
 * by creation time, which inbox listing and housekeeping rely on.
 *
 * @module
 */

/** A MESH message id. */
export const messageIdPattern = /^\d{20}_[0-9A-F]{6}$/;

/**
 * A new message id for time `nowMs`. The three sub-millisecond digits and the hex suffix come
 * from `randomUUID`, so ids made in the same millisecond still differ.
 *
 * @example
 * ```ts
 * createMessageId(Date.UTC(2020, 4, 29, 15, 53, 57, 895), () => crypto.randomUUID());
 * // e.g. "20200529155357895317_3573F8"
 * ```
 */
export function createMessageId(nowMs: number, randomUUID: () => string): string {
  const iso = new Date(nowMs).toISOString(); // 2020-05-29T15:53:57.895Z
  const hex = randomUUID().replace(/-/g, "");
  const micros = String(parseInt(hex.slice(0, 5), 16) % 1000).padStart(3, "0");
  const stamp = iso.slice(0, 23).replace(/[-:T.]/g, "");
  return `${stamp}${micros}_${hex.slice(-6).toUpperCase()}`;
}

/**
 * Milliseconds since the epoch encoded in a message id, or `undefined` if it is not one.
 *
 * @example
 * ```ts
 * messageIdTime("20200529155357895317_3573F8"); // Date.UTC(2020, 4, 29, 15, 53, 57, 895)
 * ```
 */
export function messageIdTime(id: string): number | undefined {
  if (!messageIdPattern.test(id)) return undefined;
  const n = (from: number, to: number) => Number(id.slice(from, to));
  const ms = Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14), n(14, 17));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The smallest message id at or after `ms`: everything that sorts below it was created before.
 */
export function messageIdFloor(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace(/[-:T.]/g, "") + "000_000000";
}
