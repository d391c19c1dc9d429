/**
 * What `deno task start` prints once the world runs: each service with its URL, and for each a
 * request a newcomer can paste (the directory, the SSP, MESH with `task mesh`, the patient-facing
 * platform with `task pf-token`, NHS login's discovery). Flags and variables for non-default ports
 * appear only when they are needed, so the default banner's commands are the README's. MESH's
 * password and shared key are printed only when they are the local world's public defaults.
 *
 * @module
 */
import { localMeshPassword, localMeshSharedKey } from "../worker/deno.ts";
import { defaultPorts, type RunningWorld } from "./world.ts";

const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const deno = "npx -y deno@2.9.6";
const requestId = `$(node -e 'console.log(crypto.randomUUID())')`;
const structuredRecord = JSON.stringify({
  resourceType: "Parameters",
  parameter: [
    {
      name: "patientNHSNumber",
      valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" },
    },
    { name: "includeAllergies", part: [{ name: "includeResolvedAllergies", valueBoolean: true }] },
  ],
});

const url = (port: number) => `http://127.0.0.1:${port}`;

/** The MESH lines: mailboxes, credentials (local defaults only) and `task mesh`. */
function meshSection(world: RunningWorld): string {
  const mesh = world.config.mesh;
  const mailboxes = mesh.mailboxes.map((mailbox) => `${mailbox.id} (${mailbox.name})`);
  const localPassword = mesh.mailboxes.every((mailbox) => mailbox.password === localMeshPassword);
  const localKey = mesh.sharedKey === localMeshSharedKey;
  const credentials = localPassword && localKey
    ? `password '${localMeshPassword}', shared key '${localMeshSharedKey}' (local only)`
    : "password and shared key as configured (set MESH_CLIENT_PASSWORD, MESH_CLIENT_SHARED_KEY)";
  const flags = [
    ...(world.edgeUrl === url(defaultPorts.edge) ? [] : [`--mesh-url ${world.edgeUrl}`]),
    ...(world.pdsUrl === url(defaultPorts.pds) ? [] : [`--pds-url ${world.pdsUrl}`]),
  ].map((flag) => ` ${flag}`).join("");
  return `MESH at ${world.edgeUrl}/messageexchange (admin API ${mesh.adminApi ? "on" : "off"}): ${
    mailboxes.join(", ")
  };
${credentials}. The practice answers on B82617OT1 and A20047OT1. Send a PDF to patient
9690937286's practice and wait for its InfAck and BusAck:

  printf '%%PDF-1.4\\n%%%%EOF\\n' > report.pdf
  ${deno} task mesh send-document --nhs-number 9690937286 --pdf report.pdf${flags}`;
}

/** The patient-facing lines: `task pf-token` and the structured record. */
function platformSection(world: RunningWorld): string {
  const env = [
    ...(world.edgeUrl === url(defaultPorts.edge) ? [] : [`GPC_EDGE_URL=${world.edgeUrl}`]),
    ...(world.nhsLoginUrl === url(defaultPorts.nhsLogin)
      ? []
      : [`GPC_EDGE_NHS_LOGIN_URL=${world.nhsLoginUrl}`]),
  ].map((variable) => `${variable} `).join("");
  const root = `${world.edgeUrl}/gp-connect/patient-facing/access-record-fhir/FHIR/STU3`;
  return `Patient-facing API as an app (an NHS login id_token exchanged at ${world.config.platform.publicBaseUrl}/oauth2/token),
then the patient's structured record (Bundle.id = the X-Request-ID sent):

  TOKEN=$(${env}${deno} task -q pf-token 9690937286)
  curl -s -X POST '${root}/Patient/$gpc.getstructuredrecord' \\
    -H "Authorization: Bearer $TOKEN" -H "X-Request-ID: ${requestId}" \\
    -H 'Content-Type: application/fhir+json' \\
    -d '${structuredRecord}'`;
}

/**
 * The banner for a running world.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startWorld } from "./world.ts";
 * const world = await startWorld({
 *   ports: { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 },
 *   dataDir: ":memory:",
 *   logger: { log() {} },
 * });
 * try {
 *   const banner = startBanner(world); // `task start` prints it on stderr
 *   assert.match(banner, new RegExp(`gpc-edge +${world.edgeUrl}`));
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export function startBanner(world: RunningWorld): string {
  const root = `${world.providerUrl}/B82617/STU3/1/gpconnect/fhir`;
  return `gpc-edge is running (JWT mode ${world.config.ssp.jwtMode}, store ${world.kvPath}):

  gpc-edge                     ${world.edgeUrl}   (health: ${world.edgeUrl}/_health)
    SSP + directory            ${world.edgeUrl}/{provider URL}/…, ${world.edgeUrl}/directory/resolve
    MESH                       ${world.edgeUrl}/messageexchange
    patient-facing platform    ${world.edgeUrl}/gp-connect/patient-facing/…, POST ${world.edgeUrl}/oauth2/token
  PDS sandbox (FHIR R4)        ${world.pdsUrl}/Patient/{nhs}
  SDS sandbox                  ${world.sdsUrl}/Endpoint, ${world.sdsUrl}/Device
  reference provider B82617    ${root}
                               (its MESH receiver polls ${world.meshPractices.join(", ")})
  NHS login sandbox            ${world.nhsLoginUrl}   (${world.nhsLoginUrl}/.well-known/openid-configuration)
  VRS sandbox (FHIR R4)        ${world.vrsUrl}/validated-relationships/FHIR/R4/RelatedPerson?identifier={proxy nhs}

Resolve a patient's endpoint:

  curl -s '${world.edgeUrl}/directory/resolve?nhs-number=9690937278&interaction=${metadata}'

Call the provider through the SSP (the provider's CapabilityStatement comes back):

  curl -s '${world.edgeUrl}/${root}/metadata' \\
    -H "Ssp-TraceID: ${requestId}" \\
    -H 'Ssp-From: 200000000359' -H 'Ssp-To: 918999198738' \\
    -H 'Ssp-InteractionID: ${metadata}' \\
    -H 'Accept: application/fhir+json' \\
    -H "Authorization: Bearer $(${deno} task -q jwt ${metadata})"

${meshSection(world)}

${platformSection(world)}

NHS login's discovery document:

  curl -s '${world.nhsLoginUrl}/.well-known/openid-configuration'

Audit lines follow, one JSON object per request. Ctrl-C stops everything.
`;
}
