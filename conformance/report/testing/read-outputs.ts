/**
 * Test helpers that read written reports back: files under a folder, and the `data-*` counts
 * of the HTML report.
 *
 * @module
 */

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * The `data-tests|passed|failed|errored|skipped|not-run|inconclusive` counts on the first tag
 * containing `marker`.
 */
export function countsAt(html: string, marker: string): Record<string, number> {
  const tag = new RegExp(`<[a-z]+ [^>]*${marker}[^>]*>`).exec(html)?.[0] ?? "";
  const out: Record<string, number> = {};
  for (
    const m of tag.matchAll(
      /data-(tests|passed|failed|errored|skipped|not-run|inconclusive)="(\d+)"/g,
    )
  ) {
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}
