/**
 * The Validated Relationships Service sandbox (A4; NHSDigital/validated-relationships-service-api,
 * specification/validated-relationships-service-api.yaml and its RelatedPerson examples):
 * `GET /validated-relationships/FHIR/R4/RelatedPerson?identifier={proxy NHS number}` answers a
 * searchset Bundle of the proxy's relationships as `RelatedPerson`s (mode `match`),
 * `patient:identifier` narrows them to one patient, and `_include=RelatedPerson:patient` adds
 * each patient as a `Patient` (mode `include`). A proxy with no relationship gets an empty
 * searchset. Both NHS numbers may be bare or `https://fhir.nhs.uk/Id/nhs-number|…`.
 *
 * Errors (`vrs-outcome.ts`): 401 ACCESS_DENIED without a bearer token (or with one not in
 * `accessTokens`, when given), 400 MISSING_IDENTIFIER_VALUE, INVALID_IDENTIFIER_SYSTEM,
 * INVALID_IDENTIFIER_VALUE, INVALID_PATIENT_IDENTIFIER_VALUE, INVALID_PARAMETER (another
 * `_include`). `X-Request-ID` and `X-Correlation-ID` are mirrored. `task start` serves it on
 * 127.0.0.1:8085.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { echoRequestIds } from "../echo-request-ids.ts";
import { isValidNhsNumber } from "../../gpconnect/nhs-number.ts";
import { type FixturePatient, fixturePatients } from "../pds/fixture-patients.ts";
import { type VrsRelationship, vrsRelationships } from "./vrs-fixtures.ts";
import { type VrsError, vrsErrors, vrsOperationOutcome } from "./vrs-outcome.ts";

/** Where the service answers. */
export const vrsRelatedPersonPath = "/validated-relationships/FHIR/R4/RelatedPerson";

/** Options of {@linkcode createVrsApp}. */
export interface VrsAppOptions {
  /** The relationships; default {@linkcode vrsRelationships}. */
  readonly relationships?: readonly VrsRelationship[];
  /** People by NHS number (names, birth dates); default the fixture patients. */
  readonly patients?: readonly FixturePatient[];
  /** When given, only these bearer tokens are accepted; default any bearer token. */
  readonly accessTokens?: readonly string[];
  /** Clock for `Bundle.timestamp`; default the system clock. */
  readonly now?: () => Date;
}

const nhsSystem = "https://fhir.nhs.uk/Id/nhs-number";

function vrsErrorResponse(error: VrsError): Response {
  return new Response(JSON.stringify(vrsOperationOutcome(error)), {
    status: error.status,
    headers: { "Content-Type": "application/fhir+json" },
  });
}

class VrsFailure extends Error {
  constructor(readonly error: VrsError) {
    super(error.code);
  }
}

/** An NHS number from a token parameter, or a failure with the parameter's own errors. */
function nhsNumberOf(value: string, invalidValue: VrsError): string {
  const bar = value.indexOf("|");
  const system = bar < 0 ? undefined : value.slice(0, bar);
  const code = bar < 0 ? value : value.slice(bar + 1);
  if (system !== undefined && system !== nhsSystem) {
    throw new VrsFailure(vrsErrors.invalidIdentifierSystem);
  }
  if (code === "" && invalidValue === vrsErrors.invalidIdentifier) {
    throw new VrsFailure(vrsErrors.missingIdentifier);
  }
  if (!isValidNhsNumber(code)) throw new VrsFailure(invalidValue);
  return code;
}

function nameOf(person: FixturePatient | undefined) {
  if (!person?.name) return {};
  return {
    name: [{
      use: "usual",
      family: person.name.family,
      given: [...person.name.given],
      ...(person.name.prefix ? { prefix: [...person.name.prefix] } : {}),
    }],
  };
}

