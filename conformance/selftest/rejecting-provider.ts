/**
 * A provider that refuses everything, for the harness's self-test (issue 14 item 4): the
 * reference provider configured with another ASID than the `Ssp-To` the harness sends, so every
 * request is answered 400 `BAD_REQUEST`, like a provider deployed with the wrong ASID. A harness
 * that passes a negative against it cannot tell which 400 it got.
 *
 * @module
 */
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import { createProviderSandbox } from "../../sandbox/provider/provider-sandbox.ts";

/** The ASID the rejecting provider believes is its own (the harness sends 918999198738). */
export const rejectingProviderAsid = "999999999999";

/**
 * The reference provider expecting `Ssp-To: 999999999999`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const provider = rejectingProvider();
 * const response = await provider.fetch(
 *   new Request("http://p/B82617/STU3/1/gpconnect/fhir/metadata", {
 *     headers: { "Ssp-To": "918999198738" },
 *   }),
 * );
 * assert.equal(response.status, 400);
 * ```
 */
export function rejectingProvider(): { fetch(request: Request): Response | Promise<Response> } {
  const pds = createPdsSandbox();
  return createProviderSandbox({
    asid: rejectingProviderAsid,
    fetch: (input, init) => Promise.resolve(pds.fetch(new Request(input, init))),
  });
}
