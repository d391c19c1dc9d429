/**
 * Maximum throughput from wrk (Debian's package, closed loop): one thread on the load CPU,
 * keep-alive connections, the variant's headers, and for the miss variants a Lua script that
 * gives every request the next key.
 *
 * @module
 */
import { wrkKeyScript } from "./bench-keys.ts";
import { pinned, runToCompletion } from "./processes.ts";

/** One wrk run. */
export interface WrkOptions {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly seconds: number;
  readonly connections: number;
  readonly cpus: string | undefined;
  /** Distinct keys: `{key}` in `url`'s path is replaced per request, from `firstKey` on. */
  readonly keys?: { readonly kind: "ods" | "nhs"; readonly firstKey: number };
}

/** What wrk reported. */
export interface WrkResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** wrk's own (closed-loop) latency percentiles, milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number };
  /** Non-2xx/3xx answers plus socket errors. */
  readonly errors: number;
}

const units: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function duration(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? "");
  return match ? Number(match[1]) * units[match[2]!]! : Number.NaN;
}

/**
 * Parses wrk's report (run with `--latency`).
 *
 * @example
 * ```ts
 * parseWrkOutput("  50%  1.00ms\n  90% 2.00ms\n  99% 3.00ms\n  10 requests in 1.00s, 1KB read\nRequests/sec:     10.00\n").requests; // 10
 * ```
 */
export function parseWrkOutput(output: string): WrkResult {
  const pct = (p: string) => duration(new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m").exec(output)?.[1]);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    latencyMs: { p50: pct("50"), p90: pct("90"), p99: pct("99") },
    errors: non2xx + socketErrors,
  };
}

/** Runs wrk and parses its report. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = [
    "-t1",
    `-c${options.connections}`,
    `-d${Math.max(1, Math.round(options.seconds))}s`,
    "--latency",
  ];
  for (const [name, value] of options.headers) args.push("-H", `${name}: ${value}`);
  let script: string | undefined;
  let url = options.url;
  const scriptArgs: string[] = [];
  if (options.keys) {
    script = await Deno.makeTempFile({ prefix: "gpc-edge-bench-", suffix: ".lua" });
    await Deno.writeTextFile(script, wrkKeyScript);
    const parsed = new URL(options.url.replace("{key}", "KEY"));
    const [prefix, suffix] = `${parsed.pathname}${parsed.search}`.split("KEY");
    url = parsed.origin;
    args.push("-s", script);
    scriptArgs.push("--", String(options.keys.firstKey), prefix!, suffix ?? "", options.keys.kind);
  }
  try {
    const output = await runToCompletion(
      pinned(options.cpus, "wrk", [...args, url, ...scriptArgs]),
    );
    return parseWrkOutput(output);
  } finally {
    if (script) await Deno.remove(script).catch(() => {});
  }
}
