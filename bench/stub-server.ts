/**
 * The upstream stub every variant reaches: any `GET` answers 200 with the same 1 KiB FHIR JSON
 * body, after `--delay-ms` (0 or 15: the SSP's own traversal time) when that is above 0.
 *
 * Usage: `deno run --allow-net bench/stub-server.ts --delay-ms 15`; prints one line
 * `{"url": …}` when listening.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The stub's body: a CapabilityStatement-shaped document padded to exactly 1,024 bytes. */
export const stubBody: string = (() => {
  const doc = {
    resourceType: "CapabilityStatement",
    version: "1.6.0",
    name: "GP Connect benchmark stub",
    status: "active",
    date: "2026-01-01",
    publisher: "gpc-edge bench",
    kind: "instance",
    fhirVersion: "3.0.1",
    acceptUnknown: "both",
    format: ["application/fhir+json", "application/fhir+xml"],
    text: "",
  };
  const size = JSON.stringify(doc).length;
  return JSON.stringify({ ...doc, text: "x".repeat(1024 - size) });
})();

/** The stub's headers (what a provider sends; `Cache-Control: no-store` as GP Connect asks). */
export const stubHeaders: Readonly<Record<string, string>> = {
  "Content-Type": "application/fhir+json;charset=utf-8",
  "Cache-Control": "no-store",
};

/**
 * The stub's handler.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const handle = stubHandler(15); // serve it with Deno.serve
 * const response = await handle(new Request("http://127.0.0.1/metadata"));
 * assert.equal(await response.text(), stubBody); // after 15 ms
 * ```
 */
export function stubHandler(delayMs: number): (request: Request) => Response | Promise<Response> {
  const answer = () => new Response(stubBody, { status: 200, headers: stubHeaders });
  if (delayMs <= 0) return answer;
  return () => new Promise((resolve) => setTimeout(() => resolve(answer()), delayMs));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "delay-ms": { type: "string", default: "0" } },
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    stubHandler(Number(values["delay-ms"])),
  );
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.addr.port}` }));
}
