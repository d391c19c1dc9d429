/**
 * Test support: a throw-away PKI made with openssl at test time (a CA, a server certificate for
 * 127.0.0.1 and a client certificate, both signed by the CA, v3 extensions as rustls wants), and
 * whether openssl is there at all (TLS tests are skipped, and named, without it).
 *
 * @module
 */

/** Whether `openssl` runs on this machine. */
export const hasOpenssl: boolean = await new Deno.Command("openssl", {
  args: ["version"],
  stdout: "null",
  stderr: "null",
}).output().then((result) => result.success, () => false);

/** The PEM texts of a test PKI. */
export interface TestPki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(result.stderr)}`);
  }
}

/**
 * Makes the PKI's files in `dir` (the caller removes it) and returns their PEM texts.
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
export async function makeTestPki(dir: string): Promise<TestPki> {
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    dir,
    "req",
    "-x509",
    ...key,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=gpc-edge test CA",
  );
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
      ...key,
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
  const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
  return {
    dir,
    ca: await read("ca.pem"),
    serverCert: await read("server.pem"),
    serverKey: await read("server.key"),
    clientCert: await read("client.pem"),
    clientKey: await read("client.key"),
  };
}
