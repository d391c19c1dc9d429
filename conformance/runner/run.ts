/**
 * One conformance run: load and select the test cases (a default selection keeps to what the
 * target can be asked, `target-scope.ts`), load the profile validator if any case validates, open
 * the target, run the preflight, then the read-only scenarios concurrently (at most
 * `concurrency` in flight) and the flows, MESH cases and other writing cases one at a time;
 * results come back in the suite's stable order whatever the completion order. The `RunReport`
 * is model.ts's.
 *
 * @module
 */
import type { RunReport, TestCase, TestResult } from "../model.ts";
import type { HarnessConfig } from "../config/harness-config.ts";
import { type FixtureManifest, loadFixtureManifest } from "../config/fixture-manifest.ts";
import { requireProfilesDir } from "../config/profiles-dir.ts";
import { caseItem, itemSteps } from "../scenarios/case-steps.ts";
import { type PreflightReport, runPreflight } from "../preflight.ts";
import { tally, tallyByProduct } from "../report/tally.ts";
import { openTarget } from "../target/open-target.ts";
import type { Target } from "../target/target.ts";
import type { HarnessDeps } from "./harness-deps.ts";
import { jwtClock } from "./jwt-clock.ts";
import { runPool } from "./pool.ts";
import { type CaseContext, runCase } from "./run-case.ts";
import { scopeToOpenTarget, scopeToTarget } from "./target-scope.ts";
import { harnessVersion } from "./version.ts";
import { pfValidates } from "../patient-facing/pf-requirements.ts";

/** What a run reports as it goes. */
export interface RunStart {
  readonly total: number;
  readonly target: Target;
  /** Things the user must know (JWT clock, unverified certificates). */
  readonly notes: readonly string[];
}

/** Options for {@linkcode runConformance}. */
export interface RunOptions {
  readonly config: HarnessConfig;
  readonly deps: HarnessDeps;
  /** An open target to use (it is not closed); default: open the configured one. */
  readonly target?: Target;
  /** Fixture manifest; default: the configured one. */
  readonly manifest?: FixtureManifest;
  readonly onStart?: (start: RunStart) => void;
  readonly onPreflight?: (report: PreflightReport) => void;
  readonly onResult?: (result: TestResult) => void;
}

/**
 * Runs the selected cases against the target.
 *
 * @example
 * ```ts
 * import { loadHarnessConfig } from "../config/load-config.ts";
 * import { isProfilesDir, profilesDirFromEnv } from "../config/profiles-dir.ts";
 * import { defaultDeps } from "./default-deps.ts";
 *
 * // One negative case against the reference provider started in-process. Loading a harness
 * // configuration needs the GP Connect profile package (README: "what the harness needs").
 * if (await isProfilesDir(profilesDirFromEnv(Deno.env.toObject(), Deno.cwd()))) {
 *   const config = await loadHarnessConfig({
 *     flags: { "local-direct": true, id: ["read-metadata.neg.missing-ssp-to"] },
 *     env: {},
 *   });
 *   const report = await runConformance({ config, deps: defaultDeps });
 *   report.totals.passed; // 1
 * }
 * ```
 */
export async function runConformance(options: RunOptions): Promise<RunReport> {
  const { config, deps } = options;
  const realStart = new Date();
  const runClock = new Date(config.clock);
  const scoped = scopeToTarget(
    deps.selectTestCases(await deps.loadTestCases(), config.selection),
    config,
  );
  let cases = scoped.cases;
  const validator = cases.some(validates)
    ? await deps.loadProfileValidator(await requireProfilesDir(config.profilesDir))
    : undefined;
  const manifest = options.manifest ?? await loadFixtureManifest(config.fixtures);
  const target = options.target ?? await openTarget(config);
  try {
    const served = scopeToOpenTarget(cases, target, config.selection);
    cases = served.cases;
    const clock = jwtClock(runClock, realStart);
    const notes = [
      ...(clock.note === undefined ? [] : [clock.note]),
      ...[scoped.note, served.note].filter((note): note is string => note !== undefined),
      ...(target.insecure ? ["server certificates are NOT verified (--insecure)"] : []),
    ];
    options.onStart?.({ total: cases.length, target, notes });
    const build = {
      urlFor: target.urlFor,
      roots: target.roots,
      fromAsid: config.fromAsid,
      toAsid: config.toAsid,
      odsCode: config.odsCode,
      jwt: config.jwt,
      runClock,
      issuedAt: clock.issuedAt,
    };
    const preflight = await runPreflight({
      cases,
      manifest,
      target,
      build,
      concurrency: config.concurrency,
    });
    options.onPreflight?.(preflight);
    const context: CaseContext = {
      target,
      ...(target.mesh ? { mesh: target.mesh } : {}),
      manifest,
      build: { ...build, patients: preflight.patients, evaluateFhirPath: deps.evaluateFhirPath },
      fhirPathHolds: deps.fhirPathHolds,
      roleProblems: preflight.problems,
      ...(validator ? { validator } : {}),
    };
    const results = await runCases(cases, config.concurrency, context, options.onResult);
    const requirements = await deps.loadRequirements();
    const covered = deps.coverage(requirements, cases);
    return {
      schemaVersion: 1,
      tool: { name: "gpc-edge conformance", version: harnessVersion },
      startedAt: realStart.toISOString(),
      finishedAt: new Date().toISOString(),
      runClock: runClock.toISOString(),
      target: {
        kind: target.kind,
        description: [target.description, ...notes.map((note) => `NOTE: ${note}`)].join("; "),
        roots: {
          ...target.roots,
          ...(target.mesh ? { mesh: `${target.mesh.url}/messageexchange` } : {}),
        } as Record<string, string>,
        ...(target.sspPrefix === undefined ? {} : { sspPrefix: target.sspPrefix }),
      },
      selection: { ...config.selection },
      totals: tally(results),
      byProduct: tallyByProduct(results, config.selection.products ?? []),
      coverage: {
        requirements: requirements.length,
        verified: covered.verified,
        unverified: covered.unverified,
      },
      results,
    };
  } finally {
    if (!options.target) await target.close();
  }
}

/**
 * Read-only scenarios first, concurrently; then every other case serially (flows change the
 * target's state, so nothing runs beside them). Results in case order.
 */
async function runCases(
  cases: readonly TestCase[],
  concurrency: number,
  context: CaseContext,
  onResult: ((result: TestResult) => void) | undefined,
): Promise<TestResult[]> {
  const results = new Array<TestResult>(cases.length);
  const indexed = cases.map((testCase, index) => ({ testCase, index }));
  const run = async ({ testCase, index }: { testCase: TestCase; index: number }) => {
    const result = await runCase(testCase, context);
    results[index] = result;
    onResult?.(result);
  };
  await runPool(indexed.filter((item) => item.testCase.readOnly), concurrency, run);
  await runPool(indexed.filter((item) => !item.testCase.readOnly), 1, run);
  return results;
}

function validates(testCase: TestCase): boolean {
  if (testCase.kind === "patient-facing") return pfValidates(testCase.scenario);
  return itemSteps(caseItem(testCase)).some(({ expect }) =>
    [expect, expect.viaSsp].some((e) => e?.profile !== undefined || e?.validate === true)
  );
}
