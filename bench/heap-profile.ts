/**
 * What outlives a request in P0 (issue 15 item 2). Starts the stub and
 * gpc-edge (P0, or P0P with `--forward-client pooled`) under the inspector, starts V8's sampling
 * heap profiler, drives a paced load, and prints allocation sites by sampled bytes: by default
 * those still in the heap while the load runs (in flight, held between requests, or promoted and
 * not yet collected by a full GC).
 *
 * Usage: `deno run -A --node-modules-dir=auto bench/heap-profile.ts [--forward-client fetch|pooled] [--rate 500]
 * [--seconds 5] [--top 25] [--depth 3] [--count alive|promoted|allocated] [--cpu [--inclusive]]
 * [--pretenuring]`
 * (depth: frames shown per site, innermost first; `--count`: what a site's bytes are — still alive
 * half a second before the load ends, also those collected by a full GC (promoted, though a full GC
 * also collects young garbage), or every sampled allocation; `--cpu`: V8's CPU profile instead,
 * self time by file and by function, and with `--inclusive` time including callees;
 * `--pretenuring`: without the Deno entry's `--no-allocation-site-pretenuring`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { sspRequestInit } from "../client/ssp-request.ts";
import { DENO_ENTRY_V8_FLAGS } from "../worker/deno-v8-flags.ts";
import { pacedLoad } from "./paced-load.ts";
import { freePort, startService } from "./processes.ts";
import { benchInteraction, stubRoot } from "./variants.ts";

/** One node of V8's sampling heap profile. */
interface ProfileNode {
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

/** An allocation site (the allocating frame and its nearest callers) and its bytes still alive. */
export interface SurvivingSite {
  readonly site: string;
  readonly bytes: number;
}

const short = (frame: ProfileNode["callFrame"]) =>
  `${frame.functionName || "(anonymous)"} ${
    frame.url.replace(/^.*\/(worker|bench|gpconnect|node_modules|ext:)/, "$1")
  }:${frame.lineNumber + 1}`;

/**
 * Sums a sampling heap profile's self sizes by allocation site (the frame and its caller).
 *
 * @example
 * ```ts
 * const frame = { functionName: "f", url: "file:///x/worker/a.ts", lineNumber: 0 };
 * survivingSites({ callFrame: frame, selfSize: 10, children: [] })[0]!.bytes; // 10
 * ```
 */
export function survivingSites(root: ProfileNode, depth = 2): SurvivingSite[] {
  const bytes = new Map<string, number>();
  const walk = (node: ProfileNode, path: string[]) => {
    const here = [...path, short(node.callFrame)];
    if (node.selfSize > 0) {
      // Innermost first: the allocating frame, then its callers.
      const site = here.slice(-depth).reverse().join(" ← ");
      bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(root, []);
  return [...bytes].map(([site, size]) => ({ site, bytes: size })).sort((a, b) =>
    b.bytes - a.bytes
  );
}

/** One node of V8's CPU profile. */
interface CpuProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: ProfileNode["callFrame"];
  readonly hitCount?: number;
}

/**
 * Self time by function and by source file of a CPU profile, as shares of all samples.
 *
 * @example
 * ```ts
 * const frame = { functionName: "f", url: "file:///x/worker/a.ts", lineNumber: 0 };
 * cpuShares([{ id: 1, callFrame: frame, hitCount: 3 }]).byFunction[0]!.share; // 1
 * ```
 */
export function cpuShares(nodes: readonly CpuProfileNode[]): {
  byFunction: Array<{ site: string; share: number }>;
  byFile: Array<{ site: string; share: number }>;
} {
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const site = short(node.callFrame);
    functions.set(site, (functions.get(site) ?? 0) + hits);
    const file = site.slice(site.indexOf(" ") + 1).replace(/:\d+$/, "") || "(native)";
    files.set(file, (files.get(file) ?? 0) + hits);
  }
  const shares = (map: Map<string, number>) =>
    [...map].map(([site, hits]) => ({ site, share: hits / Math.max(1, total) })).sort((a, b) =>
      b.share - a.share
    );
  return { byFunction: shares(functions), byFile: shares(files) };
}

/** A minimal Chrome DevTools Protocol session over the inspector's WebSocket. */
async function inspector(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data as string);
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? message.error);
  };
  return {
    send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
      const call = ++id;
      socket.send(JSON.stringify({ id: call, method, params }));
      return new Promise((resolve) => pending.set(call, resolve));
    },
    close: () => socket.close(),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "forward-client": { type: "string", default: "fetch" },
      rate: { type: "string", default: "500" },
      seconds: { type: "string", default: "5" },
      top: { type: "string", default: "25" },
      depth: { type: "string", default: "3" },
      cpu: { type: "boolean", default: false },
      count: { type: "string", default: "alive" },
      inclusive: { type: "boolean", default: false },
      pretenuring: { type: "boolean", default: false },
    },
  });
  Deno.chdir(new URL("..", import.meta.url).pathname);
  const stub = await startService<{ url: string }>({
    command: Deno.execPath(),
    args: ["run", "--quiet", "--allow-net", "bench/stub-server.ts"],
  });
  const inspectPort = freePort();
  let stderr = "";
  const edge = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--inspect=127.0.0.1:${inspectPort}`,
      // As gpc-edge's Deno entry runs (decision G12), unless asked to profile without.
      ...(values.pretenuring ? [] : [`--v8-flags=${DENO_ENTRY_V8_FLAGS.join(",")}`]),
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "bench/edge-server.ts",
      "--directory",
      "constant",
      "--provider-root",
      stubRoot(stub.info.url),
      "--forward-client",
      values["forward-client"],
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errors = edge.stderr.pipeTo(
    new WritableStream({ write: (chunk) => void (stderr += new TextDecoder().decode(chunk)) }),
  );
  const lines = edge.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { value, done } = await lines.read();
    if (done) break;
    first += value;
  }
  const edgeUrl = (JSON.parse(first.split("\n")[0]!) as { url: string }).url;
  try {
    const targets = await (await fetch(`http://127.0.0.1:${inspectPort}/json`)).json();
    const session = await inspector(targets[0].webSocketDebuggerUrl);
    const { headers } = sspRequestInit({
      sspBaseUrl: "http://127.0.0.1",
      providerRoot: stubRoot(stub.info.url),
      fhirPath: "/metadata",
      interactionId: benchInteraction,
    });
    const url = new URL(edgeUrl);
    const load = (rate: number, seconds: number) =>
      pacedLoad({
        host: url.hostname,
        port: Number(url.port),
        connections: 64,
        rate,
        seconds,
        drainSeconds: 2,
        path: `/${stubRoot(stub.info.url)}/metadata`,
        headers: [...headers.entries()],
      });
    await load(Number(values.rate), 1); // warm-up: JIT, pools, first-use allocations
    if (values.cpu) {
      await session.send("Profiler.enable");
      await session.send("Profiler.setSamplingInterval", { interval: 200 });
      await session.send("Profiler.start");
      const result = await load(Number(values.rate), Number(values.seconds));
      const { profile } = await session.send("Profiler.stop") as {
        profile: { nodes: CpuProfileNode[] };
      };
      session.close();
      const { byFunction, byFile } = cpuShares(profile.nodes);
      console.log(
        `${values["forward-client"]}: ${result.completed} requests at ${values.rate}/s; ` +
          "self time by file, then by function (share of all samples, idle included)",
      );
      for (const row of byFile.slice(0, Number(values.top))) {
        console.log(`${(row.share * 100).toFixed(1).padStart(6)}%  ${row.site}`);
      }
      console.log("");
      for (const row of byFunction.slice(0, Number(values.top))) {
        console.log(`${(row.share * 100).toFixed(1).padStart(6)}%  ${row.site}`);
      }
      if (values.inclusive) {
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        const incl = new Map<number, number>();
        const total = (n: CpuProfileNode): number => {
          let t = n.hitCount ?? 0;
          for (const c of n.children ?? []) t += total(byId.get(c)!);
          incl.set(n.id, t);
          return t;
        };
        const root = profile.nodes[0]!;
        const all = total(root);
        const fn = new Map<string, number>();
        const walk = (n: CpuProfileNode, seen: Set<string>) => {
          const site = short(n.callFrame);
          const fresh = !seen.has(site);
          if (fresh) fn.set(site, (fn.get(site) ?? 0) + incl.get(n.id)!);
          const next = fresh ? new Set([...seen, site]) : seen;
          for (const c of n.children ?? []) walk(byId.get(c)!, next);
        };
        walk(root, new Set());
        console.log("\ninclusive:");
        for (const [site, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 70)) {
          console.log(`${(t / all * 100).toFixed(1).padStart(6)}%  ${site}`);
        }
      }
    } else {
      await session.send("HeapProfiler.enable");
      await session.send("HeapProfiler.collectGarbage");
      await session.send("HeapProfiler.startSampling", {
        samplingInterval: 1024,
        // alive: still in the heap at the end; promoted: survived a scavenge (collected later by a
        // full GC or still alive); allocated: everything allocated.
        includeObjectsCollectedByMajorGC: values.count !== "alive",
        includeObjectsCollectedByMinorGC: values.count === "allocated",
      });
      const running = load(Number(values.rate), Number(values.seconds));
      // Stopped while the load still runs: what the server holds between requests counts too.
      await new Promise((resolve) => setTimeout(resolve, (Number(values.seconds) - 0.5) * 1000));
      const { profile } = await session.send("HeapProfiler.stopSampling") as {
        profile: { head: ProfileNode };
      };
      const result = await running;
      session.close();
      const sites = survivingSites(profile.head, Number(values.depth));
      const total = sites.reduce((sum, site) => sum + site.bytes, 0);
      console.log(
        `${values["forward-client"]}: ${result.completed} requests at ${values.rate}/s, ` +
          `${(total / 1024).toFixed(0)} KiB sampled and still alive (${
            (total / result.completed).toFixed(0)
          } B a request)`,
      );
      for (const site of sites.slice(0, Number(values.top))) {
        console.log(`${(site.bytes / 1024).toFixed(1).padStart(8)} KiB  ${site.site}`);
      }
    }
  } finally {
    edge.kill();
    await edge.status;
    await errors.catch(() => {});
    await stub.stop();
  }
}
