/**
 * The body of `$gpc.getcarerecord` (DSTU2 `Parameters`; GPC-0.7 retrieve a care record section;
 * PT-0.7.4 `AccessRecord.feature`), checked in this order:
 *
 * | Problem | Answer |
 * |---|---|
 * | empty body, or not JSON | 400 BAD_REQUEST |
 * | not a `Parameters` resource, or a parameter without a name | 422 INVALID_RESOURCE |
 * | a parameter other than `patientNHSNumber`, `recordSection`, `timePeriod` (names are case-sensitive) | 422 INVALID_PARAMETER |
 * | `patientNHSNumber` missing, repeated, or not a `valueIdentifier` | 400 BAD_REQUEST |
 * | its system missing, empty or not `http://fhir.nhs.net/Id/nhs-number` | 400 INVALID_IDENTIFIER_SYSTEM |
 * | its value empty or failing format/check digit | 400 INVALID_NHS_NUMBER |
 * | `recordSection` missing, repeated, not a `valueCodeableConcept`, or more than one coding | 400 BAD_REQUEST |
 * | its coding missing, its system missing or empty | 422 INVALID_PARAMETER |
 * | its system another value set | 400 BAD_REQUEST |
 * | its code empty or not a section code (lower case included) | 422 INVALID_PARAMETER |
 * | `timePeriod` repeated | 400 BAD_REQUEST |
 * | not a `valuePeriod`, neither start nor end, a bad date, a time without zone, start after end | 422 INVALID_PARAMETER |
 * | a period for ALL, IMM, SUM or PAT | 400 BAD_REQUEST |
 *
 * Bodies are FHIR JSON; the reference provider reads no FHIR XML request bodies (the route
 * answers 415 for one).
 *
 * @module
 */
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import type { GpConnectErrorCode } from "../../../gpconnect/specs.ts";
import { ProviderError } from "../provider-error.ts";
import { type FhirDateSpan, fhirDateSpan } from "../fhir-date-span.ts";
import {
  isRecordSectionCode,
  type RecordSection,
  recordSections,
  recordSectionSystem,
} from "./record-sections.ts";

/** A consumer's time period: at least one bound. */
export interface TimePeriod {
  readonly start?: FhirDateSpan;
  readonly end?: FhirDateSpan;
}

/** A checked `$gpc.getcarerecord` request. */
export interface CareRecordRequest {
  readonly nhsNumber: string;
  readonly section: RecordSection;
  /** The consumer's period, when one was sent. */
  readonly period: TimePeriod | undefined;
}

type Json = Record<string, unknown>;

interface Parameter {
  readonly name: string;
  readonly raw: Json;
}

const parameterNames = new Set(["patientNHSNumber", "recordSection", "timePeriod"]);

function fail(code: GpConnectErrorCode, diagnostics: string): never {
  throw new ProviderError(code, diagnostics);
}

function readParameters(body: string): Parameter[] {
  if (body.trim() === "") {
    fail("BAD_REQUEST", "The request body is empty; send a Parameters resource");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    fail("BAD_REQUEST", "The request body is not well-formed FHIR JSON");
  }
  if (!isJsonObject(parsed) || parsed.resourceType !== "Parameters") {
    fail("INVALID_RESOURCE", "The request body must be a Parameters resource");
  }
  const list = parsed.parameter ?? [];
  if (!Array.isArray(list)) fail("INVALID_RESOURCE", "Parameters.parameter must be an array");
  return list.map((raw, index) => {
    if (!isJsonObject(raw) || typeof raw.name !== "string" || raw.name === "") {
      fail("INVALID_RESOURCE", `parameter[${index}] must be an object with a name`);
    }
    return { name: raw.name, raw };
  });
}

function one(parameters: readonly Parameter[], name: string): Parameter | undefined {
  const found = parameters.filter((parameter) => parameter.name === name);
  if (found.length > 1) fail("BAD_REQUEST", `${name} must be sent at most once`);
  return found[0];
}

