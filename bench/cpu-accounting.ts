/**
 * Whose CPU time a measurement shared the machine with. Linux only (`/proc`); elsewhere every
 * figure is NaN. "Foreign" CPU is the machine's busy time minus the benchmark's own processes
 * (servers, stub, and the generator and wrk, counted as reaped children of this process): on a
 * shared 2-core machine it says which loads ran beside someone else's work.
 *
 * @module
 */

/** Clock ticks per second of `/proc` times (USER_HZ; 100 on Linux for x86 and arm). */
const ticksPerSecond = 100;

async function read(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** Busy and steal ticks of all CPUs together (`/proc/stat`). */
async function machineTicks(): Promise<{ busy: number; steal: number }> {
  const line = (await read("/proc/stat"))?.split("\n")[0] ?? "";
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  const busy = (user ?? NaN) + (nice ?? NaN) + (system ?? NaN) + (irq ?? NaN) + (softirq ?? NaN);
  return { busy, steal: steal ?? Number.NaN };
}

/** User + system ticks of a process; with `children`, also those of its reaped children. */
async function processTicks(pid: number | "self", children = false): Promise<number> {
  const stat = await read(`/proc/${pid}/stat`);
  if (stat === undefined) return 0;
  // Fields after the command name "(…)": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  const own = (fields[11] ?? 0) + (fields[12] ?? 0);
  return children ? own + (fields[13] ?? 0) + (fields[14] ?? 0) : own;
}

/**
 * User + system CPU of `pids` (their threads included), in microseconds: read before and after a
 * load, the difference over the requests answered is the CPU a request cost (10 ms ticks, so a
 * load should use at least a few hundred milliseconds of CPU).
 */
export async function cpuMicros(pids: readonly number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) ticks += await processTicks(pid);
  return (ticks / ticksPerSecond) * 1e6;
}

/** A started CPU account. */
export interface CpuAccount {
  /** CPU of others and steal, as percent of one CPU, since the account started. */
  stop(): Promise<CpuShare>;
}

/** Percent of one CPU over the accounted interval. */
export interface CpuShare {
  /** Busy time of processes that are not the benchmark's. */
  readonly foreignPct: number;
  /** Time the hypervisor gave to other guests. */
  readonly stealPct: number;
}

/**
 * Starts accounting. `pids` are the benchmark's long-lived processes (their threads included);
 * short-lived children this process waits for (generator, wrk) are counted when reaped.
 */
export async function startCpuAccount(pids: readonly number[]): Promise<CpuAccount> {
  const ours = async () => {
    let sum = await processTicks("self", true);
    for (const pid of pids) sum += await processTicks(pid);
    return sum;
  };
  const started = performance.now();
  const machine0 = await machineTicks();
  const ours0 = await ours();
  return {
    async stop() {
      const machine1 = await machineTicks();
      const ours1 = await ours();
      const seconds = (performance.now() - started) / 1000;
      const pct = (ticks: number) => Math.max(0, (ticks / ticksPerSecond / seconds) * 100);
      return {
        foreignPct: pct(machine1.busy - machine0.busy - (ours1 - ours0)),
        stealPct: pct(machine1.steal - machine0.steal),
      };
    },
  };
}

/**
 * Waits (at most `maxSeconds`) until other processes use under `thresholdPct` of one CPU over a
 * window of `windowSeconds`; returns the seconds waited and the last window's share.
 */
export async function waitForQuiet(
  pids: readonly number[],
  options: { maxSeconds: number; thresholdPct: number; windowSeconds: number },
): Promise<{ waitedSeconds: number; foreignPct: number }> {
  const started = performance.now();
  for (;;) {
    const account = await startCpuAccount(pids);
    await new Promise((resolve) => setTimeout(resolve, options.windowSeconds * 1000));
    const { foreignPct } = await account.stop();
    const waitedSeconds = (performance.now() - started) / 1000;
    if (!(foreignPct >= options.thresholdPct) || waitedSeconds >= options.maxSeconds) {
      return { waitedSeconds: Math.max(0, waitedSeconds - options.windowSeconds), foreignPct };
    }
  }
}
