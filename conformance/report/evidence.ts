/**
 * The evidence folder for certification: per test that did not pass (and sent something, or was
 * skipped), `<product>/<safe-id>/` with `result.json` (status, assertions, validation, timings)
 * and per exchange `NN-request.http`, `NN-response.http`, `NN-jwt.json` (decoded claims) and
 * `NN-error.txt` (transport failure). Passing tests are listed in `index.json` and summarized
 * once, in this folder's `report.json` (method, URL, status and timing of each exchange); with
 * `--evidence all` they are also stored in full once, in one archive, `passed.jsonl.gz` (gzip,
 * one JSON result per line, exchanges with headers and bodies). At the root also `README.txt`
 * and `manifest.sha256` listing the SHA-256 of every other file in `sha256sum` format, so
 * `sha256sum -c manifest.sha256` run inside the folder verifies it.
 *
 * Everything written is sanitized first (secret headers, JWT-looking strings, token
 * parameters redacted; counts recounted), like every other output.
 *
 * @module
 */

import type { Exchange, RunReport, TestResult } from "../model.ts";
import { jsonReport } from "./json-report.ts";
import { sanitizeReport } from "./redact.ts";
import { runPool } from "../runner/pool.ts";

/** What {@link writeEvidence} wrote. */
export interface EvidenceSummary {
  /** The evidence folder. */
  readonly dir: string;
  /** Path of `manifest.sha256`. */
  readonly manifest: string;
  /** Files listed in the manifest. */
  readonly files: number;
  /** SHA-256 (hex) of the manifest itself: one value that pins the whole folder. */
  readonly manifestSha256: string;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A 32-bit FNV-1a hash in hex, to keep shortened names unique. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** `name` as one portable path segment: `[A-Za-z0-9._-]` only, no leading dot, ≤ 100 chars. */
export function safeSegment(name: string): string {
  let s = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  if (s.length > 100) s = `${s.slice(0, 90)}-${fnv1a(name)}`;
  return s || "_";
}

/** Hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function headerBlock(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join("");
}

/** The request as HTTP text: request line, headers, blank line, body. */
export function requestHttp(e: Exchange): string {
  const { method, url, headers, body } = e.request;
  return `${method} ${url}\n${headerBlock(headers)}\n${body ?? ""}`;
}

/** The response as HTTP text: status line, headers, blank line, body (empty if none came). */
export function responseHttp(e: Exchange): string {
  if (!e.response) return "";
  const { status, headers, body } = e.response;
  const text = STATUS_TEXT[status];
  return `HTTP ${status}${text ? ` ${text}` : ""}\n${headerBlock(headers)}\n${body ?? ""}`;
}

interface FileOut {
  readonly path: string;
  readonly text?: string;
  readonly bytes?: Uint8Array;
}

/** What the evidence keeps of passing tests: a summary (default) or everything. */
export type EvidenceMode = "failures" | "all";

/** Options of {@link writeEvidence}. */
export interface EvidenceOptions {
  /** `failures` (default): passing tests summarized; `all`: also in full in `passed.jsonl.gz`. */
  readonly evidence?: EvidenceMode;
}

/** `text` gzip-compressed. */
export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The files of one test, under `folder`. */
function testFiles(r: TestResult, folder: string): FileOut[] {
  const files: FileOut[] = [];
  const width = Math.max(2, String(r.exchanges.length).length);
  const exchanges = r.exchanges.map((e, i) => {
    const nn = String(i + 1).padStart(width, "0");
    const names: string[] = [`${nn}-request.http`];
    files.push({ path: `${folder}/${nn}-request.http`, text: requestHttp(e) });
    if (e.response) {
      names.push(`${nn}-response.http`);
      files.push({ path: `${folder}/${nn}-response.http`, text: responseHttp(e) });
    }
    if (e.request.jwt !== undefined) {
      names.push(`${nn}-jwt.json`);
      files.push({ path: `${folder}/${nn}-jwt.json`, text: json(e.request.jwt) });
    }
    if (e.error !== undefined) {
      names.push(`${nn}-error.txt`);
      files.push({ path: `${folder}/${nn}-error.txt`, text: `${e.error}\n` });
    }
    return {
      index: i + 1,
      ...(e.step !== undefined ? { step: e.step } : {}),
      method: e.request.method,
      url: e.request.url,
      ...(e.response ? { status: e.response.status } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      startedAt: e.startedAt,
      latencyMs: e.latencyMs,
      files: names,
    };
  });
  const { exchanges: _omit, ...rest } = r;
  files.push({ path: `${folder}/result.json`, text: json({ ...rest, exchanges }) });
  return files;
}

/** Makes `dir` ready: created if absent; a previous evidence folder (has a manifest) replaced. */
async function prepare(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = [];
    for await (const entry of Deno.readDir(dir)) entries.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return void await Deno.mkdir(dir, { recursive: true });
    }
    throw error;
  }
  if (entries.length === 0) return;
  if (!entries.includes("manifest.sha256")) {
    throw new Error(`Cannot write evidence: "${dir}" is not empty and is not an evidence folder`);
  }
  await Deno.remove(dir, { recursive: true });
  await Deno.mkdir(dir, { recursive: true });
}

