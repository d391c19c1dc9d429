/**
 * What the harness reads in an ITK3 acknowledgement (shared/reference/mesh.md §5.7; ITK3
 * Messaging Distribution "explore_response_codes"/"explore_error_codes"): the MessageHeader's
 * event and `response` (`identifier` naming the original MessageHeader, `code`), the handling
 * flags, and the ITK3 response code — a Coding of `specs/itk-response-codes.json`'s code system
 * anywhere in the Bundle (NHS's Toolkit Workbench reads it the same way) — with its level from
 * that table. The harness's own reading: judgements are never shared with the practice's code.
 *
 * @module
 */
import responseCodes from "../../specs/itk-response-codes.json" with { type: "json" };
import { isJsonObject } from "../../gpconnect/json-object.ts";

type Json = Record<string, unknown>;

/** An ITK3 response code as `specs/itk-response-codes.json` defines it. */
export interface ItkCodeEntry {
  readonly code: string;
  readonly display: string;
  readonly level: "infrastructure" | "business";
  readonly positive: boolean;
}

/** The code system of ITK3 response codes. */
export const itkResponseCodeSystem: string = responseCodes.codeSystem;

const table: ReadonlyMap<string, ItkCodeEntry> = new Map(
  (responseCodes.codes as ItkCodeEntry[]).map((entry) => [entry.code, entry]),
);

/** The table's entry for a code, if ITK3 defines it. */
export function itkCodeEntry(code: string): ItkCodeEntry | undefined {
  return table.get(code);
}

/** What an acknowledgement says. */
export interface AckReading {
  /** `Bundle.type`. */
  readonly bundleType: unknown;
  /** `MessageHeader.event.code`. */
  readonly event: unknown;
  /** `MessageHeader.response.identifier`. */
  readonly respondsTo: unknown;
  /** `MessageHeader.response.code` (`ok`, `transient-error`, `fatal-error`). */
  readonly responseCode: unknown;
  /** The handling flags, when present. */
  readonly infAckRequested: unknown;
  readonly busAckRequested: unknown;
  /** Every ITK3 response code found (there must be exactly one). */
  readonly codes: readonly string[];
}

function codingsOf(value: unknown, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) codingsOf(item, out);
  } else if (isJsonObject(value)) {
    if (value.system === itkResponseCodeSystem && typeof value.code === "string") {
      out.push(value.code);
    }
    for (const item of Object.values(value)) codingsOf(item, out);
  }
}

function handlingFlag(header: Json, key: string): unknown {
  const extensions = Array.isArray(header.extension) ? header.extension.filter(isJsonObject) : [];
  for (const extension of extensions) {
    const inner = Array.isArray(extension.extension)
      ? extension.extension.filter(isJsonObject)
      : [];
    const found = inner.find((item) => item.url === key);
    if (found) return found.valueBoolean;
  }
  return undefined;
}

/**
 * Reads an acknowledgement, or undefined when the body is not a FHIR Bundle with a MessageHeader.
 *
 * @example
 * ```ts ignore
 * readAck(JSON.parse(body))?.respondsTo; // the original MessageHeader id
 * ```
 */
export function readAck(body: unknown): AckReading | undefined {
  if (!isJsonObject(body) || body.resourceType !== "Bundle" || !Array.isArray(body.entry)) {
    return undefined;
  }
  const header = body.entry.map((e) => isJsonObject(e) ? e.resource : undefined)
    .find((r): r is Json => isJsonObject(r) && r.resourceType === "MessageHeader");
  if (!header) return undefined;
  const response = isJsonObject(header.response) ? header.response : {};
  const codes: string[] = [];
  codingsOf(body, codes);
  return {
    bundleType: body.type,
    event: isJsonObject(header.event) ? header.event.code : undefined,
    respondsTo: response.identifier,
    responseCode: response.code,
    infAckRequested: handlingFlag(header, "InfAckRequested"),
    busAckRequested: handlingFlag(header, "BusAckRequested"),
    codes: [...new Set(codes)],
  };
}
