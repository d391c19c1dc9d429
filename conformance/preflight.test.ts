/** The preflight against the local world (reference provider, directly and through gpc-edge). */
import assert from "node:assert/strict";
import {
  defaultFixtureManifest,
  parseFixtureManifest,
  roleCandidates,
} from "./config/fixture-manifest.ts";
import { resolveConfig } from "./config/harness-config.ts";
import type { TestCase } from "./model.ts";
import { formatPreflight, preflightSummary, rolesUsed, runPreflight } from "./preflight.ts";
import { sendRequest } from "./runner/exchange.ts";
import { buildRequest } from "./runner/request-builder.ts";
import { fhirResponse, stubTarget, testBuildContext } from "./runner/test-support.ts";
import { openTarget } from "./target/open-target.ts";

const READ_PATIENT = "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1";
const SEARCH_DOCUMENTS =
  "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1";

function usingRole(role: string, interaction = READ_PATIENT): TestCase {
  return {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: `uses-${role}`,
      title: role,
      product: "foundations",
      tags: [],
      requirements: [],
      request: { interaction, patientRole: role, path: "/Patient/{patientId}" },
      expect: { status: 200 },
    },
  };
}

Deno.test("rolesUsed: each role with foundations, plus documents when a documents case uses it", () => {
  const roles = rolesUsed([usingRole("a"), usingRole("b", SEARCH_DOCUMENTS), usingRole("a")]);
  assert.deepEqual([...roles].map(([role, roots]) => [role, [...roots]]), [
    ["a", ["foundations"]],
    ["b", ["foundations", "documents"]],
  ]);
});

for (const localDirect of [false, true]) {
  Deno.test(`preflight on the local world ${localDirect ? "directly" : "through the SSP"}: ids found, missing and unexpected roles reported`, async () => {
    const config = resolveConfig({
      layers: [localDirect ? { localDirect: true } : {}],
      now: new Date(),
      cwd: "/tmp",
    });
    const target = await openTarget(config);
    try {
      const manifest = parseFixtureManifest(
        {
          roles: {
            // Must exist, but nobody has this number.
            "ghost": { nhsNumber: "9990000999", expect: "present" },
            // Must not exist, but the reference provider serves patient2's number.
            "imposter": { nhsNumber: "9690937286", expect: "absent" },
          },
        },
        "test manifest",
        defaultFixtureManifest(),
      );
      const cases = [
        "rich-record",
        "not-found",
        "not-on-pds",
        "sensitive",
        "ghost",
        "imposter",
        "unlisted",
      ]
        .map((role) => usingRole(role));
      cases.push(usingRole("no-allergies", SEARCH_DOCUMENTS));
      const report = await runPreflight({
        cases,
        manifest,
        target,
        build: testBuildContext(target, { issuedAt: () => Math.floor(Date.now() / 1000) }),
        concurrency: 4,
      });
      assert.deepEqual(report.patients.get("rich-record")?.ids, { foundations: "2" });
      assert.deepEqual(report.patients.get("no-allergies")?.ids, {
        foundations: "1",
        documents: "1",
      });
      assert.deepEqual(
        [...report.problems.keys()].sort(),
        ["ghost", "imposter", "unlisted"],
        formatPreflight(report),
      );
      assert.match(
        report.problems.get("ghost") ?? "",
        /role ghost \(9990000999\) must exist on the target but Patient search on the foundations root found no patient/,
      );
      assert.match(
        report.problems.get("imposter") ?? "",
        /must NOT exist on the target .* found it \(id 2\)/,
      );
      assert.equal(report.problems.get("unlisted"), "role unlisted is not in the fixture manifest");
      // Roles that must be absent keep the manifest's id for reads by id.
      assert.equal(report.patients.get("not-on-pds")?.fallbackId, "14");
      assert.deepEqual(report.patients.get("sensitive")?.ids, {});
      const text = formatPreflight(report);
      assert.match(text, /3 role\(s\) not ready/);
      assert.match(text, /✗ ghost: /);
    } finally {
      await target.close();
    }
  });
}

Deno.test("preflight: a target without a root is a warning, not a problem", async () => {
  const target = { roots: {}, send: () => Promise.reject(new Error("not sent")) };
  const report = await runPreflight({
    cases: [usingRole("rich-record")],
    manifest: defaultFixtureManifest(),
    target,
    build: { ...testBuildContext({ roots: {}, urlFor: () => undefined }) },
    concurrency: 1,
  });
  assert.equal(report.problems.size, 0);
  assert.deepEqual(report.warnings, [
    "role rich-record: not checked on the foundations root (the target has none)",
  ]);
});

