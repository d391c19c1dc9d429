/**
 * Walking a FHIR JSON response for the checks: the resources it holds (the body, its Bundle
 * entries, and contained resources, each with where it sits) and the references each makes.
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";

/** A resource found in a response. */
export interface FoundResource {
  readonly resource: Record<string, unknown>;
  /** FHIRPath-like location, e.g. `Bundle.entry[2].resource`. */
  readonly path: string;
  /** Bundle entry `fullUrl`, when it is an entry. */
  readonly fullUrl?: string;
  /** True for a contained resource. */
  readonly contained: boolean;
}

/** The body, each Bundle entry's resource, and every contained resource, in document order. */
export function resourcesIn(body: Record<string, unknown>): FoundResource[] {
  const found: FoundResource[] = [];
  const add = (resource: Record<string, unknown>, path: string, fullUrl?: string) => {
    found.push({ resource, path, contained: false, ...(fullUrl ? { fullUrl } : {}) });
    const contained = Array.isArray(resource.contained) ? resource.contained : [];
    contained.forEach((inner, i) => {
      if (isJsonObject(inner)) {
        found.push({ resource: inner, path: `${path}.contained[${i}]`, contained: true });
      }
    });
  };
  const root = typeof body.resourceType === "string" ? body.resourceType : "Resource";
  add(body, root);
  if (body.resourceType === "Bundle" && Array.isArray(body.entry)) {
    body.entry.forEach((entry, i) => {
      if (!isJsonObject(entry) || !isJsonObject(entry.resource)) return;
      const fullUrl = typeof entry.fullUrl === "string" ? entry.fullUrl : undefined;
      add(entry.resource, `${root}.entry[${i}].resource`, fullUrl);
    });
  }
  return found;
}

/** The entry resources of a Bundle (the body itself when it is no Bundle). */
export function primaryResources(body: Record<string, unknown>): FoundResource[] {
  const all = resourcesIn(body).filter((r) => !r.contained);
  return body.resourceType === "Bundle" ? all.slice(1) : all;
}

/** A reference made by a resource. */
export interface FoundReference {
  readonly reference: string;
  /** Location of the Reference, e.g. `Bundle.entry[0].resource.schedule`. */
  readonly path: string;
  /** The top-level element of the resource it sits in (`schedule`, `participant`…). */
  readonly element: string;
}

/**
 * Every `Reference.reference` in `resource`, its contained and nested resources (Bundle entries)
 * excluded: they are walked as resources of their own.
 */
export function referencesOf(resource: Record<string, unknown>, path: string): FoundReference[] {
  const found: FoundReference[] = [];
  const walk = (value: unknown, at: string, element: string, depth: number) => {
    if (depth > 64) return; // a response is a tree; stop on anything pathological
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${at}[${i}]`, element, depth + 1));
      return;
    }
    if (!isJsonObject(value)) return;
    // A nested resource (a Bundle entry's, a Parameters part's) is walked as a resource of its own.
    if (depth > 0 && typeof value.resourceType === "string") return;
    if (typeof value.reference === "string") {
      found.push({ reference: value.reference, path: `${at}.reference`, element });
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== "reference") walk(child, `${at}.${key}`, element, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(resource)) {
    if (key === "contained" || key === "resourceType") continue;
    walk(value, `${path}.${key}`, key, 0);
  }
  return found;
}

/** `Type/id` of a resource, if it has both. */
export function localKey(resource: Record<string, unknown>): string | undefined {
  const { resourceType, id } = resource;
  return typeof resourceType === "string" && typeof id === "string"
    ? `${resourceType}/${id}`
    : undefined;
}

/**
 * Finds the Bundle entry a reference names: by `fullUrl`, by `Type/id`, or by an absolute URL
 * ending in `/Type/id` (a `_history` version dropped).
 */
export function entryIndex(body: Record<string, unknown>): (reference: string) => boolean {
  const keys = new Set<string>();
  for (const found of primaryResources(body)) {
    if (body.resourceType !== "Bundle") break;
    if (found.fullUrl) keys.add(found.fullUrl);
    const key = localKey(found.resource);
    if (key) keys.add(key);
  }
  return (reference) => {
    if (keys.has(reference)) return true;
    const match = /(?:^|\/)([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
      reference,
    );
    return match !== null && keys.has(match[1] as string);
  };
}
