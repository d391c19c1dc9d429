/**
 * R25 on Workers: the Worker bundle (`deno task build:cloudflare`'s kind) under workerd through
 * Miniflare, with `GPC_EDGE_MTLS` bound. Miniflare cannot present a real client certificate, so
 * the binding is a service binding to a recording function standing where Cloudflare's
 * `mtls_certificates` Fetcher stands; the global `fetch` (Miniflare's outbound service) records
 * too, so a call that bypasses the binding is seen. Then the configuration errors, each the
 * Workers entry's 500 OperationOutcome.
 */
import assert from "node:assert/strict";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { sspRequestInit } from "../client/ssp-request.ts";
import { defaultMeshConfig } from "./mesh/mesh-config.ts";
import {
  exchangeForm,
  platformPaths,
  platformWorkerdBindings,
  startPlatformWorld,
  structuredParameters,
} from "./platform/testing/platform-world.ts";
import { bundleForWorkerd, CLOUDFLARE_WORKER_ENTRY } from "./testing/workerd-bundle.ts";

const { accessRecord: ar } = platformPaths;

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** The Worker bundle, built once for every test of this file. */
let bundle: Promise<string> | undefined;

/** Miniflare over the Worker bundle with its three stores and the given bindings. */
async function workerd(
  options: {
    readonly bindings: Record<string, string>;
    readonly serviceBindings?: Record<string, (request: Request) => Promise<Response>>;
    readonly outboundService?: (request: Request) => Promise<Response>;
  },
  logs: string[] = [],
): Promise<Miniflare> {
  bundle ??= bundleForWorkerd(CLOUDFLARE_WORKER_ENTRY);
  return new Miniflare({
    handleStructuredLogs: ({ message }: { message: string }) => void logs.push(message),
    modules: [{ type: "ESModule", path: "cloudflare.js", contents: await bundle }],
    compatibilityDate: "2026-04-01",
    kvNamespaces: ["GPC_EDGE_KV"],
    durableObjects: { GPC_EDGE_RECORDS: { className: "RecordsDurableObject", useSQLite: true } },
    r2Buckets: ["GPC_EDGE_BLOBS"],
    ...options,
  } as MiniflareOptions);
}

