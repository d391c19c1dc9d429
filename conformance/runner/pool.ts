/**
 * A small worker pool: runs async work over items with at most `limit` in flight, returning the
 * results in item order whatever the completion order.
 *
 * @module
 */

/**
 * `work` over `items`, at most `limit` at a time.
 *
 * @example
 * ```ts
 * const lengths = await runPool(["a", "bb"], 8, async (text) => text.length); // [1, 2]
 * ```
 */
export async function runPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    // Each worker takes the next item until none is left: bounded by items.length.
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
