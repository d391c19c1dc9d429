/**
 * Whole replacement values for the JWT's FHIR-resource claims (`requesting_device`,
 * `requesting_organization`, `requesting_practitioner`, DSTU2 `requested_record`), well formed
 * per release (reference gpconnect-ssp.md §2.2 and "0.x / DSTU2 differences"), so a mutation can
 * change exactly one thing about them. The practitioner's `id` is `1`; a mutation replacing the
 * practitioner also sets `sub` to `1`, keeping `sub` = `requesting_practitioner.id`.
 *
 * Strings inside may hold placeholders (`{odsCode}`), resolved like request templates.
 *
 * @module
 */
import { identifierSystems as systems } from "../../../gpconnect/identifier-systems.ts";
import type { Mutation } from "../../model.ts";

/** FHIR release of the claims. */
export type Release = "STU3" | "DSTU2";

type Json = Record<string, unknown>;

const odsSystem: Readonly<Record<Release, string>> = {
  STU3: systems.odsOrganizationCode,
  DSTU2: systems.odsOrganizationCodeDstu2,
};

/** A well-formed `requesting_device`. */
export function device(release: Release): Json {
  return {
    resourceType: "Device",
    ...(release === "DSTU2" ? { id: "1" } : {}),
    identifier: [{
      system: "https://consumersupplier.com/Id/device-identifier",
      value: "CONS-APP-4",
    }],
    model: "gpc-edge-conformance",
    version: "1.0",
  };
}

/** A well-formed `requesting_organization` (ODS code `{odsCode}` unless given). */
export function organization(release: Release, system: string = odsSystem[release]): Json {
  return {
    resourceType: "Organization",
    ...(release === "DSTU2" ? { id: "1" } : {}),
    identifier: [{ system, value: "{odsCode}" }],
    name: "gpc-edge conformance consumer",
  };
}

/** A well-formed `requesting_practitioner` with id `1`; `sdsUserId` may be `UNK`. */
export function practitioner(
  release: Release,
  options: { sdsUserId?: string; roleProfile?: string | null } = {},
): Json {
  const sdsUserId = options.sdsUserId ?? "G13579135";
  const identifier = release === "DSTU2"
    ? [{ system: systems.sdsUserIdDstu2, value: sdsUserId }]
    : [
      { system: systems.sdsUserId, value: sdsUserId },
      ...(options.roleProfile === null ? [] : [{
        system: systems.sdsRoleProfileId,
        value: options.roleProfile ?? "22222222222222",
      }]),
    ];
  return {
    resourceType: "Practitioner",
    id: "1",
    identifier,
    name: [{ family: "Jones", given: ["Claire"], prefix: ["Dr"] }],
    ...(release === "DSTU2"
      ? {
        practitionerRole: [{
          role: {
            coding: [{ system: systems.sdsJobRoleNameDstu2, code: "R8000" }],
          },
        }],
      }
      : {}),
  };
}

/** Mutations replacing a resource claim (and pinning `sub` for the practitioner). */
export function replaceClaim(claim: string, value: unknown): Mutation[] {
  const mutations: Mutation[] = [{ kind: "set-claim", claim, value }];
  if (claim === "requesting_practitioner") {
    mutations.push({ kind: "set-claim", claim: "sub", value: "1" });
  }
  return mutations;
}

/** The well-formed value of a resource claim. */
export function wellFormed(claim: string, release: Release): Json {
  if (claim === "requesting_device") return device(release);
  if (claim === "requesting_organization") return organization(release);
  return practitioner(release);
}

/** A copy of `value` without `key`. */
export function without(value: Json, key: string): Json {
  const { [key]: _, ...rest } = value;
  return rest;
}

/** The resource claims, with the resource type each must carry. */
export const resourceClaims = [
  ["requesting_device", "Device", "JWT-CLAIM-DEVICE", "JWT-DEVICE-RESOURCE"],
  [
    "requesting_organization",
    "Organization",
    "JWT-CLAIM-ORGANIZATION",
    "JWT-ORGANIZATION-RESOURCE",
  ],
  [
    "requesting_practitioner",
    "Practitioner",
    "JWT-CLAIM-PRACTITIONER",
    "JWT-PRACTITIONER-RESOURCE",
  ],
] as const;
