/**
 * The pooled client over TLS (issue 15: real providers are HTTPS): a provider's certificate is
 * verified against the configured CA (and refused without it), its connections are kept alive
 * like plain ones, and mutual TLS presents gpc-edge's client certificate to a provider that
 * requires one (`openssl s_server -Verify`), which refuses a client without.
 */
import assert from "node:assert/strict";
import { denoDialer } from "./deno-dialer.ts";
import { createPooledClient } from "./pooled-client.ts";
import {
  hasOpenssl,
  serveTls,
  startOpensslServer,
  withTestPki,
} from "../../gpconnect/testing/test-pki.ts";

Deno.test({
  name:
    "pooled client over TLS: verified against the configured CA, kept alive; refused without the CA",
  ignore: !hasOpenssl,
  async fn() {
    await withTestPki(async (pki) => {
      const server = serveTls(
        pki,
        (request) => new Response(`secure ${new URL(request.url).pathname}`),
      );
      const trusting = createPooledClient({ dial: denoDialer({ caCerts: [pki.ca] }) });
      const untrusting = createPooledClient({ dial: denoDialer() });
      try {
        const origin = `https://127.0.0.1:${server.addr.port}`;
        for (const path of ["/a", "/b", "/c"]) {
          const response = await trusting.fetch(`${origin}${path}`);
          assert.equal(await response.text(), `secure ${path}`);
        }
        assert.equal(trusting.opened, 1);
        await assert.rejects(untrusting.fetch(`${origin}/a`), /certificate|UnknownIssuer/i);
      } finally {
        trusting.close();
        untrusting.close();
        await server.shutdown();
      }
    });
  },
});

Deno.test({
  name:
    "pooled client over mutual TLS: a provider requiring a client certificate accepts ours and refuses none",
  ignore: !hasOpenssl,
  async fn() {
    await withTestPki(async (pki) => {
      const server = await startOpensslServer(pki, "-www");
      try {
        const port = server.port;
        const withCert = createPooledClient({
          dial: denoDialer({ caCerts: [pki.ca], cert: pki.clientCert, key: pki.clientKey }),
        });
        const withoutCert = createPooledClient({ dial: denoDialer({ caCerts: [pki.ca] }) });
        try {
          // s_server -www answers HTTP/1.0 with a body delimited by its close.
          const response = await withCert.fetch(`https://127.0.0.1:${port}/`);
          assert.equal(response.status, 200);
          assert.match(await response.text(), /Ciphers supported|New, TLS/);
          assert.equal(withCert.idle, 0);
          await assert.rejects(async () => {
            const refused = await withoutCert.fetch(`https://127.0.0.1:${port}/`);
            await refused.text();
          });
        } finally {
          withCert.close();
          withoutCert.close();
        }
      } finally {
        await server.close();
      }
    });
  },
});
