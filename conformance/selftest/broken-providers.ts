/**
 * Deliberately broken GP Connect providers, for the harness's self-test: each is the reference
 * provider with exactly one spec rule broken, so a harness that passes them has a blind spot.
 * Built by wrapping the reference provider's `fetch` (request or response rewritten), so the
 * breakage is black-box visible only, like a real faulty endpoint.
 *
 * @module
 */
import { gpConnectJwt } from "../../gpconnect/jwt/gpc-jwt.ts";
import { providerDefaults } from "../../sandbox/provider/provider-sandbox.ts";
import { createProviderSandbox } from "../../sandbox/provider/provider-sandbox.ts";
import { findInteraction } from "../../gpconnect/specs.ts";
import { type FixturePatient, fixturePatients } from "../../sandbox/pds/fixture-patients.ts";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import { providerRequestHeaders } from "../../sandbox/provider/provider-request.ts";
import type { BrokenKind } from "./broken-kind.ts";

/** A kind of breakage, with the requirement a harness must report failing. */
export interface BrokenProviderKind extends BrokenKind {
  /**
   * When the harness catches the defect before any test runs: what its preflight must name (the
   * report then holds no passed test, and the exit status is non-zero).
   */
  readonly preflight?: RegExp;
}

/** The breakages of the self-test list. */
export const brokenProviderKinds: readonly BrokenProviderKind[] = [
  {
    name: "ignores-ssp-to",
    description: "serves requests whatever their Ssp-To",
    requirement: "SSP-HDR-TO-OWN-ASID",
    selection: ["--requirement", "SSP-HDR-TO-OWN-ASID", "--product", "foundations"],
  },
  {
    name: "bundle-id-not-trace-id",
    description: "answers the structured record with a Bundle.id other than Ssp-TraceID",
    requirement: "STR-BUNDLE-ID-TRACEID",
    selection: ["--requirement", "STR-BUNDLE-ID-TRACEID"],
  },
  {
    name: "no-cache-control",
    description: "omits Cache-Control: no-store",
    requirement: "HTTP-CACHE-CONTROL-NO-STORE",
    selection: ["--interaction", "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"],
  },
  {
    name: "accepts-bad-jwt",
    description: "answers 200 to a request whose JWT is malformed",
    requirement: "JWT-EXP-IAT-300",
    selection: ["--requirement", "JWT-EXP-IAT-300", "--product", "foundations"],
  },
  {
    name: "slots-outside-window",
    description: "answers a free slot search with slots outside the requested window",
    requirement: "RESP-SEARCH-WINDOW",
    selection: ["--id", "appt.slots.search"],
  },
  {
    name: "no-profile-claim",
    description: "returns Patients that claim no profile (no meta at all)",
    requirement: "RESP-META-PROFILE",
    selection: ["--id", "fnd.patient.read"],
  },
  {
    name: "dangling-references",
    description:
      "returns a structured record whose allergy List points at allergies not in the Bundle",
    requirement: "RESP-REFERENCES-RESOLVE",
    selection: ["--id", "str.allergies.active-only"],
  },
  {
    name: "stale-registration",
    description:
      "still holds every patient earlier runs registered (the whole pds-no-gp pool, never reset)",
    requirement: "FND-REGISTER",
    selection: ["--id", "fnd.flow.register-then-find"],
    preflight:
      /pds-no-gp: all 13 candidates are already registered on the target .*reset the provider or add candidates/,
  },
  {
    name: "rejects-everything",
    description: "is configured with another ASID, so it refuses every request (400 BAD_REQUEST)",
    requirement: "FND-METADATA",
    selection: ["--interaction", "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"],
  },
  {
    name: "wrong-error-code",
    description: "answers an unknown patient with NO_RECORD_FOUND instead of PATIENT_NOT_FOUND",
    requirement: "STR-PATIENT-NOT-FOUND",
    selection: ["--requirement", "STR-PATIENT-NOT-FOUND"],
  },
];

type Fetch = (request: Request) => Promise<Response>;

/**
 * The reference provider as the self-test runs it: its PDS checks (registration) answered by an
 * in-process PDS sandbox, so no port 8081 is needed.
 */
export function referenceProvider(): { fetch(request: Request): Response | Promise<Response> } {
  const pds = createPdsSandbox();
  return createProviderSandbox({
    fetch: (input, init) => Promise.resolve(pds.fetch(new Request(input, init))),
  });
}

async function rewriteJson(
  response: Response,
  change: (body: Record<string, unknown>) => Record<string, unknown> | undefined,
): Promise<Response> {
  if (!(response.headers.get("Content-Type") ?? "").includes("json")) return response;
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  const changed = change(body);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify(changed ?? body), { status: response.status, headers });
}

/**
 * The reference provider broken in the named way, as a fetch handler.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const provider = brokenProvider("no-cache-control"); // serve it with Deno.serve
 * const response = await provider(
 *   new Request("http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata"),
 * );
 * await response.body?.cancel();
 * assert.equal(response.headers.get("Cache-Control"), null);
 * ```
 */
