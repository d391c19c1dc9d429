/**
 * SDS FHIR client: (practice ODS code, interaction) → provider endpoint address, MHS party key
 * and provider ASID (shared/reference/pds-sds.md §0 steps 2–3, §2, §3.2).
 *
 * Order: `/Endpoint` by organisation + interaction gives the service root (`address`, kept byte
 * for byte: the SSP compares it with the target URL) and the party key; `/Device` by
 * organisation + interaction + that party key gives the ASID. Keying the Device on the party
 * key is the FHIR form of GP Connect's LDAP step 2, which matters because a practice can have
 * several GP Connect ASIDs. GP Connect says the endpoint lookup "should return a single
 * endpoint", so several is an error rather than a guess.
 *
 * @module
 */
import type { UpstreamFetch } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import type { ProviderEndpoint } from "./directory-types.ts";
import {
  callUpstream,
  describeAnswer,
  type UpstreamAnswer,
  UpstreamUnreachable,
} from "./upstream-call.ts";
import { isUuid } from "../../gpconnect/uuid.ts";

/** What {@linkcode createSdsClient} needs. */
export interface SdsClientOptions {
  /** SDS FHIR base URL, e.g. `https://int.api.service.nhs.uk/spine-directory/FHIR/R4`. */
  readonly baseUrl: string;
  /** `apikey` header value; omitted for sandboxes. Never logged nor put in an error. */
  readonly apiKey?: string | undefined;
  /** Upstream fetch. */
  readonly fetch: UpstreamFetch;
  /** Deadline of each call (headers and body), in milliseconds. */
  readonly timeoutMs: number;
  /** UUID generator for `X-Correlation-Id`. */
  readonly randomUUID: () => string;
}

/** An SDS client. */
export interface SdsClient {
  /**
   * The provider endpoint for `interactionId` at practice `odsCode`. `correlationId` (a UUID)
   * becomes `X-Correlation-Id` of both calls; a fresh one is generated otherwise. Throws
   * `GpcEdgeError`.
   */
  getEndpoint(
    odsCode: string,
    interactionId: string,
    correlationId?: string,
  ): Promise<ProviderEndpoint>;
}

/**
 * Throws `INVALID_PARAMETER` (422) unless the ODS code is alphanumeric and the interaction ID
 * is a non-empty token without whitespace or `|` (which would corrupt the `system|value` query).
 */
export function assertValidSdsKey(odsCode: string, interactionId: string): void {
  if (!/^[A-Za-z0-9]{1,12}$/.test(odsCode)) {
    throw GpcEdgeError.gpconnect("INVALID_PARAMETER", {
      diagnostics: `ODS code ${JSON.stringify(odsCode)} must be 1 to 12 letters or digits`,
    });
  }
  if (!/^[^\s|]{1,200}$/.test(interactionId)) {
    throw GpcEdgeError.gpconnect("INVALID_PARAMETER", {
      diagnostics: `Interaction ID ${JSON.stringify(interactionId)} is not a valid interaction URN`,
    });
  }
}

interface FhirIdentifier {
  system?: unknown;
  value?: unknown;
}

interface SdsResource {
  resourceType?: unknown;
  address?: unknown;
  identifier?: FhirIdentifier[];
}

/**
 * Creates an SDS client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // SDS: the sandbox app, in-process; a deployment passes SDS's base URL and the global `fetch`.
 * import { directorySandboxes, sdsBase, structured } from "../testing/directory-sandboxes.ts";
 * const sds = createSdsClient({
 *   baseUrl: sdsBase,
 *   fetch: directorySandboxes().fetch,
 *   timeoutMs: 10_000,
 *   randomUUID: () => crypto.randomUUID(),
 * });
 * const { address, asid } = await sds.getEndpoint("A20047", structured);
 * assert.match(address, /^https:\/\/provider\.example\.nhs\.uk\//);
 * assert.match(asid, /^\d{12}$/);
 * ```
 */
