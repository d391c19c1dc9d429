/**
 * `deno task start`: starts gpc-edge and the sandboxes on the default loopback ports with the
 * embedded Deno KV store under `./data` (or `GPC_EDGE_DATA_DIR`), prints what runs and requests a
 * newcomer can paste, and serves until interrupted.
 *
 * @module
 */
import { configFromEnv } from "../worker/deno.ts";
import { defaultPorts, startWorld } from "./world.ts";

const env = Deno.env.toObject();
const config = configFromEnv(env);
const port = (name: string, fallback: number) => env[name] ? Number(env[name]) : fallback;
const world = await startWorld({
  ports: {
    edge: port("GPC_EDGE_PORT", defaultPorts.edge),
    pds: port("GPC_EDGE_PDS_PORT", defaultPorts.pds),
    sds: port("GPC_EDGE_SDS_PORT", defaultPorts.sds),
    provider: port("GPC_EDGE_PROVIDER_PORT", defaultPorts.provider),
  },
  dataDir: env.GPC_EDGE_DATA_DIR ?? "./data",
  config,
});

const root = `${world.providerUrl}/B82617/STU3/1/gpconnect/fhir`;
const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
console.error(`gpc-edge is running (JWT mode ${config.ssp.jwtMode}, store ${world.kvPath}):

  gpc-edge (SSP + directory)   ${world.edgeUrl}
  PDS sandbox (FHIR R4)        ${world.pdsUrl}/Patient/{nhs}
  SDS sandbox                  ${world.sdsUrl}/Endpoint, ${world.sdsUrl}/Device
  reference provider B82617    ${root}

Resolve a patient's endpoint:

  curl -s '${world.edgeUrl}/directory/resolve?nhs-number=9690937278&interaction=${metadata}'

Call the provider through the SSP (the provider's CapabilityStatement comes back):

  curl -s '${world.edgeUrl}/${root}/metadata' \\
    -H "Ssp-TraceID: $(node -e 'console.log(crypto.randomUUID())')" \\
    -H 'Ssp-From: 200000000359' -H 'Ssp-To: 918999198738' \\
    -H 'Ssp-InteractionID: ${metadata}' \\
    -H 'Accept: application/fhir+json' \\
    -H "Authorization: Bearer $(npx -y deno@2.9.6 task -q jwt ${metadata})"

Audit lines follow, one JSON object per SSP request. Ctrl-C stops everything.
`);

Deno.addSignalListener("SIGINT", async () => {
  await world.close();
  Deno.exit(0);
});
