/**
 * What every GP Connect provider must check before it answers (reference gpconnect-ssp.md §1.6,
 * check order of the demonstrator): the SSP headers and `Authorization` present → `Ssp-To` is
 * this provider's ASID → the path is a catalogue path of this root (else 501 NOT_IMPLEMENTED for
 * a FHIR resource type or operation the root does not implement, 404 for any other path) →
 * `Ssp-InteractionID` agrees with the path and verb → the JWT → the response format (415).
 * Every rejection is 400 BAD_REQUEST unless said otherwise. The middleware leaves the matched
 * interaction and the negotiated format in the context for the handlers.
 *
 * The JWT is judged by the SSP's full checker ({@linkcode checkGpConnectJwt}, reference §2): the
 * provider rejects with its *first* finding, 400 BAD_REQUEST or 422 INVALID_RESOURCE (a claim that
 * is not the FHIR resource it should be; on STU3 a `requesting_practitioner` of another resource
 * type is 400 BAD_REQUEST, as GPC-1.6's error page shows), and `requested_scope` must be the interaction's scope.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { FhirFormat } from "../../gpconnect/media-type.ts";
import { checkGpConnectJwt } from "../../gpconnect/jwt/jwt-claims-check.ts";
import {
  type FhirVersion,
  type Interaction,
  type RootKind,
  serviceRoots,
} from "../../gpconnect/specs.ts";
import { contentTypeFhirFormat } from "../../gpconnect/media-type.ts";
import { sspHeaderRules } from "../../gpconnect/ssp-header-rules.ts";
import { negotiateFhirFormat } from "./fhir-format.ts";
import { namesUnimplementedFhir } from "./unimplemented-path.ts";
import { interactionMatchesRequest, interactionsAtPath } from "./interaction-match.ts";
import { ProviderError } from "./provider-error.ts";

/** What the duties leave in the request context. */
export interface ProviderVariables {
  /** The interaction the request is (set once `Ssp-InteractionID` is checked). */
  interaction: Interaction;
  /** Response format; JSON until negotiated. */
  format: FhirFormat;
  /** FHIR release of the root. */
  fhirVersion: FhirVersion;
  /** Absolute URL of the service root the request is under. */
  rootUrl: string;
}

/** Hono environment of the provider sandbox. */
export type ProviderEnv = { Variables: ProviderVariables };

/** Options for {@linkcode providerDuties}. */
export interface ProviderDutiesOptions {
  /** This provider's ASID; `Ssp-To` must equal it. */
  readonly asid: string;
  /** The root kind this middleware guards. */
  readonly rootKind: RootKind;
  /** The root's path, e.g. `/B82617/STU3/1/gpconnect/fhir`. */
  readonly rootPath: string;
  /** Clock for JWT expiry. */
  readonly now: () => Date;
  /** Clock-skew allowance for JWT `exp`/`iat`; default {@linkcode providerJwtLeewaySeconds}. */
  readonly jwtLeewaySeconds?: number;
}

/** The provider's default JWT clock leeway: the demonstrator's `request.leeway` default (§2.2). */
export const providerJwtLeewaySeconds = 5;

/**
 * Middleware enforcing the provider duties for one service root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { providerRequestHeaders } from "./provider-request.ts";
 * const rootPath = "/B82617/STU3/1/gpconnect/fhir";
 * const now = () => new Date();
 * const app = new Hono<ProviderEnv>()
 *   .use(
 *     `${rootPath}/*`,
 *     providerDuties({ asid: "918999198738", rootKind: "foundations", rootPath, now }),
 *   )
 *   .get(`${rootPath}/metadata`, (c) => c.text(c.get("interaction")?.name ?? ""));
 * const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
 * const accepted = await app.request(`${rootPath}/metadata`, {
 *   headers: providerRequestHeaders(metadata),
 * });
 * assert.equal(await accepted.text(), "Read metadata"); // set by the duties
 * ```
 */
