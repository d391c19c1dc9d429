/**
 * Runs fuzz cases against a running gpc-edge and judges the answers (issue 9 item 9).
 *
 * A 5xx is **expected** only where gpc-edge is right to give one to a hostile consumer:
 * - 502 or 504 saying the provider failed (`ERROR_COMMUNICATING_TO_ENDPOINT_URL_…`,
 *   `TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_…`, the circuit breaker's 502) for a case that is still
 *   a valid SSP request, so may have been forwarded;
 * - 503 with `Retry-After` (an upstream throttling, passed on as such).
 * Every other 5xx is **unexpected**: a 500 (something threw), a 502/504 for a request the gateway
 * should have refused, a directory failure against a healthy local world. A refused connection,
 * or `/_health` not answering 200 afterwards, is a **crash**.
 *
 * @module
 */
import { type FuzzAnswer, FuzzConnection } from "./fuzz-client.ts";
import { type FuzzRequest, fuzzRequest, type FuzzTarget } from "./fuzz-requests.ts";

/** Options of {@linkcode runFuzz}. */
export interface FuzzRunOptions {
  readonly target: FuzzTarget;
  readonly seed: number;
  /** Cases `first` … `first + count − 1`. */
  readonly count: number;
  readonly first?: number;
  /** Connections used at once. */
  readonly concurrency: number;
  /** How long one answer may take, in milliseconds. */
  readonly timeoutMs: number;
  /** Called every `progressEvery` cases. */
  readonly onProgress?: (done: number) => void;
  readonly progressEvery?: number;
}

/** An unexpected answer, with what reproduces it. */
export interface FuzzFinding {
  readonly index: number;
  readonly description: string;
  readonly status: number;
  /** The answer's display or first bytes. */
  readonly answer: string;
  /** The request as a JSON string (first 4 KiB), and its full length. */
  readonly request: string;
  readonly requestBytes: number;
}

/** What a run found. */
export interface FuzzReport {
  readonly cases: number;
  /** Answers by status; `closed` and `timeout` for none. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly unexpected: readonly FuzzFinding[];
  /** Set when gpc-edge stopped answering: why. */
  readonly crashed: string | undefined;
  readonly elapsedMs: number;
}

const PROVIDER_FAILURE = /(ERROR|TIMEOUT)_COMMUNICATING_TO_ENDPOINT_URL_/;

/**
 * Whether `answer` to `request` is an unexpected 5xx (see the module).
 *
 * @example
 * ```ts
 * const request = {
 *   index: 0, description: "x", bytes: new Uint8Array(), fresh: false, truncated: false,
 *   forwardable: false, head: false,
 * };
 * isUnexpected(request, { kind: "response", status: 500, headers: new Map(), body: "" }); // true
 * ```
 */
export function isUnexpected(request: FuzzRequest, answer: FuzzAnswer): boolean {
  if (answer.kind !== "response" || answer.status < 500) return false;
  if ((answer.status === 502 || answer.status === 504) && request.forwardable) {
    return !PROVIDER_FAILURE.test(answer.body);
  }
  if (answer.status === 503 && answer.headers.has("retry-after")) return false;
  return true;
}

function describeAnswer(answer: FuzzAnswer): string {
  if (answer.kind !== "response") return answer.kind;
  const display = /"display"\s*:\s*"([^"]*)"|<display value="([^"]*)"/.exec(answer.body);
  return display ? (display[1] ?? display[2])! : answer.body.slice(0, 200);
}

/**
 * Sends `count` cases with `concurrency` connections and judges every answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startWorld } from "../../sandbox/world.ts";
 * // The local world on free ports (`task start` runs it on 8080…), its log lines kept quiet.
 * const world = await startWorld({
 *   ports: { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 },
 *   dataDir: ":memory:",
 *   logger: { log() {} },
 * });
 * try {
 *   const report = await runFuzz({
 *     target: { edgeUrl: world.edgeUrl, providerOrigin: world.providerUrl, odsCode: "B82617" },
 *     seed: 1,
 *     count: 20,
 *     concurrency: 4,
 *     timeoutMs: 10_000,
 *   });
 *   assert.deepEqual(report.unexpected, []);
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const started = performance.now();
  const edge = new URL(options.target.edgeUrl);
  const hostname = edge.hostname.replace(/^\[|\]$/g, "");
  const port = Number(edge.port || (edge.protocol === "https:" ? 443 : 80));
  const first = options.first ?? 0;
  const byStatus: Record<string, number> = {};
  const unexpected: FuzzFinding[] = [];
  let next = 0;
  let done = 0;
  let crashed: string | undefined;

  const worker = async () => {
    const connection = new FuzzConnection(hostname, port);
    try {
      while (crashed === undefined && next < options.count) {
        const index = first + next++;
        const request = fuzzRequest(options.seed, index, options.target);
        const answer = await connection.exchange(request.bytes, {
          alone: request.fresh,
          halfClose: request.truncated,
          head: request.head,
          timeoutMs: options.timeoutMs,
        });
        if (answer.kind === "refused") {
          crashed = `case ${index}: could not connect (${answer.message})`;
          break;
        }
        const key = answer.kind === "response" ? String(answer.status) : answer.kind;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        if (isUnexpected(request, answer)) {
          const text = new TextDecoder().decode(request.bytes.subarray(0, 4096));
          unexpected.push({
            index,
            description: request.description,
            status: answer.kind === "response" ? answer.status : 0,
            answer: describeAnswer(answer),
            request: JSON.stringify(text),
            requestBytes: request.bytes.byteLength,
          });
        }
        done++;
        if (options.onProgress && done % (options.progressEvery ?? 10_000) === 0) {
          options.onProgress(done);
        }
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));

  if (crashed === undefined) {
    const health = await new FuzzConnection(hostname, port).exchange(
      new TextEncoder().encode(
        `GET /_health HTTP/1.1\r\nHost: ${edge.host}\r\nConnection: close\r\n\r\n`,
      ),
      { alone: true, timeoutMs: options.timeoutMs },
    );
    if (health.kind !== "response" || health.status !== 200) {
      crashed = `/_health after the run: ${
        health.kind === "response" ? health.status : health.kind
      }`;
    }
  }
  unexpected.sort((a, b) => a.index - b.index);
  return {
    cases: done,
    byStatus,
    unexpected,
    crashed,
    elapsedMs: performance.now() - started,
  };
}
