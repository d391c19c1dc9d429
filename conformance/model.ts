/**
 * The conformance harness's data model, shared by its parts: scenarios and flows (what to send,
 * what to expect, which requirements they verify), the expanded test cases the runner executes,
 * validation messages, and the results and run report every reporter reads.
 *
 * Scenarios are data (`specs/scenarios/*.yaml`, plus negatives generated from the interaction
 * catalogue); judgements come only from the expectations, the spec data and the validators,
 * never from gpc-edge internals (ARCHITECTURE.md §3.7).
 *
 * @module
 */

import type { MeshScenario, MessagingScenario } from "./mesh/mesh-scenario.ts";
import type { PfScenario } from "./patient-facing/pf-scenario.ts";

/**
 * The products a scenario, requirement or selection names, in report order: the GP Connect
 * RESTful products, then `mesh` (MESH API conformance of a MESH server) and `messaging` (a GP
 * system as a MESH receiver of Send Document and Update Record, judged by its ITK3
 * acknowledgements).
 */
export const products = [
  "foundations",
  "appointments",
  "structured",
  "documents",
  "html",
  "mesh",
  "messaging",
  "patient-facing",
] as const;

/** A product. */
export type Product = typeof products[number];

/** The products whose cases speak MESH rather than GP Connect's RESTful API. */
export const meshProducts: readonly Product[] = ["mesh", "messaging"];

/** A requirement a test verifies (`specs/requirements.json`). */
export interface Requirement {
  /** Stable id, e.g. `GPC-SSP-HDR-01`, `GPC-STR-BUNDLE-ID`. */
  readonly id: string;
  /** The requirement in one sentence. */
  readonly text: string;
  /** The spec page (repo + path or URL) it comes from. */
  readonly source: string;
  /** Products it applies to. */
  readonly products: readonly Product[];
}

/**
 * Placeholders a request template may use in its path, query, header values and body strings:
 * `{nhsNumber}` (the role's NHS number on the target), `{patientId}` (its logical id, found by
 * the preflight's patient search), `{odsCode}` (target practice), `{today}`, `{today+N}`,
 * `{today-N}` (dates from the run clock, `YYYY-MM-DD`), `{now}` (instant), `{traceId}`, and in
 * flows `{step.<name>.<fhirpath-free dotted path into the response body>}`.
 */
export type Template = string;

/** What to send (before mutations). */
export interface RequestTemplate {
  /** Interaction URN of the catalogue; decides root, method, `Ssp-InteractionID`, JWT scope. */
  readonly interaction: string;
  /** Fixture role whose patient the request is about (`specs/fixture-patients.json`). */
  readonly patientRole?: string;
  /** Path relative to the interaction's service root, with placeholders. */
  readonly path: Template;
  /** Overrides the catalogue's method. */
  readonly method?: string;
  /** Extra headers (placeholders allowed). */
  readonly headers?: Readonly<Record<string, Template>>;
  /** JSON body; strings inside may hold placeholders. */
  readonly body?: unknown;
  /** Raw body text instead of JSON (for malformed-body scenarios). */
  readonly rawBody?: string;
}

/** A change applied to a well-formed request, to provoke an error. */
export type Mutation =
  | { readonly kind: "drop-header"; readonly header: string }
  | { readonly kind: "set-header"; readonly header: string; readonly value: Template }
  | { readonly kind: "drop-claim"; readonly claim: string }
  | { readonly kind: "set-claim"; readonly claim: string; readonly value: unknown }
  | { readonly kind: "set-jwt-header"; readonly header: Readonly<Record<string, unknown>> }
  | { readonly kind: "raw-authorization"; readonly value: string }
  | { readonly kind: "set-query"; readonly name: string; readonly value: Template | null };

/** A FHIRPath assertion on the response body. */
export interface FhirPathAssertion {
  /** FHIRPath expression; passes when it evaluates to `true` (or a non-empty collection of true). */
  readonly expression: string;
  /** What it checks, in a sentence. */
  readonly description: string;
  /** The requirement it verifies, if narrower than the scenario's. */
  readonly requirement?: string;
}

