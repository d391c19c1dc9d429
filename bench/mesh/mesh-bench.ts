/**
 * The MESH benchmark (issue 10 item 10): for each message size and client profile, a fresh MESH
 * server process receives the message from `A11111OT1` chunked as NHS's clients chunk it, then
 * `B82617OT1` downloads it (chunk by chunk) and acknowledges it; beside it, a fresh bare
 * `Deno.serve` file-stream server receives and serves the same bytes. Reports MB/s (MB = 10⁶
 * bytes) of each direction as the median over the rounds, and each server's peak resident memory
 * (`VmHWM`). Every download is checked for length, and the first of each size byte for byte.
 *
 * Client profiles (mesh.md §4.4, §9): `npm` — NHS's JavaScript client, 10 MiB chunks each gzipped
 * on its own (time includes the client's gzip and gunzip, as that client does it); `python` — NHS's
 * Python client's default 75 MiB chunks, uncompressed.
 *
 * @module
 */
import { createMeshClient } from "../../client/mesh/mesh-client.ts";
import { npmClientChunkSize, pythonClientChunkSize } from "../../client/mesh/mesh-chunks.ts";
import { type CpuPlan, peakRssMiB, pinned, startService } from "../processes.ts";

/** How a client cuts and encodes a message. */
export interface ClientProfile {
  readonly name: string;
  readonly chunkSize: number;
  readonly gzip: boolean;
}

/** NHS's clients' chunking. */
export const clientProfiles: Readonly<Record<"npm" | "python", ClientProfile>> = {
  npm: { name: "npm", chunkSize: npmClientChunkSize, gzip: true },
  python: { name: "python", chunkSize: pythonClientChunkSize, gzip: false },
};

/** One MESH measurement. */
export interface MeshRow {
  readonly bytes: number;
  readonly profile: string;
  readonly chunks: number;
  readonly sendMBps: number;
  readonly downloadMBps: number;
  readonly peakMiB: number;
}

/** One baseline measurement. */
export interface BaselineRow {
  readonly bytes: number;
  readonly uploadMBps: number;
  readonly downloadMBps: number;
  readonly peakMiB: number;
}

/** What a run measures. */
export interface MeshBenchOptions {
  /** Message sizes in bytes. */
  readonly sizes: readonly number[];
  readonly profiles: readonly ClientProfile[];
  readonly rounds: number;
  /** Where server processes run (`taskset`), from `cpuPlan()`. */
  readonly cpus: CpuPlan;
  /** Progress lines. */
  readonly progress?: (line: string) => void;
}

const serverScript = new URL("./mesh-server.ts", import.meta.url).pathname;
const denoConfig = new URL("../../deno.json", import.meta.url).pathname;
const local = { password: "password", sharedKey: "TestKey" };

