/**
 * The directory tests' upstream: the PDS and SDS sandbox apps (sandbox/pds, sandbox/sds), the one
 * fake of each, mounted at the real APIs' base paths behind one recording `fetch`, as
 * `cloudflare.test.ts` injects them. What the sandboxes never answer (throttling, outages,
 * malformed bodies) a test adds with a small {@linkcode Fault} in front of them. Also the fake
 * clock at the tests' "today" and the directory configuration pointing at the sandboxes.
 *
 * Test-only: runtime worker code never imports a sandbox (ARCHITECTURE.md §3.7).
 *
 * @module
 */
import { Hono } from "hono";
import type { Clock, UpstreamFetch } from "../app-deps.ts";
import { defaultConfig, type DirectoryConfig } from "../config.ts";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import { type PdsErrorCode, pdsOperationOutcome } from "../../sandbox/pds/pds-outcome.ts";
import { createSdsSandbox } from "../../sandbox/sds/sds-sandbox.ts";
import type { SdsRecords } from "../../sandbox/sds/sds-records.ts";

/** 2026-05-01T10:00:00Z, "now" in every directory test. */
export const testNow = Date.UTC(2026, 4, 1, 10, 0, 0);

/** The PDS sandbox's "today", the day of {@linkcode testNow}: relative fixture dates hang off it. */
export const testToday = "2026-05-01";

/** Where the tests reach PDS and SDS: hosts of their own, the real APIs' base paths. */
export const pdsBase = "http://pds.test/personal-demographics/FHIR/R4";
export const sdsBase = "http://sds.test/spine-directory/FHIR/R4";

/** The origin of every provider address in the SDS sandbox's directory. */
export const providerBase = "https://provider.example.nhs.uk";

/** Interaction IDs used in tests. */
export const structured =
  "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
export const foundationsMetadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** A clock whose time moves only when told to (or when something sleeps on it). */
export interface FakeClock extends Clock {
  /** Every `sleep` asked for, in milliseconds. */
  readonly sleeps: number[];
  /** Moves time forward. */
  advance(ms: number): void;
}

/** A fake clock starting at `start`; `sleep` advances it and resolves at once. */
export function fakeClock(start = testNow): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Sequential UUIDs, so tests can tell which call generated which id. */
export function sequentialUuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
}

/** The directory configuration pointing at the sandboxes. */
export function testConfig(overrides: Partial<DirectoryConfig> = {}): DirectoryConfig {
  return { ...defaultConfig.directory, pdsBaseUrl: pdsBase, sdsBaseUrl: sdsBase, ...overrides };
}

/** A fetch that records every request it is given. */
export interface RecordingFetch {
  readonly fetch: UpstreamFetch;
  readonly requests: Request[];
}

/** Wraps `handler` (e.g. an app's `fetch`) as a recording upstream fetch. */
export function recordingFetch(
  handler: (request: Request) => Response | Promise<Response>,
): RecordingFetch {
  const requests: Request[] = [];
  return {
    requests,
    fetch: (input, init) => {
      const request = new Request(input, init);
      requests.push(request.clone());
      return Promise.resolve(handler(request));
    },
  };
}

/**
 * What stands in front of the sandboxes in a test: it answers a request itself (a 429, a
 * rejection, a body the sandbox would never send) or passes it on with `sandboxes(request)`,
 * possibly changing the answer.
 */
export type Fault = (
  request: Request,
  sandboxes: (request: Request) => Promise<Response>,
) => Response | Promise<Response>;

/** Options for {@linkcode directorySandboxes}. */
export interface DirectorySandboxOptions {
  /** The SDS sandbox's directory; default its own (`sdsRecords`) for {@linkcode providerBase}. */
  readonly sdsRecords?: SdsRecords;
  /** An `apikey` the SDS sandbox demands. */
  readonly sdsApiKey?: string;
  /** What answers before the sandboxes; default none. */
  readonly fault?: Fault;
}

/** The PDS sandbox at {@linkcode pdsBase}'s path, its "today" {@linkcode testToday}. */
export function pdsSandboxApp(): Hono {
  return new Hono().route(new URL(pdsBase).pathname, createPdsSandbox({ today: () => testToday }));
}

/** The SDS sandbox at {@linkcode sdsBase}'s path. */
export function sdsSandboxApp(options: DirectorySandboxOptions = {}): Hono {
  return new Hono().route(
    new URL(sdsBase).pathname,
    createSdsSandbox({
      providerBaseUrl: providerBase,
      ...(options.sdsRecords ? { records: options.sdsRecords } : {}),
      ...(options.sdsApiKey === undefined ? {} : { apiKey: options.sdsApiKey }),
    }),
  );
}

/**
 * The PDS and SDS sandboxes behind one recording fetch, chosen by origin ({@linkcode pdsBase},
 * {@linkcode sdsBase}; any other origin is a 404), with `options.fault` in front.
 *
 * @example
 * ```ts
 * const upstream = directorySandboxes();
 * await upstream.fetch(`${pdsBase}/Patient/9990000204`, { headers: { "X-Request-ID": crypto.randomUUID() } });
 * upstream.requests.length; // 1
 * ```
 */
export function directorySandboxes(options: DirectorySandboxOptions = {}): RecordingFetch {
  const pds = pdsSandboxApp();
  const sds = sdsSandboxApp(options);
  const sandboxes = async (request: Request): Promise<Response> => {
    const origin = new URL(request.url).origin;
    if (origin === new URL(pdsBase).origin) return await pds.fetch(request);
    if (origin === new URL(sdsBase).origin) return await sds.fetch(request);
    return new Response("no such host", { status: 404 });
  };
  const fault = options.fault ?? ((request, next) => next(request));
  return recordingFetch((request) => fault(request, sandboxes));
}

/** A PDS error answer (the API platform's throttling codes included), as PDS sends it. */
export function pdsErrorResponse(
  status: number,
  code: PdsErrorCode,
  headers: Record<string, string> = {},
): Response {
  return fhirJson(pdsOperationOutcome(code), status, headers);
}

/** A JSON response with a FHIR media type. */
export function fhirJson(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/fhir+json", ...headers },
  });
}

/**
 * `response` with its JSON body changed by `edit` (status and headers kept): a sandbox answer
 * bent into one the real service might send.
 */
export async function editJson(
  response: Response,
  // deno-lint-ignore no-explicit-any
  edit: (body: any) => void,
): Promise<Response> {
  const body = await response.json();
  edit(body);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(JSON.stringify(body), { status: response.status, headers });
}
