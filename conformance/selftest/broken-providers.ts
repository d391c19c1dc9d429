/**
 * Deliberately broken GP Connect providers, for the harness's self-test: each is the reference
 * provider with exactly one spec rule broken, so a harness that passes them has a blind spot.
 * Built by wrapping the reference provider's `fetch` (request or response rewritten), so the
 * breakage is black-box visible only, like a real faulty endpoint.
 *
 * @module
 */
import { gpConnectJwt } from "../../gpconnect/jwt/gpc-jwt.ts";
import { providerDefaults } from "../../sandbox/provider/provider-sandbox.ts";
import { createProviderSandbox } from "../../sandbox/provider/provider-sandbox.ts";
import { findInteraction } from "../../gpconnect/specs.ts";

/** A kind of breakage, with the requirement a harness must report failing. */
export interface BrokenProviderKind {
  /** Short name. */
  readonly name: string;
  /** What the provider gets wrong. */
  readonly description: string;
  /** A requirement the harness must name among the failures. */
  readonly requirement: string;
  /** Harness selection that exercises the rule (keeps the self-test fast). */
  readonly selection: readonly string[];
}

/** The breakages of the self-test list. */
export const brokenProviderKinds: readonly BrokenProviderKind[] = [
  {
    name: "ignores-ssp-to",
    description: "serves requests whatever their Ssp-To",
    requirement: "SSP-HDR-TO-OWN-ASID",
    selection: ["--requirement", "SSP-HDR-TO-OWN-ASID", "--product", "foundations"],
  },
  {
    name: "bundle-id-not-trace-id",
    description: "answers the structured record with a Bundle.id other than Ssp-TraceID",
    requirement: "STR-BUNDLE-ID-TRACEID",
    selection: ["--requirement", "STR-BUNDLE-ID-TRACEID"],
  },
  {
    name: "no-cache-control",
    description: "omits Cache-Control: no-store",
    requirement: "HTTP-CACHE-CONTROL-NO-STORE",
    selection: ["--interaction", "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"],
  },
  {
    name: "accepts-bad-jwt",
    description: "answers 200 to a request whose JWT is malformed",
    requirement: "JWT-EXP-IAT-300",
    selection: ["--requirement", "JWT-EXP-IAT-300", "--product", "foundations"],
  },
  {
    name: "wrong-error-code",
    description: "answers an unknown patient with NO_RECORD_FOUND instead of PATIENT_NOT_FOUND",
    requirement: "STR-PATIENT-NOT-FOUND",
    selection: ["--requirement", "STR-PATIENT-NOT-FOUND"],
  },
];

type Fetch = (request: Request) => Promise<Response>;

async function rewriteJson(
  response: Response,
  change: (body: Record<string, unknown>) => Record<string, unknown> | undefined,
): Promise<Response> {
  if (!(response.headers.get("Content-Type") ?? "").includes("json")) return response;
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  const changed = change(body);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify(changed ?? body), { status: response.status, headers });
}

/**
 * The reference provider broken in the named way, as a fetch handler.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const provider = brokenProvider("no-cache-control"); // serve it with Deno.serve
 * const response = await provider(
 *   new Request("http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata"),
 * );
 * await response.body?.cancel();
 * assert.equal(response.headers.get("Cache-Control"), null);
 * ```
 */
export function brokenProvider(name: string): Fetch {
  const provider = createProviderSandbox();
  const reference: Fetch = (request) => Promise.resolve(provider.fetch(request));
  // Response rewrites need the body as text, so ask the provider for it uncompressed.
  const identity: Fetch = (request) => {
    const headers = new Headers(request.headers);
    headers.delete("Accept-Encoding");
    return reference(new Request(request, { headers }));
  };
  switch (name) {
    case "ignores-ssp-to":
      return (request) => {
        const headers = new Headers(request.headers);
        headers.set("Ssp-To", providerDefaults.asid);
        return reference(new Request(request, { headers }));
      };
    case "bundle-id-not-trace-id":
      return async (request) =>
        rewriteJson(
          await identity(request),
          (body) =>
            body.resourceType === "Bundle" && body.type === "collection"
              ? { ...body, id: crypto.randomUUID() }
              : undefined,
        );
    case "no-cache-control":
      return async (request) => {
        const response = await reference(request);
        const headers = new Headers(response.headers);
        headers.delete("Cache-Control");
        return new Response(response.body, { status: response.status, headers });
      };
    case "accepts-bad-jwt":
      return (request) => {
        const interaction = findInteraction(request.headers.get("Ssp-InteractionID") ?? "");
        if (!interaction) return reference(request);
        const headers = new Headers(request.headers);
        headers.set(
          "Authorization",
          `Bearer ${
            gpConnectJwt({
              requestedScope: interaction.requestedScope,
              fhirVersion: interaction.fhirVersion,
              reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
            })
          }`,
        );
        return reference(new Request(request, { headers }));
      };
    case "wrong-error-code":
      return async (request) =>
        rewriteJson(await identity(request), (body) => {
          const text = JSON.stringify(body);
          return body.resourceType === "OperationOutcome" && text.includes("PATIENT_NOT_FOUND")
            ? JSON.parse(text.replaceAll("PATIENT_NOT_FOUND", "NO_RECORD_FOUND"))
            : undefined;
        });
    default:
      throw new RangeError(`Unknown broken provider ${JSON.stringify(name)}`);
  }
}
