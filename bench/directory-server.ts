/**
 * The benchmark's directory: the PDS and SDS sandboxes on two loopback ports, in a process of
 * their own. Fixture patients and the sandbox SDS records answer as in the local world, with
 * B82617's endpoints under the stub (`--provider`). Generated keys ({@linkcode patientOfKey},
 * `BX{n}` practices) are answered too, by the same sandbox code over a record set of one.
 *
 * Why one record at a time: the sandboxes scan their record arrays per request, so a sandbox
 * holding the tens of thousands of keys a miss run uses would charge a growing scan to the miss.
 * The generated record is put into the sandbox's (mutable) array just before the request is
 * dispatched; Hono runs the handler synchronously, so no other request can see it.
 *
 * Usage: `deno run -A bench/directory-server.ts --provider http://127.0.0.1:PORT`; prints one
 * line `{"pdsUrl": …, "sdsUrl": …}` when listening.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { FixturePatient } from "../sandbox/pds/fixture-patients.ts";
import { createPdsSandbox } from "../sandbox/pds/pds-sandbox.ts";
import { createSdsSandbox } from "../sandbox/sds/sds-sandbox.ts";
import type { AsRecord, MhsRecord } from "../sandbox/sds/sds-records.ts";
import { identifierSystems } from "../gpconnect/identifier-systems.ts";
import { keyOfNhsNumber, keyOfPractice, patientOfKey, sdsRecordsOfKey } from "./bench-keys.ts";

type Handler = (request: Request) => Response | Promise<Response>;

/** PDS: the fixture sandbox, or a sandbox over the one generated patient asked for. */
export function benchPdsHandler(): Handler {
  const fixtures = createPdsSandbox();
  const one: FixturePatient[] = [];
  const generated = createPdsSandbox({ patients: one });
  return (request) => {
    const path = new URL(request.url).pathname;
    const key = keyOfNhsNumber(path.slice(path.lastIndexOf("/") + 1));
    if (key === undefined) return fixtures.fetch(request);
    one[0] = patientOfKey(key);
    one.length = 1;
    return generated.fetch(request);
  };
}

/** SDS: the sandbox records under `providerBaseUrl`, or the one generated practice asked for. */
export function benchSdsHandler(providerBaseUrl: string): Handler {
  const fixtures = createSdsSandbox({ providerBaseUrl });
  const records = { mhs: [] as MhsRecord[], as: [] as AsRecord[] };
  const generated = createSdsSandbox({ providerBaseUrl, records });
  const odsPrefix = `${identifierSystems.odsOrganizationCode}|`;
  return (request) => {
    const organization = new URL(request.url).searchParams.get("organization") ?? "";
    const key = organization.startsWith(odsPrefix)
      ? keyOfPractice(organization.slice(odsPrefix.length))
      : undefined;
    if (key === undefined) return fixtures.fetch(request);
    const { mhs, as } = sdsRecordsOfKey(key, providerBaseUrl);
    records.mhs[0] = mhs;
    records.mhs.length = 1;
    records.as[0] = as;
    records.as.length = 1;
    return generated.fetch(request);
  };
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { provider: { type: "string" } } });
  if (!values.provider) throw new TypeError("Missing --provider <stub base URL>");
  const serve = (handler: Handler) =>
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const pds = serve(benchPdsHandler());
  const sds = serve(benchSdsHandler(values.provider));
  console.log(JSON.stringify({
    pdsUrl: `http://127.0.0.1:${pds.addr.port}`,
    sdsUrl: `http://127.0.0.1:${sds.addr.port}`,
  }));
}
