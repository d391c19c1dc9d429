/**
 * A light check of the GP Connect JWT a provider must receive (reference gpconnect-ssp.md §2):
 * `Bearer` + an unsecured JWT (`{"alg":"none","typ":"JWT"}`, empty signature, base64url), the
 * required claims present, `exp − iat = 300`, not expired, `reason_for_request` and
 * `requested_scope` fitting the interaction, `sub` = `requesting_practitioner.id`. A claim holding
 * the wrong FHIR resource type is 422 INVALID_RESOURCE; every other defect 400 BAD_REQUEST. The
 * complete checker lives with the SSP; this is the provider's own guard.
 *
 * @module
 */
import type { Interaction } from "../../worker/specs.ts";
import { ProviderError } from "./provider-error.ts";

/** Seconds of clock skew tolerated on `exp`. */
export const jwtLeewaySeconds = 5;

const requiredClaims = [
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "reason_for_request",
  "requested_scope",
  "requesting_device",
  "requesting_organization",
  "requesting_practitioner",
] as const;

const claimResourceTypes = {
  requesting_device: "Device",
  requesting_organization: "Organization",
  requesting_practitioner: "Practitioner",
} as const;

function decodePart(part: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw jwtError(`JWT ${what} is not base64url`);
  try {
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    );
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new TypeError("not an object");
    }
    return value as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof ProviderError) throw cause;
    throw jwtError(`JWT ${what} is not a base64url JSON object`);
  }
}

function jwtError(diagnostics: string): ProviderError {
  return new ProviderError("BAD_REQUEST", diagnostics);
}

/**
 * Checks the `Authorization` header for an interaction; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * checkGpConnectJwt(`Bearer ${gpConnectJwt({ requestedScope: "organization/*.read" })}`, metadataInteraction, Date.now() / 1000);
 * ```
 */
export function checkGpConnectJwt(
  authorization: string | undefined,
  interaction: Interaction,
  nowSeconds: number,
): void {
  const match = /^bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
  if (!match) throw jwtError("Authorization header must be 'Bearer <JWT>'");
  const parts = match[1]!.split(".");
  if (parts.length !== 3 || parts[2] !== "") {
    throw jwtError("JWT must be unsecured: header.payload. with an empty signature");
  }
  const header = decodePart(parts[0]!, "header");
  const headerKeys = Object.keys(header).sort().join(",");
  if (headerKeys !== "alg,typ" || header.alg !== "none" || header.typ !== "JWT") {
    throw jwtError('JWT header must be exactly {"alg":"none","typ":"JWT"}');
  }
  const claims = decodePart(parts[1]!, "payload");
  for (const claim of requiredClaims) {
    if (claims[claim] === undefined || claims[claim] === null || claims[claim] === "") {
      throw jwtError(`JWT claim ${claim} is missing`);
    }
  }
  if (interaction.fhirVersion === "DSTU2" && claims.requested_record === undefined) {
    throw jwtError("JWT claim requested_record is missing");
  }
  const { exp, iat } = claims;
  if (!Number.isInteger(exp) || !Number.isInteger(iat)) {
    throw jwtError("JWT exp and iat must be integer epoch seconds");
  }
  if ((exp as number) - (iat as number) !== 300) throw jwtError("JWT exp must be iat + 300");
  if ((exp as number) + jwtLeewaySeconds < nowSeconds) throw jwtError("JWT has expired");
  if (!interaction.reasonForRequest.includes(String(claims.reason_for_request))) {
    throw jwtError(
      `JWT reason_for_request must be ${
        interaction.reasonForRequest.join(" or ")
      } for this interaction`,
    );
  }
  const scope = String(claims.requested_scope).split(" ");
  if (
    scope[0] !== interaction.requestedScope || scope.length > 2 ||
    (scope.length === 2 && scope[1] !== "conf/N" && scope[1] !== "conf/R")
  ) {
    throw jwtError(
      `JWT requested_scope must be ${interaction.requestedScope} for this interaction`,
    );
  }
  for (const [claim, resourceType] of Object.entries(claimResourceTypes)) {
    const value = claims[claim] as { resourceType?: unknown };
    if (typeof value !== "object" || value.resourceType !== resourceType) {
      throw new ProviderError("INVALID_RESOURCE", `JWT claim ${claim} must be a ${resourceType}`);
    }
  }
  const practitioner = claims.requesting_practitioner as { id?: unknown };
  if (practitioner.id !== claims.sub) {
    throw jwtError("JWT sub must equal requesting_practitioner.id");
  }
}
