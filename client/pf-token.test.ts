import assert from "node:assert/strict";
import { startPlatformWorld } from "../worker/platform/testing/platform-world.ts";
import { requestPatientToken } from "./pf-token.ts";

Deno.test("pf-token: runs the exchange against real sockets and the token works", async () => {
  const world = await startPlatformWorld({ sockets: true });
  try {
    const result = await requestPatientToken({
      nhsNumber: "9690937286",
      level: "P9",
      edgeUrl: world.edgeUrl,
      nhsLoginUrl: world.nhsLoginUrl,
      clientId: "pfs-sandbox-app",
    });
    assert.ok(result.ok);
    const res = await world.edge(
      "/gp-connect/patient-facing/access-record-fhir/FHIR/STU3/documents/Patient/9690937286",
      {
        headers: {
          Authorization: `Bearer ${result.accessToken}`,
          "X-Request-ID": crypto.randomUUID(),
        },
      },
    );
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).resourceType, "Patient");
    const unknownApp = await requestPatientToken({
      nhsNumber: "9690937286",
      level: "P9",
      edgeUrl: world.edgeUrl,
      nhsLoginUrl: world.nhsLoginUrl,
      clientId: "nobody",
    });
    assert.equal(unknownApp.ok, false);
  } finally {
    await world.close();
  }
});

Deno.test("pf-token: a usage problem is one line and exit 2", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-env",
        "--allow-net",
        new URL("./pf-token.ts", import.meta.url).pathname,
        ...args,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const bad = await run(["12345"]);
  assert.equal(bad.code, 2);
  assert.equal(
    new TextDecoder().decode(bad.stderr).trim(),
    "pf-token: 12345 is not a valid NHS number",
  );
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(new TextDecoder().decode(help.stdout), /Usage: deno task pf-token/);
});
