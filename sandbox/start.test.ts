/** `deno task start` as a newcomer runs it: --help, a bad setting, a busy port, a start and a stop. */
import assert from "node:assert/strict";

const script = new URL("./start.ts", import.meta.url).pathname;
const freePorts = {
  GPC_EDGE_PORT: "0",
  GPC_EDGE_PDS_PORT: "0",
  GPC_EDGE_SDS_PORT: "0",
  GPC_EDGE_PROVIDER_PORT: "0",
  GPC_EDGE_NHS_LOGIN_PORT: "0",
  GPC_EDGE_VRS_PORT: "0",
  GPC_EDGE_DATA_DIR: ":memory:",
};

function start(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--node-modules-dir=none", "--allow-all", script, ...args],
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function run(args: string[], env: Record<string, string> = {}) {
  const output = await start(args, env).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("task start --help: usage and variables on stdout, exit 0; an unknown flag is one line, exit 2", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: deno task start/m);
  assert.match(help.stdout, /GPC_EDGE_PROVIDER_PORT/);
  const unknown = await run(["--verbose"]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "gpc-edge: unknown option --verbose\n");
});

Deno.test("task start: a bad setting is one line naming the variable, exit 2, nothing started", async () => {
  const bad = await run([], { ...freePorts, GPC_EDGE_PORT: "abc" });
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.equal(
    bad.stderr,
    'gpc-edge: GPC_EDGE_PORT: expected an integer from 0 to 65535, got "abc"\n',
  );
});

Deno.test("task start: a port in use is one line naming the port and its variable, exit 2", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = String(taken.addr.port);
    for (const variable of ["GPC_EDGE_PDS_PORT", "GPC_EDGE_PORT"]) {
      const busy = await run([], { ...freePorts, [variable]: port });
      assert.equal(busy.code, 2, busy.stderr);
      assert.equal(
        busy.stderr,
        `gpc-edge: port ${port} is in use (${variable}): stop what listens there or set ${variable} (0 picks a free port)\n`,
      );
    }
  } finally {
    taken.close();
  }
});

Deno.test("task start: serves /_health once the banner is out; SIGTERM stops it with exit 0", async () => {
  const child = start([], freePorts).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let banner = "";
    for (let reads = 0; reads < 1000 && !banner.includes("Ctrl-C stops everything"); reads++) {
      const { done, value } = await stderr.read();
      if (done) break;
      banner += value;
    }
    const edgeUrl = /^ {2}gpc-edge\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(banner)?.[1];
    assert.ok(edgeUrl, banner);
    const health = await fetch(`${edgeUrl}/_health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    // The other services answer at the URLs the banner gives, and its commands name them.
    const nhsLogin = /^ {2}NHS login sandbox\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(banner)?.[1];
    const discovery = await fetch(`${nhsLogin}/.well-known/openid-configuration`);
    assert.equal((await discovery.json()).issuer, nhsLogin);
    const ping = await fetch(`${edgeUrl}/messageexchange/_ping`);
    assert.equal(ping.status, 200);
    await ping.body?.cancel();
    assert.ok(banner.includes(`--mesh-url ${edgeUrl}`), banner);
    assert.ok(
      banner.includes(`GPC_EDGE_URL=${edgeUrl} GPC_EDGE_NHS_LOGIN_URL=${nhsLogin}`),
      banner,
    );
  } finally {
    child.kill("SIGTERM");
    await stderr.cancel();
    await child.stdout.cancel();
  }
  assert.equal((await child.status).code, 0);
});
