/**
 * The V8 flags gpc-edge's Deno entry is launched with (`deno task serve`, `deno task start`, the
 * benchmark; decision G12). A Deno program cannot set them once running (`node:v8`'s
 * `setFlagsFromString` has no effect on these), so they belong on the command line.
 *
 * `--no-allocation-site-pretenuring`: V8 decides per allocation site, from the first few young
 * collections, to allocate a site's objects straight in the old generation when they all
 * survived. Under a proxy's load those first collections catch requests in flight, so the sites
 * of the request path (headers, contexts, promises) get pretenured; every later request then
 * keeps its young objects alive through old-to-new pointers until a full collection. Measured
 * on the SSP route at 1,000 req/s: 1.8 MB promoted per young collection and 11 ms pauses with
 * pretenuring, 0.12 MB and 1.1 ms without (issue 15, `--trace-pretenuring` shows the
 * decisions).
 *
 * @example
 * ```ts
 * const flags = `--v8-flags=${DENO_ENTRY_V8_FLAGS.join(",")}`;
 * flags; // "--v8-flags=--no-allocation-site-pretenuring"
 * ```
 *
 * @module
 */

/** The flags, each as V8 spells it. */
export const DENO_ENTRY_V8_FLAGS: readonly string[] = ["--no-allocation-site-pretenuring"];
