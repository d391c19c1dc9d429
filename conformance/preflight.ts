/**
 * Data readiness before anything runs: for every fixture role the selected cases use, a Patient
 * search by NHS number on the foundations root (and on the documents root when a documents case
 * uses the role) records the patient's logical id for `{patientId}`, and checks the role's
 * expectation: roles that must exist and do not, and roles that must NOT exist (unknown, not on
 * PDS, sensitive, …) but do, are reported with what is wrong. A role with a pool of candidates
 * (fixture manifest `candidates`) is played by the first candidate that meets its expectation, so
 * a flow that registers an `absent` role's patient runs again on the next run with the next one;
 * when every candidate is already there the role is not ready, saying so. Cases using roles that
 * are not ready are not run; when no search got an answer (the target is unreachable) or every role is not ready, the
 * run stops after the preflight unless `--keep-going` ({@linkcode preflightSummary}).
 *
 * @module
 */
import { findInteraction, type RootKind } from "../gpconnect/specs.ts";
import {
  type FixtureCandidate,
  type FixtureManifest,
  type FixtureRole,
  roleCandidates,
} from "./config/fixture-manifest.ts";
import type { Exchange, PreflightSummary, TestCase } from "./model.ts";
import { sendRequest } from "./runner/exchange.ts";
import { runPool } from "./runner/pool.ts";
import { issueCodings } from "./runner/spine-codes.ts";
import { type BuildContext, buildRequest, type ResolvedPatient } from "./runner/request-builder.ts";
import { caseRequests } from "./runner/run-case.ts";
import type { Target } from "./target/target.ts";

const patientSearch: Readonly<Partial<Record<RootKind, string>>> = {
  foundations: "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1",
  documents: "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:patient-1",
};

/** One Patient search of the preflight. */
export interface PreflightCheck {
  readonly role: string;
  readonly nhsNumber: string;
  readonly root: RootKind;
  readonly expect: "present" | "absent";
  /** Whether the search found the patient (undefined when it could not tell). */
  readonly found?: boolean;
  readonly logicalId?: string;
  /** What is wrong, if anything. */
  readonly problem?: string;
  readonly exchange?: Exchange;
}

/** The preflight's findings. */
export interface PreflightReport {
  readonly checks: readonly PreflightCheck[];
  /** Roles resolved on the target (for `{nhsNumber}`, `{patientId}`). */
  readonly patients: ReadonlyMap<string, ResolvedPatient>;
  /** What is wrong per role; cases using these roles are errors. */
  readonly problems: ReadonlyMap<string, string>;
  /** Things that could not be checked (they do not stop cases). */
  readonly warnings: readonly string[];
}

/** The roles the cases use, each with the roots whose Patient search it needs. */
export function rolesUsed(cases: readonly TestCase[]): Map<string, Set<RootKind>> {
  const roles = new Map<string, Set<RootKind>>();
  for (const testCase of cases) {
    for (const request of caseRequests(testCase)) {
      if (request.patientRole === undefined) continue;
      const roots = roles.get(request.patientRole) ?? new Set<RootKind>(["foundations"]);
      if (findInteraction(request.interaction)?.root === "documents") roots.add("documents");
      roles.set(request.patientRole, roots);
    }
  }
  return roles;
}

/** Options for {@linkcode runPreflight}. */
export interface PreflightOptions {
  readonly cases: readonly TestCase[];
  readonly manifest: FixtureManifest;
  readonly target: Pick<Target, "send" | "roots">;
  /** Request building (without patients or steps). */
  readonly build: Omit<BuildContext, "patients" | "steps">;
  readonly concurrency: number;
}

/**
 * Checks the roles the cases use.
 *
 * @example
 * ```ts
 * import { defaultFixtureManifest } from "./config/fixture-manifest.ts";
 * import {
 *   fhirResponse,
 *   metadataScenario,
 *   stubTarget,
 *   testBuildContext,
 * } from "./runner/test-support.ts";
 *
 * // A provider that finds no patient: roles the cases need are reported, nothing else is sent.
 * const target = stubTarget(() => fhirResponse(200, { resourceType: "Bundle", type: "searchset" }));
 * const report = await runPreflight({
 *   cases: [metadataScenario("fnd.metadata.read")],
 *   manifest: defaultFixtureManifest(),
 *   target,
 *   build: testBuildContext(target),
 *   concurrency: 8,
 * });
 * formatPreflight(report); // "Preflight: 0 Patient search(es) for 0 fixture role(s); …"
 * ```
 */
