import assert from "node:assert/strict";
import { renderMeshBench, runMeshBench } from "./mesh-bench.ts";

Deno.test("mesh bench: a small chunked message through MESH and the baseline, each in its own process", async () => {
  const progress: string[] = [];
  const result = await runMeshBench({
    sizes: [250_000],
    profiles: [
      { name: "small-gzip", chunkSize: 100_000, gzip: true },
      { name: "whole", chunkSize: 1_000_000, gzip: false },
    ],
    rounds: 2,
    cpus: { load: undefined, server: undefined, description: "not pinned" },
    progress: (line) => progress.push(line),
  });
  assert.deepEqual(result.mesh.map((r) => [r.profile, r.chunks, r.bytes]), [
    ["small-gzip", 3, 250_000],
    ["whole", 1, 250_000],
  ]);
  for (const row of [...result.mesh, ...result.baseline]) {
    for (const value of Object.values(row)) {
      if (typeof value === "number") assert.ok(Number.isFinite(value) && value > 0, `${value}`);
    }
  }
  assert.equal(result.baseline.length, 1);
  assert.equal(progress.length, 3);
  const table = renderMeshBench(result).split("\n");
  assert.equal(table.length, 4);
  assert.match(table[2]!, /^\| 0\.25 MB \| small-gzip \(3\) \|/);
});
