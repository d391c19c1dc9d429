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
import { receivedFields } from "../../gpconnect/header-pairs.ts";
import { established, type SspEnv } from "./ssp-state.ts";

/** Middleware: rejects unsupported `Accept` and `Content-Type` with 415. Runs after the interaction is known. */
export function sspMediaTypeCheck(): MiddlewareHandler<SspEnv> {
  return function sspMediaTypes(c, next) {
    const version = established(c, "sspInteraction").fhirVersion;
    const fields = receivedFields(c.req.raw.headers);
    if (acceptedFhirFormat(fields.get("accept"), version) === undefined) {
      throw GpcEdgeError.ssp("UNSUPPORTED_MEDIA_TYPE", {}, {
        diagnostics: `Accept names no ${version} FHIR media type`,
      });
    }
    const contentType = fields.get("content-type");
    const declaresBody = (fields.get("content-length") ?? "0") !== "0" ||
      fields.get("transfer-encoding") !== undefined;
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
