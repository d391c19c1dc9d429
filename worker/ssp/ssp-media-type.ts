/**
 * The SSP's media-type check (reference gpconnect-ssp.md §1.4): an `Accept` naming no FHIR media
 * type of the interaction's release, or a body whose `Content-Type` is not one, is 415
 * `Unsupported_Media_Type`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { GpcEdgeError } from "../errors.ts";
import { acceptedFhirFormat, contentTypeFhirFormat } from "../../gpconnect/media-type.ts";
import { established, type SspEnv } from "./ssp-state.ts";

/** Middleware: rejects unsupported `Accept` and `Content-Type` with 415. Runs after the interaction is known. */
export function sspMediaTypeCheck(): MiddlewareHandler<SspEnv> {
  return function sspMediaTypes(c, next) {
    const version = established(c, "sspInteraction").fhirVersion;
    if (acceptedFhirFormat(c.req.header("Accept"), version) === undefined) {
      throw GpcEdgeError.ssp("UNSUPPORTED_MEDIA_TYPE", {}, {
        diagnostics: `Accept names no ${version} FHIR media type`,
      });
    }
    const contentType = c.req.header("Content-Type");
    const declaresBody = (c.req.header("Content-Length") ?? "0") !== "0" ||
      c.req.header("Transfer-Encoding") !== undefined;
    const carriesBody = c.req.method !== "GET" && c.req.method !== "HEAD";
    const badContentType = contentType === undefined
      ? declaresBody
      : contentTypeFhirFormat(contentType, version) === undefined;
    if (carriesBody && badContentType) {
      throw GpcEdgeError.ssp("UNSUPPORTED_MEDIA_TYPE", {}, {
        diagnostics: `Content-Type is not a ${version} FHIR media type`,
      });
    }
    return next();
  };
}
