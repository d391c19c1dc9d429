/**
 * The benchmark's variants (style-and-performance.md Part B3), each started fresh per round:
 *
 * | Id | Path |
 * |---|---|
 * | D  | load → stub |
 * | N  | load → nginx → stub |
 * | P0 | load → gpc-edge SSP route → stub; the directory is a constant |
 * | PH | as P0, the SDS answer from a warm in-isolate LRU (over Deno KV) |
 * | PM | as P0, every request a new practice: LRU and KV miss, SDS sandbox, write-back |
 * | RH | `/directory/resolve`, one fixture patient: PDS and SDS answers from the warm LRU |
 * | RM | `/directory/resolve`, a new NHS number per request: PDS and SDS sandboxes, write-back |
 *
 * @module
 */
import { startNginx } from "./nginx.ts";
import { pinned, type Service, startService } from "./processes.ts";

/** A variant id. */
export type VariantId = "D" | "N" | "P0" | "PH" | "PM" | "RH" | "RM";

/** Every variant, in the order of a forward round. */
export const allVariants: readonly VariantId[] = ["D", "N", "P0", "PH", "PM", "RH", "RM"];

/** The variants that never reach the stub (so they run in the first stub profile only). */
export const directoryOnlyVariants: readonly VariantId[] = ["RH", "RM"];

/** What each variant is, for the report. */
export const variantDescriptions: Readonly<Record<VariantId, string>> = {
  D: "direct to the stub",
  N: "nginx (1 worker, upstream keep-alive) → stub",
  P0: "gpc-edge SSP route → stub; directory = constant (no lookup)",
  PH: "SSP route; SDS answer from the warm in-isolate LRU (LRU over Deno KV)",
  PM: "SSP route; a new practice ODS code per request: LRU miss, Deno KV miss, SDS sandbox " +
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
  stop(): Promise<void>;
}

/** What starting a variant needs. */
export interface VariantContext {
  readonly stubUrl: string;
  readonly serverCpus: string | undefined;
  readonly connections: number;
}

const denoArgs = ["run", "--quiet", "--no-prompt"];

function denoService<T>(cpus: string | undefined, permissions: string[], script: string[]) {
  return startService<T>(
    pinned(cpus, Deno.execPath(), [...denoArgs, ...permissions, ...script]),
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
      stop: () => nginx.stop(),
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
    if (id === "P0") {
      edgeArgs = ["--directory", "constant", "--provider-root", stubRoot(stubUrl)];
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
      ];
    }
    const edge = await denoService<{ url: string }>(
      serverCpus,
      ["--allow-net", "--allow-read", "--allow-write"],
      ["bench/edge-server.ts", ...edgeArgs],
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
      hasDirectory: id !== "P0",
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
