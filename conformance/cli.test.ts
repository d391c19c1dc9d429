import assert from "node:assert/strict";
import { configFields } from "./config/config-fields.ts";
import { type CliIo, listing, main } from "./cli.ts";
import type { TestCase } from "./model.ts";
import { stubDeps, stubTarget } from "./runner/test-support.ts";
import { gpConnectProfilesDir, profileTest } from "./validation/test-profiles.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

function capture(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    write: (text: string) => void (io.out += text),
    writeError: (text: string) => void (io.err += text),
    env,
    cwd: "/tmp",
    terminal: false,
  };
  return io;
}

function scenario(id: string, product: "foundations" | "structured", tags: string[]): TestCase {
  return {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id,
      title: id,
      product,
      tags,
      // A negative's twin: the positive metadata read (the same request without a defect).
      ...(tags.includes("negative") ? { twin: "a.metadata" } : {}),
      requirements: ["FND-META", "HTTP-CACHE-CONTROL-NO-STORE"],
      request: { interaction: METADATA, path: "/metadata" },
      expect: { status: 200, resourceType: "CapabilityStatement" },
    },
  };
}

const cases = [
  scenario("a.metadata", "foundations", ["positive"]),
  scenario("b.negative", "foundations", ["negative"]),
  scenario("c.structured", "structured", ["negative"]),
];

const deps = stubDeps(cases);

Deno.test("--help documents every flag with its config field and environment variable", async () => {
  const io = capture();
  assert.equal(await main(["--help"], { io }), 0);
  for (const field of configFields) {
    assert.ok(
      io.out.includes(`--${field.flag} `) || io.out.includes(`--${field.flag}\n`),
      field.flag,
    );
    assert.ok(io.out.includes(field.env), field.env);
    assert.ok(io.out.includes(`config: ${field.file}`), field.file);
  }
  for (
    const flag of ["--config", "--list", "--verbose", "--help", "--local-direct", "--insecure"]
  ) {
    assert.ok(io.out.includes(flag), flag);
  }
});

Deno.test("--list prints id, product, interaction and requirements, then the count; nothing is sent", async () => {
  const target = stubTarget(() => {
    throw new Error("--list must not touch the network");
  });
  const io = capture();
  assert.equal(
    await main(["--list", "--product", "foundations", "--tag", "negative,positive"], {
      io,
      deps,
      target,
    }),
    0,
  );
  assert.equal(
    io.out,
    `a.metadata\tfoundations\t${METADATA}\tFND-META,HTTP-CACHE-CONTROL-NO-STORE\n` +
      `b.negative\tfoundations\t${METADATA}\tFND-META,HTTP-CACHE-CONTROL-NO-STORE\n` +
      "2 test(s) selected\n",
  );
  assert.equal(target.received.length, 0);
  assert.equal(listing([]), "0 test(s) selected\n");
});

Deno.test("usage and configuration errors exit 2 naming the problem", async () => {
  const unknownFlag = capture();
  assert.equal(await main(["--nope"], { io: unknownFlag, deps }), 2);
  assert.equal(unknownFlag.err, "gpc-edge conformance: unknown option --nope (see --help)\n");
  const badAsid = capture();
  assert.equal(await main(["--from-asid", "12A"], { io: badAsid, deps }), 2);
  assert.match(
    badAsid.err,
    /^Configuration error: --from-asid: expected an ASID \(1 to 12 digits\)/,
  );
  const badEnv = capture({ GPC_CONFORMANCE_TARGET: "direct" });
  assert.equal(await main(["--list"], { io: badEnv, deps }), 2);
  assert.match(badEnv.err, /--base-url .*target direct needs base-url/);
  const failingLoad = capture();
  const failing = {
    ...deps,
    loadTestCases: () => Promise.reject(new SyntaxError("x.yaml: not valid YAML")),
  };
  assert.equal(await main(["--list"], { io: failingLoad, deps: failing }), 2);
  assert.equal(failingLoad.err, "SyntaxError: x.yaml: not valid YAML\n");
  const badEvidence = capture();
  assert.equal(await main(["--evidence", "some"], { io: badEvidence, deps }), 2);
  assert.match(badEvidence.err, /--evidence is failures or all, not "some"/);
});

