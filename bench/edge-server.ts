/**
 * gpc-edge as one benchmark variant runs it: the Deno entry ({@linkcode serveGpcEdge}) with a
 * logger that builds and drops audit lines (writing them would measure stdout, not the worker) and
 * writes error records to stderr, and either the constant directory (`--directory constant`: P0) or PDS and SDS behind the LRU over a Deno KV file
 * (`--directory cached`: PH, PM and the resolve variants).
 *
 * Usage: `deno run -A bench/edge-server.ts --directory constant --provider-root URL` or
 * `… --directory cached --pds URL --sds URL --data-dir DIR`, with `--forward-client pooled` for
 * the pooled HTTP/1.1 forward client (default `fetch`); prints `{"url": …}` when listening.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Logger } from "../worker/app-deps.ts";
import { defaultConfig } from "../worker/config.ts";
import { serveGpcEdge } from "../worker/deno.ts";
import { constantDirectory } from "../worker/testing/ssp-fixtures.ts";

/** Discards every record. */
export const silentLogger: Logger = { log() {} };

/**
 * Discards audit lines; writes error records (an upstream failure, a breaker record that failed)
 * to stderr, where the benchmark keeps the first few of a variant that answered errors.
 */
export const errorsToStderr: Logger = {
  log(record) {
    if (record.type === "error") console.error(JSON.stringify(record));
  },
};

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      directory: { type: "string" },
      "provider-root": { type: "string" },
      pds: { type: "string" },
      sds: { type: "string" },
      "data-dir": { type: "string", default: ":memory:" },
      "forward-client": { type: "string", default: "fetch" },
    },
  });
  const base = { port: 0, logger: errorsToStderr, dataDir: values["data-dir"] };
  // One ASID at thousands of requests a second: the benchmark measures the proxy, not throttling.
  const forwardClient = values["forward-client"];
  if (forwardClient !== "fetch" && forwardClient !== "pooled") {
    throw new TypeError(`--forward-client must be "fetch" or "pooled"`);
  }
  const ssp = {
    ...defaultConfig.ssp,
    rateLimits: { consumer: null, pair: null, asids: {} },
    forwardClient,
  } as const;
  let edge;
  if (values.directory === "constant") {
    if (!values["provider-root"]) throw new TypeError("Missing --provider-root");
    edge = await serveGpcEdge({
      ...base,
      config: { ...defaultConfig, ssp },
      directory: constantDirectory(values["provider-root"]),
    });
  } else if (values.directory === "cached") {
    if (!values.pds || !values.sds) throw new TypeError("Missing --pds or --sds");
    edge = await serveGpcEdge({
      ...base,
      config: {
        ...defaultConfig,
        ssp,
        directory: { ...defaultConfig.directory, pdsBaseUrl: values.pds, sdsBaseUrl: values.sds },
      },
    });
  } else {
    throw new TypeError(`--directory must be "constant" or "cached"`);
  }
  console.log(JSON.stringify({ url: edge.url }));
}
