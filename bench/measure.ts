/**
 * One variant in one round: start it fresh, check one request, warm it up under wrk (until its
 * JIT has settled) and then paced, run every paced rate (each after a short unmeasured lead-in),
 * then wrk (after a wrk warm-up as long as the paced one), read the directory counters and the
 * peak memory, stop it.
 *
 * @module
 */
import type { PacedLoadConfig, PacedLoadResult } from "./paced-load.ts";
import { nhsNumberOfKey, practiceOfKey } from "./bench-keys.ts";
import { cpuMicros, type CpuShare, startCpuAccount, waitForQuiet } from "./cpu-accounting.ts";
import { type GcSummary, summariseGc } from "./gc-trace.ts";
import { childPids, type CpuPlan, peakRssMiB, pinned, runToCompletion } from "./processes.ts";
import { stubBody } from "./stub-server.ts";
import { type RunningVariant, startVariant, type VariantId } from "./variants.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

/** Everything measured of one variant in one round. */
export interface VariantMeasurement {
  readonly variant: VariantId;
  readonly round: number;
  readonly stubDelayMs: number;
  /** Position of the variant in its round (0 = first). */
  readonly position: number;
  /** Paced runs by rate. */
  readonly paced: Record<string, PacedLoadResult>;
  /** The wrk run, or why there was none. */
  readonly wrk: WrkResult | { readonly skipped: string };
  /** Peak resident memory of gpc-edge (or nginx, master plus worker), MiB. */
  readonly peakRssMiB: number | null;
  /** gpc-edge's `/directory/stats` after the loads. */
  readonly directoryStats: unknown;
  /** Other processes' CPU before the variant started (after waiting for a quiet machine). */
  readonly quiet: { readonly waitedSeconds: number; readonly foreignPct: number };
  /** Other processes' CPU and steal during each load (`"500"`, …, `"wrk"`). */
  readonly cpu: Record<string, CpuShare>;
  /**
   * CPU (user + system, from `/proc`) of the variant's server (gpc-edge, the bare forwarder, or
   * nginx's master and worker) per answered request, in microseconds, per load; none for D.
   */
  readonly cpuMicrosPerRequest: Record<string, number>;
  /** Young-GC collections of the variant's Deno server during each load; none for D and N. */
  readonly gc: Record<string, GcSummary>;
  /** The first error records its server wrote, when any request was answered with an error. */
  readonly serverErrors?: readonly string[];
  /** Why the variant could not be measured this round. */
  readonly failure?: string;
}

/** What {@linkcode measureVariant} needs. */
export interface MeasureContext {
  readonly stubUrl: string;
  readonly stubDelayMs: number;
  readonly round: number;
  readonly position: number;
  readonly cpus: CpuPlan;
  readonly rates: readonly number[];
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Seconds of closed-loop load before anything is measured (see {@linkcode measureVariant}). */
  readonly jitWarmupSeconds: number;
  /** Seconds each paced run sends before its measured window (see `PacedLoadConfig`). */
  readonly leadInSeconds: number;
  readonly connections: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Why wrk cannot run, or undefined when it can. */
  readonly wrkMissing: string | undefined;
  /** The stub's pid (its CPU is the benchmark's own). */
  readonly stubPid: number;
  /** How long to wait for other processes to go quiet before each variant. */
  readonly quiet: {
    readonly maxSeconds: number;
    readonly thresholdPct: number;
    readonly windowSeconds: number;
  };
}

/** The first key of the JIT warm-up of a miss variant: far above any measured request's. */
const wrkWarmupFirstKey = 100_000_000;
/** The first key of the warm-up before wrk: above the JIT warm-up's, so those are misses too. */
const wrkRunWarmupFirstKey = 150_000_000;

async function paced(
  variant: RunningVariant,
  context: MeasureContext,
  load: { rate: number; seconds: number; firstKey: number; leadInSeconds?: number },
): Promise<PacedLoadResult> {
  const url = new URL(variant.baseUrl);
  const config: PacedLoadConfig = {
    host: url.hostname,
    port: Number(url.port),
    connections: context.connections,
    rate: load.rate,
    seconds: load.seconds,
    drainSeconds: Math.max(1, load.seconds),
    path: variant.path,
    headers: context.headers,
    leadInSeconds: load.leadInSeconds ?? context.leadInSeconds,
    ...(variant.keyKind ? { keyKind: variant.keyKind, firstKey: load.firstKey } : {}),
  };
  const output = await runToCompletion(pinned(context.cpus.load, Deno.execPath(), [
    "run",
    "--quiet",
    "--no-prompt",
    "--allow-net",
    "bench/paced-load.ts",
    JSON.stringify(config),
  ]));
  return JSON.parse(output) as PacedLoadResult;
}

/** One request through the variant; throws unless it is answered as expected. */
async function check(variant: RunningVariant, headers: MeasureContext["headers"], key: number) {
  const keyText = variant.keyKind === "nhs" ? nhsNumberOfKey(key) : practiceOfKey(key);
  const response = await fetch(`${variant.baseUrl}${variant.path.replace("{key}", keyText)}`, {
    headers: headers.map(([name, value]): [string, string] => [name, value]),
  });
  const body = await response.text();
  const resolve = variant.id === "RH" || variant.id === "RM";
  if (response.status !== 200 || (!resolve && body !== stubBody)) {
    throw new Error(`check request answered ${response.status}: ${body.slice(0, 300)}`);
  }
}

