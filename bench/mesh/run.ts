/**
 * `deno task bench:mesh`: sends and downloads 1, 20 and 100 MB messages through gpc-edge's MESH
 * service over loopback, chunked as NHS's clients chunk them, and prints MB/s and the server's
 * peak memory beside a bare `Deno.serve` file stream of the same bytes (see mesh-bench.ts).
 *
 * Options: `--rounds N` (default 3), `--sizes 1,20,100` (MB), `--profiles npm,python`,
 * `--out FILE` (JSON).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuPlan } from "../processes.ts";
import { clientProfiles, renderMeshBench, runMeshBench } from "./mesh-bench.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    sizes: { type: "string", default: "1,20,100" },
    profiles: { type: "string", default: "npm,python" },
    out: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const sizes = values.sizes.split(",").map((s) => Math.round(Number(s) * 1e6));
const profiles = values.profiles.split(",").map((name) => {
  const profile = clientProfiles[name as keyof typeof clientProfiles];
  if (!profile) throw new TypeError(`unknown profile ${name}: expected npm or python`);
  return profile;
});
if (!Number.isInteger(rounds) || rounds < 1 || sizes.some((s) => !(s > 0))) {
  throw new TypeError("--rounds must be a positive integer and --sizes positive numbers of MB");
}

/** The 1, 5 and 15 minute load averages: figures from a busy machine are not comparable. */
async function loadAverage(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

const cpus = await cpuPlan();
console.log(
  `MESH benchmark: ${
    cpus.server === undefined ? cpus.description : `servers pinned to CPU ${cpus.server}`
  }; median of ${rounds} round(s); MB = 10^6 bytes; ` +
    `load average ${await loadAverage()}`,
);
const result = await runMeshBench({
  sizes,
  profiles,
  rounds,
  cpus,
  progress: (line) => console.error(line),
});
console.log(renderMeshBench(result));
console.log(
  "npm = NHS's JavaScript client (10 MiB chunks, each gzipped); python = NHS's Python client " +
    "(75 MiB chunks, uncompressed). Baseline: bare Deno.serve streaming the same bytes into a " +
    "file (not synced) and back. Load average " + (await loadAverage()) + ".",
);
if (values.out) {
  await Deno.writeTextFile(
    values.out,
    JSON.stringify({ date: new Date().toISOString(), rounds, cpus, ...result }, null, 2) + "\n",
  );
}