Deno.test("R25 under workerd: with GPC_EDGE_MTLS bound, the practice, its authorisation service and the SSP's forward go through the binding, never the global fetch", async () => {
  const world = await startPlatformWorld();
  const throughBinding: string[] = [];
  const throughGlobal: string[] = [];
  const mf = await workerd({
    bindings: { ...platformWorkerdBindings(world), GPC_EDGE_VRS_URL: "http://vrs.test" },
    serviceBindings: {
      GPC_EDGE_MTLS: (request: Request) => {
        throughBinding.push(`${request.method} ${request.url}`);
        return world.sandboxFetch(request.url, request);
      },
    },
    outboundService: (request: Request) => {
      throughGlobal.push(`${request.method} ${request.url}`);
      return world.sandboxFetch(request.url, request);
    },
  });
  try {
    const exchange = await mf.dispatchFetch(world.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(
        exchangeForm(await world.idToken("9690937286"), await world.clientAssertion()),
      ).toString(),
    });
    const tokens = await exchange.json() as Json;
    assert.equal(exchange.status, 200, JSON.stringify(tokens));

    const record = await mf.dispatchFetch(
      `${world.edgeUrl}${ar}/Patient/$gpc.getstructuredrecord`,
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${tokens.access_token}`,
          "X-Request-ID": crypto.randomUUID(),
          "Content-Type": "application/fhir+json",
        },
        body: structuredParameters("9690937286"),
      },
    );
    const body = await record.json() as Json;
    assert.equal(record.status, 200, JSON.stringify(body));
    assert.equal(body.resourceType, "Bundle");

    // The practice's authorisation service (the token exchange), its permissions and the record;
    // NHS login's keys, PDS and SDS go the same way, as on Deno.
    assert.deepEqual(
      throughBinding.filter((call) => call.includes("//provider.test/")),
      [
        "POST http://provider.test/B82617/patient-facing/oauth2/token",
        "GET http://provider.test/B82617/patient-facing/user-permissions/Patient/9690937286",
        "POST http://provider.test/B82617/patient-facing/access-record-fhir/FHIR/STU3/Patient/$gpc.getstructuredrecord",
      ],
    );
    assert.ok(throughBinding.some((call) => call.startsWith("GET http://pds.test/")));
    assert.ok(throughBinding.some((call) => call.startsWith("GET http://sds.test/")));

    const { url, headers } = sspRequestInit({
      sspBaseUrl: world.edgeUrl,
      providerRoot: "http://provider.test/B82617/STU3/1/gpconnect/fhir",
      fhirPath: "/metadata",
      interactionId: METADATA,
    });
    const forwarded = await mf.dispatchFetch(url, { headers: Object.fromEntries(headers) });
    const capability = await forwarded.json() as Json;
    assert.equal(forwarded.status, 200, JSON.stringify(capability));
    assert.equal(capability.resourceType, "CapabilityStatement");
    assert.equal(
      throughBinding.at(-1),
      "GET http://provider.test/B82617/STU3/1/gpconnect/fhir/metadata",
    );
    assert.deepEqual(throughGlobal, []);
  } finally {
    await mf.dispose();
    await world.close();
  }
});

/** Production settings that pass every other check, the patient-facing platform enabled. */
const production = {
  GPC_EDGE_ENVIRONMENT: "production",
  GPC_EDGE_MESH_SHARED_KEY: "a-real-shared-key",
  GPC_EDGE_MESH_PASSWORDS: JSON.stringify(
    Object.fromEntries(defaultMeshConfig.mailboxes.map((mailbox) => [mailbox.id, "pw-real"])),
  ),
  GPC_EDGE_NHS_LOGIN_ISSUER: "https://auth.login.nhs.uk",
  GPC_EDGE_PLATFORM_APPS: '[{"clientId":"a","jwksUrl":"https://a.example/jwks.json"}]',
  GPC_EDGE_PLATFORM_SIGNING_KEY: '{"kty":"RSA","kid":"k1","n":"x","e":"AQAB","d":"y"}',
  GPC_EDGE_PLATFORM_PDS_TOKEN_URL: "https://api.service.nhs.uk/oauth2/token",
  GPC_EDGE_VRS_URL: "https://api.service.nhs.uk",
};

/** A binding that must not be called: `/_health` makes no upstream call. */
const unusedMtls = () => Promise.resolve(new Response("not expected", { status: 599 }));

Deno.test("R25 under workerd: client-certificate files, a CA file, a GPC_EDGE_MTLS variable and production's platform without the binding are the Workers entry's configuration error", async () => {
  const cases: Array<{
    readonly name: string;
    readonly bindings: Record<string, string>;
    readonly mtls: boolean;
    /** The diagnostics' pattern, or undefined when the Worker starts (200). */
    readonly error: RegExp | undefined;
  }> = [
    {
      name: "certificate files",
      bindings: {
        GPC_EDGE_TLS_CLIENT_CERT_FILE: "/etc/gpc-edge/client.pem",
        GPC_EDGE_TLS_CLIENT_KEY_FILE: "/etc/gpc-edge/client.key",
      },
      mtls: true,
      error:
        /^gpc-edge is misconfigured: Invalid GPC_EDGE_TLS_CLIENT_CERT_FILE: a Worker has no files: bind .*\[\[mtls_certificates\]\] binding = "GPC_EDGE_MTLS"/,
    },
    {
      name: "a CA file",
      bindings: { GPC_EDGE_TLS_CA_FILE: "/etc/gpc-edge/ca.pem" },
      mtls: false,
      error: /^gpc-edge is misconfigured: Invalid GPC_EDGE_TLS_CA_FILE: a Worker has no files/,
    },
    {
      name: "a variable, not a binding",
      bindings: { GPC_EDGE_MTLS: "client-certificate" },
      mtls: false,
      error:
        /^gpc-edge is misconfigured: Invalid GPC_EDGE_MTLS: is not an mtls_certificates binding/,
    },
    {
      name: "production's platform without the binding",
      bindings: production,
      mtls: false,
      error:
        /^gpc-edge is misconfigured: Invalid GPC_EDGE_MTLS: the binding is missing: production's patient-facing platform calls practices over mutual TLS/,
    },
    {
      name: "production's platform with the binding",
      bindings: production,
      mtls: true,
      error: undefined,
    },
    {
      name: "production without the platform, without the binding",
      bindings: { ...production, GPC_EDGE_PLATFORM_ENABLED: "false" },
      mtls: false,
      error: undefined,
    },
  ];
  for (const { name, bindings, mtls, error } of cases) {
    const logs: string[] = [];
    const mf = await workerd({
      bindings,
      ...(mtls ? { serviceBindings: { GPC_EDGE_MTLS: unusedMtls } } : {}),
    }, logs);
    try {
      const response = await mf.dispatchFetch("http://gpc-edge.local/_health", {
        headers: { Accept: "application/fhir+json" },
      });
      const text = await response.text();
      if (error === undefined) {
        assert.equal(response.status, 200, `${name}: ${text}`);
        continue;
      }
      assert.equal(response.status, 500, `${name}: ${text}`);
      const outcome = JSON.parse(text) as Json;
      assert.equal(outcome.resourceType, "OperationOutcome", name);
      assert.equal(outcome.issue[0].details.coding[0].code, "INTERNAL_SERVER_ERROR", name);
      assert.match(outcome.issue[0].diagnostics, error, name);
      // Logged once, as an error line with the answer's request id.
      const errors = logs.flatMap((line) => line.startsWith("{") ? [JSON.parse(line) as Json] : [])
        .filter((record) => record.type === "error");
      assert.equal(errors.length, 1, `${name}: ${logs.join("\n")}`);
      assert.equal(errors[0]!.requestId, response.headers.get("X-Request-ID"), name);
    } finally {
      await mf.dispose();
    }
  }
});