export function createSdsClient(options: SdsClientOptions): SdsClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const search = async (
    resourceType: "Endpoint" | "Device",
    params: ReadonlyArray<readonly [string, string]>,
    correlationId: string,
  ): Promise<SdsResource[]> => {
    const query = new URLSearchParams();
    for (const [name, value] of params) query.append(name, value);
    const headers = new Headers({
      "Accept": "application/fhir+json",
      "X-Correlation-Id": correlationId,
    });
    if (options.apiKey) headers.set("apikey", options.apiKey);
    const request = new Request(`${baseUrl}/${resourceType}?${query}`, {
      headers,
      redirect: "manual",
    });
    let answer: UpstreamAnswer;
    try {
      answer = await callUpstream(options.fetch, request, options.timeoutMs);
    } catch (error) {
      if (error instanceof UpstreamUnreachable) throw unreachable(error);
      throw error;
    }
    if (answer.status !== 200) throw unavailable(`${resourceType}: ${describeAnswer(answer)}`);
    const bundle = answer.json as { resourceType?: unknown; entry?: unknown } | undefined;
    if (bundle === undefined) throw unavailable(`${resourceType}: HTTP 200 without a JSON body`);
    if (bundle.resourceType !== "Bundle") {
      throw unavailable(
        `${resourceType}: HTTP 200 with a ${String(bundle.resourceType)}, not a Bundle`,
      );
    }
    const entries = Array.isArray(bundle.entry)
      ? bundle.entry as Array<{ resource?: SdsResource }>
      : [];
    return entries.flatMap((entry) =>
      entry.resource?.resourceType === resourceType ? [entry.resource] : []
    );
  };

  return {
    async getEndpoint(odsCode, interactionId, correlationId) {
      assertValidSdsKey(odsCode, interactionId);
      const id = isUuid(correlationId) ? correlationId : options.randomUUID();
      const where = `interaction ${interactionId} at practice ${odsCode}`;
      const organization = [
        "organization",
        `${identifierSystems.odsOrganizationCode}|${odsCode}`,
      ] as const;
      const interaction = [
        "identifier",
        `${identifierSystems.serviceInteractionId}|${interactionId}`,
      ] as const;

      const endpoints = await search("Endpoint", [organization, interaction], id);
      if (endpoints.length === 0) {
        throw GpcEdgeError.gpconnect("NO_RECORD_FOUND", {
          diagnostics: `SDS has no endpoint for ${where}`,
          cacheable: true,
        });
      }
      if (endpoints.length > 1) {
        throw ambiguous(`SDS has ${endpoints.length} endpoints for ${where}; expected exactly one`);
      }
      const endpoint = endpoints[0]!;
      const address = endpoint.address;
      if (typeof address !== "string" || address.trim() === "") {
        throw ambiguous(`SDS endpoint for ${where} has no address`);
      }
      const partyKey = identifierValue(endpoint, identifierSystems.mhsPartyKey);
      if (partyKey === undefined) {
        throw ambiguous(`SDS endpoint for ${where} has no MHS party key`);
      }
      const cpaId = identifierValue(endpoint, identifierSystems.mhsCpaId);

      const devices = await search("Device", [
        organization,
        interaction,
        ["identifier", `${identifierSystems.mhsPartyKey}|${partyKey}`],
      ], id);
      if (devices.length === 0) {
        throw GpcEdgeError.gpconnect("NO_RECORD_FOUND", {
          diagnostics:
            `SDS has no accredited system (Device) for ${where} with party key ${partyKey}`,
          cacheable: true,
        });
      }
      if (devices.length > 1) {
        throw ambiguous(
          `SDS has ${devices.length} accredited systems (Devices) for ${where} with party key ${partyKey}; expected exactly one`,
        );
      }
      const asid = identifierValue(devices[0]!, identifierSystems.spineAsid);
      if (asid === undefined) {
        throw ambiguous(`SDS accredited system (Device) for ${where} has no ASID`);
      }
      return { odsCode, interactionId, address, partyKey, asid, cpaId };
    },
  };
}

function identifierValue(resource: SdsResource, system: string): string | undefined {
  const identifiers = Array.isArray(resource.identifier) ? resource.identifier : [];
  const value = identifiers.find((identifier) => identifier.system === system)?.value;
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A timeout is a 504 (issue 9), anything else unreachable a 502. */
function unreachable(error: UpstreamUnreachable): GpcEdgeError {
  return error.timedOut
    ? GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
      status: 504,
      issueCode: "timeout",
      diagnostics: `SDS timed out: ${error.message}`,
      cause: error,
    })
    : unavailable(error.message, error);
}

function unavailable(reason: string, cause?: unknown): GpcEdgeError {
  return GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
    status: 502,
    issueCode: "transient",
    diagnostics: `SDS unavailable: ${reason}`,
    cause,
  });
}

/** SDS answered, but not with exactly one usable record: a directory data problem. */
function ambiguous(diagnostics: string): GpcEdgeError {
  return GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
    status: 502,
    issueCode: "processing",
    diagnostics,
  });
}
