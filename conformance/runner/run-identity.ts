/**
 * Facts about a run an assessor needs to trust or reproduce it, beyond its configuration: the
 * SHA-256 of the profile package validated against (over its files, so a changed profile
 * changes it) and the harness's git commit (when run from a checkout; else only the version).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { sha256Hex } from "../report/evidence.ts";

/** The files under `dir` (relative paths with `/`, sorted), at most `limit`. */
async function listFiles(dir: string, prefix = "", limit = 10_000): Promise<string[]> {
  const out: string[] = [];
  const subdirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(prefix ? `${dir}/${prefix}` : dir)) {
      if (out.length >= limit) break;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) subdirs.push(rel);
      else if (entry.isFile) out.push(rel);
    }
  } catch {
    // A folder gone or unreadable since it was found: nothing of it was validated against.
  }
  for (const sub of subdirs) {
    if (out.length >= limit) break;
    out.push(...await listFiles(dir, sub, limit - out.length));
  }
  return out.sort();
}

/**
 * The SHA-256 of a profile package: of its `sha256sum`-style listing (`<hex>  <path>` per JSON
 * or XML file, sorted by path), so `sha256sum` over the same files reproduces the listing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * try {
 *   await Deno.writeTextFile(`${dir}/a.json`, "{}");
 *   const { sha256, files } = await profilesHash(dir);
 *   assert.equal(files, 1);
 *   assert.match(sha256, /^[0-9a-f]{64}$/);
 * } finally {
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export async function profilesHash(dir: string): Promise<{ sha256: string; files: number }> {
  const files = (await listFiles(dir)).filter((file) => /\.(json|xml)$/i.test(file));
  const lines: string[] = [];
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${dir}/${file}`);
    } catch (error) {
      // A file gone or unreadable since the listing is not part of what was validated against.
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
        continue;
      }
      throw error;
    }
    lines.push(`${await sha256Hex(bytes)}  ${file}\n`);
  }
  return { sha256: await sha256Hex(new TextEncoder().encode(lines.join(""))), files: lines.length };
}

/** The git commit of the harness's checkout and whether it has local changes; `{}` outside git. */
export async function harnessCommit(): Promise<{ commit?: string; dirty?: boolean }> {
  const cwd = fileURLToPath(new URL("../..", import.meta.url));
  const git = async (args: string[]) => {
    const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  };
  try {
    const commit = await git(["rev-parse", "HEAD"]);
    if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return {};
    const status = await git(["status", "--porcelain", "--untracked-files=no"]);
    return { commit, ...(status === undefined ? {} : { dirty: status.length > 0 }) };
  } catch {
    // No git on this machine, or no permission to run it: the version constant stands alone.
    return {};
  }
}
