/**
 * The two answer shapes of the Foundations routes: one versioned resource with
 * `ETag: W/"<meta.versionId>"` (reference gpconnect-ssp.md §1.6), and a searchset Bundle
 * (`GPConnect-Searchset-Bundle-1`: a new id, `meta.lastUpdated`, and an entry with `fullUrl` per
 * resource; GPC-1.6 find and register examples). The profile forbids `Bundle.total`,
 * `Bundle.link` and `entry.search` (max 0). An empty searchset has no `entry` at all: FHIR JSON
 * forbids empty arrays.
 *
 * @module
 */
import type { Context } from "hono";
import { fhirResponse } from "../fhir-format.ts";
import type { ProviderEnv } from "../provider-duties.ts";

/** The profile of every searchset Bundle the provider returns. */
export const searchsetBundleProfile =
  "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1";

/** A resource with a logical id and a version. */
type VersionedResource = Record<string, unknown> & {
  readonly id?: unknown;
  readonly meta?: unknown;
};

/** `meta.versionId` of a resource; every resource served here has one. */
function versionId(resource: VersionedResource): string {
  const meta = resource.meta as { versionId?: unknown } | undefined;
  if (typeof meta?.versionId !== "string") {
    throw new TypeError(`${String(resource.resourceType)} ${String(resource.id)} has no versionId`);
  }
  return meta.versionId;
}

/**
 * One resource in the negotiated format with its weak ETag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { gpConnectLocation } from "../practice/practice-resources.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import type { ProviderEnv } from "../provider-duties.ts";
 * // What the provider duties set before a route runs.
 * const app = new Hono<ProviderEnv>().use((c, next) => {
 *   c.set("format", "json");
 *   c.set("fhirVersion", "STU3");
 *   c.set("rootUrl", "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir");
 *   return next();
 * });
 * const location = gpConnectLocation(practiceData.locations[0]!);
 * app.get("/Location/1", (c) => versionedResponse(c, location));
 * const response = await app.request("/Location/1");
 * assert.equal(response.headers.get("ETag"), 'W/"1"');
 * ```
 */
export function versionedResponse(c: Context<ProviderEnv>, resource: VersionedResource): Response {
  return fhirResponse(resource, {
    format: c.get("format"),
    fhirVersion: c.get("fhirVersion"),
    headers: { ETag: `W/"${versionId(resource)}"` },
  });
}

/**
 * A searchset Bundle of `resources` (each must have `resourceType` and `id`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { gpConnectLocation } from "../practice/practice-resources.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import type { ProviderEnv } from "../provider-duties.ts";
 * // What the provider duties set before a route runs.
 * const app = new Hono<ProviderEnv>().use((c, next) => {
 *   c.set("format", "json");
 *   c.set("fhirVersion", "STU3");
 *   c.set("rootUrl", "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir");
 *   return next();
 * });
 * const location = gpConnectLocation(practiceData.locations[0]!);
 * app.get("/Location", (c) =>
 *   searchsetResponse(c, [location], { id: crypto.randomUUID(), now: new Date() }));
 * const bundle = await (await app.request("/Location")).json();
 * assert.equal(
 *   bundle.entry[0].fullUrl,
 *   "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/Location/1",
 * );
 * ```
 */
export function searchsetResponse(
  c: Context<ProviderEnv>,
  resources: readonly VersionedResource[],
  bundle: { readonly id: string; readonly now: Date },
): Response {
  for (const resource of resources) versionId(resource);
  return fhirResponse({
    resourceType: "Bundle",
    id: bundle.id,
    meta: { lastUpdated: bundle.now.toISOString(), profile: [searchsetBundleProfile] },
    type: "searchset",
    ...(resources.length === 0 ? {} : {
      entry: resources.map((resource) => ({
        fullUrl: `${c.get("rootUrl")}/${String(resource.resourceType)}/${String(resource.id)}`,
        resource,
      })),
    }),
  }, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
}
