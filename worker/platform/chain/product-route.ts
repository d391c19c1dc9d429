/**
 * The route inventory (R34) and strict path parameters (R33, R6): a request line is one of the
 * documented method + path pairs of a product (specs/platform-products.json), or 405 when the
 * path exists with other methods, or 404. Path segments are matched after percent-decoding, so
 * an encoded `/`, `..`, `@` or CR/LF inside a parameter is judged as what it decodes to:
 * `{id}` must match `^[A-Za-z0-9\-\.]{1,64}$` and `{nhsNumber}` must be ten digits with a valid
 * check digit — before any upstream call (User Permissions answers a bad one with
 * INVALID_RESOURCE_ID, its product's `nhsNumberErrorCode`).
 *
 * @module
 */
import { nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import { PlatformError } from "../platform-error.ts";
import {
  pathParameterPatterns,
  type Product,
  type ProductRoute,
  products,
} from "../platform-specs.ts";

/** A matched route. */
export interface MatchedRoute {
  readonly product: Product;
  readonly route: ProductRoute;
  /** The path after the product's base path, as received (forwarded byte for byte). */
  readonly relativePath: string;
  /** Decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
}

/** The product whose base path `pathname` is under, if any. */
export function productOfPath(pathname: string): Product | undefined {
  return products.find((product) =>
    pathname === product.basePath || pathname.startsWith(`${product.basePath}/`)
  );
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new PlatformError("BAD_REQUEST", {
      diagnostics: `Path segment ${JSON.stringify(segment)} is not valid percent-encoding`,
    });
  }
}

function shapeMatches(template: string, segments: readonly string[]): boolean {
  const parts = template.split("/").slice(1);
  return parts.length === segments.length &&
    parts.every((part, i) => part.startsWith("{") || part === segments[i]);
}

/**
 * Matches a request line against the product routes. Throws `PlatformError` 404 (no such path),
 * 405 (path known, method not; with `Allow`), 400 INVALID_NHS_NUMBER or BAD_REQUEST (a path
 * parameter breaks its pattern).
 *
 * @example
 * ```ts
 * matchProductRoute("GET", "/gp-connect/patient-facing/appointments-management-fhir/FHIR/STU3/Appointment/7")
 *   .route.name; // "read-appointment"
 * ```
 */
export function matchProductRoute(method: string, pathname: string): MatchedRoute {
  const product = productOfPath(pathname);
  if (!product) throw new PlatformError("NOT_FOUND", { diagnostics: `No route ${pathname}` });
  const relativePath = pathname.slice(product.basePath.length);
  const rawSegments = relativePath.split("/").slice(1);
  const segments = rawSegments.map((segment) =>
    // Literal segments compare decoded too, so `%24gpc.getstructuredrecord` finds `$gpc…`.
    segment.includes("%") ? decodeSegment(segment) : segment
  );
  const candidates = product.routes.filter((route) => shapeMatches(route.path, segments));
  if (candidates.length === 0) {
    throw new PlatformError("NOT_FOUND", {
      diagnostics: `${product.name} has no resource or operation at ${relativePath || "/"}`,
    });
  }
  const route = candidates.find((candidate) => candidate.method === method);
  if (!route) {
    const allow = [...new Set(candidates.map((candidate) => candidate.method))].join(", ");
    throw new PlatformError("METHOD_NOT_ALLOWED", {
      diagnostics: `${method} is not allowed on ${relativePath}; allowed: ${allow}`,
      headers: { Allow: allow },
    });
  }
  const params: Record<string, string> = {};
  route.path.split("/").slice(1).forEach((part, i) => {
    if (!part.startsWith("{")) return;
    const name = part.slice(1, -1);
    const value = segments[i]!;
    if (name === "nhsNumber") {
      const problem = nhsNumberProblem(value);
      if (problem) {
        throw new PlatformError(product.nhsNumberErrorCode ?? "INVALID_NHS_NUMBER", {
          diagnostics: problem,
        });
      }
    } else if (!pathParameterPatterns[name]?.test(value)) {
      throw new PlatformError("BAD_REQUEST", {
        diagnostics: `Path parameter ${name} ${JSON.stringify(value)} must match ${
          pathParameterPatterns[name]?.source ?? "its pattern"
        }`,
      });
    }
    params[name] = value;
  });
  return { product, route, relativePath, params };
}
