/**
 * What every validation step shares: the profiles (as element trees), terminology, and the list
 * messages are added to.
 *
 * @module
 */
import type { ValidationMessage } from "../model.ts";
import type { ElementTree } from "./element-tree.ts";
import type { Terminology } from "./terminology.ts";

/** The state of one `validate` call. */
export interface ValidationContext {
  /** The element tree of a profile in the directory, or undefined. */
  readonly tree: (url: string) => ElementTree | undefined;
  readonly terminology: Terminology;
  readonly messages: ValidationMessage[];
  /** The resource being walked (`%resource` of FHIRPath invariants). */
  resource?: unknown;
  /** Invariants met but not evaluated in this call (`invariants.ts`), with why. */
  readonly skippedInvariants?: Map<string, string>;
}

/** Adds one message. */
export function report(
  ctx: ValidationContext,
  severity: ValidationMessage["severity"],
  path: string,
  rule: string,
  message: string,
  profile: string,
): void {
  ctx.messages.push({ severity, path, rule, message, profile });
}
