/**
 * Child processes of the benchmark: CPU pinning with `taskset` (util-linux), services that print
 * one JSON line when they listen, peak resident memory from `/proc/<pid>/status` (`VmHWM`), and
 * tools found on `PATH`.
 *
 * @module
 */

/** Where the load generator and the servers run. */
export interface CpuPlan {
  /** CPU list for the load generator (`taskset -c`), or undefined when not pinned. */
  readonly load: string | undefined;
  /** CPU list for the servers (variant, stub, directory sandboxes, nginx). */
  readonly server: string | undefined;
  /** One line for the environment block. */
  readonly description: string;
}

/** Whether `command` runs (`command --version` or the given probe exits at all). */
export async function commandExists(command: string, probe = ["--version"]): Promise<boolean> {
  try {
    await new Deno.Command(command, { args: probe, stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** The CPUs this process may run on, from `/proc/self/status` (`Cpus_allowed_list`). */
export async function allowedCpus(): Promise<number[]> {
  try {
    const status = await Deno.readTextFile("/proc/self/status");
    const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? "";
    return list.split(",").flatMap((part) => {
      const [from, to] = part.split("-").map(Number);
      if (from === undefined || !Number.isInteger(from)) return [];
      return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
    });
  } catch {
    return Array.from({ length: navigator.hardwareConcurrency }, (_, i) => i);
  }
}

/** The generator on the first CPU, every server on the others, when there are two or more. */
export async function cpuPlan(): Promise<CpuPlan> {
  const cpus = await allowedCpus();
  if (!(await commandExists("taskset"))) {
    return {
      load: undefined,
      server: undefined,
      description: "not pinned: taskset (util-linux) not found",
    };
  }
  if (cpus.length < 2) {
    return { load: undefined, server: undefined, description: "not pinned: one CPU only" };
  }
  const load = String(cpus[0]);
  const server = cpus.slice(1).join(",");
  return {
    load,
    server,
    description:
      `taskset: load generator (paced generator, wrk) on CPU ${load}; servers (variant, stub, directory sandboxes, nginx) on CPU ${server}`,
  };
}

/** `command args` under `taskset -c cpus` when `cpus` is set. */
export function pinned(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  return cpus === undefined
    ? { command, args: [...args] }
    : { command: "taskset", args: ["-c", cpus, command, ...args] };
}

/** A running child service. */
export interface Service<T> {
  /** The first stdout line, parsed as JSON. */
  readonly info: T;
  readonly pid: number;
  /** What it wrote to stderr so far (the first 64 KiB). */
  stderr(): string;
  /** Stops it (SIGTERM, then SIGKILL after 2 s). */
  stop(): Promise<void>;
}

/**
 * Starts a service and waits (at most `timeoutMs`) for its first stdout line that is a JSON
 * object. Other stdout lines go to `onLine` (or are drained); stderr is kept for the error message
 * if it fails to start.
 */
export async function startService<T>(
  command: { command: string; args: string[] },
  options: { readonly timeoutMs?: number; readonly onLine?: (line: string) => void } = {},
): Promise<Service<T>> {
  const { timeoutMs = 30_000, onLine } = options;
  const child = new Deno.Command(command.command, {
    args: command.args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const decoder = new TextDecoder();
  const errors = child.stderr.pipeTo(
    new WritableStream({
      write(chunk) {
        if (stderr.length < 64 * 1024) stderr += decoder.decode(chunk);
      },
    }),
  ).catch(() => {});
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const firstLine = (async () => {
    // The first line that is a JSON object (V8's GC trace, when asked for, shares stdout).
    let text = "";
    let first: string | undefined;
    while (first === undefined) {
      const newline = text.indexOf("\n");
      if (newline >= 0) {
        const line = text.slice(0, newline);
        text = text.slice(newline + 1);
        if (line.startsWith("{")) first = line;
        else onLine?.(line);
        continue;
      }
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    // Keep draining so the child never blocks on a full pipe; later lines go to `onLine`.
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: "", done: true }));
        if (done) break;
        if (!onLine) continue;
        text += value;
        let newline: number;
        while ((newline = text.indexOf("\n")) >= 0) {
          onLine(text.slice(0, newline));
          text = text.slice(newline + 1);
        }
      }
    })();
    return first ?? "";
  })();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const killer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 2000);
    await child.status;
    clearTimeout(killer);
    await errors;
  };
  try {
    const line = await Promise.race([
      firstLine,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
    return { info: JSON.parse(line) as T, pid: child.pid, stop, stderr: () => stderr };
  } catch (error) {
    await stop();
    throw new Error(
      `${command.args.join(" ")} did not start: ${
        error instanceof Error ? error.message : error
      }\n${stderr.trim()}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Peak resident set (`VmHWM`) of `pid` in MiB, or NaN when unreadable. */
export async function peakRssMiB(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = /^VmHWM:\s*(\d+)\s*kB/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The direct children of `pid` (`/proc/<pid>/task/<pid>/children`). */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`);
    return text.trim().split(/\s+/).filter((s) => s !== "").map(Number);
  } catch {
    return [];
  }
}

/** A free loopback port (bound and released; the caller binds it right away). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Runs a command to completion and returns its stdout (throws with stderr on failure). */
export async function runToCompletion(
  command: { command: string; args: string[] },
): Promise<string> {
  const output = await new Deno.Command(command.command, {
    args: command.args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  if (!output.success) {
    throw new Error(
      `${command.command} ${command.args.slice(0, 4).join(" ")}… failed: ${
        new TextDecoder().decode(output.stderr).trim().slice(0, 2000)
      }`,
    );
  }
  return stdout;
}
