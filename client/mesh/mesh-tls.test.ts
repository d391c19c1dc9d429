import assert from "node:assert/strict";
import { createMeshClient } from "./mesh-client.ts";
import { meshTlsFetch } from "./mesh-tls.ts";

/** A CA and a server certificate for 127.0.0.1 it signed, made by openssl in `dir`. */
async function certificates(dir: string) {
  const openssl = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    })
      .output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  };
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=test MESH CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  );
  await Deno.writeTextFile(`${dir}/ext.cnf`, "subjectAltName=IP:127.0.0.1\n");
  await openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    "ext.cnf",
    "-out",
    "server.pem",
  );
  const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
  return {
    ca: await read("ca.pem"),
    cert: await read("server.pem"),
    key: await read("server.key"),
  };
}

Deno.test("mesh tls: the client trusts the given CA and refuses a server it cannot verify", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-mesh-tls-" });
  const { ca, cert, key } = await certificates(dir);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert, key, onListen: () => {} },
    () => Response.json({ status: "running" }),
  );
  const trusted = meshTlsFetch({ caCerts: [ca] });
  const untrusted = meshTlsFetch({});
  try {
    const url = `https://127.0.0.1:${server.addr.port}`;
    const mesh = (fetch: typeof globalThis.fetch) =>
      createMeshClient({
        baseUrl: url,
        mailboxId: "A11111OT1",
        password: "p",
        sharedKey: "k",
        fetch,
      });
    assert.deepEqual(await mesh(trusted.fetch).ping(), { status: "running" });
    await assert.rejects(mesh(untrusted.fetch).ping(), TypeError);
    assert.throws(() => meshTlsFetch({ cert }), TypeError);
  } finally {
    trusted.close();
    untrusted.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