Deno.test("preflight: a search the target refuses or cannot answer is a problem for the role", async () => {
  const target = {
    roots: { foundations: "https://p.test/fhir" },
    send: () => Promise.reject(new Error("connection refused")),
  };
  const report = await runPreflight({
    cases: [usingRole("rich-record")],
    manifest: defaultFixtureManifest(),
    target,
    build: testBuildContext({
      roots: target.roots,
      urlFor: (_root, path) => `https://p.test/fhir${path}`,
    }),
    concurrency: 1,
  });
  assert.match(
    report.problems.get("rich-record") ?? "",
    /Patient search on the foundations root failed: connection refused/,
  );
  // No search got an answer: the target is unreachable, and the run stops unless --keep-going.
  const stop = preflightSummary(report, false);
  assert.equal(stop.outcome, "unreachable");
  assert.equal(stop.stopped, true);
  assert.match(formatPreflight(report, stop), /\nSTOPPED: the target answered no Patient search/);
  const go = preflightSummary(report, true);
  assert.equal(go.stopped, false);
  assert.match(formatPreflight(report, go), /running anyway \(--keep-going\)/);
});

Deno.test("preflightSummary: every role missing stops the run; some missing runs the rest", async () => {
  const answer = (found: boolean) =>
    stubTarget(() =>
      fhirResponse(200, {
        resourceType: "Bundle",
        type: "searchset",
        entry: found ? [{ resource: { resourceType: "Patient", id: "p1" } }] : [],
      })
    );
  const preflight = (target: ReturnType<typeof answer>, roles: string[]) =>
    runPreflight({
      cases: roles.map((role) => usingRole(role)),
      manifest: defaultFixtureManifest(),
      target,
      build: testBuildContext(target),
      concurrency: 1,
    });
  const none = preflightSummary(
    await preflight(answer(false), ["rich-record", "no-allergies"]),
    false,
  );
  assert.equal(none.outcome, "not-ready");
  assert.equal(none.stopped, true);
  assert.deepEqual(Object.keys(none.notReady).sort(), ["no-allergies", "rich-record"]);
  // rich-record must be present (found), not-found must be absent (found: a problem).
  const some = preflightSummary(await preflight(answer(true), ["rich-record", "not-found"]), false);
  assert.equal(some.outcome, "partial");
  assert.equal(some.stopped, false);
  assert.deepEqual(Object.keys(some.notReady), ["not-found"]);
  const ready = preflightSummary(await preflight(answer(true), ["rich-record"]), false);
  assert.equal(ready.outcome, "ready");
  const nothing = preflightSummary(await preflight(answer(true), []), false);
  assert.equal(nothing.outcome, "none");
  assert.equal(nothing.stopped, false);
});

/** A provider holding `held` (NHS numbers): its Patient search finds those and nothing else. */
function holding(held: ReadonlySet<string>, fail?: string) {
  return stubTarget((request) => {
    const nhsNumber = /nhs-number\|(\d{10})/.exec(decodeURIComponent(request.url))?.[1] ?? "";
    if (nhsNumber === fail) return fhirResponse(500, { resourceType: "OperationOutcome" });
    return fhirResponse(200, {
      resourceType: "Bundle",
      type: "searchset",
      entry: held.has(nhsNumber)
        ? [{ resource: { resourceType: "Patient", id: `id-${nhsNumber}` } }]
        : [],
    });
  });
}

