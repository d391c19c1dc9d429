/**
 * Errors are values with a status and a code. One class carries every error gpc-edge raises on
 * purpose; each sub-app's `onError` renders it in the shape of its audience (ARCHITECTURE.md §3.5).
 *
 * @module
 */
import {
  type GpConnectErrorCode,
  gpConnectErrorCodes,
  sspErrorCodes,
  type SspErrorKind,
} from "../gpconnect/specs.ts";

/** Who an error is for, which decides its body shape. */
export type ErrorAudience = "gpconnect" | "ssp";

/** Options for {@linkcode GpcEdgeError}. */
export interface GpcEdgeErrorOptions {
  /** Free text for `issue.diagnostics`. Never a token or stack trace. */
  readonly diagnostics?: string;
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the table's HTTP status (e.g. 429/503 for a throttled directory). */
  readonly status?: number;
  /** Overrides the table's issue type. */
  readonly issueCode?: string;
  /** The wrapped failure. */
  readonly cause?: unknown;
  /** Whether a directory cache may remember this answer (negative caching). */
  readonly cacheable?: boolean;
}

/**
 * An error gpc-edge answers on purpose: HTTP status, Spine code (or SSP display), issue type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = GpcEdgeError.gpconnect("INVALID_NHS_NUMBER", {
 *   diagnostics: "NHS number 123 is not 10 digits",
 * });
 * assert.equal(error.status, 400); // thrown, it is answered as a 400 OperationOutcome
 * ```
 */
export class GpcEdgeError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Spine error code (GP Connect audience) or the SSP error kind. */
  readonly code: string;
  /** FHIR issue type. */
  readonly issueCode: string;
  /** `details.coding.display`; for SSP errors the filled-in display pattern. */
  readonly display: string;
  /** `issue.diagnostics`. */
  readonly diagnostics: string | undefined;
  /** Error body shape. */
  readonly audience: ErrorAudience;
  /** `issue.severity`. */
  readonly severity: string;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether a directory cache may remember this answer. */
  readonly cacheable: boolean;

  private constructor(
    fields: {
      status: number;
      code: string;
      issueCode: string;
      display: string;
      audience: ErrorAudience;
      severity: string;
    },
    options: GpcEdgeErrorOptions,
  ) {
    super(options.diagnostics ?? fields.display, { cause: options.cause });
    this.name = "GpcEdgeError";
    this.status = options.status ?? fields.status;
    this.code = fields.code;
    this.issueCode = options.issueCode ?? fields.issueCode;
    this.display = fields.display;
    this.diagnostics = options.diagnostics;
    this.audience = fields.audience;
    this.severity = fields.severity;
    this.headers = options.headers ?? {};
    this.cacheable = options.cacheable ?? false;
  }

  /** An error in GP Connect's shape, from the Spine error-code table. */
  static gpconnect(code: GpConnectErrorCode, options: GpcEdgeErrorOptions = {}): GpcEdgeError {
    const row = gpConnectErrorCodes[code];
    return new GpcEdgeError({
      status: row.status,
      code,
      issueCode: row.issueCode,
      display: row.display,
      audience: "gpconnect",
      severity: "error",
    }, options);
  }

  /**
   * An error the SSP itself raises, with its display pattern filled in from `values`
   * (`<fromAsid>` → `values.fromAsid`).
   */
  static ssp(
    kind: SspErrorKind,
    values: Readonly<Record<string, string>> = {},
    options: GpcEdgeErrorOptions = {},
  ): GpcEdgeError {
    const row = sspErrorCodes[kind];
    const display = row.pattern.replace(/<([A-Za-z]+)>/g, (_, name: string) => values[name] ?? "");
    return new GpcEdgeError({
      status: row.status,
      code: kind,
      issueCode: row.issueCode,
      display,
      audience: "ssp",
      severity: row.severity,
    }, options);
  }
}