Deno.test("a target that answers no preflight search stops the run (exit 1); --keep-going runs it", async () => {
  const roleCase: TestCase = {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: "needs-a-patient",
      title: "needs a patient",
      product: "foundations",
      tags: [],
      requirements: ["FND-META"],
      request: {
        interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1",
        patientRole: "rich-record",
        path: "/Patient/{patientId}",
      },
      expect: { status: 200 },
    },
  };
  const refusing = stubTarget(() => Promise.reject(new Error("connection refused")));
  for (const keepGoing of [false, true]) {
    const out = await Deno.makeTempDir();
    try {
      const io = capture();
      const status = await main(
        ["--out", out, "--format", "json,junit", ...(keepGoing ? ["--keep-going"] : [])],
        { io, deps: stubDeps([roleCase]), target: refusing },
      );
      assert.equal(status, 1);
      const report = JSON.parse(await Deno.readTextFile(`${out}/report.json`));
      assert.equal(report.identity.preflight.outcome, "unreachable");
      assert.equal(report.identity.preflight.stopped, !keepGoing);
      assert.equal(report.results[0].status, "not-run");
      assert.equal(io.out.includes("STOPPED:"), !keepGoing);
      const junit = await Deno.readTextFile(`${out}/junit.xml`);
      assert.match(junit, /<skipped message="not run: /);
      assert.match(junit, /<property name="preflight" value="unreachable: /);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  }
});

Deno.test("without the GP Connect profile package a run is one line naming it and how to get it, exit 2", async () => {
  const io = capture();
  const status = await main([
    "--profiles",
    "/nonexistent/gpconnect-fhir",
    "--id",
    "fnd.metadata.read",
  ], {
    io,
  });
  assert.equal(status, 2);
  assert.equal(io.out, "");
  assert.match(
    io.err,
    /^Configuration error: --profiles: no GP Connect profile package at \/nonexistent\/gpconnect-fhir: get the GP Connect STU3 profile package .* GPC_EDGE_PROFILES=DIR .*\n$/,
  );
  assert.equal(io.err.split("\n").length, 2, "one line");
});

Deno.test("a run prints the target, preflight, progress and summary, writes the reports, exits 0 on pass", async () => {
  const out = await Deno.makeTempDir();
  const target = stubTarget(() => ({
    status: 200,
    headers: new Headers({ "content-type": "application/fhir+json", "cache-control": "no-store" }),
    body: JSON.stringify({ resourceType: "CapabilityStatement" }),
  }));
  try {
    const io = capture();
    const status = await main(["--out", out, "--format", "json,junit"], {
      io,
      deps,
      target,
    });
    assert.equal(status, 0, io.err + io.out);
    assert.match(io.out, /^Target: stub\n/);
    assert.match(io.out, /Preflight: 0 Patient search\(es\)/);
    assert.match(io.out, /json: .*report\.json\njunit: .*junit\.xml\n$/);
    const report = JSON.parse(await Deno.readTextFile(`${out}/report.json`));
    assert.equal(report.totals.passed, 3);
    assert.equal((await Deno.stat(`${out}/junit.xml`)).isFile, true);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a failing test makes the exit status 1", async () => {
  const out = await Deno.makeTempDir();
  const target = stubTarget(() => ({ status: 500, headers: new Headers(), body: "" }));
  try {
    const io = capture();
    assert.equal(
      await main(["--out", out, "--format", "json", "--id", "a.metadata"], {
        io,
        deps,
        target,
      }),
      1,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

const smokeIds = [
  "fnd.metadata.read",
  "fnd.patient.read",
  "fnd.patient.read.unknown",
  "fnd.patient.search.found",
  "fnd.patient.search.sensitive",
  "fnd.patient.search.not-found",
  "read-metadata.neg.missing-ssp-to",
  "read-patient.neg.jwt-expired",
  "get-structured-record.neg.to-other-asid",
].join(",");

for (const localDirect of [false, true]) {
  profileTest(
    `end to end: real scenarios against the local world ${
      localDirect ? "directly" : "through gpc-edge's SSP"
    } pass`,
    async () => {
      const out = await Deno.makeTempDir();
      try {
        const io = capture();
        const args = [
          "--id",
          smokeIds,
          "--out",
          out,
          "--format",
          "json",
          "--profiles",
          gpConnectProfilesDir,
          ...(localDirect ? ["--local-direct"] : []),
        ];
        const status = await main(args, { io });
        assert.equal(status, 0, io.err + io.out);
        const report = JSON.parse(await Deno.readTextFile(`${out}/report.json`));
        // The 9 selected and the twins of their negatives (read-metadata, read-patient,
        // search-patient, get-structured-record), which pass too.
        assert.equal(report.totals.tests, 13);
        assert.equal(report.totals.passed, 13);
        assert.ok(report.results.some((r: { id: string }) => r.id === "read-metadata.gen.twin"));
        assert.equal(report.target.kind, "local");
        assert.equal(report.target.sspPrefix === undefined, localDirect);
        assert.match(
          io.out,
          /Preflight: 3 Patient search\(es\) for 3 fixture role\(s\); 0 role\(s\) not ready/,
        );
      } finally {
        await Deno.remove(out, { recursive: true });
      }
    },
  );
}
