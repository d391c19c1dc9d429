/**
 * The practice's direct-care routes as the patient-facing side calls them in-process: the same
 * Access Record Structured, Access Document and Appointment Management code (no fork), each
 * request given the interaction, format and root the provider duties would have set. The
 * patient-facing side calls it only after its own checks, so the direct-care duties (SSP
 * headers, consumer JWT) do not apply here.
 *
 * @module
 */
import { Hono } from "hono";
import { findInteraction } from "../../../gpconnect/specs.ts";
import { appointmentsRoutes } from "../appointments/appointments-routes.ts";
import { documentsRoutes } from "../documents/documents-routes.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError, providerErrorResponse } from "../provider-error.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import { structuredRoutes } from "../structured/structured-routes.ts";

/** Which direct-care root a call goes to. */
export type DirectCareRoot = "structured" | "documents" | "foundations";

/** One in-process call. */
export interface DirectCareCall {
  readonly root: DirectCareRoot;
  readonly method: string;
  /** Path and query relative to the root, e.g. `/Patient/2/Appointment?start=ge2026-01-01`. */
  readonly pathAndQuery: string;
  readonly interactionId: string;
  /** Becomes `Ssp-TraceID`, which the direct-care code uses as `Bundle.id`. */
  readonly requestId: string;
  /** The patient-facing root the answer's full URLs are relative to. */
  readonly rootUrl: string;
  readonly body?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Calls the direct-care routes. */
export type DirectCareCaller = (call: DirectCareCall) => Promise<Response>;

/**
 * Builds the in-process caller over the practice's routes.
 *
 * @example
 * ```ts
 * // const call = directCareCaller(routesOptions);
 * // await call({ root: "foundations", method: "GET", pathAndQuery: "/Slot?…", … });
 * ```
 */
export function directCareCaller(options: ProviderRoutesOptions): DirectCareCaller {
  const contexts = new WeakMap<Request, DirectCareCall>();
  const inner = new Hono<ProviderEnv>();
  inner.use("*", async (c, next) => {
    const call = contexts.get(c.req.raw)!;
    const interaction = findInteraction(call.interactionId);
    if (!interaction) throw new ProviderError("INTERNAL_SERVER_ERROR", "Unknown interaction");
    c.set("interaction", interaction);
    c.set("format", "json");
    c.set("fhirVersion", "STU3");
    c.set("rootUrl", call.rootUrl);
    await next();
  });
  inner.route("/structured", structuredRoutes(options));
  inner.route("/documents", documentsRoutes(options));
  inner.route("/foundations", appointmentsRoutes(options));
  inner.onError((error) =>
    providerErrorResponse(
      error instanceof ProviderError
        ? error
        : new ProviderError("INTERNAL_SERVER_ERROR", "The reference provider failed unexpectedly"),
      "json",
      "STU3",
    )
  );
  return async (call) => {
    const request = new Request(`http://practice.internal/${call.root}${call.pathAndQuery}`, {
      method: call.method,
      headers: {
        "Ssp-TraceID": call.requestId,
        "Content-Type": "application/fhir+json",
        ...call.headers,
      },
      ...(call.body === undefined ? {} : { body: call.body }),
    });
    contexts.set(request, call);
    return await inner.fetch(request);
  };
}