/** What the response must be. */
export interface Expectation {
  /** HTTP status; a list accepts any of them. */
  readonly status: number | readonly number[];
  /** Spine error code (`issue.details.coding.code`); a list accepts documented variants. */
  readonly spineCode?: string | readonly string[];
  /** `resourceType` of the body. */
  readonly resourceType?: string;
  /** `Bundle.type`. */
  readonly bundleType?: string;
  /** Profile the body (and, for Bundles, each entry with a GP Connect profile) must validate against. */
  readonly profile?: string;
  /** Validate the body against the profiles it claims in `meta.profile`. */
  readonly validate?: boolean;
  /** `Bundle.id` must equal the request's `Ssp-TraceID`. */
  readonly bundleIdIsTraceId?: boolean;
  /** Response headers: exact value, or `/regex/` written as a string. */
  readonly headers?: Readonly<Record<string, string>>;
  /** FHIRPath assertions. */
  readonly fhirpath?: readonly FhirPathAssertion[];
  /**
   * Overrides when the target is reached through an SSP (gpc-edge's or the real one), which
   * answers some defects itself before the provider sees them: e.g. a wrong `Ssp-To` is the
   * SSP's 403 `PARTYKEY_INTERACTION_CHECK_FAILED_…`, an unknown interaction its 415. An SSP-shaped
   * error (coding system `…/gpconnect-schedule-response-code-1-0`) carries the HTTP status as its
   * code, so `spineCode` here is matched against `issue.details.coding.display` patterns instead.
   */
  readonly viaSsp?: Omit<Expectation, "viaSsp">;
}

/**
 * What every kind of scenario (GP Connect scenario or flow, patient-facing, MESH, messaging)
 * says about itself.
 */
export interface ScenarioHeader {
  /** Unique id, e.g. `structured.allergies.resolved-included`. */
  readonly id: string;
  /** Sentence saying what is tested. */
  readonly title: string;
  readonly product: Product;
  /** Tags for selection (e.g. `jwt`, `ssp-headers`, `negative`, `format`). */
  readonly tags: readonly string[];
  /** Requirement ids verified. */
  readonly requirements: readonly string[];
}

/** One declarative scenario. */
export interface Scenario extends ScenarioHeader {
  readonly request: RequestTemplate;
  readonly mutations?: readonly Mutation[];
  readonly expect: Expectation;
  /**
   * Id of the positive twin of a negative (the same request without the defect); default the
   * generated twin of its interaction, `<short-name>.gen.twin` (negative-twins.ts).
   */
  readonly twin?: string;
}

/** One step of a multi-step flow; later steps can use `{step.<name>.…}` placeholders. */
export interface FlowStep {
  readonly name: string;
  readonly request: RequestTemplate;
  readonly mutations?: readonly Mutation[];
  readonly expect: Expectation;
}

/** A multi-step flow, run serially, with a teardown that runs whatever happened. */
export interface Flow extends ScenarioHeader {
  readonly steps: readonly FlowStep[];
  readonly teardown?: readonly FlowStep[];
  /** Id of the positive twin of a negative flow (default: its first step's interaction's). */
  readonly twin?: string;
}

/**
 * What the runner executes: a scenario or a flow over GP Connect's RESTful API, or a MESH
 * scenario (MESH API conformance) or messaging scenario (a MESH receiver's acknowledgements).
 * Read-only cases may run concurrently; MESH cases change mailboxes, so they never are.
 */
export type TestCase =
  | { readonly kind: "scenario"; readonly scenario: Scenario; readonly readOnly: boolean }
  | { readonly kind: "flow"; readonly flow: Flow; readonly readOnly: false }
  | { readonly kind: "mesh"; readonly scenario: MeshScenario; readonly readOnly: false }
  | { readonly kind: "messaging"; readonly scenario: MessagingScenario; readonly readOnly: false }
  /** A GP system's patient-facing endpoints, the harness acting as the API platform. */
  | { readonly kind: "patient-facing"; readonly scenario: PfScenario; readonly readOnly: false };

