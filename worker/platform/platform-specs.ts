/**
 * Typed access to the platform's spec data (`specs/platform-products.json`,
 * `specs/platform-error-codes.json`): products with their base paths, scopes, SDS interactions and
 * documented routes; strict path parameter patterns (R33); the error table (A6).
 *
 * @module
 */
import productsDoc from "../../specs/platform-products.json" with { type: "json" };
import errorsDoc from "../../specs/platform-error-codes.json" with { type: "json" };

/** A product's id. */
export type ProductId =
  | "access-record"
  | "appointments-management"
  | "prescriptions-management"
  | "user-permissions";

/** Where a request names its patient. */
export type PatientLocation =
  | { readonly in: "path" | "query" | "parameters-body"; readonly name: string }
  | { readonly in: "appointment-body" }
  /** A Task's `for` (Prescriptions `POST /Task`): `Patient/{nhs}` or an NHS-number identifier. */
  | { readonly in: "task-body" };

/** One documented method + path of a product. */
export interface ProductRoute {
  readonly name: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH";
  /** Path relative to the base path, with `{param}` placeholders. */
  readonly path: string;
  readonly patient?: PatientLocation;
  /** A read: retryable, not counted as a write. */
  readonly safe: boolean;
  /** For a JSON Patch route: the only paths its operations may touch (OWASP API3). */
  readonly patchPaths?: readonly string[];
}

/** A patient-facing product (A1). */
export interface Product {
  readonly id: ProductId;
  readonly name: string;
  readonly basePath: string;
  readonly scope: string;
  readonly sdsInteraction: string;
  /** `STU3`, `R4` (UK Core), or `none` (User Permissions' plain JSON). */
  readonly fhirVersion: "STU3" | "R4" | "none";
  /** The code a bad NHS number in the path gets (default INVALID_NHS_NUMBER; A6). */
  readonly nhsNumberErrorCode?: PlatformErrorCode;
  readonly routes: readonly ProductRoute[];
}

/** Every product. */
export const products: readonly Product[] = productsDoc.products as unknown as readonly Product[];

/** The product with `id`; throws for an unknown id (a configuration error). */
export function productById(id: string): Product {
  const product = products.find((candidate) => candidate.id === id);
  if (!product) throw new RangeError(`Unknown patient-facing product ${JSON.stringify(id)}`);
  return product;
}

/** The provider authorisation service's SDS interaction (A2 step 8). */
export const authorisationServiceInteraction = productsDoc.authorisationServiceInteraction;

/** RFC 8693 and RFC 7523 URNs the token endpoint uses. */
export const tokenExchangeUrns = productsDoc.tokenExchange;

/** Strict patterns of path parameters (R33). */
export const pathParameterPatterns: Readonly<Record<string, RegExp>> = Object.fromEntries(
  Object.entries(productsDoc.pathParameters).map(([name, source]) => [name, new RegExp(source)]),
);

/** CORS answer values (A5). */
export const corsSettings = productsDoc.cors;

/** A platform error code. */
export type PlatformErrorCode = keyof typeof errorsDoc.codes;

/** The platform's error table. */
export const platformErrorCodes: Readonly<
  Record<PlatformErrorCode, { status: number; issueCode: string; display: string }>
> = errorsDoc.codes;

/** APIM's coding system for its own errors. */
export const platformErrorSystem = errorsDoc.system;
