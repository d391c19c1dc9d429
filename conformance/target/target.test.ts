import assert from "node:assert/strict";
import { resolveConfig } from "../config/harness-config.ts";
import type { Settings } from "../config/setting-value.ts";
import { insecureHosts, insecureRerunArgs, needsInsecureRerun } from "./insecure-rerun.ts";
import { openTarget } from "./open-target.ts";
import { httpTarget } from "./target.ts";

const transport = { send: () => Promise.reject(new Error("unused")), close() {} };
const config = (settings: Settings) =>
  resolveConfig({ layers: [settings], now: new Date(), cwd: "/tmp" });

Deno.test("urlFor: the root and path, after the SSP prefix when there is one", () => {
  const roots = { foundations: "https://p/B82617/STU3/1/gpconnect/fhir" };
  const direct = httpTarget({
    kind: "direct",
    description: "d",
    roots,
    insecure: false,
    transport,
  });
  assert.equal(
    direct.urlFor("foundations", "/metadata"),
    "https://p/B82617/STU3/1/gpconnect/fhir/metadata",
  );
  assert.equal(direct.urlFor("structured", "/metadata"), undefined);
  const viaSsp = httpTarget({
    kind: "ssp",
    description: "s",
    roots,
    sspPrefix: "https://ssp/",
    insecure: false,
    transport,
  });
  assert.equal(viaSsp.sspPrefix, "https://ssp");
  assert.equal(
    viaSsp.urlFor("foundations", "/Patient?x=1"),
    "https://ssp/https://p/B82617/STU3/1/gpconnect/fhir/Patient?x=1",
  );
});

Deno.test("an insecure target says so loudly in its description", () => {
  const target = httpTarget({
    kind: "direct",
    description: "provider",
    roots: {},
    insecure: true,
    transport,
  });
  assert.match(
    target.description,
    /^provider — WARNING: SERVER CERTIFICATES NOT VERIFIED \(--insecure\)/,
  );
});

Deno.test("openTarget: direct and ssp targets from a base URL and explicit roots", async () => {
  const direct = await openTarget(
    config({
      target: "direct",
      baseUrl: "https://h/B82617/STU3/1/gpconnect",
      dstu2Url: "https://h/B82617/DSTU2/0/gpconnect",
    }),
  );
  try {
    assert.equal(direct.kind, "direct");
    assert.equal(direct.sspPrefix, undefined);
    assert.equal(direct.roots.documents, "https://h/B82617/STU3/1/gpconnect/documents/fhir");
    assert.match(direct.description, /^provider directly: foundations https:\/\/h\//);
  } finally {
    await direct.close();
  }
  const ssp = await openTarget(
    config({
      target: "ssp",
      foundationsUrl: "https://h/fhir",
      sspUrl: "https://proxy.int.spine2.ncrs.nhs.uk",
    }),
  );
  try {
    assert.equal(
      ssp.urlFor("foundations", "/metadata"),
      "https://proxy.int.spine2.ncrs.nhs.uk/https://h/fhir/metadata",
    );
    assert.equal(ssp.urlFor("documents", "/metadata"), undefined);
  } finally {
    await ssp.close();
  }
});

Deno.test("openTarget local: the world through gpc-edge's SSP, or the provider directly", async () => {
  for (const localDirect of [false, true]) {
    const target = await openTarget(config({ localDirect }));
    try {
      assert.equal(target.kind, "local");
      assert.equal(target.sspPrefix === undefined, localDirect);
      const url = target.urlFor("foundations", "/metadata");
      assert.match(
        url ?? "",
        localDirect
          ? /^http:\/\/127\.0\.0\.1:\d+\/B82617\/STU3\/1\/gpconnect\/fhir\/metadata$/
          : /^http:\/\/127\.0\.0\.1:\d+\/http:\/\/127\.0\.0\.1:\d+\/B82617\//,
      );
      assert.match(target.roots.dstu2 ?? "", /\/B82617\/DSTU2\/0\/gpconnect$/);
    } finally {
      await target.close();
    }
  }
});

Deno.test("--insecure: re-run with certificate checks off for the target's hosts only, once", () => {
  const insecure = config({
    target: "ssp",
    baseUrl: "https://provider.test:8443/B/STU3/1/gpconnect",
    dstu2Url: "https://other.test/B/DSTU2/0/gpconnect",
    sspUrl: "https://ssp.test",
    insecure: true,
  });
  assert.deepEqual(insecureHosts(insecure), ["other.test", "provider.test", "ssp.test"]);
  assert.equal(needsInsecureRerun(insecure, {}), true);
  assert.equal(needsInsecureRerun(insecure, { GPC_CONFORMANCE_INSECURE_RERUN: "1" }), false);
  assert.equal(needsInsecureRerun(config({ insecure: true }), {}), false);
  assert.deepEqual(
    insecureRerunArgs(insecure, {
      script: "/r/cli.ts",
      denoConfig: "/r/deno.json",
      args: ["--insecure", "--tag", "jwt"],
    }),
    [
      "run",
      "--allow-all",
      "--node-modules-dir=none",
      "--config",
      "/r/deno.json",
      "--unsafely-ignore-certificate-errors=other.test,provider.test,ssp.test",
      "/r/cli.ts",
      "--insecure",
      "--tag",
      "jwt",
    ],
  );
});
