/**
 * The benchmark's variants (style-and-performance.md Part B3), each started fresh per round:
 *
 * | Id | Path |
 * |---|---|
 * | D  | load → stub |
 * | N  | load → nginx → stub |
 * | FF | load → `Deno.serve` + `fetch`, no checks → stub (the Deno limit with `fetch`) |
 * | FP | load → `Deno.serve` + the pooled client, no checks → stub (the Deno limit) |
 * | FU | load → `Deno.serve` + undici's `Pool` (npm), no checks → stub (the third client measured) |
 * | P0 | load → gpc-edge SSP route → stub; the directory is a constant |
 * | P0P | as P0, forwarding with the pooled client (`GPC_EDGE_FORWARD_CLIENT=pooled`) |
 * | PH | as P0P, the SDS answer from a warm in-isolate LRU (over Deno KV) |
 * | PM | as P0P, every request a new practice: LRU and KV miss, SDS sandbox, write-back |
 * | RH | `/directory/resolve`, one fixture patient: PDS and SDS answers from the warm LRU |
 * | RM | `/directory/resolve`, a new NHS number per request: PDS and SDS sandboxes, write-back |
 *
 * Every Deno server runs with V8's GC trace (`--trace-gc-nvp`), read off its stdout
 * (gc-trace.ts).
 *
 * @module
 */
import { sspRequestInit } from "../client/ssp-request.ts";
import { parseGcLine, type ScavengeEvent } from "./gc-trace.ts";
import { DENO_ENTRY_V8_FLAGS } from "../worker/deno-v8-flags.ts";
import { startNginx } from "./nginx.ts";
import { commandExists, pinned, type Service, startService } from "./processes.ts";

/** A variant id. */
export type VariantId =
  | "D"
  | "N"
  | "FF"
  | "FP"
  | "FU"
  | "P0"
  | "P0P"
  | "PH"
  | "PM"
  | "RH"
  | "RM";

/** Every variant, in the order of a forward round. */
export const allVariants: readonly VariantId[] = [
  "D",
  "N",
  "FF",
  "FP",
  "FU",
  "P0",
  "P0P",
  "PH",
  "PM",
  "RH",
  "RM",
];

/** The variants that never reach the stub (so they run in the first stub profile only). */
export const directoryOnlyVariants: readonly VariantId[] = ["RH", "RM"];

/** What each variant is, for the report. */
export const variantDescriptions: Readonly<Record<VariantId, string>> = {
  D: "direct to the stub",
  N: "nginx (1 worker, upstream keep-alive) → stub",
  FF: "Deno.serve + fetch + new Response(body), no SSP checks → stub (the Deno limit with fetch)",
  FP: "Deno.serve + the pooled HTTP/1.1 client, small bodies as bytes, no SSP checks → stub",
  FU: "Deno.serve + undici's Pool (npm), answered as FP answers, no SSP checks → stub",
  P0: "gpc-edge SSP route → stub; directory = constant (no lookup)",
  P0P: "as P0, forwarding with the pooled client (GPC_EDGE_FORWARD_CLIENT=pooled)",
  PH: "as P0P; SDS answer from the warm in-isolate LRU (LRU over Deno KV)",
  PM: "as P0P; a new practice ODS code per request: LRU miss, Deno KV miss, SDS sandbox " +
    "(/Endpoint + /Device), write-back to LRU and Deno KV (awaited, as on Deno), then the forward",
  RH: "GET /directory/resolve, one fixture patient: PDS and SDS answers from the warm LRU",
  RM: "GET /directory/resolve, a new NHS number per request (registered at a new practice): " +
    "PDS and SDS sandbox calls, write-backs",
};

/** The metadata interaction every SSP request uses. */
export const benchInteraction = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** The B82617 foundations root under a stub base URL, as the SDS sandbox publishes it. */
export function stubRoot(stubUrl: string, odsCode = "B82617"): string {
  return `${stubUrl}/${odsCode}/STU3/1/gpconnect/fhir`;
}