export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  const problems = new Map<string, string[]>();
  const warnings: string[] = [];
  const jobs: Array<{ entry: FixtureRole; roots: RootKind[] }> = [];
  const used = rolesUsed(options.cases);
  for (const [role, roots] of used) {
    const entry = options.manifest.get(role);
    if (!entry) {
      problems.set(role, [`role ${role} is not in the fixture manifest`]);
      continue;
    }
    const searched = [...roots].filter((root) => options.target.roots[root] !== undefined);
    for (const root of roots) {
      if (options.target.roots[root] === undefined) {
        warnings.push(`role ${role}: not checked on the ${root} root (the target has none)`);
      }
    }
    jobs.push({ entry, roots: searched });
  }
  const outcomes = await runPool(jobs, options.concurrency, (job) => chooseCandidate(job, options));
  const checks = outcomes.flatMap((outcome) => outcome.checks);
  const patients = new Map<string, ResolvedPatient>();
  for (const { entry, candidate, checks: roleChecks, problem, warning } of outcomes) {
    const role = entry.role;
    const chosenChecks = problem === undefined
      ? roleChecks.filter((check) => check.nhsNumber === candidate.nhsNumber)
      : roleChecks;
    const list = problem === undefined
      ? chosenChecks.flatMap((check) => check.problem ?? [])
      : [problem];
    if (list.length > 0) problems.set(role, [...(problems.get(role) ?? []), ...list]);
    if (warning !== undefined) warnings.push(warning);
    const ids: Partial<Record<RootKind, string>> = {};
    for (const check of chosenChecks) {
      if (check.logicalId !== undefined && check.expect === "present") {
        ids[check.root] = check.logicalId;
      }
    }
    patients.set(role, {
      role,
      nhsNumber: candidate.nhsNumber,
      ids,
      ...(entry.logicalId === undefined ? {} : { fallbackId: entry.logicalId }),
      ...(candidate.demographics ? { demographics: candidate.demographics } : {}),
    });
  }
  return {
    checks,
    patients,
    problems: new Map([...problems].map(([role, list]) => [role, list.join("; ")])),
    warnings,
  };
}

/** What the searches found for one role: the candidate chosen and every search made. */
interface RoleOutcome {
  readonly entry: FixtureRole;
  readonly candidate: FixtureCandidate;
  readonly checks: readonly PreflightCheck[];
  /** Set when every candidate of a pool failed its expectation by being found (or missing). */
  readonly problem?: string;
  readonly warning?: string;
}

/**
 * The first candidate whose searches show it as the role expects. A candidate that fails only
 * because it is there (or not there) gives way to the next; any other problem (the search failed,
 * the target refused it) is the role's, as it would be for one patient.
 */
async function chooseCandidate(
  job: { entry: FixtureRole; roots: readonly RootKind[] },
  options: PreflightOptions,
): Promise<RoleOutcome> {
  const { entry, roots } = job;
  const candidates = roleCandidates(entry);
  const checks: PreflightCheck[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const found = await Promise.all(
      roots.map((root) =>
        check(
          { role: entry.role, nhsNumber: candidate.nhsNumber, root, expect: entry.expect },
          options,
        )
      ),
    );
    checks.push(...found);
    const last = index === candidates.length - 1;
    const onlyWrongPresence = found.some((c) => c.problem !== undefined) &&
      found.every((c) => c.problem === undefined || c.found === (entry.expect === "absent"));
    if (!onlyWrongPresence || candidates.length === 1) {
      return {
        entry,
        candidate,
        checks,
        ...(index === 0 ? {} : { warning: poolNote(entry, index, candidate, candidates.length) }),
      };
    }
    if (last) {
      return {
        entry,
        candidate: candidates[0] ?? candidate,
        checks,
        problem: exhausted(entry, candidates),
      };
    }
  }
  // A role always has at least one candidate (roleCandidates).
  return { entry, candidate: { nhsNumber: entry.nhsNumber }, checks };
}

function poolNote(entry: FixtureRole, index: number, chosen: FixtureCandidate, of: number): string {
  const how = entry.expect === "absent" ? "already on the target" : "not on the target";
  return `role ${entry.role}: ${index} candidate(s) ${how} (an earlier run's); using ` +
    `${chosen.nhsNumber}, candidate ${index + 1} of ${of}`;
}

function exhausted(entry: FixtureRole, candidates: readonly FixtureCandidate[]): string {
  const numbers = candidates.map((candidate) => candidate.nhsNumber).join(", ");
  return entry.expect === "absent"
    ? `role ${entry.role}: all ${candidates.length} candidates are already registered on the ` +
      `target (${numbers}); reset the provider or add candidates (fixture manifest candidates)`
    : `role ${entry.role}: none of the ${candidates.length} candidates is on the target ` +
      `(${numbers}); load one or change the candidates (fixture manifest)`;
}

