/**
 * Permission gating (R29; OWASP API3, API5), a chain step before the forward: the user's levels
 * come from the practice's own User Permissions endpoint (`GET {endpoint}/Patient/{nhsNumber}`,
 * found in SDS under the User Permissions interaction, called with the same practice token as the
 * request — so for a delegated session the practice answers the proxy's levels), are cached in
 * the records store per platform session and practice (keyed by the access token's session id,
 * never by anything the request says), and the request's needs (permission-rules.ts) are checked
 * against them: 403 ACCESS_DENIED, and the practice's product endpoint is never called.
 *
 * The cache lives for the session but at most {@linkcode permissionsMaxAgeSeconds}, so a level the
 * practice lowers applies within minutes even to a session already open. Failures fail closed:
 * the practice refusing to answer (4xx) → 403; failing (5xx, a nonsense body, no connection) →
 * 502; silent past the provider deadline → 504. Never a 500, never a guess.
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../../app-deps.ts";
import type { RecordsStore } from "../../store/records-store.ts";
import type { PlatformSession } from "../oauth/platform-tokens.ts";
import { PlatformError } from "../platform-error.ts";
import { permissionsKey } from "../platform-keys.ts";
import { productById, type ProductId, type ProductRoute } from "../platform-specs.ts";
import { getJson } from "./json-get.ts";
import {
  checkPermissions,
  permissionLevels,
  permissionNeeds,
  type UserPermissions,
} from "./permission-rules.ts";

/** Longest a session's cached levels are trusted, seconds. */
export const permissionsMaxAgeSeconds = 300;

/** What {@linkcode userPermissions} needs. */
export interface PermissionGateDeps {
  readonly records: RecordsStore;
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

/** Where and how to ask. */
export interface PermissionsCall {
  readonly session: PlatformSession;
  readonly odsCode: string;
  /** The practice's User Permissions service root (SDS), looked up only on a cache miss. */
  readonly endpoint: () => Promise<string>;
  readonly providerToken: string;
  readonly requestId: string;
}

/** Reads the practice's answer; `undefined` when it is not User Permissions' shape. */
export function parseUserPermissions(json: unknown): UserPermissions | undefined {
  const body = json as {
    medicalRecord?: { current?: { accessLevel?: unknown } };
    prescriptions?: { accessLevel?: unknown };
  } | undefined;
  const medicalRecord = body?.medicalRecord?.current?.accessLevel;
  const prescriptions = body?.prescriptions?.accessLevel;
  if (
    typeof medicalRecord !== "string" ||
    !permissionLevels.medicalRecord.includes(medicalRecord) ||
    typeof prescriptions !== "string" ||
    !permissionLevels.prescriptions.includes(prescriptions)
  ) return undefined;
  return { medicalRecord, prescriptions };
}

/**
 * The session's levels at the practice (cached); throws `PlatformError` (403, 502, 504).
 *
 * @example
 * ```ts
 * // const levels = await userPermissions(deps, { session, odsCode, endpoint, providerToken, requestId });
 * // checkPermissions(levels, permissionNeeds(product.id, route, body));
 * ```
 */
export async function userPermissions(
  deps: PermissionGateDeps,
  call: PermissionsCall,
): Promise<UserPermissions> {
  const key = permissionsKey(call.session.sessionId, call.odsCode);
  const cached = await deps.records.get<UserPermissions>(key);
  if (cached) return cached.value;
  const endpoint = await call.endpoint();
  const url = `${endpoint.replace(/\/+$/, "")}/Patient/${call.session.nhsNumber}`;
  const result = await getJson(deps.fetch, url, {
    Authorization: `Bearer ${call.providerToken}`,
    "X-Request-ID": call.requestId,
    "Interaction-ID": productById("user-permissions").sdsInteraction,
    Accept: "application/json",
  }, deps.timeoutMs);
  if (result.kind === "timeout") {
    throw new PlatformError("GATEWAY_TIMEOUT", {
      diagnostics: `The practice's User Permissions did not answer within ${deps.timeoutMs} ms`,
    });
  }
  if (result.kind === "failed") {
    throw new PlatformError("BAD_GATEWAY", {
      diagnostics: `The practice's User Permissions failed (${result.reason})`,
    });
  }
  if (result.status >= 400 && result.status < 500) {
    throw new PlatformError("ACCESS_DENIED", {
      status: 403,
      display: "Access denied",
      diagnostics: `The practice's User Permissions answered ${result.status}: without ` +
        "the user's permission levels nothing is released",
    });
  }
  const levels = result.status === 200 ? parseUserPermissions(result.json) : undefined;
  if (!levels) {
    throw new PlatformError("BAD_GATEWAY", {
      diagnostics: `The practice's User Permissions answered ${result.status} without levels`,
    });
  }
  const expiresAt = Math.min(
    call.session.endsAt,
    deps.clock.now() + permissionsMaxAgeSeconds * 1000,
  );
  if (expiresAt > deps.clock.now()) {
    await deps.records.commit([], [{ type: "set", key, value: levels, expiresAt }]);
  }
  return levels;
}

/** What {@linkcode gateRequest} checks. */
export interface GateInput extends Omit<PermissionsCall, "endpoint"> {
  readonly product: ProductId;
  readonly route: ProductRoute;
  /** The request body parsed as JSON (structured record sections). */
  readonly body: unknown;
  /** The practice's User Permissions service root, looked up only when the route is gated. */
  readonly permissionsEndpoint: () => Promise<string>;
}

/**
 * The chain step: nothing for an ungated route; otherwise the user's levels (cached) must meet
 * every need of the request, or 403 ACCESS_DENIED before the forward. Resolves the levels used.
 *
 * @example
 * ```ts
 * // await gateRequest(deps, { product, route, body, session, odsCode, providerToken, requestId,
 * //   permissionsEndpoint: () => resolveUserPermissionsEndpoint() });
 * ```
 */
export async function gateRequest(
  deps: PermissionGateDeps,
  input: GateInput,
): Promise<UserPermissions | undefined> {
  const needs = permissionNeeds(input.product, input.route, input.body);
  if (needs.length === 0) return undefined;
  // The endpoint (PDS and SDS lookups) is asked for only when the session's levels are not cached.
  const levels = await userPermissions(deps, { ...input, endpoint: input.permissionsEndpoint });
  checkPermissions(levels, needs);
  return levels;
}
