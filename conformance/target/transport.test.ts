/**
 * The transport over real sockets: TLS client material from PEM files (made with openssl when
 * the machine has it), server certificates verified, mutual TLS against `openssl s_server`,
 * redirects not followed, the per-request timeout.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../config/config-error.ts";
import {
  hasOpenssl,
  serveTls,
  startOpensslServer,
  type TestPki,
  withTestPki,
} from "../../gpconnect/testing/test-pki.ts";
import { createTransport, readTlsPems } from "./transport.ts";

/** TLS settings that trust the PKI's CA and present its client certificate. */
const clientTls = (pki: TestPki) => ({
  caCert: pki.files.ca,
  clientCert: pki.files.clientCert,
  clientKey: pki.files.clientKey,
  insecure: false,
});

Deno.test({
  name:
    "TLS: the server certificate is verified against the given CA; client PEMs build the client",
  ignore: !hasOpenssl,
  async fn() {
    await withTestPki(async (pki) => {
      const server = serveTls(pki, () => new Response("ok"));
      const url = `https://127.0.0.1:${server.addr.port}/`;
      const request = { method: "GET", headers: new Headers() };
      try {
        const trusting = await createTransport({
          tls: clientTls(pki),
          timeoutMs: 10_000,
        });
        try {
          const response = await trusting.send(url, request);
          assert.equal(response.status, 200);
          assert.equal(response.body, "ok");
        } finally {
          trusting.close();
        }
        const untrusting = await createTransport({ tls: { insecure: false }, timeoutMs: 10_000 });
        try {
          await assert.rejects(
            untrusting.send(url, request),
            /fetch failed: .*(certificate|UnknownIssuer)/i,
          );
        } finally {
          untrusting.close();
        }
      } finally {
        await server.shutdown();
      }
    });
  },
});

Deno.test({
  name: "mutual TLS: a server requiring a client certificate accepts ours and refuses none",
  ignore: !hasOpenssl,
  async fn() {
    await withTestPki(async (pki) => {
      const server = await startOpensslServer(pki, "-www");
      try {
        const url = `https://127.0.0.1:${server.port}/`;
        const request = { method: "GET", headers: new Headers() };
        const withCert = await createTransport({
          tls: clientTls(pki),
          timeoutMs: 10_000,
        });
        const withoutCert = await createTransport({
          tls: { caCert: pki.files.ca, insecure: false },
          timeoutMs: 10_000,
        });
        try {
          const response = await withCert.send(url, request);
          assert.equal(response.status, 200);
          await assert.rejects(withoutCert.send(url, request));
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

Deno.test("PEM files are checked: unreadable or of the wrong kind is a ConfigError naming the flag", async () => {
  await assert.rejects(
    readTlsPems({ clientCert: "/nonexistent.pem", clientKey: "/k", insecure: false }),
    (error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.field, "--client-cert");
      return true;
    },
  );
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(
      file,
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    await assert.rejects(
      readTlsPems({ clientKey: file, insecure: false }),
      /--client-key: .* not a PEM file/,
    );
    await assert.rejects(
      createTransport({
        tls: { clientCert: file, clientKey: file.replace(/$/, ""), insecure: false },
        timeoutMs: 1,
      }),
      /--client-key/,
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("redirects are not followed and a slow answer times out with the reason", async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => release = resolve);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    if (new URL(request.url).pathname === "/slow") {
      await held;
      return new Response("late");
    }
    return new Response(null, { status: 302, headers: { Location: "/elsewhere" } });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const transport = await createTransport({ tls: { insecure: false }, timeoutMs: 200 });
  try {
    const redirect = await transport.send(`${base}/moved`, {
      method: "GET",
      headers: new Headers(),
    });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get("location"), "/elsewhere");
    await assert.rejects(
      transport.send(`${base}/slow`, { method: "GET", headers: new Headers() }),
      /timeout after 200 ms/,
    );
  } finally {
    release();
    transport.close();
    await server.shutdown();
  }
});
