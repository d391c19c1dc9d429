/**
 * Builds an ITK3 Response message — the infrastructure acknowledgement (InfAck, codes 10001–20013)
 * or the business acknowledgement (BusAck, 30001–30003) a receiver sends back over MESH on the
 * `_ACK` workflow (shared/reference/mesh.md §5.7; ITK3 Messaging Distribution "Response
 * structure"): a `Bundle` of type `message` with
 *
 * - a `MessageHeader`: handling extension with `BusAckRequested` and `InfAckRequested` false and
 *   the original's `SenderReference`, `event` ITK008M, `response` = { `identifier`: the original
 *   `MessageHeader.id` (or `UNREADABLE-IN-ORIGINAL-MESSAGE`), `code`: `ok` for a positive code,
 *   `fatal-error` otherwise, `details` → the OperationOutcome }, `source.endpoint` the
 *   responder's mailbox, `sender` → the responder's Organization, `focus` → the OperationOutcome;
 * - the responder's header `Organization`;
 * - an `OperationOutcome` with one issue: severity `information` (positive) or `fatal`, the
 *   code's IssueType, and `details.coding` = the ITK3 response code.
 *
 * @module
 */
import { identifierSystems } from "../identifier-systems.ts";
import { handlingExtension } from "./itk-message.ts";
import {
  itkEvents,
  itkProfiles,
  itkResponseCode,
  itkSystems,
  messageDefinitions,
} from "./itk-definitions.ts";

type Json = Record<string, unknown>;

/** The identifier a response names when the original's could not be read (ITK3). */
export const unreadableOriginalIdentifier = "UNREADABLE-IN-ORIGINAL-MESSAGE";

/** What {@linkcode buildItkResponse} needs. */
export interface ItkResponseInput {
  /** The ITK3 response code, e.g. `20013`, `30001`, `20009`. */
  readonly code: string;
  /** Words for a person reading the negative response (`issue.diagnostics`). */
  readonly diagnostics?: string;
  /** The original `MessageHeader.id` ({@linkcode unreadableOriginalIdentifier} when unknown). */
  readonly originalMessageHeaderId: string;
  /** The original's `SenderReference` (`None` when unknown). */
  readonly senderReference: string;
  /** The responder's mailbox. */
  readonly responderMailbox: string;
  /** The responder's ODS code and name. */
  readonly responder: { readonly odsCode: string; readonly name: string };
  /** ISO instant. */
  readonly timestamp: string;
  readonly newId: () => string;
}

/** A built response and its ids. */
export interface ItkResponse {
  readonly bundle: Json;
  /** `Bundle.identifier.value` of the response. */
  readonly bundleIdentifier: string;
  readonly messageHeaderId: string;
}

/**
 * Builds the response for `code`; throws `RangeError` for a code ITK3 does not define.
 *
 * @example
 * ```ts
 * const { bundle } = buildItkResponse({
 *   code: "20013", originalMessageHeaderId: crypto.randomUUID(), senderReference: "None",
 *   responderMailbox: "B82617OT1", responder: { odsCode: "B82617", name: "COXWOLD SURGERY" },
 *   timestamp: new Date().toISOString(), newId: () => crypto.randomUUID(),
 * });
 * ```
 */
export function buildItkResponse(input: ItkResponseInput): ItkResponse {
  const code = itkResponseCode(input.code);
  const [headerId, organizationId, outcomeId, bundleId, bundleIdentifier] = [
    input.newId(),
    input.newId(),
    input.newId(),
    input.newId(),
    input.newId(),
  ];
  const urn = (uuid: string) => `urn:uuid:${uuid}`;
  const outcome: Json = {
    resourceType: "OperationOutcome",
    id: outcomeId,
    meta: { profile: [itkProfiles.operationOutcome] },
    issue: [{
      severity: code.positive ? "information" : "fatal",
      code: code.issueType,
      details: {
        coding: [{ system: itkSystems.responseCodes, code: code.code, display: code.display }],
      },
      ...(input.diagnostics ? { diagnostics: input.diagnostics } : {}),
    }],
  };
  const header: Json = {
    resourceType: "MessageHeader",
    id: headerId,
    meta: { profile: [itkProfiles.messageHeader] },
    extension: [handlingExtension({
      busAck: false,
      infAck: false,
      messageDefinition: messageDefinitions.response,
      senderReference: input.senderReference,
      localExtension: "None",
    })],
    event: { system: itkSystems.messageEvent, ...itkEvents.response },
    sender: { reference: urn(organizationId) },
    timestamp: input.timestamp,
    source: { endpoint: input.responderMailbox },
    response: {
      identifier: input.originalMessageHeaderId,
      code: code.positive ? "ok" : "fatal-error",
      details: { reference: urn(outcomeId) },
    },
    focus: { reference: urn(outcomeId) },
  };
  const bundle: Json = {
    resourceType: "Bundle",
    id: bundleId,
    meta: { profile: [itkProfiles.messageBundle] },
    identifier: { system: itkSystems.uuidIdentifier, value: bundleIdentifier },
    type: "message",
    entry: [
      { fullUrl: urn(headerId), resource: header },
      {
        fullUrl: urn(organizationId),
        resource: {
          resourceType: "Organization",
          id: organizationId,
          meta: { profile: [itkProfiles.headerOrganization] },
          identifier: [{
            system: identifierSystems.odsOrganizationCode,
            value: input.responder.odsCode,
          }],
          name: input.responder.name,
        },
      },
      { fullUrl: urn(outcomeId), resource: outcome },
    ],
  };
  return { bundle, bundleIdentifier, messageHeaderId: headerId };
}
