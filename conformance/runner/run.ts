/**
 * One conformance run: load and select the test cases (a default selection keeps to what the
 * target can be asked, `target-scope.ts`), load the profile validator if any case validates, open
 * the target, run the preflight (which stops the run when the target is unreachable or no
 * fixture role is ready, unless `keepGoing`), then the read-only scenarios concurrently (at most
 * `concurrency` in flight) and the flows, MESH cases and other writing cases one at a time;
 * results come back in the suite's stable order whatever the completion order.
 *
 * Every selected negative brings its positive twin (negative-twins.ts) into the run; twins run
 * first, and a negative whose twin did not pass is `inconclusive`. Requirement verdicts come from
 * the results (report/requirement-coverage.ts). The `RunReport`, with the run's identity, is
 * model.ts's.
 *
 * @module
 */
import type { PreflightSummary, Requirement, RunReport, TestCase, TestResult } from "../model.ts";
import type { HarnessConfig } from "../config/harness-config.ts";
import { type FixtureManifest, loadFixtureManifest } from "../config/fixture-manifest.ts";
import { requireProfilesDir } from "../config/profiles-dir.ts";
import { caseItem, itemSteps } from "../scenarios/case-steps.ts";
import { type PreflightReport, preflightSummary, runPreflight } from "../preflight.ts";
import { namedRequirements, requirementCoverage } from "../report/requirement-coverage.ts";
import { tally, tallyByProduct } from "../report/tally.ts";
import { describeCase } from "../scenarios/selection.ts";
import { twinOf } from "../scenarios/negative-twins.ts";
import { openTarget } from "../target/open-target.ts";
import type { Target } from "../target/target.ts";
import type { HarnessDeps } from "./harness-deps.ts";
import { jwtClock } from "./jwt-clock.ts";
import { runPool } from "./pool.ts";
import { type CaseContext, runCase } from "./run-case.ts";
import { scopeToOpenTarget, scopeToTarget } from "./target-scope.ts";
import { harnessVersion } from "./version.ts";
import { pfValidates } from "../patient-facing/pf-requirements.ts";
import { harnessCommit, profilesHash } from "./run-identity.ts";
import { withTwinVerdict } from "./twin-verdict.ts";

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
  readonly onPreflight?: (report: PreflightReport, summary: PreflightSummary) => void;
  readonly onResult?: (result: TestResult) => void;
  /** Run even when the preflight shows nothing can run (`--keep-going`). */
  readonly keepGoing?: boolean;
  /** What the evidence keeps of passing tests (`--evidence`), stated in the report. */
  readonly evidence?: "failures" | "all";
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
  const allCases = await deps.loadTestCases();
  const scoped = scopeToTarget(deps.selectTestCases(allCases, config.selection), config);
  let cases = withTwins(scoped.cases, allCases);
  const profilesDir = cases.some(validates)
    ? await requireProfilesDir(config.profilesDir)
    : undefined;
  const validator = profilesDir === undefined
    ? undefined
    : await deps.loadProfileValidator(profilesDir);
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
    const summary = preflightSummary(preflight, options.keepGoing === true);
    options.onPreflight?.(preflight, summary);
    const context: CaseContext = {
      target,
      ...(target.mesh ? { mesh: target.mesh } : {}),
      manifest,
      build: { ...build, patients: preflight.patients, evaluateFhirPath: deps.evaluateFhirPath },
      fhirPathHolds: deps.fhirPathHolds,
      roleProblems: preflight.problems,
      ...(validator ? { validator } : {}),
    };
    const results = summary.stopped
      ? cases.map((testCase) => stoppedResult(testCase, summary, options.onResult))
      : await runCases(cases, config.concurrency, context, options.onResult);
    const requirements = await deps.loadRequirements();
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
      identity: {
        odsCode: config.odsCode,
        sspFrom: config.fromAsid,
        sspTo: config.toAsid,
        fixtures: {
          ...(config.fixtures === undefined ? {} : { file: config.fixtures }),
          roles: Object.fromEntries(
            [...manifest.values()].map((role) => [role.role, {
              // A pooled role: the candidate the preflight chose.
              nhsNumber: preflight.patients.get(role.role)?.nhsNumber ?? role.nhsNumber,
              expect: role.expect,
            }]),
          ),
        },
        ...(profilesDir === undefined
          ? {}
          : { profiles: { dir: profilesDir, ...await profilesHash(profilesDir) } }),
        preflight: summary,
        insecure: target.insecure === true,
        clockGiven: config.clockGiven,
        harness: { version: harnessVersion, ...await harnessCommit() },
        evidence: options.evidence ?? "failures",
      },
      totals: tally(results),
      byProduct: tallyByProduct(results, config.selection.products ?? []),
      coverage: requirementCoverage(requirementsInScope(requirements, cases, results), results),
      results,
    };
  } finally {
    if (!options.target) await target.close();
  }
}

