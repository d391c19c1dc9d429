/**
 * Builds one patient-facing request from its template: the URL under the API's root, the
 * placeholders filled, and the headers the API platform sends a practice (A5, A2 step 9):
 * `Authorization: Bearer <provider token>`, a fresh UUID `X-Request-ID` (or an earlier step's, for
 * a retry) and `X-Correlation-ID`, `Accept`, and nothing of Spine's (`Ssp-*`).
 *
 * Placeholders: the shared ones (`{today±N}`, `{now}`, `{odsCode}`, `{step.<name>.<path>}`,
 * `{step.<name>:<FHIRPath>}`, `runner/placeholders.ts`), and `{nhsNumber}` (the caller's NHS
 * number), `{role.<role>.nhsNumber}` (any fixture role's) and `{requestId}` (this request's
 * `X-Request-ID`).
 *
 * @module
 */
import { fillTemplate, type PlaceholderContext, TemplateError } from "../runner/placeholders.ts";
import type { PfRequestTemplate } from "./pf-scenario.ts";

/** What filling a template needs. */
export interface PfFillContext {
  /** NHS number by fixture role (the manifest's and the endpoint's extra roles). */
  readonly roles: ReadonlyMap<string, string>;
  readonly odsCode: string;
  readonly runClock: Date;
  /** Bodies of earlier steps by name. */
  readonly steps: ReadonlyMap<string, unknown>;
  /** `X-Request-ID`s earlier steps sent, by name. */
  readonly requestIds: ReadonlyMap<string, string>;
  readonly evaluateFhirPath?: (resource: unknown, expression: string) => unknown[];
}

/** A request ready to send. */
export interface BuiltPfRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body?: string;
  /** The `X-Request-ID` sent, if any. */
  readonly requestId?: string;
  /** Fills an expectation's FHIRPath or header value (leniently: FHIRPath has braces too). */
  readonly fillExpected: (text: string) => string;
}

const pfPlaceholder = /\{(requestId|nhsNumber|role\.([A-Za-z0-9_-]+)\.nhsNumber)\}/g;

/**
 * `template` with the patient-facing placeholders and then the shared ones filled.
 *
 * @example
 * ```ts
 * fillPfTemplate("/Patient/{nhsNumber}/Appointment?start=ge{today}", {
 *   roles: new Map([["rich-record", "9690937286"]]),
 *   odsCode: "B82617",
 *   runClock: new Date("2026-12-05T10:00:00Z"),
 *   steps: new Map(),
 *   requestIds: new Map(),
 * }, { caller: "9690937286", requestId: crypto.randomUUID() });
 * // "/Patient/9690937286/Appointment?start=ge2026-12-05"
 * ```
 */
export function fillPfTemplate(
  template: string,
  context: PfFillContext,
  values: { readonly caller?: string; readonly requestId: string },
  options: { readonly strict?: boolean } = {},
): string {
  const own = template.replace(pfPlaceholder, (whole, name: string, role?: string) => {
    if (name === "requestId") return values.requestId;
    if (name === "nhsNumber") {
      if (values.caller === undefined) {
        if (options.strict === false) return whole;
        throw new TemplateError("{nhsNumber} needs a caller with a fixture role (as: <role>)");
      }
      return values.caller;
    }
    const nhsNumber = context.roles.get(role ?? "");
    if (nhsNumber === undefined) {
      if (options.strict === false) return whole;
      throw new TemplateError(`{role.${role}.nhsNumber}: no fixture role ${role}`);
    }
    return nhsNumber;
  });
  return fillTemplate(own, placeholderContext(context, values), options);
}

function placeholderContext(
  context: PfFillContext,
  values: { readonly caller?: string; readonly requestId: string },
): PlaceholderContext {
  return {
    ...(values.caller === undefined ? {} : { nhsNumber: values.caller }),
    odsCode: context.odsCode,
    runClock: context.runClock,
    traceId: values.requestId,
    steps: context.steps,
    ...(context.evaluateFhirPath ? { evaluateFhirPath: context.evaluateFhirPath } : {}),
  };
}

function fillJson(
  body: unknown,
  context: PfFillContext,
  values: { readonly caller?: string; readonly requestId: string },
): unknown {
  if (typeof body === "string") return fillPfTemplate(body, context, values);
  if (Array.isArray(body)) return body.map((item) => fillJson(item, context, values));
  if (typeof body === "object" && body !== null) {
    return Object.fromEntries(
      Object.entries(body).map(([key, value]) => [key, fillJson(value, context, values)]),
    );
  }
  return body;
}

/**
 * Builds the request; throws `TemplateError` (a `MissingStepError` when an earlier step did not
 * produce a value) when it cannot.
 *
 * @example
 * ```ts
 * const built = buildPfRequest(
 *   { api: "access-record", method: "GET", path: "/documents/Patient/{nhsNumber}", as: "rich-record" },
 *   {
 *     root: "https://gp.example/pf/ar",
 *     token: "opaque",
 *     caller: "9690937286",
 *     fill: {
 *       roles: new Map(), odsCode: "B82617", runClock: new Date(), steps: new Map(), requestIds: new Map(),
 *     },
 *   },
 * );
 * built.url; // "https://gp.example/pf/ar/documents/Patient/9690937286"
 * ```
 */
export function buildPfRequest(
  template: PfRequestTemplate,
  options: {
    readonly root: string;
    /** The provider token (absent: no Authorization header). */
    readonly token?: string;
    /** The caller's NHS number. */
    readonly caller?: string;
    readonly fill: PfFillContext;
  },
): BuiltPfRequest {
  let requestId: string = crypto.randomUUID();
  if (template.requestIdOf !== undefined) {
    const earlier = options.fill.requestIds.get(template.requestIdOf);
    if (earlier === undefined) {
      throw new TemplateError(`step ${template.requestIdOf} sent no X-Request-ID to reuse`);
    }
    requestId = earlier;
  }
  const values = {
    ...(options.caller === undefined ? {} : { caller: options.caller }),
    requestId,
  };
  const json = template.api === "user-permissions" ? "application/json" : "application/fhir+json";
  const headers = new Headers({
    Accept: json,
    "X-Request-ID": requestId,
    "X-Correlation-ID": crypto.randomUUID(),
  });
  if (options.token !== undefined) headers.set("Authorization", `Bearer ${options.token}`);
  const body = template.body === undefined
    ? undefined
    : JSON.stringify(fillJson(template.body, options.fill, values));
  if (body !== undefined) headers.set("Content-Type", json);
  for (const [name, value] of Object.entries(template.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, fillPfTemplate(value, options.fill, values));
  }
  const sent = headers.get("X-Request-ID");
  return {
    method: template.method,
    url: `${options.root.replace(/\/+$/, "")}${
      fillPfTemplate(template.path, options.fill, values)
    }`,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(sent === null ? {} : { requestId: sent }),
    fillExpected: (text) => fillPfTemplate(text, options.fill, values, { strict: false }),
  };
}
