import assert from "node:assert/strict";
import { ConfigError } from "./config-error.ts";
import { configFields } from "./config-fields.ts";
import {
  flagOptions,
  readConfigFile,
  settingsFromEnv,
  settingsFromFile,
  settingsFromFlags,
} from "./config-sources.ts";
import { defaultProfilesDir, resolveConfig } from "./harness-config.ts";
import { loadHarnessConfig } from "./load-config.ts";
import { requireProfilesDir } from "./profiles-dir.ts";
import type { Settings } from "./setting-value.ts";

const now = new Date("2026-11-23T10:00:00.000Z");
const resolve = (...layers: Settings[]) => resolveConfig({ layers, now, cwd: "/work" });

Deno.test("with nothing configured: the local world and every documented default", () => {
  const config = resolve();
  assert.equal(config.target, "local");
  assert.equal(config.localDirect, false);
  assert.deepEqual(config.roots, {});
  assert.equal(config.fromAsid, "200000000359");
  assert.equal(config.toAsid, "918999198738");
  assert.equal(config.odsCode, "B82617");
  assert.equal(config.jwt.iss, "https://consumersupplier.thirdparty.nhs.uk/");
  assert.equal(config.jwt.orgOdsCode, "A11111");
  assert.equal(config.timeoutMs, 30_000);
  assert.equal(config.concurrency, 8);
  assert.equal(config.tls.insecure, false);
  assert.equal(config.profilesDir, defaultProfilesDir);
  assert.match(defaultProfilesDir, /\/shared\/fhir\/gpconnect-fhir-1\.5\.0$/);
  assert.equal(config.outDir, "/work/conformance-results/2026-11-23T10-00-00Z");
  assert.equal(config.clock, "2026-11-23T10:00:00.000Z");
  assert.equal(config.clockGiven, false);
  assert.deepEqual(config.formats, ["json", "junit", "html", "evidence"]);
  assert.deepEqual(config.selection, {});
  assert.equal(config.fixtures, undefined);
});

Deno.test("file < environment < flags, field by field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/h.json`,
      JSON.stringify({
        $comment: "ignored",
        target: "direct",
        baseUrl: "https://file/B82617/STU3/1/gpconnect",
        asid: { from: "111111111111", to: "222222222222" },
        tls: { clientCert: "certs/c.pem", clientKey: "certs/k.pem" },
        roots: { dstu2: null },
        selection: { tags: ["negative"] },
      }),
    );
    const config = await loadHarnessConfig({
      flags: { config: "h.json", "to-asid": "333333333333", tag: ["jwt", "ssp-headers,format"] },
      env: {
        GPC_CONFORMANCE_FROM_ASID: "444444444444",
        GPC_CONFORMANCE_TO_ASID: "555555555555",
        GPC_EDGE_PROFILES: "p",
      },
      cwd: dir,
      now,
    });
    assert.equal(config.target, "direct");
    assert.equal(config.baseUrl, "https://file/B82617/STU3/1/gpconnect");
    assert.equal(config.fromAsid, "444444444444");
    assert.equal(config.toAsid, "333333333333");
    assert.equal(config.tls.clientCert, `${dir}/certs/c.pem`);
    assert.equal(config.profilesDir, `${dir}/p`);
    assert.deepEqual(config.selection.tags, ["jwt", "ssp-headers", "format"]);
    assert.equal(config.roots.dstu2, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GPC_CONFORMANCE_PROFILES wins over GPC_EDGE_PROFILES; empty variables are ignored", () => {
  assert.deepEqual(
    settingsFromEnv({
      GPC_CONFORMANCE_PROFILES: "/a",
      GPC_EDGE_PROFILES: "/b",
      GPC_CONFORMANCE_TARGET: "",
    }, "/"),
    {
      profilesDir: "/a",
    },
  );
});

Deno.test("an unknown config-file field is an error naming it", () => {
  assert.throws(() => settingsFromFile({ asid: { form: "1" } }, "h.json", "/"), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.field, "asid.form in h.json");
    return true;
  });
  assert.throws(() => settingsFromFile([], "h.json", "/"), /h.json: expected a JSON object/);
});

Deno.test("an unreadable or malformed config file is a clear error", async () => {
  await assert.rejects(
    readConfigFile("/nonexistent/h.json", "/"),
    /--config: cannot read \/nonexistent\/h.json/,
  );
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, "{ nope");
    await assert.rejects(readConfigFile(file, "/"), /not valid JSON/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("inconsistent settings are errors naming the field, its file path and variable", () => {
  const cases: Array<[Settings, RegExp]> = [
    [
      { target: "direct" },
      /^--base-url \(baseUrl, GPC_CONFORMANCE_BASE_URL\): target direct needs base-url or at least one root URL/,
    ],
    [{ target: "ssp", baseUrl: "https://h/x" }, /^--ssp-url .*: target ssp needs it/],
    [
      { target: "direct", baseUrl: "https://h/x", sspUrl: "https://ssp" },
      /^--ssp-url .*only used with target ssp/,
    ],
    [
      { baseUrl: "https://h/x" },
      /^--base-url .*only used with target direct or ssp \(target is local\)/,
    ],
    [{ dstu2Url: "https://h/x" }, /^--dstu2 \(roots.dstu2, GPC_CONFORMANCE_DSTU2_URL\)/],
    [
      { target: "direct", baseUrl: "https://h/x", localDirect: true },
      /^--local-direct .*only used with target local/,
    ],
    [{ clientCert: "/c.pem" }, /^--client-key .*go together/],
  ];
  for (const [settings, message] of cases) {
    assert.throws(
      () => resolve(settings),
      (error) => error instanceof ConfigError && message.test(error.message),
    );
  }
});

Deno.test("flags: every field has a parseArgs option; repeated list flags accumulate", () => {
  const options = flagOptions();
  for (const field of configFields) assert.ok(options[field.flag], field.flag);
  assert.deepEqual(options.insecure, { type: "boolean" });
  assert.deepEqual(options.id, { type: "string", multiple: true });
  assert.deepEqual(settingsFromFlags({ id: ["a,b", "c"], insecure: true }, "/"), {
    ids: ["a", "b", "c"],
    insecure: true,
  });
});

Deno.test("the example config documents every field and is itself a valid configuration", async () => {
  const url = new URL("../harness.config.example.json", import.meta.url);
  const json = JSON.parse(await Deno.readTextFile(url));
  for (const field of configFields) {
    const parts = field.file.split(".");
    const parent = parts.slice(0, -1).reduce((node, part) => node?.[part], json);
    const leaf = parts.at(-1) ?? "";
    assert.ok(parent && leaf in parent, `${field.file} missing from the example`);
    assert.equal(typeof parent[`$${leaf}`], "string", `${field.file} undocumented in the example`);
  }
  const config = resolve(settingsFromFile(json, "example", "/etc/gpc"));
  assert.equal(config.target, "ssp");
  assert.equal(config.tls.clientCert, "/etc/gpc/certs/consumer.crt.pem");
});

Deno.test("a missing profiles directory says how to pass one", async () => {
  await assert.rejects(requireProfilesDir("/nonexistent/profiles"), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /--profiles DIR/);
    assert.match(error.message, /GPC_EDGE_PROFILES/);
    assert.match(error.message, /"profilesDir"/);
    return true;
  });
  assert.equal(await requireProfilesDir("/tmp"), "/tmp");
});