export function brokenProvider(name: string): Fetch {
  const provider = referenceProvider();
  const reference: Fetch = (request) => Promise.resolve(provider.fetch(request));
  // Response rewrites need the body as text, so ask the provider for it uncompressed.
  const identity: Fetch = (request) => {
    const headers = new Headers(request.headers);
    headers.delete("Accept-Encoding");
    return reference(new Request(request, { headers }));
  };
  switch (name) {
    case "ignores-ssp-to":
      return (request) => {
        const headers = new Headers(request.headers);
        headers.set("Ssp-To", providerDefaults.asid);
        return reference(new Request(request, { headers }));
      };
    case "bundle-id-not-trace-id":
      return async (request) =>
        rewriteJson(
          await identity(request),
          (body) =>
            body.resourceType === "Bundle" && body.type === "collection"
              ? { ...body, id: crypto.randomUUID() }
              : undefined,
        );
    case "rejects-everything":
      // The wrong Ssp-To: the provider sees another ASID than its own on every request.
      return (request) => {
        const headers = new Headers(request.headers);
        headers.set("Ssp-To", "999999999999");
        return reference(new Request(request, { headers }));
      };
    case "no-cache-control":
      return async (request) => {
        const response = await reference(request);
        const headers = new Headers(response.headers);
        headers.delete("Cache-Control");
        return new Response(response.body, { status: response.status, headers });
      };
    case "accepts-bad-jwt":
      return (request) => {
        const interaction = findInteraction(request.headers.get("Ssp-InteractionID") ?? "");
        if (!interaction) return reference(request);
        const headers = new Headers(request.headers);
        headers.set(
          "Authorization",
          `Bearer ${
            gpConnectJwt({
              requestedScope: interaction.requestedScope,
              fhirVersion: interaction.fhirVersion,
              reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
            })
          }`,
        );
        return reference(new Request(request, { headers }));
      };
    case "slots-outside-window":
      // Every slot a fortnight later: free, well-formed, and outside any window the search asked.
      return async (request) =>
        rewriteJson(await identity(request), (body) => {
          if (body.resourceType !== "Bundle" || !Array.isArray(body.entry)) return undefined;
          const later = (value: unknown) =>
            typeof value === "string"
              ? value.replace(/^(\d{4}-\d{2}-\d{2})/, (day) => shiftDay(day, 14))
              : value;
          for (const entry of body.entry as { resource?: Record<string, unknown> }[]) {
            const resource = entry.resource;
            if (resource?.resourceType !== "Slot") continue;
            resource.start = later(resource.start);
            resource.end = later(resource.end);
          }
          return body;
        });
    case "no-profile-claim":
      return async (request) =>
        rewriteJson(await identity(request), (body) => {
          if (body.resourceType === "Patient") delete body.meta;
          return body;
        });
    case "dangling-references":
      return async (request) =>
        rewriteJson(
          await identity(request),
          (body) =>
            body.resourceType === "Bundle" && body.type === "collection" &&
              Array.isArray(body.entry)
              ? {
                ...body,
                entry: (body.entry as { resource?: { resourceType?: unknown } }[]).filter((entry) =>
                  entry.resource?.resourceType !== "AllergyIntolerance"
                ),
              }
              : undefined,
        );
    case "stale-registration": {
      // Earlier runs registered every candidate of pds-no-gp's pool; this one meets them all.
      const registered = registerEarlier(reference);
      return async (request) => {
        await registered;
        return reference(request);
      };
    }
    case "wrong-error-code":
      return async (request) =>
        rewriteJson(await identity(request), (body) => {
          const text = JSON.stringify(body);
          return body.resourceType === "OperationOutcome" && text.includes("PATIENT_NOT_FOUND")
            ? JSON.parse(text.replaceAll("PATIENT_NOT_FOUND", "NO_RECORD_FOUND"))
            : undefined;
        });
    default:
      throw new RangeError(`Unknown broken provider ${JSON.stringify(name)}`);
  }
}

/** `day` (YYYY-MM-DD) moved by `days`. */
function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const registerInteraction = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1";

/** Registers every candidate of the `pds-no-gp` pool as the harness's register flow does. */
async function registerEarlier(reference: Fetch): Promise<void> {
  const pool = fixturePatients.filter((p) =>
    p.role === "pds-no-gp" || p.candidateFor === "pds-no-gp"
  );
  if (pool.length < 2) throw new Error("no pds-no-gp pool in the fixture patients");
  for (const patient of pool) await registerOne(reference, patient);
}

async function registerOne(reference: Fetch, patient: FixturePatient): Promise<void> {
  const headers = providerRequestHeaders(registerInteraction);
  headers.set("Content-Type", "application/fhir+json");
  const response = await reference(
    new Request(
      `http://127.0.0.1/${providerDefaults.odsCode}/STU3/1/gpconnect/fhir/Patient/$gpc.registerpatient`,
      {
        method: "POST",
        headers,
        body: JSON.stringify({
          resourceType: "Parameters",
          parameter: [{
            name: "registerPatient",
            resource: {
              resourceType: "Patient",
              identifier: [{
                system: "https://fhir.nhs.uk/Id/nhs-number",
                value: patient.nhsNumber,
              }],
              name: [{ use: "official", ...patient.name }],
              gender: patient.gender,
              birthDate: patient.birthDate,
            },
          }],
        }),
      },
    ),
  );
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`the earlier registration got ${response.status}`);
}
