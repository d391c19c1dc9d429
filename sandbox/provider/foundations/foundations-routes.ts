/**
 * Foundations handlers of the reference provider, relative to the foundations root: read
 * metadata, read patient and find a patient by NHS number. Requests reach them only after
 * {@linkcode providerDuties} accepted them.
 *
 * Find a patient (GPC-1.6 `foundations_use_case_find_a_patient`, PT-1.6 `PatientSearch.feature`):
 * no `identifier` or more than one → 400 BAD_REQUEST; no system, an empty system or an empty
 * value → 422 INVALID_PARAMETER; another system → 400 INVALID_IDENTIFIER_SYSTEM; a malformed NHS
 * number → 400 INVALID_NHS_NUMBER; not found is an empty searchset, not an error.
 *
 * @module
 */
import { Hono } from "hono";
import { identifierSystems } from "../../../worker/fhir/identifier-systems.ts";
import { nhsNumberProblem } from "../../../worker/fhir/nhs-number.ts";
import { fhirResponse } from "../fhir-format.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import type { PatientRegister } from "../provider-patients.ts";
import { foundationsCapabilityStatement } from "./capability-statement.ts";
import { gpConnectPatient, type PatientReferences } from "./patient-resource.ts";

/** Options for {@linkcode foundationsRoutes}. */
export interface FoundationsRoutesOptions {
  readonly register: PatientRegister;
  readonly now: () => Date;
  readonly references: PatientReferences;
  readonly newId: () => string;
}

/** The NHS number a find-a-patient query names; throws {@linkcode ProviderError}. */
export function patientSearchNhsNumber(identifiers: readonly string[] | undefined): string {
  if (!identifiers || identifiers.length === 0) {
    throw new ProviderError("BAD_REQUEST", "The identifier parameter is required");
  }
  if (identifiers.length > 1) {
    throw new ProviderError("BAD_REQUEST", "Exactly one identifier parameter is allowed");
  }
  const identifier = identifiers[0]!;
  const bar = identifier.indexOf("|");
  const system = bar < 0 ? "" : identifier.slice(0, bar);
  const value = bar < 0 ? identifier : identifier.slice(bar + 1);
  if (system === "" || value === "") {
    throw new ProviderError(
      "INVALID_PARAMETER",
      `identifier must be ${identifierSystems.nhsNumber}|<NHS number>, got ${
        JSON.stringify(identifier)
      }`,
    );
  }
  if (system !== identifierSystems.nhsNumber) {
    throw new ProviderError("INVALID_IDENTIFIER_SYSTEM", `Unsupported identifier system ${system}`);
  }
  const problem = nhsNumberProblem(value);
  if (problem !== undefined) throw new ProviderError("INVALID_NHS_NUMBER", problem);
  return value;
}

/**
 * The Foundations routes, to mount at the foundations root behind the provider duties.
 *
 * @example
 * ```ts
 * app.route(rootPath, foundationsRoutes({ register, now, references, newId }));
 * ```
 */
export function foundationsRoutes(options: FoundationsRoutesOptions): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const today = () => options.now().toISOString().slice(0, 10);

  app.get("/metadata", (c) =>
    fhirResponse(foundationsCapabilityStatement(options.now()), {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
    }));

  app.get("/Patient/:id", (c) => {
    const held = options.register.byLogicalId(c.req.param("id"));
    if (!held) {
      throw new ProviderError(
        "PATIENT_NOT_FOUND",
        `No patient with logical id ${c.req.param("id")}`,
      );
    }
    const resource = gpConnectPatient(held, today(), options.references);
    const meta = resource.meta as { versionId: string };
    return fhirResponse(resource, {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
      headers: { ETag: `W/"${meta.versionId}"` },
    });
  });

  app.get("/Patient", (c) => {
    const nhsNumber = patientSearchNhsNumber(c.req.queries("identifier"));
    const held = options.register.byNhsNumber(nhsNumber);
    const patients = held ? [gpConnectPatient(held, today(), options.references)] : [];
    return fhirResponse({
      resourceType: "Bundle",
      id: options.newId(),
      meta: { lastUpdated: options.now().toISOString() },
      type: "searchset",
      total: patients.length,
      entry: patients.map((resource) => ({
        fullUrl: `${c.get("rootUrl")}/Patient/${String(resource.id)}`,
        resource,
        search: { mode: "match" },
      })),
    }, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  return app;
}
