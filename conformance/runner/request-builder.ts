/**
 * Builds one HTTP request from a scenario's or flow step's template: resolves the interaction
 * (root, method, FHIR release, scope), fills the placeholders, sets the SSP headers, media types
 * and a fresh consumer JWT, then applies the mutations. Everything but the trace id is
 * deterministic for a run clock.
 *
 * @module
 */
import { encodeUnsignedJwt } from "../../gpconnect/jwt/gpc-jwt.ts";
import { fhirMediaType } from "../../gpconnect/media-type.ts";
import { findInteraction, type Interaction, type RootKind } from "../../gpconnect/specs.ts";
import type { FixtureDemographics } from "../config/fixture-manifest.ts";
import type { JwtValues } from "../config/harness-config.ts";
import type { Mutation, RequestTemplate } from "../model.ts";
import { consumerJwtClaims } from "./jwt-claims.ts";
import { applyMutations, type RequestDraft } from "./mutations.ts";
import { fillBody, fillTemplate, type PlaceholderContext, TemplateError } from "./placeholders.ts";

/** A fixture role as the preflight found it on the target. */
export interface ResolvedPatient {
  readonly role: string;
  readonly nhsNumber: string;
  /** Logical ids found by Patient search, per root searched. */
  readonly ids: Readonly<Partial<Record<RootKind, string>>>;
  /** Id to use when no search found one (manifest `logicalId`). */
  readonly fallbackId?: string;
  /** The patient's demographics (manifest), for `{family}` and the like. */
  readonly demographics?: FixtureDemographics;
}

/** What building a request needs from the run. */
export interface BuildContext {
  /** The request URL for a path under a root (undefined when the target lacks the root). */
  readonly urlFor: (root: RootKind, path: string) => string | undefined;
  /** Provider service roots (the STU3 JWT `aud`). */
  readonly roots: Readonly<Partial<Record<RootKind, string>>>;
  readonly fromAsid: string;
  readonly toAsid: string;
  readonly odsCode: string;
  readonly jwt: JwtValues;
  readonly runClock: Date;
  /** JWT `iat` for a request built now. */
  readonly issuedAt: () => number;
  /** Roles by name (from the preflight). */
  readonly patients: ReadonlyMap<string, ResolvedPatient>;
  /** Parsed response bodies of earlier flow steps. */
  readonly steps?: ReadonlyMap<string, unknown>;
  /** Evaluates FHIRPath for `{step.<name>:<FHIRPath>}`. */
  readonly evaluateFhirPath?: (resource: unknown, expression: string) => unknown[];
  /** A new trace id (default `crypto.randomUUID`). */
  readonly newTraceId?: () => string;
}

/** A request ready to send. */
export interface BuiltRequest {
  readonly interaction: Interaction;
  readonly method: string;
  readonly url: string;
  /** All headers, `Authorization` included (never stored as is). */
  readonly headers: Headers;
  readonly body?: string;
  /** The claims of the JWT sent, when one was. */
  readonly jwt?: Record<string, unknown>;
  /** What the placeholders of this request resolved to (for its expectation's templates). */
  readonly placeholders: PlaceholderContext;
}

/**
 * The request for a template and its mutations. Throws a {@linkcode TemplateError} when it cannot
 * be built (unknown interaction, a root the target lacks, an unfillable placeholder).
 */
export function buildRequest(
  template: RequestTemplate,
  mutations: readonly Mutation[] | undefined,
  context: BuildContext,
): BuiltRequest {
  const interaction = findInteraction(template.interaction);
  if (!interaction) throw new TemplateError(`unknown interaction ${template.interaction}`);
  const patient = patientOf(template.patientRole, context.patients);
  const traceId = (context.newTraceId ?? (() => crypto.randomUUID()))();
  const placeholders: PlaceholderContext = {
    odsCode: context.odsCode,
    runClock: context.runClock,
    traceId,
    ...(context.steps ? { steps: context.steps } : {}),
    ...(context.evaluateFhirPath ? { evaluateFhirPath: context.evaluateFhirPath } : {}),
    ...(template.patientRole === undefined ? {} : { patientRole: template.patientRole }),
    ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
    ...(patient?.demographics ? { demographics: patient.demographics } : {}),
    ...patientIdOf(patient, interaction.root),
  };
  const url = context.urlFor(interaction.root, fillTemplate(template.path, placeholders));
  const root = context.roots[interaction.root];
  if (url === undefined || root === undefined) {
    throw new TemplateError(
      `the target has no ${interaction.root} root (configure it to run ${interaction.name})`,
    );
  }
  const mediaType = `${fhirMediaType(interaction.fhirVersion, "json")};charset=utf-8`;
  const headers = new Headers({
    "Ssp-TraceID": traceId,
    "Ssp-From": context.fromAsid,
    "Ssp-To": context.toAsid,
    "Ssp-InteractionID": interaction.id,
    "Accept": mediaType,
  });
  const body = template.rawBody !== undefined
    ? fillTemplate(template.rawBody, placeholders, { strict: false })
    : template.body !== undefined
    ? JSON.stringify(fillBody(template.body, placeholders))
    : undefined;
  if (body !== undefined) headers.set("Content-Type", mediaType);
  for (const [name, value] of Object.entries(template.headers ?? {})) {
    headers.set(name, fillTemplate(value, placeholders));
  }
  const issuedAt = context.issuedAt();
  const claims = consumerJwtClaims(interaction, {
    values: context.jwt,
    audience: root,
    issuedAt,
    odsCode: context.odsCode,
    ...(patient ? { nhsNumber: patient.nhsNumber } : {}),
  });
  const draft: RequestDraft = {
    method: template.method ?? interaction.method,
    url,
    headers,
    ...(body === undefined ? {} : { body }),
    claims,
    jwtHeader: { alg: "none", typ: "JWT" },
    authorization: { kind: "jwt" },
  };
  applyMutations(draft, mutations ?? [], { ...placeholders, epoch: issuedAt });
  const sent = new Headers(draft.headers);
  if (draft.authorization.kind === "jwt") {
    sent.set("Authorization", `Bearer ${encodeUnsignedJwt(draft.claims, draft.jwtHeader)}`);
  } else if (draft.authorization.kind === "raw") {
    sent.set("Authorization", draft.authorization.value);
  }
  return {
    interaction,
    method: draft.method,
    url: draft.url,
    headers: sent,
    ...(draft.body === undefined ? {} : { body: draft.body }),
    ...(draft.authorization.kind === "jwt" ? { jwt: draft.claims } : {}),
    placeholders,
  };
}

function patientOf(
  role: string | undefined,
  patients: ReadonlyMap<string, ResolvedPatient>,
): ResolvedPatient | undefined {
  if (role === undefined) return undefined;
  const patient = patients.get(role);
  if (!patient) throw new TemplateError(`fixture role ${role} is not resolved on the target`);
  return patient;
}

function patientIdOf(patient: ResolvedPatient | undefined, root: RootKind): { patientId?: string } {
  const id = patient?.ids[root] ?? patient?.ids.foundations ?? patient?.fallbackId;
  return id === undefined ? {} : { patientId: id };
}