function nhsNumberOf(parameter: Parameter | undefined): string {
  if (!parameter) fail("BAD_REQUEST", "patientNHSNumber is required");
  const identifier = parameter.raw.valueIdentifier;
  if (!isJsonObject(identifier)) fail("BAD_REQUEST", "patientNHSNumber must be a valueIdentifier");
  const system = typeof identifier.system === "string" ? identifier.system.trim() : "";
  if (system !== identifierSystems.nhsNumberDstu2) {
    fail(
      "INVALID_IDENTIFIER_SYSTEM",
      `patientNHSNumber system must be ${identifierSystems.nhsNumberDstu2}, got ${
        JSON.stringify(identifier.system ?? null)
      }`,
    );
  }
  const value = typeof identifier.value === "string" ? identifier.value.trim() : "";
  const problem = nhsNumberProblem(value);
  if (problem !== undefined) fail("INVALID_NHS_NUMBER", problem);
  return value;
}

function sectionOf(parameter: Parameter | undefined): RecordSection {
  if (!parameter) fail("BAD_REQUEST", "recordSection is required");
  const concept = parameter.raw.valueCodeableConcept;
  if (!isJsonObject(concept)) fail("BAD_REQUEST", "recordSection must be a valueCodeableConcept");
  const codings = Array.isArray(concept.coding) ? concept.coding : [];
  if (codings.length > 1) fail("BAD_REQUEST", "recordSection must have exactly one coding");
  const coding = codings[0];
  if (!isJsonObject(coding)) fail("INVALID_PARAMETER", "recordSection has no coding");
  const system = typeof coding.system === "string" ? coding.system.trim() : "";
  if (system === "") fail("INVALID_PARAMETER", "recordSection coding has no system");
  if (system !== recordSectionSystem) {
    fail(
      "BAD_REQUEST",
      `recordSection system must be ${recordSectionSystem}, got ${JSON.stringify(system)}`,
    );
  }
  const code = typeof coding.code === "string" ? coding.code : "";
  if (!isRecordSectionCode(code)) {
    fail("INVALID_PARAMETER", `recordSection code ${JSON.stringify(code)} is not a section code`);
  }
  return recordSections[code];
}

function bound(period: Json, name: "start" | "end"): FhirDateSpan | undefined {
  const value = period[name];
  if (value === undefined) return undefined;
  const span = typeof value === "string" ? fhirDateSpan(value) : undefined;
  if (!span) {
    fail(
      "INVALID_PARAMETER",
      `timePeriod ${name} ${JSON.stringify(value)} is not a FHIR date or dateTime with a time zone`,
    );
  }
  return span;
}

function periodOf(parameter: Parameter | undefined): TimePeriod | undefined {
  if (!parameter) return undefined;
  const period = parameter.raw.valuePeriod;
  if (!isJsonObject(period)) fail("INVALID_PARAMETER", "timePeriod must be a valuePeriod");
  const start = bound(period, "start");
  const end = bound(period, "end");
  if (!start && !end) fail("INVALID_PARAMETER", "timePeriod has neither a start nor an end");
  if (start && end && start.start > end.end) {
    fail("INVALID_PARAMETER", `timePeriod start ${start.text} is after its end ${end.text}`);
  }
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/**
 * The checked request; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * parseCareRecordRequest(JSON.stringify({
 *   resourceType: "Parameters",
 *   parameter: [
 *     { name: "patientNHSNumber", valueIdentifier: { system: "http://fhir.nhs.net/Id/nhs-number", value: "9690937286" } },
 *     { name: "recordSection", valueCodeableConcept: { coding: [{ system: "http://fhir.nhs.net/ValueSet/gpconnect-record-section-1", code: "SUM" }] } },
 *   ],
 * })).section.title; // "Summary"
 * ```
 */
export function parseCareRecordRequest(body: string): CareRecordRequest {
  const parameters = readParameters(body);
  const unknown = parameters.find((parameter) => !parameterNames.has(parameter.name));
  if (unknown) fail("INVALID_PARAMETER", `Unknown parameter ${JSON.stringify(unknown.name)}`);
  const nhsNumber = nhsNumberOf(one(parameters, "patientNHSNumber"));
  const section = sectionOf(one(parameters, "recordSection"));
  const period = periodOf(one(parameters, "timePeriod"));
  if (period && !section.acceptsTimePeriod) {
    fail("BAD_REQUEST", `The ${section.code} section does not take a timePeriod`);
  }
  return { nhsNumber, section, period };
}
