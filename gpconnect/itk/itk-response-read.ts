/**
 * Reads an ITK3 Response message (as `buildItkResponse` in itk-response.ts builds it; shared/reference/
 * mesh.md §5.7): which message it answers, the response code, its level and whether it is
 * positive. A reader, not a judge: it reports what the Bundle says and why it cannot be read; the
 * sender and the harness decide what that means.
 *
 * @module
 */
import { isJsonObject, type JsonObject } from "../json-object.ts";
import { itkEvents, itkResponseCodes, itkSystems } from "./itk-definitions.ts";

/** What a response says. */
export interface ItkResponseView {
  /** The response's own `MessageHeader.id`. */
  readonly messageHeaderId: string | undefined;
  /** `MessageHeader.response.identifier`: the answered message's `MessageHeader.id`. */
  readonly respondsTo: string;
  /** `MessageHeader.response.code`: `ok`, `transient-error` or `fatal-error`. */
  readonly responseCode: string | undefined;
  /** The ITK3 response code (`20013`, `30001`, …). */
  readonly code: string;
  /** Its display, as sent (else ITK3's). */
  readonly display: string | undefined;
  /** `infrastructure` (InfAck) or `business` (BusAck); `undefined` for a code ITK3 lacks. */
  readonly level: "infrastructure" | "business" | undefined;
  /** Whether the code is a positive one (20013, 30001). */
  readonly positive: boolean;
  /** `issue.diagnostics`, when given. */
  readonly diagnostics: string | undefined;
  /** The handling extension's `SenderReference`, when given. */
  readonly senderReference: string | undefined;
}

/** A response, or why a payload is not one. */
export type ItkResponseRead =
  | { readonly ok: true; readonly response: ItkResponseView }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads a response from its JSON text or parsed value.
 *
 * @example
 * ```ts
 * const read = readItkResponse('{"resourceType":"Bundle"}');
 * read.ok; // false
 * ```
 */
export function readItkResponse(payload: string | unknown): ItkResponseRead {
  let bundle: unknown = payload;
  if (typeof payload === "string") {
    try {
      bundle = JSON.parse(payload);
    } catch {
      return { ok: false, problem: "the payload is not JSON" };
    }
  }
  if (!isJsonObject(bundle) || bundle.resourceType !== "Bundle" || bundle.type !== "message") {
    return { ok: false, problem: "the payload is not a Bundle of type message" };
  }
  const resources = entries(bundle);
  const header = resources.find((resource) => resource.resourceType === "MessageHeader");
  if (!header) return { ok: false, problem: "the Bundle has no MessageHeader" };
  const event = isJsonObject(header.event) ? header.event : {};
  if (event.code !== itkEvents.response.code) {
    return { ok: false, problem: `the MessageHeader event is ${String(event.code)}, not ITK008M` };
  }
  const response = isJsonObject(header.response) ? header.response : undefined;
  if (!response || typeof response.identifier !== "string") {
    return { ok: false, problem: "the MessageHeader has no response.identifier" };
  }
  const outcome = resources.find((resource) => resource.resourceType === "OperationOutcome");
  const issue = list(outcome?.issue)[0];
  const coding = list(isJsonObject(issue?.details) ? issue.details.coding : undefined)
    .find((c) => c.system === itkSystems.responseCodes);
  if (!coding || typeof coding.code !== "string") {
    return { ok: false, problem: "no OperationOutcome issue carries an ITK3 response code" };
  }
  const known = itkResponseCodes.get(coding.code);
  return {
    ok: true,
    response: {
      messageHeaderId: typeof header.id === "string" ? header.id : undefined,
      respondsTo: response.identifier,
      responseCode: typeof response.code === "string" ? response.code : undefined,
      code: coding.code,
      display: typeof coding.display === "string" ? coding.display : known?.display,
      level: known?.level,
      positive: known?.positive ?? false,
      diagnostics: typeof issue?.diagnostics === "string" ? issue.diagnostics : undefined,
      senderReference: senderReferenceOf(header),
    },
  };
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function entries(bundle: JsonObject): JsonObject[] {
  return list(bundle.entry).flatMap((entry) =>
    isJsonObject(entry.resource) ? [entry.resource] : []
  );
}

function senderReferenceOf(header: JsonObject): string | undefined {
  for (const extension of list(header.extension)) {
    const found = list(extension.extension).find((sub) => sub.url === "SenderReference");
    if (typeof found?.valueString === "string") return found.valueString;
  }
  return undefined;
}