/** Starts the stub provider (`bench/stub-server.ts`) on the servers' CPUs, answering after `delayMs`. */
export function startStub(
  serverCpus: string | undefined,
  delayMs: number,
): Promise<Service<{ url: string }>> {
  return startService<{ url: string }>(
    pinned(serverCpus, Deno.execPath(), [
      ...denoArgs,
      "--allow-net",
      "bench/stub-server.ts",
      "--delay-ms",
      String(delayMs),
    ]),
  );
}

/**
 * The SSP headers of a round (a JWT issued now), sent to every variant alike.
 *
 * @example
 * ```ts
 * const headers = new Map(benchRequestHeaders("http://127.0.0.1:8000"));
 * headers.get("ssp-interactionid"); // "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"
 * ```
 */
export function benchRequestHeaders(stubUrl: string): Array<[string, string]> {
  const { headers } = sspRequestInit({
    sspBaseUrl: "http://127.0.0.1",
    providerRoot: stubRoot(stubUrl),
    fhirPath: "/metadata",
    interactionId: benchInteraction,
  });
  return [...headers.entries()];
}

/** A started variant: where to send requests and how to stop it. */
export interface RunningVariant {
  readonly id: VariantId;
  /** `http://host:port` of the first hop. */
  readonly baseUrl: string;
  /** Request path; contains `{key}` for the miss variants. */
  readonly path: string;
  readonly keyKind: "ods" | "nhs" | undefined;
  /** The process whose peak memory is reported (gpc-edge or the nginx master), if any. */
  readonly pids: readonly number[];
  /** Every process of the variant (for CPU accounting; nginx's worker is the master's child). */
  readonly processes: readonly number[];
  /** Whether gpc-edge serves `/directory/stats`. */
  readonly hasDirectory: boolean;
  /** The young-GC collections of the variant's Deno server so far (none for D and N). */
  readonly gc: readonly ScavengeEvent[] | undefined;
  /** What its server wrote to stderr so far (gpc-edge: its error records). */
  serverErrors(): string;
  stop(): Promise<void>;
}

/** What starting a variant needs. */
export interface VariantContext {
  readonly stubUrl: string;
  readonly serverCpus: string | undefined;
  readonly connections: number;
}

const denoArgs = ["run", "--quiet", "--no-prompt"];

/** Whether coreutils' `stdbuf` is there (for the GC trace; see `denoService`). */
const hasStdbuf = await commandExists("stdbuf");

function denoService<T>(
  cpus: string | undefined,
  permissions: string[],
  script: string[],
  gc?: ScavengeEvent[],
) {
  // Every Deno server runs with the V8 flags gpc-edge's Deno entry is launched with (decision
  // G12), plus the GC trace when it is read.
  const trace = [
    `--v8-flags=${[...DENO_ENTRY_V8_FLAGS, ...(gc ? ["--trace-gc-nvp"] : [])].join(",")}`,
  ];
  const args = [...denoArgs, ...trace, ...permissions, ...script];
  // V8 prints its trace through C stdio, block-buffered on a pipe: a GC line would arrive late
  // (its time is when it is read) and could split the service's JSON line. Line-buffered, each
  // arrives whole as it is printed.
  const command = gc && hasStdbuf
    ? pinned(cpus, "stdbuf", ["-oL", Deno.execPath(), ...args])
    : pinned(cpus, Deno.execPath(), args);
  return startService<T>(
    command,
    gc
      ? {
        onLine(line) {
          const event = parseGcLine(line, performance.now());
          if (event) gc.push(event);
        },
      }
      : {},
  );
}

