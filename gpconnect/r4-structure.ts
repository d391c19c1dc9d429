/**
 * A structural check of FHIR R4 resources for the sandboxes' tests and the harness's
 * patient-facing judge (`r4Structure`, PF-R4-STRUCTURE), in place of profile
 * validation: neither UK Core nor the R4 core StructureDefinitions are available here (the shared
 * FHIR folder holds only the STU3 GP Connect 1.5.0 package; specs/decisions.md says so). It
 * checks what R4 itself fixes (hl7.org/fhir/R4, each resource's element table): every top-level
 * element is one the resource type defines, the required ones (1..1) are present, status and
 * intent codes are in their required value sets, references have only Reference's elements, and
 * dates and date-times have R4's lexical forms. Profiles' extra rules (UK Core, GP Connect) are
 * the callers' own assertions.
 *
 * @module
 */

const base = ["id", "meta", "implicitRules", "language"];
const domain = [...base, "text", "contained", "extension", "modifierExtension"];

interface Definition {
  readonly elements: readonly string[];
  readonly required: readonly string[];
  readonly codes?: Readonly<Record<string, readonly string[]>>;
}

/**
 * R4 `MedicationRequest.status` codes (value set medicationrequest-status), which a search's
 * `status` parameter may name too.
 */
export const medicationRequestStatuses: readonly string[] = [
  "active",
  "on-hold",
  "cancelled",
  "completed",
  "entered-in-error",
  "stopped",
  "draft",
  "unknown",
];

/** R4 RequestIntent (required binding of MedicationRequest.intent). */
const requestIntents: readonly string[] = [
  "proposal",
  "plan",
  "order",
  "original-order",
  "reflex-order",
  "filler-order",
  "instance-order",
  "option",
];

const definitions: Readonly<Record<string, Definition>> = {
  MedicationRequest: {
    elements: [
      ...domain,
      "identifier",
      "status",
      "statusReason",
      "intent",
      "category",
      "priority",
      "doNotPerform",
      "reportedBoolean",
      "reportedReference",
      "medicationCodeableConcept",
      "medicationReference",
      "subject",
      "encounter",
      "supportingInformation",
      "authoredOn",
      "requester",
      "performer",
      "performerType",
      "recorder",
      "reasonCode",
      "reasonReference",
      "instantiatesCanonical",
      "instantiatesUri",
      "basedOn",
      "groupIdentifier",
      "courseOfTherapyType",
      "insurance",
      "note",
      "dosageInstruction",
      "dispenseRequest",
      "substitution",
      "priorPrescription",
      "detectedIssue",
      "eventHistory",
    ],
    required: ["status", "intent", "subject"],
    codes: {
      status: medicationRequestStatuses,
      intent: requestIntents,
    },
  },
  MedicationStatement: {
    elements: [
      ...domain,
      "identifier",
      "basedOn",
      "partOf",
      "status",
      "statusReason",
      "category",
      "medicationCodeableConcept",
      "medicationReference",
      "subject",
      "context",
      "effectiveDateTime",
      "effectivePeriod",
      "dateAsserted",
      "informationSource",
      "derivedFrom",
      "reasonCode",
      "reasonReference",
      "note",
      "dosage",
    ],
    required: ["status", "subject"],
    codes: {
      status: [
        "active",
        "completed",
        "entered-in-error",
        "intended",
        "stopped",
        "on-hold",
        "unknown",
        "not-taken",
      ],
    },
  },
  Task: {
    elements: [
      ...domain,
      "identifier",
      "instantiatesCanonical",
      "instantiatesUri",
      "basedOn",
      "groupIdentifier",
      "partOf",
      "status",
      "statusReason",
      "businessStatus",
      "intent",
      "priority",
      "code",
      "description",
      "focus",
      "for",
      "encounter",
      "executionPeriod",
      "authoredOn",
      "lastModified",
      "requester",
      "performerType",
      "owner",
      "location",
      "reasonCode",
      "reasonReference",
      "insurance",
      "note",
      "relevantHistory",
      "restriction",
      "input",
      "output",
    ],
    required: ["status", "intent"],
    codes: {
      status: [
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
      ],
      // R4 TaskIntent: `unknown` and the request intents.
      intent: ["unknown", ...requestIntents],
    },
  },
  PractitionerRole: {
    elements: [
      ...domain,
      "identifier",
      "active",
      "period",
      "practitioner",
      "organization",
      "code",
      "specialty",
      "location",
      "healthcareService",
      "telecom",
      "availableTime",
      "notAvailable",
      "availabilityExceptions",
      "endpoint",
    ],
    required: [],
  },
  RelatedPerson: {
    elements: [
      ...domain,
      "identifier",
      "active",
      "patient",
      "relationship",
      "name",
      "telecom",
      "gender",
      "birthDate",
      "address",
      "photo",
      "period",
      "communication",
    ],
    required: ["patient"],
  },
  Patient: {
    elements: [
      ...domain,
      "identifier",
      "active",
      "name",
      "telecom",
      "gender",
      "birthDate",
      "deceasedBoolean",
      "deceasedDateTime",
      "address",
      "maritalStatus",
      "multipleBirthBoolean",
      "multipleBirthInteger",
      "photo",
      "contact",
      "communication",
      "generalPractitioner",
      "managingOrganization",
      "link",
    ],
    required: [],
  },
  OperationOutcome: { elements: [...domain, "issue"], required: ["issue"] },
  Bundle: {
    elements: [...base, "identifier", "type", "timestamp", "total", "link", "entry", "signature"],
    required: ["type"],
    codes: {
      type: [
        "document",
        "message",
        "transaction",
        "transaction-response",
        "batch",
        "batch-response",
        "history",
        "searchset",
        "collection",
      ],
    },
  },
};