/** Measures one variant in one round. Never throws: a failure is recorded instead. */
export async function measureVariant(
  id: VariantId,
  context: MeasureContext,
): Promise<VariantMeasurement> {
  const base = {
    variant: id,
    round: context.round,
    stubDelayMs: context.stubDelayMs,
    position: context.position,
  };
  let variant: RunningVariant | undefined;
  const quiet = await waitForQuiet([context.stubPid], context.quiet);
  const cpu: Record<string, CpuShare> = {};
  const cpuMicrosPerRequest: Record<string, number> = {};
  const gc: Record<string, GcSummary> = {};
  try {
    variant = await startVariant(id, {
      stubUrl: context.stubUrl,
      serverCpus: context.cpus.server,
      connections: context.connections,
    });
    const running = variant;
    const accounted = async <T extends { completed: number } | WrkResult>(
      label: string,
      load: () => Promise<T>,
    ): Promise<T> => {
      const pids = [context.stubPid];
      for (const pid of running.processes) pids.push(pid, ...await childPids(pid));
      const servers: number[] = [];
      for (const pid of running.pids) servers.push(pid, ...await childPids(pid));
      const account = await startCpuAccount(pids);
      const cpuBefore = await cpuMicros(servers);
      const started = performance.now();
      const result = await load();
      const ended = performance.now();
      const cpuAfter = await cpuMicros(servers);
      cpu[label] = await account.stop();
      const answered = "requests" in result ? result.requests : result.completed;
      if (servers.length > 0 && answered > 0) {
        cpuMicrosPerRequest[label] = (cpuAfter - cpuBefore) / answered;
      }
      if (running.gc) {
        // GC lines come through a pipe: give the last ones a moment to arrive.
        await new Promise((resolve) => setTimeout(resolve, 50));
        gc[label] = summariseGc(running.gc, started, ended + 50);
      }
      return result;
    };
    let nextKey = 1;
    await check(variant, context.headers, nextKey++);
    // A closed-loop warm-up first, not measured: V8 tiers a function up only after thousands of
    // calls, so a fresh server's first tens of thousands of requests run while its compiler
    // thread works, on the server's CPU. Measured on P0P: after 2 s of wrk its compiler thread
    // still took 120–250 ms of a 5-s paced run at 1,000/s and held the event loop up to 5 ms at a
    // time (the p99); after 5 s, 20–50 ms. A gateway runs for days: it is measured warm. Without
    // wrk, the highest paced rate stands in. The miss variants take these keys from a range the
    // measured requests never reach.
    const closedLoop = (seconds: number, firstKey: number) =>
      runWrk({
        url: `${running.baseUrl}${running.path}`,
        headers: context.headers,
        seconds,
        connections: context.connections,
        cpus: context.cpus.load,
        ...(running.keyKind ? { keys: { kind: running.keyKind, firstKey } } : {}),
      });
    if (context.jitWarmupSeconds === 0) {
      // Asked for none (`--jit-warmup 0`).
    } else if (context.wrkMissing === undefined) {
      await closedLoop(context.jitWarmupSeconds, wrkWarmupFirstKey);
    } else {
      await paced(running, context, {
        rate: Math.max(...context.rates),
        seconds: context.jitWarmupSeconds,
        firstKey: wrkWarmupFirstKey,
        leadInSeconds: 0,
      });
    }
    // Then paced, so the connection pools and the heap settle to a paced load's shape.
    const warmRate = Math.min(1000, Math.max(...context.rates));
    const warm = await paced(variant, context, {
      rate: warmRate,
      seconds: context.warmupSeconds,
      firstKey: nextKey,
      leadInSeconds: 0,
    });
    nextKey += warm.leadIn + warm.intended;
    const results: Record<string, PacedLoadResult> = {};
    for (const rate of context.rates) {
      const result = await accounted(
        String(rate),
        () => paced(running, context, { rate, seconds: context.seconds, firstKey: nextKey }),
      );
      nextKey += result.leadIn + result.intended;
      results[String(rate)] = result;
    }
    let wrk: WrkResult | { skipped: string } = { skipped: context.wrkMissing ?? "" };
    if (context.wrkMissing === undefined) {
      // The paced loads left the heap and the pools sized for a light load (V8 shrinks the young
      // generation when little is allocated): a closed-loop warm-up as long as the paced one
      // first, so wrk measures the steady state at full load too.
      await closedLoop(context.warmupSeconds, wrkRunWarmupFirstKey);
      wrk = await accounted("wrk", () => closedLoop(context.seconds, nextKey));
    }
    const directoryStats = variant.hasDirectory
      ? await (await fetch(`${variant.baseUrl}/directory/stats`)).json()
      : null;
    let peak: number | null = null;
    for (const pid of variant.pids) {
      for (const process of [pid, ...await childPids(pid)]) {
        peak = (peak ?? 0) + await peakRssMiB(process);
      }
    }
    const answeredErrors = Object.values(results).some((run) => run.errors > 0) ||
      ("errors" in wrk && wrk.errors > 0);
    const serverErrors = answeredErrors
      ? variant.serverErrors().split("\n").filter((line) => line !== "").slice(0, 5)
      : undefined;
    return {
      ...base,
      ...(serverErrors ? { serverErrors } : {}),
      paced: results,
      wrk,
      peakRssMiB: peak,
      directoryStats,
      quiet,
      cpu,
      cpuMicrosPerRequest,
      gc,
    };
  } catch (error) {
    return {
      ...base,
      paced: {},
      wrk: { skipped: "failed" },
      peakRssMiB: null,
      directoryStats: null,
      quiet,
      cpu,
      cpuMicrosPerRequest,
      gc,
      failure: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await variant?.stop();
  }
}
