/**
 * MESH errors as values: an HTTP status, MESH's event and code (from specs/mesh-error-codes.json)
 * and a description. `onError` renders them in MESH's v1 or v2 JSON shape (mesh-error-response.ts).
 *
 * @module
 */
import meshErrorCodes from "../../specs/mesh-error-codes.json" with { type: "json" };

/** A MESH error code of specs/mesh-error-codes.json. */
export type MeshErrorCode = keyof typeof meshErrorCodes.codes;

/** Options for a {@linkcode MeshError}. */
export interface MeshErrorOptions {
  /** Overrides the table's description. */
  readonly description?: string;
  /** The message the error is about (`message_id` / `messageID` in the body). */
  readonly messageId?: string;
  /** The wrapped failure. */
  readonly cause?: unknown;
  /** `Retry-After` in seconds (a 503: when the client may try again). */
  readonly retryAfterSeconds?: number;
}

/**
 * An error the MESH API answers on purpose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const unregistered = MeshError.coded(417, "12");
 * assert.equal(unregistered.event, "SEND"); // the event and message come from the code
 * assert.equal(unregistered.message, "Unregistered to address");
 * const forbidden = MeshError.plain(403, "Invalid Authentication Token");
 * assert.equal(forbidden.code, "");
 * ```
 */
export class MeshError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** MESH event (`SEND`, `TRANSFER`, …), or `""` for uncoded errors. */
  readonly event: string;
  /** MESH error code, or `""`. */
  readonly code: string;
  /** What went wrong, in MESH's words where MESH has some. Never a secret. */
  readonly description: string;
  /** The message concerned, if any. */
  readonly messageId: string | undefined;
  /** Seconds for a `Retry-After` header, if any. */
  readonly retryAfterSeconds: number | undefined;

  private constructor(
    status: number,
    event: string,
    code: string,
    description: string,
    options: MeshErrorOptions,
  ) {
    super(description, { cause: options.cause });
    this.name = "MeshError";
    this.status = status;
    this.event = event;
    this.code = code;
    this.description = description;
    this.messageId = options.messageId;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** An error with a MESH code; event and description come from the code table. */
  static coded(status: number, code: MeshErrorCode, options: MeshErrorOptions = {}): MeshError {
    const entry = meshErrorCodes.codes[code];
    return new MeshError(
      status,
      entry.event,
      code,
      options.description ?? entry.description,
      options,
    );
  }

  /** An error without a MESH code (event and code `""`, as MESH renders auth failures). */
  static plain(status: number, description: string, options: MeshErrorOptions = {}): MeshError {
    return new MeshError(status, "", "", description, options);
  }

  /** An error with an explicit event and code (e.g. the sandbox's unknown-mailbox EPL-151). */
  static custom(
    status: number,
    event: string,
    code: string,
    description: string,
    options: MeshErrorOptions = {},
  ): MeshError {
    return new MeshError(status, event, code, description, options);
  }
}

/**
 * The description of `code` from the table, with `{name}` placeholders filled in.
 *
 * @example
 * ```ts
 * meshErrorDescription("14", { days: "5" }); // "Message not collected by recipient after 5 days"
 * ```
 */
export function meshErrorDescription(
  code: MeshErrorCode,
  values: Readonly<Record<string, string>> = {},
): string {
  return meshErrorCodes.codes[code].description.replace(
    /\{(\w+)\}/g,
    (whole, name: string) => values[name] ?? whole,
  );
}

/** The table's event for `code`. */
export function meshErrorEvent(code: MeshErrorCode): string {
  return meshErrorCodes.codes[code].event;
}
