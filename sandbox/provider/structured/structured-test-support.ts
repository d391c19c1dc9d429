/**
 * Test support for the structured routes: call the reference provider in process at a fixed
 * clock and read a structured Bundle (resources by type, lists by title, list entries and
 * warnings). Used by the `*.test.ts` files beside it; it judges nothing.
 *
 * @module
 */
import { createProviderSandbox } from "../provider-sandbox.ts";
import {
  nhsNumberParameter,
  type ParameterJson,
  structuredRequest,
  type StructuredRequestOptions,
} from "./structured-requests.ts";

/** Loosely typed JSON for reading responses in tests. */
// deno-lint-ignore no-explicit-any
export type Json = Record<string, any>;

/** The clock the structured tests run at. */
export const testNow = new Date("2025-03-10T15:00:00Z");

/** A response read once. */
export interface TestResult {
  readonly status: number;
  readonly body: Json;
  readonly text: string;
  readonly response: Response;
}

/** Options of {@linkcode callStructured}. */
export interface CallOptions extends StructuredRequestOptions {
  /** The provider clock; default {@linkcode testNow}. */
  readonly at?: Date;
}

/**
 * Sends a structured operation for a patient to a fresh provider sandbox.
 *
 * @example
 * ```ts
 * const { body } = await callStructured("get", "9690937286", [parameter("includeProblems")]);
 * ```
 */
export async function callStructured(
  operation: "get" | "migrate",
  nhsNumber: string,
  parameters: readonly ParameterJson[],
  options: CallOptions = {},
): Promise<TestResult> {
  const at = options.at ?? testNow;
  const app = createProviderSandbox({
    now: () => at,
    newId: () => "00000000-0000-4000-a000-000000000001",
  });
  const response = await app.request(structuredRequest(
    operation,
    [nhsNumberParameter(nhsNumber), ...parameters],
    { issuedAt: Math.floor(at.getTime() / 1000), ...options },
  ));
  const text = await response.text();
  const body = text.startsWith("{") ? JSON.parse(text) : {};
  return { status: response.status, body, text, response };
}

/** The resources of a Bundle, optionally of one type. */
export function resourcesOf(bundle: Json, type?: string): Json[] {
  return ((bundle.entry ?? []) as Json[]).map((e) => e.resource)
    .filter((r) => !type || r.resourceType === type);
}

/**
 * The primary or secondary List with a title (consultation structure lists, which carry an
 * `encounter`, are skipped); throws when there is none.
 */
export function listTitled(bundle: Json, title: string): Json {
  const found = resourcesOf(bundle, "List").find((l) => l.title === title && !l.encounter);
  if (!found) throw new Error(`no list titled ${title}`);
  return found;
}

/** Whether the Bundle has a primary or secondary List with a title. */
export function hasList(bundle: Json, title: string): boolean {
  return resourcesOf(bundle, "List").some((l) => l.title === title && !l.encounter);
}

/** The references a List's entries point at. */
export function entryReferences(list: Json): string[] {
  return ((list.entry ?? []) as Json[]).map((e) => e.item.reference as string);
}

/** The warning codes of a List. */
export function listWarnings(list: Json): string[] {
  return ((list.extension ?? []) as Json[])
    .filter((e) => String(e.url).endsWith("ListWarningCode-1"))
    .map((e) => e.valueCode as string);
}

/** The `(status, Spine code)` of an error response. */
export function errorOf(result: TestResult): [number, string | undefined] {
  return [result.status, result.body.issue?.[0]?.details?.coding?.[0]?.code];
}
