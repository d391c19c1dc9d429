/**
 * From the token's patient to the practice's patient-facing endpoint (A2 steps 5–7, done
 * better): PDS through the cached directory with the **current** GP by period — restricted,
 * GP-less, ended, deceased and unknown patients are typed 404s, never a crash (R22) — then SDS,
 * through the same cache (R23), for the practice's endpoint for the product and its authorisation
 * service. Both URLs must be allowed before anything is sent to them: `https:` (or `http:` in the
 * local world) and, when hosts are listed, on a listed host; no credentials in the URL (R23, API7).
 *
 * @module
 */
import type { DirectoryResolver } from "../../directory/directory-types.ts";
import { PlatformError } from "../platform-error.ts";
import { authorisationServiceInteraction, type Product } from "../platform-specs.ts";
import { directoryError } from "./directory-errors.ts";

/** Where a patient's requests for a product go. */
export interface PracticeRoute {
  readonly odsCode: string;
  /** The practice's service root for the product (SDS `Endpoint.address`). */
  readonly endpoint: string;
  /** The practice's authorisation service token URL. */
  readonly authorisationService: string;
}

/** The URL rules of {@linkcode resolvePractice}. */
export interface EndpointPolicy {
  readonly allowHttp: boolean;
  /** Allowed hosts; empty: any. */
  readonly hosts: readonly string[];
}

/** Throws 502 unless `address` may be called (R23). */
export function assertAllowedEndpoint(address: string, policy: EndpointPolicy): void {
  const refuse = (why: string) =>
    new PlatformError("BAD_GATEWAY", {
      diagnostics: `The practice's registered endpoint is refused: ${why}`,
    });
  if (!URL.canParse(address)) throw refuse("not a URL");
  const url = new URL(address);
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:")) {
    throw refuse(`${url.protocol} is not allowed`);
  }
  if (url.username !== "" || url.password !== "") throw refuse("it carries credentials");
  if (policy.hosts.length > 0 && !policy.hosts.includes(url.hostname)) {
    throw refuse(`host ${url.hostname} is not an allowed provider host`);
  }
}

/**
 * Resolves the practice route of `nhsNumber` for `product`; throws `PlatformError`.
 *
 * @example
 * ```ts
 * // const route = await resolvePractice(directory, product, "9690937286", requestId, policy);
 * ```
 */
export async function resolvePractice(
  directory: DirectoryResolver,
  product: Product,
  nhsNumber: string,
  requestId: string,
  policy: EndpointPolicy,
): Promise<PracticeRoute> {
  let odsCode: string;
  try {
    const { value } = await directory.lookupPatient(nhsNumber, { requestId });
    if (value.deceased) {
      throw new PlatformError("PATIENT_NOT_FOUND", {
        diagnostics: `PDS records the patient as deceased`,
      });
    }
    odsCode = value.odsCode;
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    throw directoryError(error, "PDS");
  }
  const lookup = async (interaction: string, what: string) => {
    try {
      return (await directory.lookupEndpoint(odsCode, interaction, { requestId })).value.address;
    } catch (error) {
      const mapped = directoryError(error, "SDS");
      if (mapped.code !== "ODS_CODE_NOT_FOUND") throw mapped;
      throw new PlatformError("ODS_CODE_NOT_FOUND", {
        diagnostics: `Practice ${odsCode} has no ${what} registered`,
        cause: error,
      });
    }
  };
  const endpoint = await lookup(product.sdsInteraction, `${product.name} endpoint`);
  const authorisationService = await lookup(
    authorisationServiceInteraction,
    "patient-facing authorisation service",
  );
  assertAllowedEndpoint(endpoint, policy);
  assertAllowedEndpoint(authorisationService, policy);
  return { odsCode, endpoint, authorisationService };
}