async function check(
  search: { role: string; nhsNumber: string; root: RootKind; expect: "present" | "absent" },
  options: PreflightOptions,
): Promise<PreflightCheck> {
  const { role, nhsNumber, root, expect } = search;
  const label = `role ${role} (${nhsNumber})`;
  const built = buildRequest(
    {
      interaction: patientSearch[root] as string,
      patientRole: role,
      path: "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}",
    },
    undefined,
    { ...options.build, patients: new Map([[role, { role, nhsNumber, ids: {} }]]) },
  );
  const { exchange, response } = await sendRequest(options.target, built, `preflight ${role}`);
  const base = { role, nhsNumber, root, expect, exchange };
  if (response === undefined) {
    return {
      ...base,
      problem: `${label}: Patient search on the ${root} root failed: ${exchange.error}`,
    };
  }
  const bundle = response.body as { resourceType?: unknown; entry?: unknown } | undefined;
  if (response.status !== 200 || bundle?.resourceType !== "Bundle") {
    const coding = issueCodings(response.body)[0];
    const detail = coding === undefined
      ? String(bundle?.resourceType ?? "")
      : [coding.code, coding.diagnostics ?? coding.display].filter(Boolean).join(": ");
    return {
      ...base,
      problem: `${label}: Patient search on the ${root} root answered ${response.status} ${detail}`
        .trimEnd(),
    };
  }
  const patient = (Array.isArray(bundle.entry) ? bundle.entry : [])
    .map((entry) => (entry as { resource?: { resourceType?: unknown; id?: unknown } }).resource)
    .find((resource) => resource?.resourceType === "Patient");
  const logicalId = typeof patient?.id === "string" ? patient.id : undefined;
  const found = patient !== undefined;
  const withId = { ...base, found, ...(logicalId === undefined ? {} : { logicalId }) };
  if (expect === "present" && !found) {
    return {
      ...withId,
      problem:
        `${label} must exist on the target but Patient search on the ${root} root found no patient`,
    };
  }
  if (expect === "absent" && found) {
    return {
      ...withId,
      problem: `${label} must NOT exist on the target (the scenarios need it unknown there) but ` +
        `Patient search on the ${root} root found it${logicalId ? ` (id ${logicalId})` : ""}`,
    };
  }
  if (expect === "present" && logicalId === undefined) {
    return {
      ...withId,
      problem: `${label}: Patient search on the ${root} root found a patient without an id`,
    };
  }
  return withId;
}

/**
 * The preflight for people: one line per problem and warning, and a count; with a summary, what
 * follows (the run stops, or goes on with `--keep-going`). Past 30 roles, the rest are counted.
 */
export function formatPreflight(report: PreflightReport, summary?: PreflightSummary): string {
  const lines = [
    `Preflight: ${report.checks.length} Patient search(es) for ${report.patients.size} fixture role(s); ` +
    `${report.problems.size} role(s) not ready.`,
  ];
  const problems = [...report.problems];
  for (const [role, problem] of problems.slice(0, 30)) lines.push(`  ✗ ${role}: ${problem}`);
  if (problems.length > 30) lines.push(`  … and ${problems.length - 30} more role(s)`);
  for (const warning of report.warnings) lines.push(`  ! ${warning}`);
  if (summary?.outcome === "unreachable" || summary?.outcome === "not-ready") {
    const why = summary.outcome === "unreachable"
      ? "the target answered no Patient search"
      : "no fixture role is ready";
    lines.push(
      summary.stopped
        ? `STOPPED: ${why}, so no test can run. Fix the target or the fixtures (--fixtures), ` +
          "or pass --keep-going to run anyway."
        : `${why}; running anyway (--keep-going).`,
    );
  }
  return lines.join("\n");
}

/**
 * The preflight as the report states it, and whether the run stops: it stops when the target is
 * unreachable (searches were made and none got an answer) or every role used is not ready, unless
 * `keepGoing`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const report = { checks: [], patients: new Map(), problems: new Map(), warnings: [] };
 * assert.equal(preflightSummary(report, false).outcome, "none");
 * ```
 */
export function preflightSummary(report: PreflightReport, keepGoing: boolean): PreflightSummary {
  const roles = report.patients.size +
    [...report.problems.keys()].filter((role) => !report.patients.has(role)).length;
  const answered = report.checks.some((check) => check.exchange?.response !== undefined);
  const outcome: PreflightSummary["outcome"] = roles === 0
    ? "none"
    : report.checks.length > 0 && !answered
    ? "unreachable"
    : report.problems.size >= roles
    ? "not-ready"
    : report.problems.size > 0
    ? "partial"
    : "ready";
  const cannotRun = outcome === "unreachable" || outcome === "not-ready";
  return {
    outcome,
    searches: report.checks.length,
    roles,
    notReady: Object.fromEntries(report.problems),
    warnings: report.warnings,
    stopped: cannotRun && !keepGoing,
    keepGoing,
  };
}
