/**
 * The error log line: every exception a sub-app's `onError` renders is logged exactly once, there,
 * with the request id its audience uses (`X-Request-ID` for gpc-edge's own APIs, the
 * `Ssp-TraceID` for the SSP). Expected errors (a `GpcEdgeError`) log their code and diagnostics;
 * an unexpected one logs its message and the name of its class, never its stack. Nothing here
 * reads headers or bodies, so no token can reach the log.
 *
 * @module
 */
import type { Clock, Logger } from "./app-deps.ts";
import { GpcEdgeError } from "./errors.ts";

/** Who answered the request: the sub-app whose `onError` logged the exception. */
export type ErrorLogAudience = "gateway" | "directory" | "ssp" | "mesh" | "platform";

/** One error log record: a JSON line beside the SSP's and MESH's audit lines. */
export type ErrorLogRecord = {
  readonly type: "error";
  readonly time: string;
  readonly audience: ErrorLogAudience;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  /** Whether the error was raised on purpose (`GpcEdgeError`) rather than a fault. */
  readonly expected: boolean;
  readonly message: string;
};

/** What {@linkcode logException} needs to know about the request. */
export interface ErrorLogContext {
  readonly audience: ErrorLogAudience;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
}

/**
 * The log record of `thrown` answered with `status`.
 *
 * @example
 * ```ts
 * import { GpcEdgeError } from "./errors.ts";
 * const record = errorLogRecord(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), 404, {
 *   audience: "directory", requestId: crypto.randomUUID(), method: "GET", path: "/directory/resolve",
 * }, Date.now());
 * record.code; // "PATIENT_NOT_FOUND"
 * ```
 */
export function errorLogRecord(
  thrown: unknown,
  status: number,
  context: ErrorLogContext,
  now: number,
): ErrorLogRecord {
  const expected = thrown instanceof GpcEdgeError;
  return {
    type: "error",
    time: new Date(now).toISOString(),
    audience: context.audience,
    requestId: context.requestId,
    method: context.method,
    path: context.path,
    status,
    code: expected ? thrown.code : "INTERNAL_SERVER_ERROR",
    expected,
    message: expected
      ? thrown.diagnostics ?? thrown.display
      : thrown instanceof Error
      ? `${thrown.name}: ${thrown.message}`
      : String(thrown),
  };
}

/** Writes the one log line of an exception answered with `status`. */
export function logException(
  logger: Logger,
  clock: Clock,
  thrown: unknown,
  status: number,
  context: ErrorLogContext,
): void {
  logger.log(errorLogRecord(thrown, status, context, clock.now()));
}
