/**
 * Test-only: bundles a Worker entry for workerd the way `deno task build:cloudflare` bundles
 * worker/cloudflare.ts (`deno bundle --platform browser`), so Miniflare tests run the same kind of
 * single ES module that Cloudflare deploys. Deno-only (it runs the `deno` executable).
 */

/** The Worker's own entry, worker/cloudflare.ts. */
export const CLOUDFLARE_WORKER_ENTRY: URL = new URL("../cloudflare.ts", import.meta.url);

/**
 * Bundles `entry` with `deno bundle --platform browser` into a temporary directory (removed
 * afterwards) and returns the bundle's source; throws with deno's stderr if bundling fails.
 *
 * @example Bundling a one-line Worker
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/entry.ts`, 'export default { fetch: () => new Response("hi") };');
 * const source = await bundleForWorkerd(new URL(`file://${dir}/entry.ts`));
 * await Deno.remove(dir, { recursive: true });
 * source.includes('new Response("hi")'); // true
 * ```
 */
export async function bundleForWorkerd(entry: URL): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-workerd-bundle-" });
  try {
    const output = `${dir}/bundle.js`;
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", "browser", "--output", output, entry.pathname],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (result.code !== 0) {
      throw new Error(
        `deno bundle ${entry.pathname} failed: ${new TextDecoder().decode(result.stderr)}`,
      );
    }
    return await Deno.readTextFile(output);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
