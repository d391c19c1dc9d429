/**
 * Collects the resources of a structured response: each resource once (by type and id, first
 * wins, order kept), then completes the references. Every Practitioner, Location and
 * Organization a resource references is added from the practice data (a Practitioner with its
 * PractitionerRole at the practice), and optional links to resources the response does not hold
 * (a medication's consultation when consultations were not asked for, a problem's link to an
 * item outside the query) are dropped, so the Bundle never points outside itself.
 *
 * @module
 */
import type { PracticeData } from "../practice/practice-data.ts";
import {
  gpConnectLocation,
  gpConnectOrganization,
  gpConnectPractitioner,
} from "../practice/practice-resources.ts";
import { meta, type Resource } from "./resources/resource-common.ts";

/** A resource collector. */
export interface BundleBuilder {
  /** Adds resources not yet collected. */
  readonly add: (...resources: readonly Resource[]) => void;
  /** Whether `Type/id` is collected. */
  readonly has: (reference: string) => boolean;
  /** The collected resources, references completed, the `lead` resources first. */
  readonly resources: (lead: readonly Resource[]) => Resource[];
}

const practiceTypes = new Set(["Practitioner", "Location", "Organization"]);
const optionalLinks = new Set(["context", "encounter"]);

function references(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) references(item, found);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "reference" && typeof inner === "string") found.add(inner);
      else references(inner, found);
    }
  }
}

function targets(extension: Record<string, unknown>): string[] {
  const found = new Set<string>();
  references(extension, found);
  return [...found];
}

/** A copy of a resource without optional links to resources outside `present`. */
function withoutDangling(resource: Resource, present: (reference: string) => boolean): Resource {
  const copy: Resource = { ...resource };
  for (const key of optionalLinks) {
    const link = copy[key] as { reference?: string } | undefined;
    if (link?.reference && !present(link.reference)) delete copy[key];
  }
  if (Array.isArray(copy.extension) && resource.resourceType === "Condition") {
    copy.extension = (copy.extension as Array<Record<string, unknown>>).filter((extension) =>
      targets(extension).every(present)
    );
  }
  return copy;
}

function practitionerRole(practitionerId: string, organizationId: string): Resource {
  return {
    resourceType: "PractitionerRole",
    id: `${practitionerId}-role`,
    meta: meta("PractitionerRole"),
    practitioner: { reference: `Practitioner/${practitionerId}` },
    organization: { reference: `Organization/${organizationId}` },
    code: [{
      coding: [{
        system: "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
        code: "R0260",
        display: "General Medical Practitioner",
      }],
    }],
  };
}

/**
 * A collector that completes references from `practice`; `organizationId` is the practice's
 * Organization (where PractitionerRoles belong).
 */
export function bundleBuilder(practice: PracticeData, organizationId: string): BundleBuilder {
  const collected = new Map<string, Resource>();
  const add = (...resources: readonly Resource[]) => {
    for (const resource of resources) {
      const key = `${resource.resourceType}/${resource.id}`;
      if (!collected.has(key)) collected.set(key, resource);
    }
  };
  const practiceResource = (reference: string): Resource | undefined => {
    const [type, id] = reference.split("/");
    if (type === "Practitioner") {
      const found = practice.practitioners.find((p) => p.id === id);
      return found ? gpConnectPractitioner(found) as unknown as Resource : undefined;
    }
    if (type === "Location") {
      const found = practice.locations.find((l) => l.id === id);
      return found ? gpConnectLocation(found) as Resource : undefined;
    }
    const found = practice.organizations.find((o) => o.id === id);
    return found ? gpConnectOrganization(found) as Resource : undefined;
  };
  return {
    add,
    has: (reference) => collected.has(reference),
    resources(lead) {
      const all = new Map<string, Resource>();
      for (const resource of [...lead, ...collected.values()]) {
        all.set(`${resource.resourceType}/${resource.id}`, resource);
      }
      const needed = new Set<string>();
      references([...all.values()], needed);
      const support: Resource[] = [];
      for (const reference of [...needed].sort()) {
        if (all.has(reference) || !practiceTypes.has(reference.split("/")[0]!)) continue;
        const resource = practiceResource(reference);
        if (!resource) continue;
        support.push(resource);
        all.set(reference, resource);
        if (resource.resourceType === "Practitioner") {
          const role = practitionerRole(resource.id, organizationId);
          support.push(role);
          all.set(`PractitionerRole/${role.id}`, role);
        }
      }
      const present = (reference: string) => reference.startsWith("#") || all.has(reference);
      const order = (r: Resource) =>
        ["Organization", "Practitioner", "PractitionerRole", "Location"].indexOf(r.resourceType);
      support.sort((a, b) => order(a) - order(b));
      const unique = new Map<string, Resource>();
      for (const resource of [...lead, ...support, ...collected.values()]) {
        const key = `${resource.resourceType}/${resource.id}`;
        if (!unique.has(key)) unique.set(key, resource);
      }
      return [...unique.values()].map((resource) => withoutDangling(resource, present));
    },
  };
}
