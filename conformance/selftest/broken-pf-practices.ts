/**
 * Deliberately broken patient-facing practices, for the harness's self-test: a proxy in front of
 * the reference practice's patient-facing side that breaks exactly one rule on the wire, so a
 * harness that passes them has a blind spot. The proxy serves the practice's own paths
 * (`/{ODS}/patient-facing/…`) and forwards each request there unchanged unless its kind says
 * otherwise.
 *
 * @module
 */
import { signClientAssertion } from "../../gpconnect/jwt/client-assertion.ts";
import { replaceJsonString } from "../../sandbox/replace-json-string.ts";
import type { BrokenKind } from "./broken-kind.ts";

/** A kind of breakage, with the requirement a harness must report failing. */
export interface BrokenPfKind extends BrokenKind {
  /** The harness must send its token exchanges through the proxy (else to the practice). */
  readonly breaksAuthorisation?: boolean;
}

/** The breakages. */
export const brokenPfKinds: readonly BrokenPfKind[] = [
  {
    name: "bundle-id-not-request-id",
    description: "answers Bundles whose id is not the request's X-Request-ID",
    requirement: "PF-AR-BUNDLE-ID",
    selection: ["--id", "pf.ar.structured-record"],
  },
  {
    name: "serves-another-patients-record",
    description: "serves another patient's record",
    requirement: "PF-AR-OWN-RECORD",
    selection: ["--id", "pf.ar.*"],
  },
  {
    name: "accepts-other-patients-token",
    description: "answers a patient's token asking for another patient instead of refusing it",
    requirement: "PF-BINDING",
    selection: ["--id", "pf.binding.*"],
  },
  {
    name: "second-task-for-duplicate",
    description: "creates a second Task for a duplicate reorder instead of 409 DUPLICATE_REJECTED",
    requirement: "PF-RX-DUPLICATE",
    selection: ["--id", "pf.rx.reorder-*"],
  },
  {
    name: "view-user-may-reorder",
    description: "lets a user whose prescriptions level is view reorder",
    requirement: "PF-RX-PERMISSION",
    selection: ["--id", "pf.rx.view-user-reorder"],
  },
  {
    name: "r4-unknown-element",
    description: "answers MedicationRequests carrying an element R4 does not define",
    requirement: "PF-R4-STRUCTURE",
    selection: ["--id", "pf.rx.medication-requests"],
  },
  {
    name: "html-errors",
    description: "answers its errors with an HTML 500 page",
    requirement: "PF-ERR-OUTCOME",
    selection: ["--id", "pf.headers.*"],
  },
  {
    name: "accepts-bad-assertion",
    description: "has an authorisation service issuing tokens for client assertions it must refuse",
    requirement: "PF-AUTH-ASSERTION",
    selection: ["--id", "pf.auth.*"],
    breaksAuthorisation: true,
  },
];

