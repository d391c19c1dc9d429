/**
 * `task fuzz`: sends a bounded number of generated bad requests over loopback to a running
 * gpc-edge (`task start`), prints the answers counted by status and every unexpected 5xx with a
 * request that reproduces it, and exits 1 on any unexpected 5xx or a crash (fuzz-run.ts says
 * what counts as expected). The cases come from a seed, printed at the start: `--seed S --case N`
 * replays one case alone.
 *
 * @module
 */
import { parseCommandLine, problemLine, UsageError } from "../../client/command-line.ts";
import { FuzzConnection } from "./fuzz-client.ts";
import { fuzzRequest, type FuzzTarget } from "./fuzz-requests.ts";
import { type FuzzReport, isUnexpected, runFuzz } from "./fuzz-run.ts";

const usage = `Usage: deno task fuzz [options]

Sends generated bad requests to a running gpc-edge (start it with \`deno task start\`): headers
(missing, duplicated, huge, unicode, CR/LF/NUL), JWTs, NHS numbers, embedded URLs (every
spelling of .., userinfo, ports, IPv6, other hosts, schemes), verbs, bodies and Host values, over
raw loopback connections. Prints the answers by status and every unexpected 5xx with the request
that reproduces it; exits 1 on an unexpected 5xx or a crash, 2 on a usage problem.

Options:
  --count N          cases to send (default 100000)
  --url URL          gpc-edge (default http://127.0.0.1:8080)
  --provider URL     the provider origin the local SDS knows (default http://127.0.0.1:8083)
  --ods CODE         its practice ODS code (default B82617)
  --seed S           the cases' seed (default: a new one, printed)
  --concurrency N    connections at once (default 16)
  --timeout-ms MS    longest wait for one answer (default 10000)
  --case N           send only case N of the seed, and print it and its answer
  -h, --help         this text`;

function integer(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^[0-9]+$/.test(String(value)) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function origin(value: unknown, name: string, fallback: string): string {
  const text = value === undefined ? fallback : String(value);
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new UsageError(`--${name} must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  return new URL(text).origin;
}

/** The report as the lines the CLI prints. */
export function reportLines(report: FuzzReport, seed: number): string[] {
  const lines = [
    `${report.cases} cases in ${(report.elapsedMs / 1000).toFixed(1)} s (seed ${seed})`,
    "answers by status:",
    ...Object.entries(report.byStatus).sort(([a], [b]) => a.localeCompare(b)).map(
      ([status, count]) => `  ${status.padEnd(8)} ${count}`,
    ),
    `unexpected 5xx: ${report.unexpected.length}`,
  ];
  for (const finding of report.unexpected) {
    lines.push(
      `  case ${finding.index} → ${finding.status} ${finding.answer}`,
      `    ${finding.description}`,
      `    reproduce: deno task fuzz --seed ${seed} --case ${finding.index}`,
      `    request (${finding.requestBytes} bytes): ${finding.request}`,
    );
  }
  if (report.crashed) lines.push(`CRASH: ${report.crashed}`);
  return lines;
}

async function main(args: readonly string[]): Promise<number> {
  const line = parseCommandLine(args, {
    options: {
      count: { type: "string" },
      url: { type: "string" },
      provider: { type: "string" },
      ods: { type: "string" },
      seed: { type: "string" },
      concurrency: { type: "string" },
      "timeout-ms": { type: "string" },
      case: { type: "string" },
    },
  });
  if (line.help) {
    console.log(usage);
    return 0;
  }
  const v = line.values;
  const target: FuzzTarget = {
    edgeUrl: origin(v.url, "url", "http://127.0.0.1:8080"),
    providerOrigin: origin(v.provider, "provider", "http://127.0.0.1:8083"),
    odsCode: String(v.ods ?? "B82617"),
    issuedAt: Math.floor(Date.now() / 1000),
  };
  const seed = integer(v.seed, "seed", 0) ?? Math.floor(Math.random() * 2 ** 31);
  const timeoutMs = integer(v["timeout-ms"], "timeout-ms", 1) ?? 10_000;
  const one = integer(v.case, "case", 0);
  if (one !== undefined) {
    const request = fuzzRequest(seed, one, target);
    const edge = new URL(target.edgeUrl);
    const answer = await new FuzzConnection(
      edge.hostname.replace(/^\[|\]$/g, ""),
      Number(edge.port || 80),
    )
      .exchange(request.bytes, {
        alone: true,
        halfClose: request.truncated,
        head: request.head,
        timeoutMs,
      });
    console.log(`case ${one} of seed ${seed}: ${request.description}`);
    console.log(
      `request (${request.bytes.byteLength} bytes): ${
        JSON.stringify(new TextDecoder().decode(request.bytes.subarray(0, 4096)))
      }`,
    );
    console.log(
      answer.kind === "response"
        ? `answer: ${answer.status}\n${answer.body.slice(0, 2000)}`
        : `answer: ${answer.kind}`,
    );
    return answer.kind === "refused" || isUnexpected(request, answer) ? 1 : 0;
  }
  const count = integer(v.count, "count", 1) ?? 100_000;
  console.log(`fuzzing ${target.edgeUrl} with ${count} cases, seed ${seed}`);
  const report = await runFuzz({
    target,
    seed,
    count,
    concurrency: integer(v.concurrency, "concurrency", 1) ?? 16,
    timeoutMs,
    progressEvery: 10_000,
    onProgress: (done) => console.log(`  ${done} / ${count}`),
  });
  for (const text of reportLines(report, seed)) console.log(text);
  return report.unexpected.length > 0 || report.crashed ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(problemLine("fuzz", error));
    Deno.exit(2);
  }
}
