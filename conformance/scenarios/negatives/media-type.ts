/**
 * Media types and content negotiation (reference gpconnect-ssp.md §1.6; GPC-1.6 general API
 * guidance; PT-1.6 `FHIR.feature`; decisions P2, S11):
 *
 * - negatives: an `Accept` or `_format` naming no FHIR format → 415 (code BAD_REQUEST, the
 *   spreadsheet's "Invalid Accept → 415 BAD_REQUEST"); a request body whose `Content-Type` is no
 *   FHIR media type → 415. Through an SSP, `Accept` and `Content-Type` are refused by the SSP
 *   itself (415 `Unsupported_Media_Type`); `_format` reaches the provider.
 * - the negotiation matrix (positives): `Accept` × `_format` (each absent, JSON or XML) and, with
 *   neither, the request `Content-Type`; the response must be in the format the precedence rule
 *   names (`_format` over `Accept`; then `Content-Type`; then JSON), with that media type.
 *
 * @module
 */
import { type FhirFormat, fhirMediaType } from "../../../gpconnect/media-type.ts";
import type { Mutation, Scenario } from "../../model.ts";
import type { BaseRequest } from "../base-requests.ts";
import { errorWithSsp, providerError, sspError, success } from "./expectations.ts";
import { type GeneratedRule, generatedScenario } from "./generated-scenario.ts";

/**
 * The media-type negatives and the negotiation matrix of one interaction.
 *
 * @example
 * ```ts
 * import { baseRequest } from "../base-requests.ts";
 * import { requireInteraction } from "../catalogue.ts";
 *
 * mediaTypeScenarios(baseRequest(requireInteraction("read-metadata"))).length; // 2 + 12
 * ```
 */
export function mediaTypeScenarios(base: BaseRequest): Scenario[] {
  const { interaction } = base;
  const hasBody = base.request.body !== undefined || base.request.rawBody !== undefined;
  const rules: GeneratedRule[] = [
    {
      rule: "accept-unsupported",
      title: "Accept names no FHIR media type (text/html)",
      category: "media-type",
      negative: true,
      requirements: ["FHIR-FORMAT-UNSUPPORTED", "SSP-ERR-MEDIA-TYPE"],
      mutations: [{ kind: "set-header", header: "Accept", value: "text/html" }],
      expect: errorWithSsp(
        interaction,
        415,
        "BAD_REQUEST",
        sspError(415, "UNSUPPORTED_MEDIA_TYPE"),
      ),
    },
    {
      rule: "format-unsupported",
      title: "_format names no FHIR format (text/html)",
      category: "media-type",
      negative: true,
      requirements: ["FHIR-FORMAT-UNSUPPORTED"],
      mutations: [{ kind: "set-query", name: "_format", value: "text/html" }],
      expect: providerError(interaction, 415, "BAD_REQUEST"),
    },
  ];
  if (hasBody) {
    rules.push({
      rule: "content-type-unsupported",
      title: "the request body's Content-Type is no FHIR media type (text/plain)",
      category: "media-type",
      negative: true,
      requirements: ["FHIR-CONTENT-TYPE-UNSUPPORTED", "SSP-ERR-MEDIA-TYPE"],
      mutations: [{ kind: "set-header", header: "Content-Type", value: "text/plain" }],
      expect: errorWithSsp(
        interaction,
        415,
        "BAD_REQUEST",
        sspError(415, "UNSUPPORTED_MEDIA_TYPE"),
      ),
    });
  }
  if (base.succeeds && !interaction.mutating) rules.push(...negotiationMatrix(base, hasBody));
  return rules.map((rule) => generatedScenario(base, rule));
}

function negotiationMatrix(base: BaseRequest, hasBody: boolean): GeneratedRule[] {
  const { interaction } = base;
  const version = interaction.fhirVersion;
  const options: ReadonlyArray<FhirFormat | undefined> = [undefined, "json", "xml"];
  const rules: GeneratedRule[] = [];
  const add = (
    rule: string,
    title: string,
    result: FhirFormat,
    requirement: string,
    mutations: Mutation[],
  ) => {
    rules.push({
      rule,
      title,
      category: "format",
      negative: false,
      requirements: [requirement, result === "json" ? "FHIR-FORMAT-JSON" : "FHIR-FORMAT-XML"],
      mutations,
      expect: success(interaction, base.successStatus, result),
    });
  };
  for (const accept of options) {
    for (const format of options) {
      const mutations: Mutation[] = [
        accept === undefined
          ? { kind: "drop-header", header: "Accept" }
          : { kind: "set-header", header: "Accept", value: fhirMediaType(version, accept) },
      ];
      if (format !== undefined) {
        mutations.push({
          kind: "set-query",
          name: "_format",
          value: fhirMediaType(version, format),
        });
      }
      const result = format ?? accept ?? "json";
      const requirement = format !== undefined && accept !== undefined
        ? "FHIR-FORMAT-PRECEDENCE"
        : format !== undefined
        ? "FHIR-FORMAT-PARAM"
        : accept !== undefined
        ? "FHIR-FORMAT-ACCEPT"
        : "FHIR-FORMAT-CONTENT-TYPE";
      const title = `Accept ${accept ?? "absent"}, _format ${
        format ?? "absent"
      } → ${result.toUpperCase()}`;
      add(
        `format-accept-${accept ?? "none"}-param-${format ?? "none"}`,
        title,
        result,
        requirement,
        mutations,
      );
    }
  }
  add("format-accept-any", "Accept */* → JSON", "json", "FHIR-FORMAT-ACCEPT", [
    { kind: "set-header", header: "Accept", value: "*/*" },
  ]);
  if (!hasBody) {
    for (const contentType of ["json", "xml"] as const) {
      add(
        `format-content-type-${contentType}`,
        `no Accept or _format, Content-Type ${contentType.toUpperCase()} → ${contentType.toUpperCase()}`,
        contentType,
        "FHIR-FORMAT-CONTENT-TYPE",
        [
          { kind: "drop-header", header: "Accept" },
          {
            kind: "set-header",
            header: "Content-Type",
            value: fhirMediaType(version, contentType),
          },
        ],
      );
    }
  }
  return rules;
}