/** What the broken authorisation service signs with (the platform's registered key). */
export interface PlatformIdentity {
  readonly clientId: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/** Another patient the practice holds, whose NHS number a broken record carries. */
const otherPatient = "9690937278";

function json(body: unknown, status: number, init: HeadersInit = {}): Response {
  const headers = new Headers(init);
  headers.set("Content-Type", "application/fhir+json");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * A fetch handler proxying to the practice at `practiceUrl` (the provider's base URL), broken in
 * the named way.
 *
 * @example
 * ```ts ignore
 * Deno.serve({ hostname: "127.0.0.1", port: 0 }, brokenPfPractice("html-errors", world.providerUrl, identity));
 * ```
 */
export function brokenPfPractice(
  name: string,
  practiceUrl: string,
  identity: PlatformIdentity,
): (request: Request) => Promise<Response> {
  if (!brokenPfKinds.some((kind) => kind.name === name)) {
    throw new RangeError(`Unknown broken practice ${JSON.stringify(name)}`);
  }
  const forward = async (request: Request, body?: string) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    const text = request.method === "GET" || request.method === "HEAD"
      ? undefined
      : body ?? (request.body === null ? undefined : await request.text());
    const response = await fetch(`${practiceUrl}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      ...(text === undefined ? {} : { body: text }),
      redirect: "manual",
    });
    const out = new Headers(response.headers);
    out.delete("content-length");
    out.delete("content-encoding");
    return { response, headers: out, text: await response.text() };
  };
  const parsed = (text: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  return async (request) => {
    switch (name) {
      case "accepts-bad-assertion": {
        if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/oauth2/token")) {
          break;
        }
        // Whatever assertion came, the practice is shown a fresh valid one: nothing is refused.
        const form = new URLSearchParams(await request.text());
        const audience = `${practiceUrl}${new URL(request.url).pathname}`;
        form.set("client_id", identity.clientId);
        form.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.set(
          "client_assertion",
          await signClientAssertion({
            privateKey: identity.privateKey,
            kid: identity.kid,
            clientId: identity.clientId,
            audience,
            nowMs: Date.now(),
            jti: crypto.randomUUID(),
          }),
        );
        const { response, headers, text } = await forward(request, form.toString());
        return new Response(text, { status: response.status, headers });
      }
      case "second-task-for-duplicate": {
        const body = request.method === "POST" ? await request.text() : undefined;
        const { response, headers, text } = await forward(request, body);
        if (
          request.method === "POST" && new URL(request.url).pathname.endsWith("/Task") &&
          response.status === 409
        ) {
          // The duplicate is "accepted": a second Task for the same medication.
          const task = parsed(body ?? "") ?? {};
          return json({ ...task, id: crypto.randomUUID(), status: "requested" }, 201);
        }
        return new Response(text, { status: response.status, headers });
      }
      default:
        break;
    }
    const sent = request.body === null ? undefined : await request.text();
    const { response, headers, text } = await forward(request, sent);
    const requestId = request.headers.get("x-request-id") ?? "";
    const body = parsed(text);
    switch (name) {
      case "bundle-id-not-request-id":
        if (body?.resourceType === "Bundle") {
          return json({ ...body, id: crypto.randomUUID() }, response.status, headers);
        }
        break;
      case "serves-another-patients-record": {
        // The record of the token's patient goes out naming another patient.
        const url = new URL(request.url);
        const own = /\/Patient\/(\d{10})\b/.exec(url.pathname)?.[1] ??
          url.searchParams.get("patientNHSNumber") ?? /"value":"(\d{10})"/.exec(sent ?? "")?.[1];
        if (response.ok && body !== undefined && own !== undefined) {
          return json(replaceJsonString(body, own, otherPatient), response.status, headers);
        }
        break;
      }
      case "view-user-may-reorder":
        // The level is not checked: the refused reorder is "accepted" as a new Task.
        if (
          request.method === "POST" && new URL(request.url).pathname.endsWith("/Task") &&
          response.status === 403
        ) {
          return json({ ...parsed(sent ?? ""), id: crypto.randomUUID(), status: "requested" }, 201);
        }
        break;
      case "accepts-other-patients-token":
        if (response.status === 403) {
          return json(
            { resourceType: "Bundle", id: requestId, type: "searchset", total: 0, entry: [] },
            200,
            { "X-Request-ID": requestId },
          );
        }
        break;
      case "r4-unknown-element":
        // STU3's habit of a flat repeat count, where R4 has dispenseRequest.numberOfRepeatsAllowed.
        if (response.ok && body?.resourceType === "Bundle" && Array.isArray(body.entry)) {
          const entry = body.entry.map((item: Record<string, unknown>) => {
            const resource = item.resource as Record<string, unknown> | undefined;
            return resource?.resourceType === "MedicationRequest"
              ? { ...item, resource: { ...resource, repeatsAllowed: 6 } }
              : item;
          });
          return json({ ...body, entry }, response.status, headers);
        }
        break;
      case "html-errors":
        if (response.status >= 400) {
          return new Response("<html><body><h1>Internal Server Error</h1></body></html>", {
            status: 500,
            headers: { "Content-Type": "text/html", "Cache-Control": "no-store" },
          });
        }
        break;
    }
    return new Response(text, { status: response.status, headers });
  };
}
