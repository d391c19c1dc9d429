/**
 * The paced (open-model) load generator: request `i` is due at `t0 + i / rate` whatever happened
 * to earlier requests, and its latency runs from that intended time, so a stalled server is
 * charged for the requests it held up (no coordinated omission). Requests go out on a fixed pool
 * of keep-alive HTTP/1.1 connections; a due request waits for a free connection and that wait
 * counts. The scheduler spins on `setImmediate`, so run it on a core of its own.
 *
 * Usage: `deno run --allow-net bench/paced-load.ts '<PacedLoadConfig JSON>'`; prints one line,
 * the {@linkcode PacedLoadResult} JSON.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { nhsNumberOfKey, practiceOfKey } from "./bench-keys.ts";
import { encodeGet, Http1Connection } from "./http1-client.ts";
import { type LatencySummary, summarise } from "./stats.ts";

/** One paced run. */
export interface PacedLoadConfig {
  readonly host: string;
  readonly port: number;
  /** Keep-alive connections opened before the first request. */
  readonly connections: number;
  /** Requests per second. */
  readonly rate: number;
  /** Seconds of sending (`rate × seconds` requests). */
  readonly seconds: number;
  /** Seconds to wait for the last answers after the last send. */
  readonly drainSeconds: number;
  /** The request path; `{key}` is replaced per request when `keyKind` is set. */
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** `ods`: `{key}` becomes `BX{n}`; `nhs`: the NHS number of key n. */
  readonly keyKind?: "ods" | "nhs";
  /** Key of the first request; request i has key `firstKey + i`. */
  readonly firstKey?: number;
  /**
   * Seconds sent at the same rate before the measured ones and left out of the latencies (default
   * 0): the generator is a fresh process, and its own first milliseconds (compiling its scheduler)
   * made every variant's first requests late, the direct call's too. Their errors still count.
   */
  readonly leadInSeconds?: number;
}

/** What one paced run measured. */
export interface PacedLoadResult {
  readonly rate: number;
  readonly seconds: number;
  /** Requests sent in the lead-in, before the measured ones (their keys come first). */
  readonly leadIn: number;
  /** Requests scheduled in the measured window. */
  readonly intended: number;
  /** Requests answered (any status). */
  readonly completed: number;
  /** Answers other than 200, plus broken connections (the lead-in's included). */
  readonly errors: number;
  /** The errors by status (`"0"`: a broken connection), to tell a refusal from a failure. */
  readonly errorStatuses: Readonly<Record<string, number>>;
  /** Requests unanswered at the drain deadline (counted in the latencies at that deadline). */
  readonly timeouts: number;
  /** Answered requests per second, first intended send to last answer. */
  readonly achievedRps: number;
  /** Latency from the intended send time, milliseconds. */
  readonly latencyMs: LatencySummary;
  /** How late requests actually left (scheduler and connection wait), milliseconds. */
  readonly sendLagMs: LatencySummary;
}

/**
 * Runs one paced load.
 *
 * @example
 * ```ts
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   new Response("ok")
 * );
 * const result = await pacedLoad({
 *   host: "127.0.0.1",
 *   port: server.addr.port,
 *   connections: 4,
 *   rate: 100,
 *   seconds: 0.2,
 *   drainSeconds: 1,
 *   path: "/_health",
 *   headers: [],
 * });
 * await server.shutdown();
 * ```
 */
export async function pacedLoad(config: PacedLoadConfig): Promise<PacedLoadResult> {
  const { host, port, rate } = config;
  const measured = Math.max(1, Math.round(rate * config.seconds));
  const leadIn = Math.max(0, Math.round(rate * (config.leadInSeconds ?? 0)));
  const total = leadIn + measured;
  const interval = 1000 / rate;
  const authority = `${host}:${port}`;
  const fixed = config.keyKind ? undefined : encodeGet(authority, config.path, config.headers);
  const keyOf = config.keyKind === "nhs" ? nhsNumberOfKey : practiceOfKey;
  const firstKey = config.firstKey ?? 1;
  const bytesOf = (i: number) =>
    fixed ??
      encodeGet(authority, config.path.replace("{key}", keyOf(firstKey + i)), config.headers);

  const free = await Promise.all(
    Array.from({ length: config.connections }, () => Http1Connection.open(host, port)),
  );
  // Warm the client path (JIT, connection buffers) on every connection before the clock starts.
  const warmBytes = bytesOf(-1);
  for (let pass = 0; pass < 4; pass++) {
    await Promise.all(free.map((connection) => connection.request(warmBytes).catch(() => {})));
  }
  const latencies = new Float64Array(total).fill(Number.NaN);
  const lags = new Float64Array(total);
  let due = 0;
  let sent = 0;
  let done = 0;
  let errors = 0;
  const errorStatuses: Record<string, number> = {};
  let lastAnswer = 0;
  const t0 = performance.now() + 20;

  const reopen = () =>
    Http1Connection.open(host, port).then((connection) => {
      free.push(connection);
      dispatch();
    }, () => {/* the server is gone; the remaining requests time out */});
  const finish = (i: number, connection: Http1Connection, status: number) => {
    lastAnswer = performance.now();
    latencies[i] = lastAnswer - (t0 + i * interval);
    done++;
    if (status !== 200) {
      errors++;
      errorStatuses[status] = (errorStatuses[status] ?? 0) + 1;
    }
    if (connection.closed) void reopen();
    else free.push(connection);
    dispatch();
  };
  const dispatch = () => {
    while (sent < due && free.length > 0) {
      const i = sent++;
      const connection = free.pop()!;
      lags[i] = performance.now() - (t0 + i * interval);
      connection.request(bytesOf(i)).then(
        (response) => finish(i, connection, response.status),
        () => finish(i, connection, 0),
      );
    }
  };

  const deadline = t0 + (config.seconds + config.drainSeconds) * 1000;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (due < total && t0 + due * interval <= now) due++;
      dispatch();
      if (done >= total || now > deadline) return resolve();
      if (due < total) setImmediate(tick);
      else setTimeout(tick, 1);
    };
    tick();
  });
  for (const connection of free) connection.close();

  const end = performance.now();
  let completed = 0;
  for (let i = 0; i < total; i++) {
    // Unanswered: counted at the drain deadline.
    if (Number.isNaN(latencies[i]!)) latencies[i] = end - (t0 + i * interval);
    else if (i >= leadIn) completed++;
  }
  const measuredFrom = t0 + leadIn * interval;
  return {
    rate,
    seconds: config.seconds,
    leadIn,
    intended: measured,
    completed,
    errors,
    errorStatuses,
    timeouts: measured - completed,
    achievedRps: completed / (Math.max(lastAnswer - measuredFrom, 1) / 1000),
    latencyMs: summarise(latencies.subarray(leadIn)),
    sendLagMs: summarise(lags.subarray(leadIn, Math.max(leadIn, sent))),
  };
}

if (import.meta.main) {
  const config = JSON.parse(Deno.args[0] ?? "{}") as PacedLoadConfig;
  console.log(JSON.stringify(await pacedLoad(config)));
  // Connections the server still holds open must not keep the process alive.
  Deno.exit(0);
}