/** Starts one variant (and the processes behind it). */
export async function startVariant(
  id: VariantId,
  context: VariantContext,
): Promise<RunningVariant> {
  const { stubUrl, serverCpus } = context;
  const metadataPath = (ods: string) => `${new URL(stubRoot(stubUrl, ods)).pathname}/metadata`;
  if (id === "D") {
    return {
      id,
      baseUrl: stubUrl,
      path: metadataPath("B82617"),
      keyKind: undefined,
      pids: [],
      processes: [],
      hasDirectory: false,
      gc: undefined,
      serverErrors: () => "",
      stop: () => Promise.resolve(),
    };
  }
  if (id === "N") {
    const nginx = await startNginx(stubUrl, { cpus: serverCpus, connections: context.connections });
    return {
      id,
      baseUrl: nginx.url,
      path: metadataPath("B82617"),
      keyKind: undefined,
      pids: [nginx.pid],
      processes: [nginx.pid],
      hasDirectory: false,
      gc: undefined,
      serverErrors: () => "",
      stop: () => nginx.stop(),
    };
  }
  if (id === "FF" || id === "FP" || id === "FU") {
    const gc: ScavengeEvent[] = [];
    const forwarder = await denoService<{ url: string }>(serverCpus, [
      "--allow-net",
      // undici under Deno's npm support reads its environment and the npm cache.
      ...(id === "FU" ? ["--allow-env", "--allow-read", "--node-modules-dir=auto"] : []),
    ], [
      "bench/bare-forwarder.ts",
      "--client",
      id === "FF" ? "fetch" : id === "FP" ? "pooled" : "undici",
      "--target",
      stubUrl,
    ], gc);
    return {
      id,
      baseUrl: forwarder.info.url,
      path: metadataPath("B82617"),
      keyKind: undefined,
      pids: [forwarder.pid],
      processes: [forwarder.pid],
      hasDirectory: false,
      gc,
      serverErrors: () => forwarder.stderr(),
      stop: () => forwarder.stop(),
    };
  }
  const services: Service<unknown>[] = [];
  let dataDir: string | undefined;
  const stop = async () => {
    for (const service of services.reverse()) await service.stop();
    if (dataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
  try {
    let edgeArgs: string[];
    if (id === "P0" || id === "P0P") {
      edgeArgs = ["--directory", "constant", "--provider-root", stubRoot(stubUrl)];
      if (id === "P0P") edgeArgs.push("--forward-client", "pooled");
    } else {
      const directory = await denoService<{ pdsUrl: string; sdsUrl: string }>(
        serverCpus,
        ["--allow-net"],
        ["bench/directory-server.ts", "--provider", stubUrl],
      );
      services.push(directory);
      dataDir = await Deno.makeTempDir({ prefix: "gpc-edge-bench-kv-" });
      edgeArgs = [
        "--directory",
        "cached",
        "--pds",
        directory.info.pdsUrl,
        "--sds",
        directory.info.sdsUrl,
        "--data-dir",
        dataDir,
        // The Deno default: PH and PM differ from P0P by the directory only.
        "--forward-client",
        "pooled",
      ];
    }
    const gc: ScavengeEvent[] = [];
    const edge = await denoService<{ url: string }>(
      serverCpus,
      ["--allow-net", "--allow-read", "--allow-write"],
      ["bench/edge-server.ts", ...edgeArgs],
      gc,
    );
    services.push(edge);
    const resolve = (nhs: string) =>
      `/directory/resolve?nhs-number=${nhs}&interaction=${benchInteraction}`;
    const path = id === "RH"
      ? resolve("9690937278")
      : id === "RM"
      ? resolve("{key}")
      : `/${stubRoot(stubUrl, id === "PM" ? "{key}" : "B82617")}/metadata`;
    return {
      id,
      baseUrl: edge.info.url,
      path,
      keyKind: id === "PM" ? "ods" : id === "RM" ? "nhs" : undefined,
      pids: [edge.pid],
      processes: services.map((service) => service.pid),
      hasDirectory: id !== "P0" && id !== "P0P",
      gc,
      serverErrors: () => edge.stderr(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