/** A validation message. */
export interface ValidationMessage {
  readonly severity: "error" | "warning" | "information";
  /** FHIRPath-like location, e.g. `Bundle.entry[2].resource.identifier[0].system`. */
  readonly path: string;
  /** What is wrong, in a sentence. */
  readonly message: string;
  /** The rule kind: `cardinality`, `type`, `fixed`, `pattern`, `binding`, `structure`, `profile`, `unknown-element`. */
  readonly rule: string;
  /** The profile URL checked against. */
  readonly profile?: string;
}

/** Validates resources against base FHIR STU3 structure and GP Connect profiles. */
export interface ProfileValidator {
  /**
   * Messages for `resource` against `profile` (default: each profile in its `meta.profile`);
   * Bundles are validated entry by entry as well.
   */
  validate(resource: unknown, options?: { profile?: string }): ValidationMessage[];
  /** Profile URLs loaded. */
  readonly profiles: readonly string[];
}

/** One HTTP exchange as evidence. Secrets redacted; the JWT decoded. */
export interface Exchange {
  readonly step?: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    /** The decoded JWT claims (the token itself is never stored). */
    readonly jwt?: unknown;
  };
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Body text, truncated past 1 MB with a note. */
    readonly body?: string;
  };
  /** Transport failure, if no response came. */
  readonly error?: string;
  readonly startedAt: string;
  readonly latencyMs: number;
}

/** One checked assertion. */
export interface AssertionResult {
  readonly description: string;
  readonly passed: boolean;
  /**
   * Requirement the assertion verifies. Built-in checks and response checks (`runner/judge.ts`,
   * `checks/`) credit their own rule, which the test's `requirements` need not list (e.g.
   * `RESP-META-PROFILE`, `FHIR-PROFILE-CONFORMANCE`, `HTTP-CACHE-CONTROL-NO-STORE`).
   */
  readonly requirement?: string;
  /** Why it failed (expected vs actual). */
  readonly message?: string;
  readonly step?: string;
}

/**
 * Outcome of one test. `error` = the harness could not run it (transport, an unbuildable
 * request); `skip` = the target lacks a prerequisite the case names (e.g. a MESH admin API);
 * `not-run` = the preflight found a fixture role it needs not ready (or stopped the run);
 * `inconclusive` = a negative whose positive twin (the same request without the defect) did not
 * pass in the same run, so its refusal proves nothing about the defect.
 */
export type TestStatus = "pass" | "fail" | "error" | "skip" | "not-run" | "inconclusive";

/** Every status, in report order. */
export const testStatuses: readonly TestStatus[] = [
  "pass",
  "fail",
  "error",
  "inconclusive",
  "not-run",
  "skip",
];

/** The result of one test case. */
export interface TestResult {
  readonly id: string;
  readonly title: string;
  readonly product: Product;
  readonly interaction: string | undefined;
  readonly tags: readonly string[];
  readonly requirements: readonly string[];
  readonly status: TestStatus;
  /** Why skipped or errored. */
  readonly reason?: string;
  readonly assertions: readonly AssertionResult[];
  readonly validation: readonly ValidationMessage[];
  readonly exchanges: readonly Exchange[];
  readonly startedAt: string;
  readonly durationMs: number;
  /**
   * `summary` when this copy of a passing test is in brief: its assertions counted
   * (`passedChecks`) and their requirements merged into `requirements`, its exchanges without
   * headers (but `Ssp-TraceID`), bodies and JWT claims, no information-level validation messages
   * (report.json and report.html; the evidence folder keeps it whole with `--evidence all`).
   */
  readonly detail?: "summary";
  /** In a summary: how many assertions were checked (all passed). */
  readonly passedChecks?: number;
  /** Information-level validation messages left out of a summary. */
  readonly omittedMessages?: number;
}

