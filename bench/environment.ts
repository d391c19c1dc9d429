/**
 * The environment block of a benchmark run: CPU, memory, OS, Deno, wrk and nginx versions,
 * the pinning plan and the load average.
 *
 * @module
 */

/** What the machine and tools were. */
export interface Environment {
  readonly command: string;
  readonly date: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly kernel: string;
  readonly deno: string;
  readonly v8: string;
  /** `wrk …` version line, or undefined when wrk is missing. */
  readonly wrk: string | undefined;
  /** `nginx/…` version, or undefined when nginx is missing. */
  readonly nginx: string | undefined;
  readonly pinning: string;
  readonly loadAverage: string;
}

async function read(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

/** The first line a command prints (stdout, else stderr), or undefined if it cannot run. */
export async function versionLine(command: string, args: string[]): Promise<string | undefined> {
  try {
    const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(output.stdout) || new TextDecoder().decode(output.stderr);
    return text.split("\n")[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Reads the environment. */
export async function readEnvironment(
  command: string,
  pinning: string,
  cpus: number,
): Promise<Environment> {
  const cpuinfo = await read("/proc/cpuinfo");
  const osRelease = await read("/etc/os-release");
  const wrk = await versionLine("wrk", ["-v"]);
  const nginx = await versionLine("nginx", ["-v"]);
  return {
    command,
    date: new Date().toISOString(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? Deno.build.arch,
    cpus,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    os: /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(osRelease)?.[1] ?? Deno.build.os,
    kernel: Deno.osRelease(),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    wrk: wrk?.replace(/\s*Copyright.*$/, ""),
    nginx: nginx?.replace(/^nginx version:\s*/, ""),
    pinning,
    loadAverage: (await read("/proc/loadavg")).split(" ").slice(0, 3).join(" ") || "unknown",
  };
}
