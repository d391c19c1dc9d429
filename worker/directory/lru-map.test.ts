import assert from "node:assert/strict";
import { createLruMap } from "./lru-map.ts";

Deno.test("lru: evicts the least recently used entry past the bound", () => {
  const lru = createLruMap<number>(2);
  lru.set("a", 1);
  lru.set("b", 2);
  assert.equal(lru.get("a"), 1);
  lru.set("c", 3);
  assert.equal(lru.get("b"), undefined);
  assert.equal(lru.get("a"), 1);
  assert.equal(lru.get("c"), 3);
  assert.equal(lru.size, 2);
});

Deno.test("lru: re-setting a key refreshes it without growing", () => {
  const lru = createLruMap<number>(2);
  lru.set("a", 1);
  lru.set("b", 2);
  lru.set("a", 10);
  lru.set("c", 3);
  assert.equal(lru.get("a"), 10);
  assert.equal(lru.get("b"), undefined);
  lru.delete("a");
  assert.equal(lru.size, 1);
});

Deno.test("lru: a bound below 1 still holds one entry", () => {
  const lru = createLruMap<string>(0);
  lru.set("a", "x");
  assert.equal(lru.get("a"), "x");
  lru.set("b", "y");
  assert.equal(lru.size, 1);
});