/** Counts. `tests` is the sum of the others. */
export interface Totals {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly skipped: number;
  readonly notRun: number;
  readonly inconclusive: number;
}

/** What the preflight found, as the report states it. */
export interface PreflightSummary {
  /**
   * `ready` (every role ready), `partial` (some not ready: their tests are not run), `not-ready`
   * (every role not ready), `unreachable` (no Patient search got an answer), `none` (no role used).
   */
  readonly outcome: "ready" | "partial" | "not-ready" | "unreachable" | "none";
  /** Patient searches made. */
  readonly searches: number;
  /** Fixture roles the selected tests use. */
  readonly roles: number;
  /** What is wrong, by role. */
  readonly notReady: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
  /** Whether the run stopped after the preflight (it could not run; no `--keep-going`). */
  readonly stopped: boolean;
  /** Whether `--keep-going` was given. */
  readonly keepGoing: boolean;
}

/** Who ran what against whom: everything needed to reproduce or judge the run. */
export interface RunIdentity {
  readonly odsCode: string;
  /** `Ssp-From` sent (the consumer ASID). */
  readonly sspFrom: string;
  /** `Ssp-To` sent (the provider ASID). */
  readonly sspTo: string;
  /** The fixture manifest: its file (absent = the defaults) and each role's patient. */
  readonly fixtures: {
    readonly file?: string;
    readonly roles: Readonly<
      Record<string, { readonly nhsNumber: string; readonly expect: "present" | "absent" }>
    >;
  };
  /** The profile package validated against, and the SHA-256 of its files (absent: not loaded). */
  readonly profiles?: { readonly dir: string; readonly sha256: string; readonly files: number };
  readonly preflight: PreflightSummary;
  /** Server certificates NOT verified. */
  readonly insecure: boolean;
  /** Whether the run clock was given (`--clock`) rather than the run start. */
  readonly clockGiven: boolean;
  /** The harness: its version and, when run from a git checkout, the commit. */
  readonly harness: {
    readonly version: string;
    readonly commit?: string;
    readonly dirty?: boolean;
  };
  /** What the evidence keeps of passing tests (`--evidence`). */
  readonly evidence: "failures" | "all";
}

/**
 * Requirement verdicts of a run: `verified` = at least one selected test naming the requirement
 * passed and none failed or errored; `failed` = a test failed or errored against it;
 * `notRun` = selected tests name it but none passed or failed (not run, skipped, inconclusive);
 * `untested` = no selected test names it. The four lists partition the requirements in the run's
 * scope (those of the products it ran).
 */
export interface Coverage {
  /**
   * Number of requirements in the run's scope: those of `specs/requirements.json` whose products
   * the run's tests belong to, and any other a result names.
   */
  readonly requirements: number;
  readonly verified: readonly string[];
  readonly failed: readonly string[];
  readonly notRun: readonly string[];
  readonly untested: readonly string[];
  /** Every requirement not verified (failed, not run, untested), in requirement order. */
  readonly unverified: readonly string[];
}

/** Everything a run produced; the JSON report is this object (schema `conformance/report-schema.json`). */
export interface RunReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: "gpc-edge conformance"; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The fixed run clock all relative dates come from. */
  readonly runClock: string;
  readonly target: {
    readonly kind: "local" | "direct" | "ssp" | "mesh";
    readonly description: string;
    readonly roots: Readonly<Record<string, string>>;
    readonly sspPrefix?: string;
  };
  readonly selection: Readonly<Record<string, readonly string[]>>;
  /** The run's identity (report header, JUnit suite properties). */
  readonly identity?: RunIdentity;
  readonly totals: Totals;
  readonly byProduct: Readonly<Record<string, Totals>>;
  readonly coverage: Coverage;
  readonly results: readonly TestResult[];
}
