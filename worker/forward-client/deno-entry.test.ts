/**
 * The Deno entry with `GPC_EDGE_FORWARD_CLIENT=pooled`: SSP requests reach HTTPS providers
 * through the pooled client built from the `tls` section's files (the settings the entry's
 * `fetch` uses): the provider's certificate verified against the CA file, its gzip body reaching
 * the consumer as gzip (the runtime's `fetch` would have decoded it), and gpc-edge's client
 * certificate presented to a provider that requires one (`openssl s_server -Verify`).
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { sspRequestInit } from "../../client/ssp-request.ts";
import { configFromEnv } from "../config.ts";
import { serveGpcEdge } from "../deno.ts";
import { constantDirectory, recordingLogger } from "../testing/ssp-fixtures.ts";
import {
  hasOpenssl,
  serveTls,
  startOpensslServer,
  withTestPki,
} from "../../gpconnect/testing/test-pki.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** gpc-edge's Deno entry configured by `env`, its directory answering `root` for B82617. */
function serveEdge(env: Record<string, string>, root: string) {
  return serveGpcEdge({
    config: configFromEnv(env),
    dataDir: ":memory:",
    port: 0,
    logger: recordingLogger(),
    directory: constantDirectory(root),
  });
}

Deno.test({
  name:
    "serveGpcEdge with GPC_EDGE_FORWARD_CLIENT=pooled forwards over the tls section's CA and client certificate, gzip untouched",
  ignore: !hasOpenssl,
  async fn() {
    await withTestPki(async (pki) => {
      const body = JSON.stringify({
        resourceType: "CapabilityStatement",
        padding: "x".repeat(2000),
      });
      const gzipped = new Uint8Array(gzipSync(new TextEncoder().encode(body)));
      const provider = serveTls(pki, () =>
        new Response(gzipped, {
          headers: { "Content-Type": "application/fhir+json", "Content-Encoding": "gzip" },
        }));
      const root = `https://127.0.0.1:${provider.addr.port}/B82617/STU3/1/gpconnect/fhir`;
      const edge = await serveEdge({
        GPC_EDGE_FORWARD_CLIENT: "pooled",
        GPC_EDGE_TLS_CA_FILE: pki.files.ca,
        GPC_EDGE_TLS_CLIENT_CERT_FILE: pki.files.clientCert,
        GPC_EDGE_TLS_CLIENT_KEY_FILE: pki.files.clientKey,
      }, root);
      try {
        for (let i = 0; i < 3; i++) {
          const { url, headers } = sspRequestInit({
            sspBaseUrl: edge.url,
            providerRoot: root,
            fhirPath: "/metadata",
            interactionId: METADATA,
          });
          headers.set("Accept-Encoding", "gzip");
          // A raw read: the test's own fetch would decode the gzip.
          const target = new URL(url);
          const connection = await Deno.connect({
            hostname: "127.0.0.1",
            port: Number(target.port),
          });
          const lines = [...headers].map(([name, value]) => `${name}: ${value}\r\n`).join("");
          await connection.write(
            new TextEncoder().encode(
              `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n${lines}Connection: close\r\n\r\n`,
            ),
          );
          const chunks: Uint8Array[] = [];
          const buffer = new Uint8Array(65_536);
          for (let reads = 0; reads < 1000; reads++) {
            const n = await connection.read(buffer).catch(() => null);
            if (n === null) break;
            chunks.push(buffer.slice(0, n));
          }
          connection.close();
          const raw = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
          let offset = 0;
          for (const chunk of chunks) raw.set(chunk, (offset += chunk.length) - chunk.length);
          const text = new TextDecoder("latin1").decode(raw);
          const headEnd = text.indexOf("\r\n\r\n");
          const head = text.slice(0, headEnd).toLowerCase();
          assert.match(head, /^http\/1\.1 200/);
          assert.match(head, /\r\ncontent-encoding: gzip/);
          assert.match(head, new RegExp(`\\r\\ncontent-length: ${gzipped.length}`));
          assert.deepEqual(raw.subarray(headEnd + 4), gzipped);
        }
      } finally {
        await edge.close();
        await provider.shutdown();
      }
    });
  },
});

Deno.test({
  name:
    "serveGpcEdge with GPC_EDGE_FORWARD_CLIENT=pooled presents the tls section's client certificate to a provider that requires one",
  ignore: !hasOpenssl,
  async fn() {
    await withTestPki(async (pki) => {
      // s_server -WWW answers GET /path with the file at path (HTTP/1.0, then closes).
      const fhir = `${pki.dir}/B82617/STU3/1/gpconnect/fhir`;
      await Deno.mkdir(fhir, { recursive: true });
      await Deno.writeTextFile(`${fhir}/metadata`, '{"resourceType":"CapabilityStatement"}');
      const server = await startOpensslServer(pki, "-WWW");
      try {
        const port = server.port;
        const root = `https://127.0.0.1:${port}/B82617/STU3/1/gpconnect/fhir`;
        const request = () => {
          const { url, headers } = sspRequestInit({
            sspBaseUrl: edge.url,
            providerRoot: root,
            fhirPath: "/metadata",
            interactionId: METADATA,
          });
          return fetch(url, { headers });
        };
        const settings = {
          GPC_EDGE_FORWARD_CLIENT: "pooled",
          GPC_EDGE_TLS_CA_FILE: pki.files.ca,
        };
        let edge = await serveEdge({
          ...settings,
          GPC_EDGE_TLS_CLIENT_CERT_FILE: pki.files.clientCert,
          GPC_EDGE_TLS_CLIENT_KEY_FILE: pki.files.clientKey,
        }, root);
        try {
          const answered = await request();
          assert.equal(answered.status, 200);
          assert.equal(await answered.text(), '{"resourceType":"CapabilityStatement"}');
        } finally {
          await edge.close();
        }
        edge = await serveEdge(settings, root);
        try {
          const refused = await request();
          await refused.body?.cancel();
          assert.equal(refused.status, 502, "without a client certificate the provider refuses");
        } finally {
          await edge.close();
        }
      } finally {
        await server.close();
      }
    });
  },
});
