/**
 * The data model of the harness's MESH cases (`specs/scenarios/mesh-*.yaml`):
 *
 * - a {@linkcode MeshScenario} (product `mesh`) is MESH API conformance: a series of raw MESH
 *   requests, each from one of the harness's mailboxes, with the token, headers and body it
 *   needs (a broken token, a replayed one, a chunk out of range …) and what MESH must answer
 *   (status, MESH error code and event, headers, JSON fields, body bytes);
 * - a {@linkcode MessagingScenario} (product `messaging`) certifies a GP system as a MESH receiver:
 *   the harness sends an ITK3 Send Document or Update Record message, valid or with one defect,
 *   to the practice and judges the ITK3 acknowledgements that come back and the MESH
 *   acknowledgement of its message.
 *
 * Judgements come from these expectations and the spec data (`specs/mesh-error-codes.json`,
 * `specs/itk3-response-codes.json`), never from the MESH service's code (ARCHITECTURE.md §3.8).
 *
 * @module
 */

import type { ItkDefect } from "../../client/itk3/itk-defects.ts";
import type { ScenarioHeader } from "../model.ts";

/** Text with placeholders (`mesh-placeholders.ts`). */
export type MeshTemplate = string;

/** Whose mailbox a request is made as: the harness's sending or receiving mailbox, or nobody. */
export type MeshRole = "sender" | "recipient" | "anonymous";

/**
 * The `Authorization` a request carries. `valid` (the default) is a fresh NHSMESH token for the
 * request's mailbox; every other kind breaks exactly one rule of mesh.md §2.1.
 */
export type MeshAuth =
  | { readonly kind: "valid" }
  | { readonly kind: "none" }
  /** The very token an earlier step sent (replay). */
  | { readonly kind: "replay"; readonly step: string }
  | { readonly kind: "wrong-hmac" }
  | { readonly kind: "wrong-password" }
  | { readonly kind: "wrong-key" }
  /** A well-signed token for a mailbox that does not exist. */
  | { readonly kind: "unknown-mailbox" }
  /** A valid token of another of the harness's mailboxes (token mailbox ≠ path mailbox). */
  | { readonly kind: "token-of"; readonly role: "sender" | "recipient" }
  /** Four `:`-separated parts instead of five. */
  | { readonly kind: "four-parts" }
  | { readonly kind: "count-not-numeric" }
  /** Another scheme text in place of `NHSMESH ` (`nhsmesh `, ``, `NHSMESH  `). */
  | { readonly kind: "scheme"; readonly scheme: string }
  /** A valid token whose timestamp is this many minutes from now. */
  | { readonly kind: "timestamp-offset"; readonly minutes: number }
  /** A token whose timestamp is this text (not a real `yyyyMMddHHmm`). */
  | { readonly kind: "timestamp-text"; readonly text: string };

/** A request body. */
export type MeshBody =
  | { readonly kind: "text"; readonly text: MeshTemplate }
  /** `size` bytes made deterministically from `seed` and the case id (so expectations can name them). */
  | { readonly kind: "bytes"; readonly size: number; readonly seed: string };

/** One MESH request, before placeholders and the token are filled. */
export interface MeshRequestTemplate {
  readonly as: MeshRole;
  readonly method: string;
  /**
   * Path under `/messageexchange`, e.g. `/{mailbox}/outbox`; or, with `link`, a root-relative
   * link an earlier answer gave (`{step.page1.links.next}`).
   */
  readonly path: MeshTemplate;
  /** The path is a root-relative link rather than a path under `/messageexchange`. */
  readonly link?: boolean;
  /** Headers; `null` removes one the harness sends by default (Accept, `mex-Client*`). */
  readonly headers?: Readonly<Record<string, MeshTemplate | null>>;
  readonly body?: MeshBody;
  /** Gzip the body and send `Content-Encoding: gzip` (a chunk gzipped on its own, mesh.md §3.2). */
  readonly gzip?: boolean;
  readonly auth?: MeshAuth;
}

/** A check on a JSON answer's field (`path` is dotted, `messages.length` counts a list). */
export interface MeshJsonCheck {
  readonly path: string;
  readonly description: string;
  readonly requirement?: string;
  /** Equal to this value (a string may hold placeholders). */
  readonly equals?: unknown;
  /** A string matching this regular expression. */
  readonly matches?: string;
  /** Present (true) or absent (false). */
  readonly exists?: boolean;
  /** A list holding this value. */
  readonly contains?: MeshTemplate;
  /** A list not holding this value. */
  readonly excludes?: MeshTemplate;
  /** Earlier steps whose list at the same `path` joins this answer's before the list checks. */
  readonly unionWith?: readonly string[];
  /** A list holding every `path` value of every answer of step `step` (a repeated step). */
  readonly containsAllFrom?: { readonly step: string; readonly path: string };
  /** A list sharing no value with step `step`'s `path` list. */
  readonly excludesAllFrom?: { readonly step: string; readonly path: string };
}