/**
 * The selected cases and the twin of each selected negative (from the whole suite), in suite
 * order: a negative is only conclusive beside its twin.
 */
export function withTwins(selected: readonly TestCase[], all: readonly TestCase[]): TestCase[] {
  const ids = new Set(selected.map((testCase) => describeCase(testCase).id));
  const twins = new Set(
    selected.flatMap((testCase) => {
      const twin = twinOf(testCase);
      return twin === undefined || ids.has(twin) ? [] : [twin];
    }),
  );
  if (twins.size === 0) return [...selected];
  const added = all.filter((testCase) => twins.has(describeCase(testCase).id));
  const keep = new Set([...selected, ...added]);
  const inSuite = all.filter((testCase) => keep.has(testCase));
  // Cases a test passed in that are not in the suite keep their place at the end.
  return [...inSuite, ...selected.filter((testCase) => !all.includes(testCase))];
}

/** A case the preflight stopped: not run, saying why. */
function stoppedResult(
  testCase: TestCase,
  summary: PreflightSummary,
  onResult: ((result: TestResult) => void) | undefined,
): TestResult {
  const item = describeCase(testCase);
  const caseItemOf = caseItem(testCase);
  const result: TestResult = {
    id: item.id,
    title: caseItemOf.title,
    product: caseItemOf.product,
    interaction: itemSteps(caseItemOf)[0]?.request.interaction,
    tags: caseItemOf.tags,
    requirements: caseItemOf.requirements,
    status: "not-run",
    reason: `the run stopped after the preflight (${
      summary.outcome === "unreachable" ? "target unreachable" : "no fixture role ready"
    }; --keep-going runs it anyway)`,
    assertions: [],
    validation: [],
    exchanges: [],
    startedAt: new Date().toISOString(),
    durationMs: 0,
  };
  onResult?.(result);
  return result;
}

/**
 * The twins first (read-only ones concurrently, then the rest serially), then every other case
 * the same way (flows change the target's state, so nothing runs beside them). A negative's
 * result is judged against its twin's before it is reported. Results in case order.
 */
async function runCases(
  cases: readonly TestCase[],
  concurrency: number,
  context: CaseContext,
  onResult: ((result: TestResult) => void) | undefined,
): Promise<TestResult[]> {
  const results = new Array<TestResult>(cases.length);
  const byId = new Map<string, TestResult>();
  const twinIds = new Set(cases.flatMap((testCase) => twinOf(testCase) ?? []));
  const indexed = cases.map((testCase, index) => ({
    testCase,
    index,
    id: describeCase(testCase).id,
  }));
  const run = async (
    { testCase, index, id }: { testCase: TestCase; index: number; id: string },
  ) => {
    const twin = twinOf(testCase);
    const raw = await runCase(testCase, context);
    const result = twin === undefined ? raw : withTwinVerdict(raw, twin, byId.get(twin));
    results[index] = result;
    byId.set(id, result);
    onResult?.(result);
  };
  const twins = indexed.filter((item) => twinIds.has(item.id));
  const rest = indexed.filter((item) => !twinIds.has(item.id));
  for (const phase of [twins, rest]) {
    await runPool(phase.filter((item) => item.testCase.readOnly), concurrency, run);
    await runPool(phase.filter((item) => !item.testCase.readOnly), 1, run);
  }
  return results;
}

function validates(testCase: TestCase): boolean {
  if (testCase.kind === "patient-facing") return pfValidates(testCase.scenario);
  return itemSteps(caseItem(testCase)).some(({ expect }) =>
    [expect, expect.viaSsp].some((e) => e?.profile !== undefined || e?.validate === true)
  );
}

/**
 * The requirements a run answers for: those of the products its cases belong to, and any other
 * a result names. A run of one product is not measured against every other product's rules.
 */
export function requirementsInScope(
  requirements: readonly Requirement[],
  cases: readonly TestCase[],
  results: readonly TestResult[],
): string[] {
  const products = new Set<string>(cases.map((testCase) => describeCase(testCase).product));
  const named = new Set(results.flatMap((result) => namedRequirements(result)));
  return requirements
    .filter((requirement) =>
      requirement.products.some((product) => products.has(product)) || named.has(requirement.id)
    )
    .map((requirement) => requirement.id);
}
