/**
 * The SSP's receiver and target checks (reference gpconnect-ssp.md §1.3 checks 3 and 5): the
 * receiving ASID must be registered in SDS for the interaction, and the embedded provider URL
 * must be SDS's endpoint for that receiver and interaction byte for byte.
 *
 * SDS is asked for (ODS code, interaction), the ODS code being the first path segment of the
 * embedded URL (the service root format `https://[FQDN]/[ODS_CODE]/…`); see specs/decisions.md.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { DirectoryResolver } from "../directory/directory-types.ts";
import { GpcEdgeError } from "../errors.ts";
import { requestBindings } from "../request-bindings.ts";
import { established, type SspEnv } from "./ssp-state.ts";
import { targetMatchesEndpoint } from "./ssp-target.ts";

/**
 * Middleware: looks the receiver up in SDS (through the directory cache) and checks the target
 * URL. A first path segment that cannot be an ODS code → 400
 * `REQUEST_UNMATCHED_INVALID_ODS_CODE` without asking SDS (the consumer's error, not SDS's);
 * unknown receiver, or an endpoint whose ASID is not `Ssp-To` → 403
 * `PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_<to>`; target ≠ SDS endpoint → 400
 * `ENDPOINT_<sds>_CPAID_<cpa>_VARIES_FROM_TARGETURL_<target>`; SDS too slow → 504
 * `TIMEOUT_COMMUNICATING_TO_SDS`; SDS unreachable or failing → 502 `ERROR_COMMUNICATING_TO_SDS`.
 */
export function sspReceiverCheck(directory: DirectoryResolver): MiddlewareHandler<SspEnv> {
  return async function sspReceiverAndTarget(c, next) {
    const { to, traceId } = established(c, "sspHeaders");
    const target = established(c, "sspTarget");
    const interactionId = established(c, "sspInteraction").id;
    const receiverUnknown = (diagnostics: string, cause?: unknown) =>
      GpcEdgeError.ssp("PARTYKEY_CHECK_FAILED", { toAsid: to }, { diagnostics, cause });
    if (target.odsCode === undefined) {
      throw GpcEdgeError.ssp("INVALID_TARGET_ODS", {}, {
        diagnostics:
          "The provider URL's first path segment is not an ODS code (1 to 12 letters or digits)",
      });
    }
    const defer = requestBindings(c).defer;
    let endpoint;
    try {
      const found = await directory.lookupEndpoint(target.odsCode, interactionId, {
        requestId: traceId,
        ...(defer ? { waitUntil: defer } : {}),
      });
      endpoint = found.value;
      // Established even if the checks below fail: the audit line reports where SDS answered from.
      c.set("sspEndpoint", { endpoint, source: found.source });
    } catch (error) {
      if (error instanceof GpcEdgeError && error.status === 404) {
        throw receiverUnknown(
          `SDS has no endpoint for ${target.odsCode} and this interaction`,
          error,
        );
      }
      const timedOut = error instanceof GpcEdgeError && error.status === 504;
      throw GpcEdgeError.ssp(timedOut ? "DIRECTORY_TIMEOUT" : "DIRECTORY_UNAVAILABLE", {}, {
        diagnostics: error instanceof GpcEdgeError
          ? error.diagnostics ?? error.display
          : "SDS lookup failed",
        cause: error,
        ...(error instanceof GpcEdgeError && error.headers["Retry-After"]
          ? { headers: { "Retry-After": error.headers["Retry-After"] } }
          : {}),
      });
    }
    if (endpoint.asid !== to) {
      throw receiverUnknown(
        `Ssp-To is not the ASID SDS registers for ${target.odsCode} and this interaction`,
      );
    }
    if (!targetMatchesEndpoint(target.url, endpoint.address)) {
      throw GpcEdgeError.ssp("ENDPOINT_VARIES", {
        sdsEndpoint: endpoint.address,
        cpaId: endpoint.cpaId ?? "",
        targetUrl: target.url,
      });
    }
    await next();
  };
}