/** What a MESH answer must be. */
export interface MeshExpectation {
  /** HTTP status; a list accepts any of them. */
  readonly status: number | readonly number[];
  /**
   * The body is MESH's JSON error (v2 `detail[]`, v1 `errorCode`, or `errorDescription`); with
   * `code`, one of these MESH codes, whose event comes from `specs/mesh-error-codes.json`.
   */
  readonly error?: { readonly code?: readonly string[]; readonly requirement?: string };
  /** Headers, case-insensitive names: exact value, `/regex/`, or `<absent>`. */
  readonly headers?: Readonly<Record<string, MeshTemplate>>;
  readonly json?: readonly MeshJsonCheck[];
  /** The body's bytes (decompressed), exactly; `{ kind: "text", text: "" }` for an empty body. */
  readonly body?: MeshBody;
  /** Texts the body must not hold anywhere (e.g. a patient's NHS number in tracking). */
  readonly bodyExcludes?: readonly MeshTemplate[];
}

/** One step of a MESH scenario. */
export interface MeshStep {
  readonly name: string;
  /** The requirement the step's own checks verify (default: the scenario's first). */
  readonly requirement?: string;
  readonly request: MeshRequestTemplate;
  /** Send the request this many times (each with a fresh token), judging every answer. */
  readonly repeat?: number;
  /**
   * Send the request again (fresh token) until its checks pass, at most `attempts` times with
   * `delayMs` between: for what a MESH server does asynchronously (a REPORT, a status). Only the
   * last answer is judged and kept.
   */
  readonly retry?: { readonly attempts: number; readonly delayMs: number };
  readonly expect: MeshExpectation;
}

/** What a scenario needs of the target beyond a MESH server and the sending mailbox. */
export type MeshNeed = "recipient" | "admin" | "practice" | "routing";

/** A MESH API conformance scenario. */
export interface MeshScenario extends ScenarioHeader {
  readonly product: "mesh";
  /** Capabilities the target must have, else the case is skipped saying which. */
  readonly needs: readonly MeshNeed[];
  readonly steps: readonly MeshStep[];
}

/** The two GP Connect messages a practice receives over MESH. */
export type ItkMessageKind = "send-document" | "update-record";

/** One defect of an ITK3 message (`client/itk3/itk-defects.ts`). */
export type { ItkDefect };

/** The acknowledgement a messaging case expects, or that none comes. */
export interface AckExpectation {
  /** ITK3 response code(s) accepted (`specs/itk3-response-codes.json`). */
  readonly codes: readonly string[];
  readonly requirement?: string;
}

/** What a messaging case sends. */
export interface MessagingSend {
  readonly message: ItkMessageKind;
  /** Fixture role of the patient the message is about. */
  readonly patientRole: string;
  readonly defect: ItkDefect;
  /** `patient-differs-from-address`: the fixture role whose patient the payload wrongly names. */
  readonly otherPatientRole?: string;
  /** `gpprovider`: `GPPROVIDER_{nhs}_{dob}_{surname}` routed by MESH; `mailbox`: the practice's mailbox id. */
  readonly address: "gpprovider" | "mailbox";
  /** Send the identical ITK3 message twice (a duplicate); the second copy's acknowledgements are judged. */
  readonly twice?: boolean;
}

/** What must come back for a messaging case. */
export interface MessagingExpectation {
  /** The infrastructure acknowledgement. */
  readonly infAck: AckExpectation;
  /** The business acknowledgement, or `absent` (none may follow a negative InfAck). */
  readonly busAck: AckExpectation | "absent";
  /** The duplicate's acknowledgements when `send.twice` (the first copy's are `infAck`/`busAck`). */
  readonly duplicate?: {
    readonly infAck: AckExpectation;
    readonly busAck: AckExpectation | "absent";
  };
  /** The practice acknowledged the MESH message (tracking `acknowledged`). */
  readonly meshAcknowledged: boolean;
  /**
   * Send Document: the document is then in the patient's record — an Access Document search finds
   * it with its Binary byte-identical to the PDF sent (judged when the target has the documents
   * root).
   */
  readonly filed?: boolean;
}

/** A messaging receiver conformance scenario. */
export interface MessagingScenario extends ScenarioHeader {
  readonly product: "messaging";
  readonly send: MessagingSend;
  readonly expect: MessagingExpectation;
}

/** Any MESH-speaking case. */
export type MeshCaseItem = MeshScenario | MessagingScenario;