const referenceKeys = ["reference", "type", "identifier", "display", "extension", "id"];
const referenceElements = new Set([
  "subject",
  "requester",
  "basedOn",
  "focus",
  "for",
  "patient",
  "practitioner",
  "organization",
  "recorder",
  "performer",
  "owner",
  "partOf",
  "encounter",
]);
const dateTime = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
const dateTimeElements = new Set([
  "authoredOn",
  "lastModified",
  "dateAsserted",
  "lastUpdated",
  "timestamp",
  "start",
  "end",
  "effectiveDateTime",
]);
const dateElements = new Set(["birthDate"]);

function walk(value: unknown, path: string, problems: string[], key = ""): void {
  if (Array.isArray(value)) {
    if (value.length === 0) problems.push(`${path}: empty arrays are not allowed in FHIR JSON`);
    value.forEach((item, index) => walk(item, `${path}[${index}]`, problems, key));
    return;
  }
  if (typeof value === "string") {
    if (dateTimeElements.has(key) && !dateTime.test(value)) {
      problems.push(`${path}: ${JSON.stringify(value)} is not an R4 dateTime`);
    }
    if (dateElements.has(key) && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) {
      problems.push(`${path}: ${JSON.stringify(value)} is not an R4 date`);
    }
    if (value === "") problems.push(`${path}: empty strings are not allowed`);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const object = value as Record<string, unknown>;
  if (typeof object.resourceType === "string") {
    problems.push(...r4StructureProblems(object, path));
    return;
  }
  if (referenceElements.has(key)) {
    for (const name of Object.keys(object)) {
      if (!referenceKeys.includes(name)) {
        problems.push(`${path}.${name}: not an element of Reference`);
      }
    }
  }
  for (const [name, child] of Object.entries(object)) {
    if (child === null || child === undefined) problems.push(`${path}.${name}: null`);
    walk(child, `${path}.${name}`, problems, name);
  }
}

/**
 * What breaks R4's structure in `resource` (empty when nothing does).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(r4StructureProblems({ resourceType: "Task", status: "requested", intent: "order" }), []);
 * assert.equal(r4StructureProblems({ resourceType: "Task", status: "open", intent: "order" }).length, 1);
 * ```
 */
export function r4StructureProblems(
  resource: Record<string, unknown>,
  path = String(resource.resourceType),
): string[] {
  const definition = definitions[String(resource.resourceType)];
  if (!definition) return [`${path}: no structure known for ${String(resource.resourceType)}`];
  const problems: string[] = [];
  for (const name of Object.keys(resource)) {
    if (name !== "resourceType" && !definition.elements.includes(name)) {
      problems.push(`${path}.${name}: not an element of ${resource.resourceType}`);
    }
  }
  for (const name of definition.required) {
    if (resource[name] === undefined) problems.push(`${path}.${name}: required (1..1)`);
  }
  for (const [name, codes] of Object.entries(definition.codes ?? {})) {
    if (resource[name] !== undefined && !codes.includes(String(resource[name]))) {
      problems.push(`${path}.${name}: ${JSON.stringify(resource[name])} is not a ${name} code`);
    }
  }
  if (resource.resourceType === "OperationOutcome") {
    for (const [index, issue] of (resource.issue as Array<Record<string, unknown>>).entries()) {
      if (!issue.severity || !issue.code) {
        problems.push(`${path}.issue[${index}]: severity and code are required`);
      }
    }
  }
  for (const [name, child] of Object.entries(resource)) {
    if (name !== "resourceType") walk(child, `${path}.${name}`, problems, name);
  }
  return problems;
}