/** `manifest.sha256` text: `<hex>  <path>` per file, sorted by path, as `sha256sum` writes it. */
export function manifestText(entries: ReadonlyArray<{ path: string; sha256: string }>): string {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((x) => `${x.sha256}  ${x.path}\n`).join("");
}

/**
 * Writes the evidence folder for `report` into `dir` (created if needed). Refuses a non-empty
 * `dir` that is not an earlier evidence folder; an earlier one is replaced whole, so no stale
 * file outlives its manifest.
 */
export async function writeEvidence(
  report: RunReport,
  dir: string,
  options: EvidenceOptions = {},
): Promise<EvidenceSummary> {
  const r = sanitizeReport(report);
  const mode = options.evidence ?? "failures";
  await prepare(dir);
  const used = new Set<string>();
  const files: FileOut[] = [];
  const index: unknown[] = [];
  const passed: string[] = [];
  for (const result of r.results) {
    if (result.status === "pass") {
      index.push({
        id: result.id,
        product: result.product,
        status: result.status,
        ...(mode === "all" ? { archive: "passed.jsonl.gz" } : {}),
      });
      if (mode === "all") passed.push(JSON.stringify(result));
      continue;
    }
    if (result.status === "not-run" && result.exchanges.length === 0) {
      // Nothing was sent: the reason is all there is, once, in the index.
      index.push({
        id: result.id,
        product: result.product,
        status: result.status,
        reason: result.reason ?? "",
      });
      continue;
    }
    const product = safeSegment(result.product);
    let name = safeSegment(result.id);
    for (let n = 2; used.has(`${product}/${name}`.toLowerCase()); n++) {
      name = `${safeSegment(result.id)}-${n}`;
    }
    used.add(`${product}/${name}`.toLowerCase());
    const folder = `${product}/${name}`;
    index.push({ id: result.id, product: result.product, status: result.status, folder });
    files.push(...testFiles(result, folder));
  }
  const t = r.totals;
  if (mode === "all") {
    files.push({
      path: "passed.jsonl.gz",
      bytes: await gzip(passed.map((line) => `${line}\n`).join("")),
    });
  }
  files.push(
    { path: "report.json", text: jsonReport(r) },
    { path: "index.json", text: json({ totals: t, evidence: mode, tests: index }) },
    {
      path: "README.txt",
      text:
        `Evidence of a ${r.tool.name} ${r.tool.version} run against: ${r.target.description}\n` +
        `Run ${r.startedAt} to ${r.finishedAt}; run clock ${r.runClock}.\n` +
        `Totals: ${t.tests} tests, ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ` +
        `${t.inconclusive} inconclusive, ${t.notRun} not run, ${t.skipped} skipped.\n\n` +
        "Layout: per test that did not pass, <product>/<test-id>/result.json (status, assertions,\n" +
        "validation, timings) and per exchange NN-request.http, NN-response.http, NN-jwt.json\n" +
        "(decoded claims), NN-error.txt. Passing tests: report.json lists each exchange (method,\n" +
        (mode === "all"
          ? "URL, status, timing); passed.jsonl.gz holds them in full, one JSON result per line.\n"
          : "URL, status, timing); run with --evidence all to keep their bodies too.\n") +
        "index.json maps test ids to folders; report.json is the JSON report.\n" +
        "Secrets (Authorization, apikey, cookies, JWTs, token parameters) are redacted.\n\n" +
        "Verify integrity here with: sha256sum -c manifest.sha256\n",
    },
  );
  const dirs = new Set(files.map((f) => f.path.slice(0, Math.max(0, f.path.lastIndexOf("/")))));
  for (const d of dirs) if (d) await Deno.mkdir(`${dir}/${d}`, { recursive: true });
  const encoder = new TextEncoder();
  const hashed = await runPool(files, 16, async (f) => {
    const bytes = f.bytes ?? encoder.encode(f.text ?? "");
    await Deno.writeFile(`${dir}/${f.path}`, bytes);
    return { path: f.path, sha256: await sha256Hex(bytes) };
  });
  const manifest = manifestText(hashed);
  const manifestPath = `${dir}/manifest.sha256`;
  await Deno.writeTextFile(manifestPath, manifest);
  return {
    dir,
    manifest: manifestPath,
    files: hashed.length,
    manifestSha256: await sha256Hex(encoder.encode(manifest)),
  };
}