/**
 * Creates the VRS sandbox app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const vrs = createVrsApp();
 * const response = await vrs.request(
 *   "/validated-relationships/FHIR/R4/RelatedPerson?identifier=9690937294&_include=RelatedPerson:patient",
 *   { headers: { Authorization: "Bearer sandbox" } },
 * );
 * assert.equal((await response.json()).total, 1);
 * ```
 */
export function createVrsApp(options: VrsAppOptions = {}): Hono {
  const relationships = options.relationships ?? vrsRelationships;
  const people = options.patients ?? fixturePatients;
  const now = options.now ?? (() => new Date());
  const person = (nhs: string) => people.find((candidate) => candidate.nhsNumber === nhs);
  const app = new Hono();

  app.use("*", echoRequestIds, async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });

  app.get(vrsRelatedPersonPath, (c: Context) => {
    const token = /^Bearer (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    if (token === undefined || (options.accessTokens && !options.accessTokens.includes(token))) {
      throw new VrsFailure(vrsErrors.accessDenied);
    }
    const query = new URL(c.req.url).searchParams;
    const identifier = query.get("identifier");
    if (identifier === null || identifier.trim() === "") {
      throw new VrsFailure(vrsErrors.missingIdentifier);
    }
    const proxy = nhsNumberOf(identifier.trim(), vrsErrors.invalidIdentifier);
    const patientParam = query.get("patient:identifier");
    const patient = patientParam === null
      ? undefined
      : nhsNumberOf(patientParam.trim(), vrsErrors.invalidPatientIdentifier);
    const includes = query.getAll("_include");
    if (includes.some((include) => include !== "RelatedPerson:patient")) {
      throw new VrsFailure(vrsErrors.invalidInclude);
    }
    const matches = relationships.filter((relationship) =>
      relationship.proxyNhsNumber === proxy &&
      (patient === undefined || relationship.patientNhsNumber === patient)
    );
    const base = `${new URL(c.req.url).origin}/validated-relationships/FHIR/R4`;
    const proxyPerson = person(proxy);
    const related = matches.map((relationship) => ({
      fullUrl: `${base}/RelatedPerson/${relationship.id}`,
      resource: {
        resourceType: "RelatedPerson",
        id: relationship.id,
        identifier: [{ system: nhsSystem, value: proxy }],
        patient: {
          type: "Patient",
          identifier: { system: nhsSystem, value: relationship.patientNhsNumber },
        },
        relationship: [{ coding: [{ ...relationship.relationship }] }],
        ...nameOf(proxyPerson),
        ...(proxyPerson?.birthDate ? { birthDate: proxyPerson.birthDate } : {}),
      },
      search: { mode: "match" },
    }));
    const included = includes.length === 0 ? [] : [
      ...new Set(matches.map((relationship) => relationship.patientNhsNumber)),
    ].map((nhs) => {
      const subject = person(nhs);
      return {
        fullUrl: `${base}/Patient/${nhs}`,
        resource: {
          resourceType: "Patient",
          id: nhs,
          identifier: [{ system: nhsSystem, value: nhs }],
          ...nameOf(subject),
          ...(subject?.birthDate ? { birthDate: subject.birthDate } : {}),
        },
        search: { mode: "include" },
      };
    });
    return c.json(
      {
        resourceType: "Bundle",
        type: "searchset",
        timestamp: now().toISOString(),
        total: related.length,
        link: [{ relation: "self", url: c.req.url }],
        ...(related.length > 0 ? { entry: [...included, ...related] } : {}),
      },
      200,
      { "Content-Type": "application/fhir+json" },
    );
  });

  app.notFound(() => vrsErrorResponse(vrsErrors.notFound));
  app.onError((error) =>
    error instanceof VrsFailure ? vrsErrorResponse(error.error) : vrsErrorResponse({
      status: 500,
      code: "SERVER_ERROR",
      issueCode: "invalid",
      display: "Failed to generate response",
      diagnostics: "Internal Server Error - Failed to generate response",
    })
  );
  return app;
}
