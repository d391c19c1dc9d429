/**
 * Finds a practice's patient-facing side the way the API platform does (reference A2 step 7–8):
 * for each product of `specs/platform-products.json`, SDS `GET /Endpoint` by the practice's ODS
 * code and the product's interaction gives the product root; the authorisation service is
 * registered under APIM's provider-authorisation interaction. The local target uses it against
 * the local world's SDS sandbox, with the world's API platform identity (gpc-edge's client id and
 * signing key, which the practice trusts) and its NHS login sandbox for id_tokens.
 *
 * @module
 */
import type { JWK } from "jose";
import productsDoc from "../../specs/platform-products.json" with { type: "json" };
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import { importSigningKey, type PfEndpoint } from "./pf-endpoint.ts";
import type { PfApi } from "./pf-scenario.ts";
import type { PfSend } from "./pf-tokens.ts";

interface ProductEntry {
  readonly id: string;
  readonly name: string;
  readonly basePath: string;
  readonly sdsInteraction?: string;
}

/** The API a platform product is, by its base path (A1), or undefined for one the harness lacks. */
export function apiOfProduct(product: Pick<ProductEntry, "basePath">): PfApi | undefined {
  const path = product.basePath;
  if (path.includes("/access-record")) return "access-record";
  if (path.includes("/appointments-management")) return "appointments-management";
  if (path.includes("/prescriptions")) return "prescriptions";
  if (path.includes("/user-permissions")) return "user-permissions";
  return undefined;
}

/** The products of the platform spec: API, name and SDS interaction. */
export function platformProducts(): Array<{ api: PfApi; name: string; interaction?: string }> {
  return (productsDoc.products as readonly ProductEntry[]).flatMap((product) => {
    const api = apiOfProduct(product);
    return api === undefined ? [] : [{
      api,
      name: product.name,
      ...(product.sdsInteraction === undefined ? {} : { interaction: product.sdsInteraction }),
    }];
  });
}

/**
 * The address SDS registers for `interaction` at `odsCode`, or undefined when none.
 *
 * @example
 * ```ts ignore
 * await sdsEndpointAddress(send, world.sdsUrl, "B82617", interaction);
 * ```
 */
export async function sdsEndpointAddress(
  send: PfSend,
  sdsUrl: string,
  odsCode: string,
  interaction: string,
): Promise<string | undefined> {
  const query = new URLSearchParams([
    ["organization", `${identifierSystems.odsOrganizationCode}|${odsCode}`],
    ["identifier", `${identifierSystems.serviceInteractionId}|${interaction}`],
  ]);
  const response = await send(`${sdsUrl.replace(/\/+$/, "")}/Endpoint?${query}`, {
    method: "GET",
    headers: new Headers({
      Accept: "application/fhir+json",
      "X-Correlation-Id": crypto.randomUUID(),
    }),
  });
  if (response.status !== 200) {
    throw new Error(`SDS answered ${response.status} for ${interaction} at ${odsCode}`);
  }
  const bundle = JSON.parse(response.body) as {
    entry?: Array<{ resource?: { address?: unknown } }>;
  };
  const address = bundle.entry?.[0]?.resource?.address;
  return typeof address === "string" ? address : undefined;
}

/** What discovering the local world's practice needs. */
export interface LocalPfDiscovery {
  readonly send: PfSend;
  readonly sdsUrl: string;
  readonly odsCode: string;
  readonly nhsLoginUrl: string;
  /** The platform's client id at the practice and its signing key (the world's gpc-edge's). */
  readonly clientId: string;
  readonly signingKey: { readonly kid: string; readonly privateJwk: JWK };
  /** Fixture patients by what they stand for (`view-user`). */
  readonly extraRoles?: Readonly<Record<string, string>>;
}

/**
 * The local practice's patient-facing endpoint, found through SDS.
 *
 * @example
 * ```ts ignore
 * const endpoint = await discoverLocalPfEndpoint({ send, sdsUrl, odsCode: "B82617", nhsLoginUrl, clientId, signingKey });
 * ```
 */
export async function discoverLocalPfEndpoint(options: LocalPfDiscovery): Promise<PfEndpoint> {
  const { send, sdsUrl, odsCode } = options;
  const roots: Partial<Record<PfApi, string>> = {};
  const missing: Partial<Record<PfApi, string>> = {};
  for (const product of platformProducts()) {
    const address = product.interaction === undefined
      ? undefined
      : await sdsEndpointAddress(send, sdsUrl, odsCode, product.interaction);
    if (address === undefined) {
      missing[product.api] = `SDS has no ${product.name} endpoint for ${odsCode}`;
    } else roots[product.api] = address;
  }
  const authorisationService = await sdsEndpointAddress(
    send,
    sdsUrl,
    odsCode,
    productsDoc.authorisationServiceInteraction,
  );
  if (authorisationService === undefined) {
    throw new Error(`SDS has no patient-facing authorisation service for ${odsCode}`);
  }
  return {
    roots,
    authorisationService,
    clientId: options.clientId,
    signingKey: await importSigningKey(options.signingKey.privateJwk, "the local world's key"),
    idTokens: { kind: "mint", url: options.nhsLoginUrl },
    extraRoles: options.extraRoles ?? {},
    missing,
  };
}
