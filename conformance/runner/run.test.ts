import assert from "node:assert/strict";
import type { Flow, Requirement, TestCase, TestResult } from "../model.ts";
import { resolveConfig } from "../config/harness-config.ts";
import type { Settings } from "../config/setting-value.ts";
import { requirementsInScope, runConformance } from "./run.ts";
import { fhirResponse, metadataScenario, stubDeps, stubTarget } from "./test-support.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

function config(settings: Settings = {}) {
  return resolveConfig({ layers: [settings], now: new Date(), cwd: "/tmp" });
}

Deno.test("runConformance: bounded concurrency, flows after read-only cases, results in case order", async () => {
  let inFlight = 0;
  let peak = 0;
  const order: string[] = [];
  const target = stubTarget(async (request) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    // Later cases answer sooner, so completion order is not case order.
    const id = new URL(request.url).searchParams.get("case") ?? "";
    await new Promise((resolve) => setTimeout(resolve, 20 - Number(id.replace(/\D/g, "")) % 20));
    inFlight--;
    order.push(id);
    return fhirResponse(200, { resourceType: "CapabilityStatement" });
  });
  const flow: Flow = {
    id: "flow-1",
    title: "flow",
    product: "foundations",
    tags: [],
    requirements: ["FND-META"],
    steps: [{
      name: "one",
      request: { interaction: METADATA, path: "/metadata?case=flow" },
      expect: { status: 200 },
    }],
  };
  const cases: TestCase[] = [
    { kind: "flow", flow, readOnly: false },
    ...Array.from(
      { length: 12 },
      (_, i) =>
        metadataScenario(`s${i}`, {
          request: { interaction: METADATA, path: `/metadata?case=s${i}` },
        }),
    ),
  ];
  const harness = stubDeps(cases);
  const results: string[] = [];
  const report = await runConformance({
    config: config({ concurrency: 3 }),
    deps: harness,
    target,
    onResult: (result) => results.push(result.id),
  });
  assert.ok(peak <= 3, `peak ${peak}`);
  assert.equal(order.at(-1), "flow");
  assert.deepEqual(
    report.results.map((r) => r.id),
    cases.map((c) => c.kind === "flow" ? c.flow.id : c.scenario.id),
  );
  assert.equal(results.length, 13);
  assert.deepEqual(report.totals, {
    tests: 13,
    passed: 13,
    failed: 0,
    errored: 0,
    skipped: 0,
    notRun: 0,
    inconclusive: 0,
  });
  assert.deepEqual(report.byProduct.foundations, report.totals);
  // Requirement verdicts come from the results: X is named by no test.
  assert.deepEqual(report.coverage, {
    requirements: 2,
    verified: ["FND-META"],
    failed: [],
    notRun: [],
    untested: ["X"],
    unverified: ["X"],
  });
  assert.equal(report.identity?.preflight.outcome, "none");
  assert.equal(report.identity?.sspTo, "918999198738");
  assert.equal(report.identity?.harness.version, report.tool.version);
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.tool.name, "gpc-edge conformance");
  assert.equal(report.target.kind, "direct");
});

Deno.test("runConformance: a selection applies; an expectation that validates needs the profiles directory", async () => {
  const cases = [
    metadataScenario("a"),
    metadataScenario("b", { expect: { status: 200, validate: true } }),
  ];
  const target = stubTarget(() => fhirResponse(200, { resourceType: "CapabilityStatement" }));
  const only = await runConformance({
    config: config({ ids: ["a"] }),
    deps: stubDeps(cases),
    target,
  });
  assert.deepEqual(only.results.map((r) => r.id), ["a"]);
  assert.deepEqual(only.selection, { ids: ["a"] });
  await assert.rejects(
    runConformance({
      config: config({ profilesDir: "/nonexistent/profiles" }),
      deps: stubDeps(cases),
      target,
    }),
    /--profiles: no GP Connect profile package at \/nonexistent\/profiles: get /,
  );
  let loadedFrom = "";
  const report = await runConformance({
    config: config({ profilesDir: "/tmp" }),
    deps: stubDeps(cases, {
      loadProfileValidator(dir) {
        loadedFrom = dir;
        return Promise.resolve({ profiles: [], validate: () => [] });
      },
    }),
    target,
  });
  assert.equal(loadedFrom, "/tmp");
  assert.equal(report.totals.passed, 2);
});

Deno.test("runConformance: the run clock far from real time is reported, and the JWT uses real time", async () => {
  const target = stubTarget(() => fhirResponse(200, { resourceType: "CapabilityStatement" }));
  const notes: string[] = [];
  const report = await runConformance({
    config: config({ clock: "2030-01-01T00:00:00.000Z" }),
    deps: stubDeps([metadataScenario("a")]),
    target,
    onStart: (start) => notes.push(...start.notes),
  });
  assert.equal(report.runClock, "2030-01-01T00:00:00.000Z");
  assert.match(notes[0] ?? "", /JWT iat uses real time/);
  assert.match(report.target.description, /NOTE: JWT iat uses real time/);
  const iat = (report.results[0]?.exchanges[0]?.request.jwt as { iat: number }).iat;
  assert.ok(Math.abs(iat - Date.now() / 1000) < 120);
});

Deno.test("requirementsInScope: a run answers for its products' requirements and any its results name", () => {
  const requirement = (id: string, products: Requirement["products"]): Requirement => ({
    id,
    text: "t.",
    source: "s",
    products,
  });
  const cases = [metadataScenario("a")];
  const named: TestResult = {
    id: "a",
    title: "a",
    product: "foundations",
    interaction: undefined,
    tags: [],
    requirements: ["MESH-NAMED"],
    status: "pass",
    assertions: [],
    validation: [],
    exchanges: [],
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 0,
  };
  assert.deepEqual(
    requirementsInScope(
      [
        requirement("FND", ["foundations"]),
        requirement("PF", ["patient-facing"]),
        requirement("MESH-NAMED", ["mesh"]),
      ],
      cases,
      [named],
    ),
    ["FND", "MESH-NAMED"],
  );
});
