/**
 * The positive twin of every negative: the same request without the defect, run in the same run,
 * so a refusal proves its reason (issue 14 item 4). A provider that refuses everything (a wrong
 * `Ssp-To`, a broken deployment) refuses the twin too, and then its negatives are
 * `inconclusive`, never passed.
 *
 * Each interaction of the catalogue has one twin, `<short-name>.gen.twin`: its base request
 * (base-requests.ts; the request every generated negative mutates) with the base's own mutations
 * and none of the defects. Its expectation is the base's outcome on a conformant provider: the
 * success when the base succeeds, else the business answer the base is built to reach (an
 * unknown id → 404 `NO_RECORD_FOUND`, or the resource's own `*_NOT_FOUND` where the spec has one, a duplicate registration → 409 `DUPLICATE_REJECTED`, an
 * unknown slot → 422): a provider that got that far judged the headers, token and body the
 * negatives break, and found them good.
 *
 * A negative's twin is the one its scenario or flow names (`twin`), else the twin of its
 * interaction (a flow's: its first step's). MESH and messaging negatives have none: their
 * defects are judged by the MESH server's own codes.
 *
 * @module
 */
import type { Expectation, Scenario, TestCase } from "../model.ts";
import { type BaseRequest, baseRequest } from "./base-requests.ts";
import { type CatalogueInteraction, catalogueInteraction } from "./catalogue.ts";
import { caseItem, itemSteps } from "./case-steps.ts";
import { providerError, success } from "./negatives/expectations.ts";

/** What a base that does not succeed reaches on a conformant provider, and the rule it shows. */
const businessOutcomes: Readonly<
  Record<string, { status: number; spineCode: string | string[]; requirement: string }>
> = {
  "read-practitioner": {
    status: 404,
    spineCode: ["PRACTITIONER_NOT_FOUND", "NO_RECORD_FOUND"],
    requirement: "FND-PRACTITIONER-READ-NOT-FOUND",
  },
  "read-organization": {
    status: 404,
    spineCode: ["ORGANISATION_NOT_FOUND", "NO_RECORD_FOUND"],
    requirement: "FND-ORGANIZATION-READ-NOT-FOUND",
  },
  "read-location": {
    status: 404,
    spineCode: "NO_RECORD_FOUND",
    requirement: "FND-LOCATION-READ-NOT-FOUND",
  },
  "register-patient": {
    status: 409,
    spineCode: "DUPLICATE_REJECTED",
    requirement: "FND-REGISTER-DUPLICATE",
  },
  "book-appointment": {
    status: 422,
    spineCode: ["REFERENCE_NOT_FOUND", "INVALID_RESOURCE"],
    requirement: "APPT-BOOK-SLOT-NOT-FOUND",
  },
  "read-appointment": {
    status: 404,
    spineCode: "NO_RECORD_FOUND",
    requirement: "APPT-READ-NOT-FOUND",
  },
  "amend-appointment": {
    status: 404,
    spineCode: "NO_RECORD_FOUND",
    requirement: "APPT-AMEND-NOT-FOUND",
  },
  "cancel-appointment": {
    status: 404,
    spineCode: "NO_RECORD_FOUND",
    requirement: "APPT-CANCEL-NOT-FOUND",
  },
  "retrieve-document": {
    status: 404,
    spineCode: "NO_RECORD_FOUND",
    requirement: "DOC-BINARY-NOT-FOUND",
  },
  "migrate-document": {
    status: 404,
    spineCode: "NO_RECORD_FOUND",
    requirement: "DOC-BINARY-NOT-FOUND",
  },
};

/** The id of an interaction's twin. */
export function twinId(interaction: Pick<CatalogueInteraction, "shortName">): string {
  return `${interaction.shortName}.gen.twin`;
}

/**
 * The twin scenario of an interaction's base request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baseRequest } from "./base-requests.ts";
 * import { requireInteraction } from "./catalogue.ts";
 *
 * const twin = twinScenario(baseRequest(requireInteraction("read-metadata")));
 * assert.equal(twin.id, "read-metadata.gen.twin");
 * assert.equal(twin.expect.status, 200);
 * ```
 */
export function twinScenario(base: BaseRequest): Scenario {
  const { interaction } = base;
  const outcome = base.succeeds ? undefined : businessOutcomes[interaction.shortName];
  if (!base.succeeds && !outcome) {
    throw new Error(`No twin outcome for ${interaction.shortName}, whose base does not succeed`);
  }
  const expect: Expectation = outcome
    ? providerError(interaction, outcome.status, outcome.spineCode)
    : success(interaction, base.successStatus);
  return {
    id: twinId(interaction),
    title: `${interaction.name}: the well-formed base request every negative of it mutates ` +
      `(the twin that makes those negatives conclusive)`,
    product: interaction.product,
    tags: ["generated", "positive", "twin", "format", interaction.shortName],
    requirements: [outcome?.requirement ?? "FHIR-FORMAT-JSON"],
    request: base.request,
    ...(base.mutations.length > 0 ? { mutations: base.mutations } : {}),
    expect,
  };
}

/** Whether a case is a negative that needs a twin (GP Connect scenarios and flows). */
export function isNegative(testCase: TestCase): boolean {
  if (testCase.kind !== "scenario" && testCase.kind !== "flow") return false;
  return caseItem(testCase).tags.includes("negative");
}

/**
 * The id of a negative case's twin; `undefined` for other cases, or when its interaction is not
 * in the catalogue.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateNegatives } from "./negative-generator.ts";
 *
 * const negative = generateNegatives().find((s) => s.id === "read-metadata.neg.missing-ssp-to")!;
 * assert.equal(twinOf({ kind: "scenario", scenario: negative, readOnly: true }), "read-metadata.gen.twin");
 * ```
 */
export function twinOf(testCase: TestCase): string | undefined {
  if (!isNegative(testCase)) return undefined;
  if (testCase.kind === "scenario" && testCase.scenario.twin) return testCase.scenario.twin;
  if (testCase.kind === "flow" && testCase.flow.twin) return testCase.flow.twin;
  const first = itemSteps(caseItem(testCase))[0];
  const interaction = first && catalogueInteraction(first.request.interaction);
  return interaction ? twinId(interaction) : undefined;
}

/** The twin of every interaction (or of those given), in catalogue order. */
export function twinScenarios(interactions: readonly CatalogueInteraction[]): Scenario[] {
  return interactions.map((interaction) => twinScenario(baseRequest(interaction)));
}
