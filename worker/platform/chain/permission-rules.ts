/**
 * What a request needs of the user's permission levels (R29; OWASP API3 and API5), from
 * specs/platform-permissions.json: the area that gates the product (`medicalRecord`,
 * `prescriptions`, or none), the lowest level the route needs, and for a structured record
 * request the lowest level each requested section (Parameters name) needs. Pure: no I/O.
 *
 * @module
 */
import permissionsDoc from "../../../specs/platform-permissions.json" with { type: "json" };
import { PlatformError } from "../platform-error.ts";
import type { ProductId, ProductRoute } from "../platform-specs.ts";

/** An area the practice sets a level for. */
export type PermissionArea = "medicalRecord" | "prescriptions";

/** A user's levels as the practice's User Permissions answered them. */
export interface UserPermissions {
  /** `medicalRecord.current.accessLevel`: none, summary, detailed, documents or full. */
  readonly medicalRecord: string;
  /** `prescriptions.accessLevel`: none, view or manage. */
  readonly prescriptions: string;
}

/** One thing a request needs: `level` (or higher) in `area`, and why. */
export interface PermissionNeed {
  readonly area: PermissionArea;
  readonly level: string;
  readonly what: string;
}

/** Each area's levels, lowest first. */
export const permissionLevels: Readonly<Record<PermissionArea, readonly string[]>> =
  permissionsDoc.levels;

interface ProductRule {
  readonly area: PermissionArea | null;
  readonly routes: Readonly<Record<string, string>>;
}

const productRules = permissionsDoc.products as Readonly<Record<ProductId, ProductRule>>;
const structured = permissionsDoc.structuredRecord as {
  readonly route: string;
  readonly always: readonly string[];
  readonly parameters: Readonly<Record<string, string>>;
  readonly otherwise: string;
};

/** The area gating `product`, or `undefined` when it is not gated. */
export function gatingArea(product: ProductId): PermissionArea | undefined {
  return productRules[product]?.area ?? undefined;
}

/**
 * What a request to `route` of `product` with `body` needs; empty when the product is not gated.
 *
 * @example
 * ```ts
 * import { productById } from "../platform-specs.ts";
 * const route = productById("prescriptions-management").routes.find((r) => r.name === "reorder-repeat")!;
 * permissionNeeds("prescriptions-management", route, undefined)[0]!.level; // "manage"
 * ```
 */
export function permissionNeeds(
  product: ProductId,
  route: ProductRoute,
  body: unknown,
): PermissionNeed[] {
  const rule = productRules[product];
  if (!rule?.area) return [];
  const area = rule.area;
  const highest = permissionLevels[area].at(-1)!;
  const needs: PermissionNeed[] = [{
    area,
    level: rule.routes[route.name] ?? highest,
    what: `${route.method} ${route.path}`,
  }];
  if (route.name === structured.route) {
    const parameters = (body as { parameter?: unknown })?.parameter;
    for (const parameter of Array.isArray(parameters) ? parameters : []) {
      const name = String((parameter as { name?: unknown })?.name);
      if (structured.always.includes(name)) continue;
      needs.push({
        area,
        level: structured.parameters[name] ?? structured.otherwise,
        what: `the ${name} section`,
      });
    }
  }
  return needs;
}

function rank(area: PermissionArea, level: string): number {
  return permissionLevels[area].indexOf(level);
}

/**
 * Throws 403 ACCESS_DENIED for the first need `permissions` do not meet (an unknown level meets
 * nothing but `none`'s needs — there are none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const need = { area: "prescriptions" as const, level: "manage", what: "POST /Task" };
 * assert.throws(() => checkPermissions({ medicalRecord: "full", prescriptions: "view" }, [need]));
 * ```
 */
export function checkPermissions(
  permissions: UserPermissions,
  needs: readonly PermissionNeed[],
): void {
  for (const need of needs) {
    const held = permissions[need.area];
    if (rank(need.area, held) < Math.max(1, rank(need.area, need.level))) {
      throw new PlatformError("ACCESS_DENIED", {
        status: 403,
        display: "Access denied, the patient logged in does not have the correct access level",
        diagnostics: `${need.what} needs ${need.area} access level ${need.level}; the practice ` +
          `set ${held}`,
      });
    }
  }
}
