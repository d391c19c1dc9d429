/**
 * The transport over real sockets: TLS client material from PEM files (made with openssl when
 * the machine has it), server certificates verified, mutual TLS against `openssl s_server`,
 * redirects not followed, the per-request timeout.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../config/config-error.ts";
import { createTransport, readTlsPems } from "./transport.ts";

const hasOpenssl = await new Deno.Command("openssl", {
  args: ["version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((result) => result.success, () => false);

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(result.stderr)}`);
  }
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, signed by the CA. */
async function makePki(dir: string): Promise<void> {
  await openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Test CA",
  );
  // Extensions make v3 certificates (rustls refuses v1).
  await Deno.writeTextFile(
    `${dir}/server.ext`,
    "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  await Deno.writeTextFile(
    `${dir}/client.ext`,
    "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
  );
  for (const name of ["server", "client"]) {
    await openssl(
      dir,
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${name}`,
    );
    await openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    );
  }
}

Deno.test({
  name:
    "TLS: the server certificate is verified against the given CA; client PEMs build the client",
  ignore: !hasOpenssl,
  async fn() {
    const dir = await Deno.makeTempDir();
    const server = await makePki(dir).then(async () =>
      Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        cert: await Deno.readTextFile(`${dir}/server.pem`),
        key: await Deno.readTextFile(`${dir}/server.key`),
        onListen() {},
      }, () => new Response("ok"))
    );
    const url = `https://127.0.0.1:${server.addr.port}/`;
    const request = { method: "GET", headers: new Headers() };
    try {
      const trusting = await createTransport({
        tls: {
          caCert: `${dir}/ca.pem`,
          clientCert: `${dir}/client.pem`,
          clientKey: `${dir}/client.key`,
          insecure: false,
        },
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
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test({
  name: "mutual TLS: a server requiring a client certificate accepts ours and refuses none",
  ignore: !hasOpenssl,
  async fn() {
    const dir = await Deno.makeTempDir();
    await makePki(dir);
    const port = freePort();
    const server = new Deno.Command("openssl", {
      args: [
        "s_server",
        "-accept",
        `127.0.0.1:${port}`,
        "-cert",
        "server.pem",
        "-key",
        "server.key",
        "-CAfile",
        "ca.pem",
        "-Verify",
        "1",
        "-www",
        "-quiet",
      ],
      cwd: dir,
      stdout: "null",
      stderr: "null",
    }).spawn();
    const url = `https://127.0.0.1:${port}/`;
    const request = { method: "GET", headers: new Headers() };
    const withCert = await createTransport({
      tls: {
        caCert: `${dir}/ca.pem`,
        clientCert: `${dir}/client.pem`,
        clientKey: `${dir}/client.key`,
        insecure: false,
      },
      timeoutMs: 10_000,
    });
    const withoutCert = await createTransport({
      tls: { caCert: `${dir}/ca.pem`, insecure: false },
      timeoutMs: 10_000,
    });
    try {
      // Wait (bounded) for s_server to listen.
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          (await Deno.connect({ hostname: "127.0.0.1", port })).close();
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const response = await withCert.send(url, request);
      assert.equal(response.status, 200);
      await assert.rejects(withoutCert.send(url, request));
    } finally {
      withCert.close();
      withoutCert.close();
      server.kill();
      await server.status;
      await Deno.remove(dir, { recursive: true });
    }
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
