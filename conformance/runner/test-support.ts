/**
 * Test support for the runner's tests: a target answered by a function instead of the network,
 * a build context with the default consumer, and FHIR response helpers. Not used outside tests.
 *
 * @module
 */
import fhirpath from "fhirpath";
import { readCompactJws } from "../../gpconnect/jwt/jws-compact.ts";
import type { JwtValues } from "../config/harness-config.ts";
import type { Requirement, Scenario, TestCase } from "../model.ts";
import { practiceRoots } from "../target/service-roots.ts";
import { httpTarget, type Target } from "../target/target.ts";
import type { TransportRequest, TransportResponse } from "../target/transport.ts";
import type { HarnessDeps } from "./harness-deps.ts";
import type { BuildContext, ResolvedPatient } from "./request-builder.ts";

/** A request the stub target received. */
export interface Received extends TransportRequest {
  readonly url: string;
}

/** A target whose answers come from `answer`; `received` lists what it was sent. */
export function stubTarget(
  answer: (request: Received) => TransportResponse | Promise<TransportResponse>,
  options: { readonly ssp?: boolean } = {},
): Target & { received: Received[] } {
  const received: Received[] = [];
  const target = httpTarget({
    kind: options.ssp ? "ssp" : "direct",
    description: "stub",
    roots: practiceRoots("https://provider.test", "B82617"),
    ...(options.ssp ? { sspPrefix: "https://ssp.test" } : {}),
    insecure: false,
    transport: {
      async send(url, request) {
        const entry = { url, ...request };
        received.push(entry);
        return await answer(entry);
      },
      close() {},
    },
  });
  return Object.assign(target, { received });
}

/** A JSON FHIR response with `Cache-Control: no-store`. */
export function fhirResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): TransportResponse {
  return {
    status,
    headers: new Headers({
      "content-type": "application/fhir+json;charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    }),
    body: JSON.stringify(body),
  };
}

/** A GP Connect OperationOutcome with a Spine code. */
export function operationOutcome(
  code: string,
  system = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",
  display = code,
): Record<string, unknown> {
  return {
    resourceType: "OperationOutcome",
    issue: [{
      severity: "error",
      code: "invalid",
      details: { coding: [{ system, code, display }] },
      diagnostics: display,
    }],
  };
}

/** The default JWT values. */
export const testJwtValues: JwtValues = {
  iss: "https://consumersupplier.thirdparty.nhs.uk/",
  orgOdsCode: "A11111",
  orgName: "Test Consumer",
  practitionerId: "7",
  sdsUserId: "G13579135",
  sdsRoleProfileId: "R0001",
  practitionerFamily: "Jones",
  practitionerGiven: "Claire",
  deviceSystem: "https://consumer.test/Id/device",
  deviceValue: "DEV-1",
  deviceModel: "test",
  deviceVersion: "9",
};

/** Fixture roles as a preflight would resolve them. */
export const testPatients: ReadonlyMap<string, ResolvedPatient> = new Map([
  ["rich-record", { role: "rich-record", nhsNumber: "9690937286", ids: { foundations: "2" } }],
  ["not-found", { role: "not-found", nhsNumber: "9999999999", ids: {}, fallbackId: "none" }],
]);

/** A build context for `target` with a fixed clock and trace ids …-000000000001, …-000000000002. */
export function testBuildContext(
  target: Pick<Target, "urlFor" | "roots">,
  overrides: Partial<BuildContext> = {},
): BuildContext {
  let trace = 0;
  return {
    urlFor: target.urlFor,
    roots: target.roots,
    fromAsid: "200000000359",
    toAsid: "918999198738",
    odsCode: "B82617",
    jwt: testJwtValues,
    runClock: new Date("2026-11-23T10:00:00Z"),
    issuedAt: () => 1_795_428_000,
    patients: testPatients,
    newTraceId: () => `00000000-0000-4000-8000-${String(++trace).padStart(12, "0")}`,
    ...overrides,
  };
}

/** The claims of a `Bearer` JWT. */
export function decodeJwt(authorization: string | null): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const reading = readCompactJws((authorization ?? "").replace(/^Bearer /, ""));
  if (!reading.header || !reading.payload) {
    throw new SyntaxError(`Not a JWT: ${reading.problems.map((p) => p.problem).join("; ")}`);
  }
  return { header: reading.header, claims: reading.payload };
}

/** FHIRPath with the fhirpath package (the real deps add the STU3 model). */
export function evaluate(resource: unknown, expression: string): unknown[] {
  return fhirpath.evaluate(resource as Record<string, unknown>, expression) as unknown[];
}

/**
 * Harness parts over a fixed list of cases: selection by id, product and tag; two requirements,
 * FND-META and X.
 */
export function stubDeps(
  cases: readonly TestCase[],
  overrides: Partial<HarnessDeps> = {},
): HarnessDeps {
  const requirements: Requirement[] = [
    { id: "FND-META", text: "", source: "", products: ["foundations"] },
    { id: "X", text: "", source: "", products: ["foundations"] },
  ];
  const item = (c: TestCase) => c.kind === "flow" ? c.flow : c.scenario;
  return {
    loadTestCases: () => Promise.resolve([...cases]),
    selectTestCases: (all, selection) =>
      all.filter((c) =>
        (!selection.ids || selection.ids.includes(item(c).id)) &&
        (!selection.products || selection.products.includes(item(c).product)) &&
        (!selection.tags || item(c).tags.some((tag) => selection.tags?.includes(tag)))
      ),
    loadRequirements: () => Promise.resolve(requirements),
    loadProfileValidator: () => Promise.reject(new Error("not expected")),
    fhirPathHolds: (resource, expression) => {
      const result = evaluate(resource, expression);
      return result.length > 0 && result.every((value) => value === true);
    },
    evaluateFhirPath: evaluate,
    ...overrides,
  };
}

/** A read-only metadata scenario expecting a CapabilityStatement. */
export function metadataScenario(id: string, extra: Partial<Scenario> = {}): TestCase {
  return {
    kind: "scenario",
    readOnly: true,
    scenario: {
      id,
      title: id,
      product: "foundations",
      tags: [],
      requirements: ["FND-META"],
      request: {
        interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
        path: "/metadata",
      },
      expect: { status: 200, resourceType: "CapabilityStatement" },
      ...extra,
    },
  };
}
