/**
 * The data model of the harness's patient-facing cases (`specs/scenarios/pf-*.yaml`, product
 * `patient-facing`): the harness plays the NHS API platform towards a GP system's patient-facing
 * side (reference patient-facing-and-security.md A2 steps 8–9). A scenario is a series of steps;
 * each is either a token exchange at the practice's authorisation service (an NHS login id_token
 * for a fixture patient and the harness's RS512 client assertion, possibly broken in one way) or
 * a call to one of the practice's product roots with a provider token, `X-Request-ID` and
 * `X-Correlation-ID` and no `Ssp-*` header. A teardown undoes what the steps wrote.
 *
 * Judgements come from the expectations (the shared GP Connect judge: status, resource and Bundle
 * type, FHIRPath, profiles) and the spec data, never from the practice's code.
 *
 * @module
 */
import type { Expectation, ScenarioHeader } from "../model.ts";

/** The practice's patient-facing APIs (reference A1), each at its own service root. */
export const pfApis = [
  "access-record",
  "appointments-management",
  "prescriptions",
  "user-permissions",
] as const;

/** One patient-facing API. */
export type PfApi = typeof pfApis[number];

/**
 * How the client assertion of a token exchange is made: `valid` (the registered key, `aud` the
 * token endpoint, exp now + 300 s) or broken in exactly one way (reference A3).
 */
export const pfAssertionKinds = [
  "valid",
  /** Signed with a key the practice has never seen. */
  "unknown-key",
  /** `aud` is another URL. */
  "wrong-audience",
  /** Expired a minute ago. */
  "expired",
  /** `exp` 15 minutes ahead (A3: at most 5 minutes). */
  "too-long",
  /** The same assertion a second time (its `jti` already used). */
  "replayed",
  /** No assertion at all. */
  "missing",
  /** The valid claims unsigned, `alg: none` (B5 R1). */
  "alg-none",
] as const;

/** A kind of client assertion. */
export type PfAssertionKind = typeof pfAssertionKinds[number];

/** How the subject token (NHS login id_token) of an exchange is made. */
export const pfSubjectKinds = [
  "valid",
  /** A P5 login (A2: only P9 may reach patient-facing APIs). */
  "p5",
  /** The patient's valid token with its payload altered (signature no longer verifies). */
  "tampered",
] as const;

/** A kind of subject token. */
export type PfSubjectKind = typeof pfSubjectKinds[number];

/** A token exchange at the practice's authorisation service. */
export interface PfExchangeTemplate {
  /** Fixture role whose NHS login id_token is the subject token. */
  readonly patientRole: string;
  /** A proxy acting for the patient (a delegated login: `act.sub` with the proxy's token, A4). */
  readonly actorRole?: string;
  readonly assertion: PfAssertionKind;
  readonly subject: PfSubjectKind;
}

/**
 * Whose provider token a request carries: a fixture role's (exchanged once per run and role),
 * `none` (no Authorization header) or `invalid` (a bearer token the practice never issued).
 */
export type PfCaller = string;

/** A request to one of the practice's product roots, before placeholders are filled. */
export interface PfRequestTemplate {
  readonly api: PfApi;
  readonly method: string;
  /** Path under the API's root, with placeholders (`pf-placeholders.ts`). */
  readonly path: string;
  /** Fixture role whose provider token is sent; `none`, `invalid`. */
  readonly as: PfCaller;
  /** A proxy acting for `as`: the token is from the proxy's delegated login (A4). */
  readonly actor?: string;
  /** Extra headers; `null` removes one the harness sends (X-Request-ID, X-Correlation-ID). */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** JSON body; strings may hold placeholders. */
  readonly body?: unknown;
  /** Send the `X-Request-ID` this earlier step sent (a retry, A5). */
  readonly requestIdOf?: string;
}

/**
 * What a response must be: the shared expectation (status, Spine code under the STU3 or R4
 * Spine error code system, resource and Bundle type, headers, FHIRPath, profile) and the
 * patient-facing checks.
 */
export interface PfExpectation extends Omit<Expectation, "viaSsp" | "bundleIdIsTraceId"> {
  /** `Bundle.id` equals the request's `X-Request-ID` (A5). */
  readonly bundleIdIsRequestId?: boolean;
  /** The response mirrors `X-Request-ID` (A5). */
  readonly mirrorsRequestId?: boolean;
  /** An error is an OperationOutcome in a FHIR JSON media type (A6). */
  readonly operationOutcome?: boolean;
  /** A token endpoint answer: an OAuth error JSON (`error`), or an access token. */
  readonly oauth?: "token" | "error";
  /** The body's `id` equals this earlier step's body's `id` (a retry returns the same resource). */
  readonly sameIdAs?: string;
  /**
   * A 2xx resource answer keeps FHIR R4's structure (`gpconnect/r4-structure.ts`; a Bundle's
   * entries too): the R4 roots' stand-in for profile validation (decision RX1).
   */
  readonly r4Structure?: boolean;
  /** The requirement the patient-facing checks are credited to, if not the scenario's first. */
  readonly requirement?: string;
}

/** One step. */
export interface PfStep {
  readonly name: string;
  readonly exchange?: PfExchangeTemplate;
  readonly request?: PfRequestTemplate;
  readonly expect: PfExpectation;
}

/**
 * Something a scenario needs from the target, or it is skipped saying so: an API root, a patient
 * whose prescriptions level is `view`, or id_tokens minted on demand (a P5 login).
 */
export type PfNeed = PfApi | "view-user" | "minted-id-tokens";

/** One patient-facing scenario. */
export interface PfScenario extends ScenarioHeader {
  readonly product: "patient-facing";
  /** The APIs (and fixtures) it needs; derived from its steps plus any listed. */
  readonly needs: readonly PfNeed[];
  readonly steps: readonly PfStep[];
  /** Runs whatever happened; a step whose placeholders an unrun step should fill is skipped. */
  readonly teardown?: readonly PfStep[];
}
