/**
 * Test support shared by worker, client and conformance tests (so it lives in `gpconnect/`,
 * which all of them may import): a throw-away PKI made with openssl at test time (a CA, a server
 * certificate for 127.0.0.1 and a client certificate, both signed by the CA, v3 extensions as
 * rustls wants), whether openssl is there at all (TLS tests are skipped, and named, without it),
 * and `openssl s_server` as a provider that requires a client certificate (`Deno.serve` cannot
 * ask for one).
 *
 * @module
 */

/** Whether `openssl` runs on this machine. */
export const hasOpenssl: boolean = await new Deno.Command("openssl", {
  args: ["version"],
  stdout: "null",
  stderr: "null",
}).output().then((result) => result.success, () => false);

/** The absolute paths of a test PKI's PEM files. */
export interface TestPkiFiles {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** The PEM texts of a test PKI, the directory holding them and their paths. */
export interface TestPki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly files: TestPkiFiles;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(result.stderr)}`);
  }
}

/**
 * Makes the PKI's files in `dir` (the caller removes it) and returns their PEM texts. A `name`
 * prefixes the files (`trusted-ca.pem`, `trusted-server.key`, …) so that two PKIs (a trusted and
 * a rogue one) can share a directory; without it they are `ca.pem`, `server.pem`, `client.key`, ….
 *
 * @example
 * ```ts
 * if (hasOpenssl) {
 *   const dir = await Deno.makeTempDir();
 *   try {
 *     (await makeTestPki(dir)).ca.startsWith("-----BEGIN CERTIFICATE-----"); // true
 *   } finally {
 *     await Deno.remove(dir, { recursive: true });
 *   }
 * }
 * ```
 */
export async function makeTestPki(dir: string, name?: string): Promise<TestPki> {
  const prefix = name === undefined ? "" : `${name}-`;
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    dir,
    "req",
    "-x509",
    ...key,
    "-keyout",
    `${prefix}ca.key`,
    "-out",
    `${prefix}ca.pem`,
    "-days",
    "2",
    "-subj",
    `/CN=gpc-edge ${prefix}test CA`,
  );
  // The extensions make v3 certificates (rustls refuses v1).
  const extensions = {
    server:
      "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
    client: "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
  };
  for (const [role, extension] of Object.entries(extensions)) {
    const leaf = `${prefix}${role}`;
    await Deno.writeTextFile(`${dir}/${leaf}.ext`, extension);
    await openssl(
      dir,
      "req",
      ...key,
      "-keyout",
      `${leaf}.key`,
      "-out",
      `${leaf}.csr`,
      "-subj",
      `/CN=${leaf}`,
    );
    await openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${leaf}.csr`,
      "-CA",
      `${prefix}ca.pem`,
      "-CAkey",
      `${prefix}ca.key`,
      "-CAcreateserial",
      "-out",
      `${leaf}.pem`,
      "-days",
      "2",
      "-extfile",
      `${leaf}.ext`,
    );
  }
  const files: TestPkiFiles = {
    ca: `${dir}/${prefix}ca.pem`,
    serverCert: `${dir}/${prefix}server.pem`,
    serverKey: `${dir}/${prefix}server.key`,
    clientCert: `${dir}/${prefix}client.pem`,
    clientKey: `${dir}/${prefix}client.key`,
  };
  return {
    dir,
    ca: await Deno.readTextFile(files.ca),
    serverCert: await Deno.readTextFile(files.serverCert),
    serverKey: await Deno.readTextFile(files.serverKey),
    clientCert: await Deno.readTextFile(files.clientCert),
    clientKey: await Deno.readTextFile(files.clientKey),
    files,
  };
}

/**
 * Runs `run` with a test PKI (see {@link makeTestPki}) in a new temporary directory, and removes
 * the directory afterwards, whatever `run` did.
 *
 * @example
 * ```ts
 * if (hasOpenssl) {
 *   await withTestPki(async (pki) => {
 *     pki.clientKey.includes("PRIVATE KEY"); // true
 *   });
 * }
 * ```
 */
export async function withTestPki(
  run: (pki: TestPki) => Promise<void>,
  name?: string,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-pki-" });
  try {
    await run(await makeTestPki(dir, name));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * An HTTPS server on 127.0.0.1 (a free port) with the PKI's server certificate, answering with
 * `handler`; `Deno.serve` asks for no client certificate (see {@link startOpensslServer}).
 *
 * @example
 * ```ts
 * if (hasOpenssl) {
 *   await withTestPki(async (pki) => {
 *     const server = serveTls(pki, () => new Response("ok"));
 *     await server.shutdown();
 *   });
 * }
 * ```
 */
export function serveTls(pki: TestPki, handler: Deno.ServeHandler): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: pki.serverCert,
    key: pki.serverKey,
    onListen() {},
  }, handler);
}

/** A running `openssl s_server`: its port, and `close` to stop it and wait for its exit. */
export interface OpensslServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts `openssl s_server` on 127.0.0.1 with the PKI's server certificate, requiring a client
 * certificate signed by its CA (`-Verify 1`), and resolves once it accepts connections (bounded
 * wait; throws if it never does). `-www` answers any GET with a status page (HTTP/1.0, body
 * delimited by the close); `-WWW` answers `GET /path` with the file at `path` under the PKI's
 * directory.
 *
 * @example
 * ```ts
 * if (hasOpenssl) {
 *   const dir = await Deno.makeTempDir();
 *   try {
 *     const server = await startOpensslServer(await makeTestPki(dir), "-www");
 *     await server.close();
 *   } finally {
 *     await Deno.remove(dir, { recursive: true });
 *   }
 * }
 * ```
 */
export async function startOpensslServer(
  pki: TestPki,
  answer: "-www" | "-WWW",
): Promise<OpensslServer> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = probe.addr.port;
  probe.close();
  const server = new Deno.Command("openssl", {
    args: [
      "s_server",
      "-accept",
      `127.0.0.1:${port}`,
      "-cert",
      pki.files.serverCert,
      "-key",
      pki.files.serverKey,
      "-CAfile",
      pki.files.ca,
      "-Verify",
      "1",
      "-verify_return_error",
      answer,
      "-quiet",
    ],
    cwd: pki.dir,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const close = async () => {
    try {
      server.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await server.status;
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await Deno.connect({ hostname: "127.0.0.1", port }).then((connection) => {
      connection.close();
      return true;
    }, () => false);
    if (ready) return { port, close };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await close();
  throw new Error(`openssl s_server did not listen on 127.0.0.1:${port}`);
}