/** `size` pseudo-random (incompressible) bytes. */
export function payload(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
  }
  return bytes;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function countBytes(body: ReadableStream<Uint8Array> | null): Promise<number> {
  let total = 0;
  if (body === null) return total;
  for await (const chunk of body) total += chunk.length;
  return total;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function withServer<T>(
  mode: "mesh" | "baseline",
  cpus: CpuPlan,
  run: (url: string) => Promise<T>,
): Promise<{ result: T; peakMiB: number }> {
  const dir = await Deno.makeTempDir({ prefix: `gpc-edge-bench-${mode}-` });
  const args = ["run", "--quiet", "--allow-all", "--config", denoConfig, serverScript];
  const service = await startService<{ url: string }>(
    pinned(cpus.server, Deno.execPath(), [...args, "--mode", mode, "--dir", dir]),
  );
  try {
    const result = await run(service.info.url);
    return { result, peakMiB: await peakRssMiB(service.pid) };
  } finally {
    await service.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Sends and downloads one message size with one profile, `rounds` times, on a fresh server. */
export async function measureMesh(
  data: Uint8Array<ArrayBuffer>,
  profile: ClientProfile,
  rounds: number,
  cpus: CpuPlan,
): Promise<MeshRow> {
  const { result, peakMiB } = await withServer("mesh", cpus, async (url) => {
    const consumer = createMeshClient({ baseUrl: url, mailboxId: "A11111OT1", ...local });
    const practice = createMeshClient({ baseUrl: url, mailboxId: "B82617OT1", ...local });
    const body = new Blob([data]);
    const sends: number[] = [];
    const downloads: number[] = [];
    let chunks = 0;
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      const id = await consumer.send({
        to: "B82617OT1",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body,
        chunkSize: profile.chunkSize,
        gzip: profile.gzip,
      });
      sends.push(performance.now() - started);
      started = performance.now();
      const download = await practice.download(id);
      const received = await countBytes(download.body);
      downloads.push(performance.now() - started);
      chunks = download.info.totalChunks;
      if (received !== data.length) {
        throw new Error(`MESH download of ${id}: ${received} bytes, sent ${data.length}`);
      }
      if (round === 0) {
        const whole = await practice.downloadBytes(id);
        if (await sha256(new Uint8Array(whole.body)) !== await sha256(data)) {
          throw new Error(`MESH download of ${id} differs from what was sent`);
        }
      }
      await practice.acknowledge(id);
    }
    return { chunks, sendMBps: mbps(data.length, median(sends)), downloads };
  });
  return {
    bytes: data.length,
    profile: profile.name,
    chunks: result.chunks,
    sendMBps: result.sendMBps,
    downloadMBps: mbps(data.length, median(result.downloads)),
    peakMiB,
  };
}

/** Uploads and downloads the same bytes through the bare file-stream server. */
export async function measureBaseline(
  data: Uint8Array<ArrayBuffer>,
  rounds: number,
  cpus: CpuPlan,
): Promise<BaselineRow> {
  const { result, peakMiB } = await withServer("baseline", cpus, async (url) => {
    const body = new Blob([data]);
    const uploads: number[] = [];
    const downloads: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const target = `${url}/files/r${round}`;
      let started = performance.now();
      const put = await fetch(target, { method: "POST", body });
      await put.body?.cancel();
      if (put.status !== 201) throw new Error(`baseline upload answered ${put.status}`);
      uploads.push(performance.now() - started);
      started = performance.now();
      const got = await fetch(target);
      const received = await countBytes(got.body);
      downloads.push(performance.now() - started);
      if (received !== data.length) throw new Error(`baseline download: ${received} bytes`);
    }
    return { uploads, downloads };
  });
  return {
    bytes: data.length,
    uploadMBps: mbps(data.length, median(result.uploads)),
    downloadMBps: mbps(data.length, median(result.downloads)),
    peakMiB,
  };
}

/** Runs every size: the baseline, then each profile, each on its own fresh server. */
export async function runMeshBench(
  options: MeshBenchOptions,
): Promise<{ mesh: MeshRow[]; baseline: BaselineRow[] }> {
  const mesh: MeshRow[] = [];
  const baseline: BaselineRow[] = [];
  for (const size of options.sizes) {
    const data = payload(size);
    const base = await measureBaseline(data, options.rounds, options.cpus);
    baseline.push(base);
    options.progress?.(`${size} bytes: baseline ${base.uploadMBps.toFixed(0)} MB/s up`);
    for (const profile of options.profiles) {
      const row = await measureMesh(data, profile, options.rounds, options.cpus);
      mesh.push(row);
      options.progress?.(`${size} bytes: ${profile.name} ${row.sendMBps.toFixed(0)} MB/s send`);
    }
  }
  return { mesh, baseline };
}

/** The results as a table, one line per size and profile with the size's baseline beside it. */
export function renderMeshBench(result: { mesh: MeshRow[]; baseline: BaselineRow[] }): string {
  const lines = [
    "| size | client (chunks) | send MB/s | download MB/s | server peak MiB | baseline upload MB/s | baseline download MB/s | baseline peak MiB |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
  ];
  const size = (bytes: number) => `${+(bytes / 1e6).toFixed(3)} MB`;
  for (const row of result.mesh) {
    const base = result.baseline.find((b) => b.bytes === row.bytes);
    lines.push(
      `| ${size(row.bytes)} | ${row.profile} (${row.chunks}) | ${row.sendMBps.toFixed(0)} | ${
        row.downloadMBps.toFixed(0)
      } | ${row.peakMiB.toFixed(0)} | ${base?.uploadMBps.toFixed(0) ?? "–"} | ${
        base?.downloadMBps.toFixed(0) ?? "–"
      } | ${base?.peakMiB.toFixed(0) ?? "–"} |`,
    );
  }
  return lines.join("\n");
}