export function providerDuties(options: ProviderDutiesOptions): MiddlewareHandler<ProviderEnv> {
  const fhirVersion = serviceRoots[options.rootKind].fhirVersion;
  return async (c, next) => {
    const url = new URL(c.req.url);
    const format = negotiateFhirFormat({
      format: url.searchParams.get("_format") ?? undefined,
      accept: c.req.header("Accept"),
      contentType: c.req.header("Content-Type"),
    }, fhirVersion);
    c.set("fhirVersion", fhirVersion);
    c.set("format", format ?? "json");
    c.set("rootUrl", `${url.origin}${options.rootPath}`);

    // The same header rules the SSP applies: Ssp-TraceID a UUID, ASIDs numeric, a URN, Bearer.
    for (const rule of sspHeaderRules) {
      const value = (c.req.header(rule.name) ?? "").trim();
      if (value === "") {
        throw new ProviderError("BAD_REQUEST", `Missing or empty ${rule.name} header`);
      }
      if (!rule.valid(value)) {
        throw new ProviderError("BAD_REQUEST", `Malformed ${rule.name} header`);
      }
    }
    const sspTo = c.req.header("Ssp-To")!.trim();
    if (sspTo !== options.asid) {
      throw new ProviderError(
        "BAD_REQUEST",
        `Ssp-To ${sspTo} is not this provider's ASID ${options.asid}`,
      );
    }
    const relativePath = url.pathname.slice(options.rootPath.length);
    if (interactionsAtPath(options.rootKind, relativePath).length === 0) {
      // A resource type or operation this root does not implement is 501; other paths are 404.
      if (namesUnimplementedFhir(options.rootKind, relativePath)) {
        throw new ProviderError(
          "NOT_IMPLEMENTED",
          `${relativePath} is not implemented by this provider's ${options.rootKind} root`,
        );
      }
      throw new ProviderError("NO_RECORD_FOUND", `No resource or operation at ${url.pathname}`);
    }
    const interactionId = c.req.header("Ssp-InteractionID")!.trim();
    const interaction = interactionMatchesRequest(
      interactionId,
      options.rootKind,
      c.req.method,
      relativePath,
    );
    if (!interaction) {
      throw new ProviderError(
        "BAD_REQUEST",
        `Ssp-InteractionID ${interactionId} does not match ${c.req.method} ${relativePath}`,
      );
    }
    c.set("interaction", interaction);
    const jwt = checkGpConnectJwt(c.req.header("Authorization") ?? "", {
      interaction,
      nowSeconds: Math.floor(options.now().getTime() / 1000),
      leewaySeconds: options.jwtLeewaySeconds ?? providerJwtLeewaySeconds,
    });
    const finding = jwt.findings[0];
    if (finding) {
      // GPC-1.6's error page gives a requesting_practitioner that is another resource type (its
      // example: a Patient) as 400 BAD_REQUEST; the test pack's 422 stays for other claims.
      const wrongPractitioner = fhirVersion === "STU3" &&
        finding.claim === "requesting_practitioner" &&
        isWrongResourceType(jwt.claims?.requesting_practitioner, "Practitioner");
      throw wrongPractitioner
        ? new ProviderError("BAD_REQUEST", `JWT ${finding.claim}: ${finding.problem}`, 400)
        : new ProviderError(
          finding.spineCode,
          `JWT ${finding.claim}: ${finding.problem}`,
          finding.status,
        );
    }
    const contentType = c.req.header("Content-Type");
    if (
      (c.req.method === "POST" || c.req.method === "PUT") &&
      (contentType === undefined || contentTypeFhirFormat(contentType, fhirVersion) === undefined)
    ) {
      throw new ProviderError(
        "BAD_REQUEST",
        `Content-Type ${JSON.stringify(contentType ?? "")} is not a ${fhirVersion} FHIR media type`,
        415,
      );
    }
    if (format === undefined) {
      throw new ProviderError(
        "BAD_REQUEST",
        "Unsupported media type requested by _format or Accept",
        415,
      );
    }
    await next();
  };
}

/** A JSON object whose `resourceType` is a string other than `expected`. */
function isWrongResourceType(value: unknown, expected: string): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const type = (value as Record<string, unknown>).resourceType;
  return typeof type === "string" && type !== expected;
}