Deno.test("preflight: a pooled absent role takes the first candidate still absent, with its demographics", async () => {
  const manifest = defaultFixtureManifest();
  const pool = roleCandidates(manifest.get("pds-no-gp")!);
  const preflight = (target: ReturnType<typeof holding>) =>
    runPreflight({
      cases: [usingRole("pds-no-gp")],
      manifest,
      target,
      build: testBuildContext(target),
      concurrency: 2,
    });
  // A fresh provider: the role's own patient, no note.
  const fresh = await preflight(holding(new Set()));
  assert.equal(fresh.patients.get("pds-no-gp")?.nhsNumber, "9990000166");
  assert.equal(fresh.patients.get("pds-no-gp")?.demographics?.family, "STRAWBRIDGE");
  assert.deepEqual(fresh.warnings, []);
  assert.equal(fresh.checks.length, 1);
  // Two earlier runs registered the first two candidates: the third plays the role.
  const third = pool[2]!;
  const target = holding(new Set([pool[0]!.nhsNumber, pool[1]!.nhsNumber]));
  const later = await preflight(target);
  assert.equal(later.problems.size, 0, formatPreflight(later));
  assert.deepEqual(later.patients.get("pds-no-gp"), {
    role: "pds-no-gp",
    nhsNumber: third.nhsNumber,
    ids: {},
    demographics: third.demographics,
  });
  assert.equal(target.received.length, 3, "one search per candidate tried, in order");
  assert.deepEqual(later.warnings, [
    `role pds-no-gp: 2 candidate(s) already on the target (an earlier run's); using ${third.nhsNumber}, candidate 3 of 13`,
  ]);
  assert.equal(preflightSummary(later, false).outcome, "ready");
  // Every candidate registered: the role is not ready, saying what to do.
  const full = await preflight(holding(new Set(pool.map((c) => c.nhsNumber))));
  assert.equal(full.checks.length, 13);
  assert.match(
    full.problems.get("pds-no-gp") ?? "",
    /^role pds-no-gp: all 13 candidates are already registered on the target \(9990000166, .*\); reset the provider or add candidates/,
  );
  assert.equal(preflightSummary(full, false).outcome, "not-ready");
});

Deno.test("preflight: a candidate whose search fails is the role's problem, not a reason to try the next", async () => {
  const manifest = defaultFixtureManifest();
  const pool = roleCandidates(manifest.get("pds-no-gp")!);
  const target = holding(new Set([pool[0]!.nhsNumber]), pool[1]!.nhsNumber);
  const report = await runPreflight({
    cases: [usingRole("pds-no-gp")],
    manifest,
    target,
    build: testBuildContext(target),
    concurrency: 1,
  });
  assert.equal(target.received.length, 2);
  assert.match(
    report.problems.get("pds-no-gp") ?? "",
    new RegExp(
      `^role pds-no-gp \\(${
        pool[1]!.nhsNumber
      }\\): Patient search on the foundations root answered 500`,
    ),
  );
});

Deno.test("preflight on the local world: after the role's patient is registered, the next candidate plays it", async () => {
  const config = resolveConfig({ layers: [{}], now: new Date(), cwd: "/tmp" });
  const target = await openTarget(config);
  try {
    const manifest = defaultFixtureManifest();
    const options = {
      cases: [usingRole("pds-no-gp")],
      manifest,
      target,
      build: testBuildContext(target, { issuedAt: () => Math.floor(Date.now() / 1000) }),
      concurrency: 1,
    };
    const before = await runPreflight(options);
    assert.equal(before.problems.size, 0, formatPreflight(before));
    const first = before.patients.get("pds-no-gp")!;
    // Register it as the harness's register flow does, with the manifest's demographics.
    const register = buildRequest(
      {
        interaction: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1",
        headers: { "Content-Type": "application/fhir+json" },
        patientRole: "pds-no-gp",
        path: "/Patient/$gpc.registerpatient",
        body: {
          resourceType: "Parameters",
          parameter: [{
            name: "registerPatient",
            resource: {
              resourceType: "Patient",
              identifier: [{ system: "https://fhir.nhs.uk/Id/nhs-number", value: "{nhsNumber}" }],
              name: [{
                use: "official",
                family: "{family}",
                given: ["{given}"],
                prefix: ["{prefix}"],
              }],
              gender: "{gender}",
              birthDate: "{birthDate}",
            },
          }],
        },
      },
      undefined,
      { ...options.build, patients: before.patients },
    );
    const { response } = await sendRequest(target, register, "register");
    assert.equal(response?.status, 200);
    const after = await runPreflight(options);
    assert.equal(after.problems.size, 0, formatPreflight(after));
    const second = roleCandidates(manifest.get("pds-no-gp")!)[1]!;
    assert.notEqual(after.patients.get("pds-no-gp")?.nhsNumber, first.nhsNumber);
    assert.equal(after.patients.get("pds-no-gp")?.nhsNumber, second.nhsNumber);
    assert.match(after.warnings.join("\n"), /1 candidate\(s\) already on the target/);
  } finally {
    await target.close();
  }
});
