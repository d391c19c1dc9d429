/**
 * Foundations reads and finds of the practice's non-patient resources, relative to the
 * foundations root (GPC-1.6 read/find a practitioner, read/find an organisation, read a location):
 *
 * | Request | Answer | Not found |
 * |---|---|---|
 * | `GET /Practitioner/{id}` | Practitioner + ETag | 404 PRACTITIONER_NOT_FOUND |
 * | `GET /Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id\|{id}` | searchset | empty searchset |
 * | `GET /Organization/{id}` | Organization + ETag | 404 ORGANISATION_NOT_FOUND |
 * | `GET /Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code\|{ods}` | searchset | empty searchset |
 * | `GET /Location/{id}` | Location + ETag | 404 NO_RECORD_FOUND (the spec names no Location code) |
 *
 * Identifier parameter errors: {@linkcode searchIdentifierValue}.
 *
 * @module
 */
import { Hono } from "hono";
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import type { PracticeData } from "../practice/practice-data.ts";
import {
  gpConnectLocation,
  gpConnectOrganization,
  gpConnectPractitioner,
} from "../practice/practice-resources.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import { searchsetResponse, versionedResponse } from "./foundations-responses.ts";
import { searchIdentifierValue } from "./search-identifier.ts";

/** Options for {@linkcode practiceRoutes}. */
export interface PracticeRoutesOptions {
  readonly practice: PracticeData;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * The Practitioner, Organization and Location routes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { type ProviderEnv, providerDuties } from "../provider-duties.ts";
 * import { providerRequestHeaders } from "../provider-request.ts";
 * const rootPath = "/B82617/STU3/1/gpconnect/fhir";
 * const now = () => new Date();
 * const app = new Hono<ProviderEnv>()
 *   .use(
 *     `${rootPath}/*`,
 *     providerDuties({ asid: "918999198738", rootKind: "foundations", rootPath, now }),
 *   )
 *   .route(
 *     rootPath,
 *     practiceRoutes({ practice: practiceData, now, newId: () => crypto.randomUUID() }),
 *   );
 * const response = await app.request(`${rootPath}/Practitioner/1`, {
 *   headers: providerRequestHeaders(
 *     "urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1",
 *   ),
 * });
 * assert.equal((await response.json()).resourceType, "Practitioner");
 * ```
 */
export function practiceRoutes(options: PracticeRoutesOptions): Hono<ProviderEnv> {
  const { practice } = options;
  const app = new Hono<ProviderEnv>();
  const bundle = () => ({ id: options.newId(), now: options.now() });

  app.get("/Practitioner/:id", (c) => {
    const id = c.req.param("id");
    const practitioner = practice.practitioners.find((candidate) => candidate.id === id);
    if (!practitioner) {
      throw new ProviderError("PRACTITIONER_NOT_FOUND", `No practitioner with logical id ${id}`);
    }
    return versionedResponse(c, gpConnectPractitioner(practitioner));
  });

  app.get("/Practitioner", (c) => {
    const sdsUserId = searchIdentifierValue(
      c.req.queries("identifier"),
      identifierSystems.sdsUserId,
    );
    const found = practice.practitioners.filter((candidate) => candidate.sdsUserId === sdsUserId);
    return searchsetResponse(c, found.map(gpConnectPractitioner), bundle());
  });

  app.get("/Organization/:id", (c) => {
    const id = c.req.param("id");
    const organization = practice.organizations.find((candidate) => candidate.id === id);
    if (!organization) {
      throw new ProviderError("ORGANISATION_NOT_FOUND", `No organisation with logical id ${id}`);
    }
    return versionedResponse(c, gpConnectOrganization(organization));
  });

  app.get("/Organization", (c) => {
    const odsCode = searchIdentifierValue(
      c.req.queries("identifier"),
      identifierSystems.odsOrganizationCode,
    );
    const found = practice.organizations.filter((candidate) => candidate.odsCode === odsCode);
    return searchsetResponse(c, found.map(gpConnectOrganization), bundle());
  });

  app.get("/Location/:id", (c) => {
    const id = c.req.param("id");
    const location = practice.locations.find((candidate) => candidate.id === id);
    if (!location) throw new ProviderError("NO_RECORD_FOUND", `No location with logical id ${id}`);
    return versionedResponse(c, gpConnectLocation(location));
  });

  return app;
}
