/**
 * The fuzzer's requests: case `i` of seed `s` is always the same bytes (its own random source is
 * seeded from both), so any finding replays with `--seed s --case i`. Most cases start from a
 * well-formed SSP request for a random interaction of the catalogue (through `sspRequestInit`,
 * as a consumer would build it) and apply one to three mutations (fuzz-mutations.ts); the rest
 * are hostile requests to gpc-edge's other routes. A case is serialised by hand, byte for byte,
 * because `fetch` would refuse or repair most of what the fuzzer sends (lower-case verbs, CR/LF
 * and NUL in values, duplicate `Host`, broken framing).
 *
 * @module
 */
import { sspRequestInit } from "../../client/ssp-request.ts";
import { interactions } from "../../gpconnect/specs.ts";
import { type FuzzRandom, fuzzRandom } from "./fuzz-random.ts";
import { mutate, NHS_NUMBERS, otherRouteCase } from "./fuzz-mutations.ts";

/** A request before serialisation; mutations change it in place. */
export interface RequestParts {
  method: string;
  /** The request target exactly as it goes on the request line. */
  target: string;
  /** Header fields in order; names and values are written as they are (bytes ≤ 0xff as latin1). */
  headers: Array<[string, string]>;
  /** The body, or null. */
  body: Uint8Array | null;
  /** How the body is framed: a `Content-Length`, chunked, or as the headers already say. */
  framing: "length" | "chunked" | "as-is";
  /** Chunked framing only: the raw chunk stream instead of a well-formed one. */
  rawChunks?: string;
}

/** Where the fuzzer aims: gpc-edge and the provider the local world's SDS knows. */
export interface FuzzTarget {
  /** gpc-edge's origin, e.g. `http://127.0.0.1:8080`. */
  readonly edgeUrl: string;
  /** The provider origin of the local world, e.g. `http://127.0.0.1:8083`. */
  readonly providerOrigin: string;
  /** The practice ODS code SDS knows at that provider. */
  readonly odsCode: string;
  /** JWT issue time, epoch seconds (default now): fixed, a case's bytes are the same every time. */
  readonly issuedAt?: number;
}

/** One generated case. */
export interface FuzzRequest {
  /** Its number within the seed. */
  readonly index: number;
  /** What was done to it, e.g. `ssp:get metadata-1 + url:dot-segment + header:duplicate`. */
  readonly description: string;
  /** Exactly what goes on the wire. */
  readonly bytes: Uint8Array;
  /** Sent on a connection of its own with `Connection: close` (its framing may be broken). */
  readonly fresh: boolean;
  /** Its body is shorter than its framing says: the client half-closes after sending it. */
  readonly truncated: boolean;
  /**
   * Whether gpc-edge may forward it (it stays a valid SSP request): only then is a 502/504 about
   * the provider an expected answer.
   */
  readonly forwardable: boolean;
  /** A `HEAD` request: its answer has no body, whatever its `Content-Length` says. */
  readonly head: boolean;
}

/** The service root of an interaction's kind at the target's practice. */
export function providerRoot(target: FuzzTarget, root: string): string {
  const segments: Record<string, string> = {
    foundations: "STU3/1/gpconnect/fhir",
    structured: "STU3/1/gpconnect/structured/fhir",
    documents: "STU3/1/gpconnect/documents/fhir",
    dstu2: "DSTU2/0/gpconnect",
  };
  return `${target.providerOrigin}/${target.odsCode}/${segments[root] ?? segments.foundations}`;
}

const encoder = new TextEncoder();

/** A well-formed SSP request for a random interaction. */
function sspBase(random: FuzzRandom, target: FuzzTarget): { parts: RequestParts; name: string } {
  const interaction = random.pick(interactions);
  const root = providerRoot(target, interaction.root);
  const nhsNumber = random.pick(NHS_NUMBERS.slice(0, 6));
  const fhirPath = interaction.path.replace("{id}", random.pick(["1", "2", nhsNumber, "x-1.2"]));
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => random.int(0, 15).toString(16)).join("");
  const { url, headers } = sspRequestInit({
    sspBaseUrl: target.edgeUrl,
    providerRoot: root,
    fhirPath,
    interactionId: interaction.id,
    traceId: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    ...(target.issuedAt === undefined ? {} : { issuedAt: target.issuedAt }),
    ...(interaction.fhirVersion === "DSTU2" ? { nhsNumber } : {}),
  });
  const edge = new URL(target.edgeUrl);
  const body = interaction.method === "GET" ? null : encoder.encode(JSON.stringify({
    resourceType: "Parameters",
    parameter: [{
      name: "patientNHSNumber",
      valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhsNumber },
    }],
  }));
  return {
    name: `ssp:${interaction.method.toLowerCase()} ${interaction.id.split(":").pop()}`,
    parts: {
      method: interaction.method,
      target: url.slice(url.indexOf("/", url.indexOf("//") + 2)),
      headers: [["Host", edge.host], ...headers],
      body,
      framing: "length",
    },
  };
}

/**
 * Case `index` of `seed`.
 *
 * @example
 * ```ts
 * const target = { edgeUrl: "http://127.0.0.1:8080", providerOrigin: "http://127.0.0.1:8083", odsCode: "B82617" };
 * fuzzRequest(1, 7, target).description; // the same for seed 1, case 7, every run
 * ```
 */
export function fuzzRequest(seed: number, index: number, target: FuzzTarget): FuzzRequest {
  const random = fuzzRandom((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  if (random.chance(0.12)) {
    const other = otherRouteCase(random, target);
    return finish(index, other.name, other.parts, other.fresh, false, false);
  }
  const { parts, name } = sspBase(random, target);
  const applied: string[] = [];
  let fresh = false;
  let truncated = false;
  let forwardable = true;
  const count = random.chance(0.05) ? 0 : random.int(1, 3);
  for (let i = 0; i < count; i++) {
    const mutation = mutate(random, parts, target);
    applied.push(mutation.name);
    fresh ||= mutation.fresh;
    truncated ||= mutation.truncated === true;
    forwardable &&= mutation.keepsValid;
  }
  return finish(index, [name, ...applied].join(" + "), parts, fresh, truncated, forwardable);
}

function finish(
  index: number,
  description: string,
  parts: RequestParts,
  fresh: boolean,
  truncated: boolean,
  forwardable: boolean,
): FuzzRequest {
  return {
    index,
    description,
    bytes: serialise(parts, fresh),
    fresh,
    truncated,
    forwardable,
    head: parts.method === "HEAD",
  };
}

/** Latin-1 bytes of a string whose code units are ≤ 0xff; UTF-8 for anything wider. */
function wireBytes(text: string): Uint8Array {
  // deno-lint-ignore no-control-regex
  if (/^[\u0000-\u00ff]*$/.test(text)) return Uint8Array.from(text, (c) => c.charCodeAt(0));
  return encoder.encode(text);
}

/** The request's bytes; a fresh one asks the server to close after it. */
export function serialise(parts: RequestParts, fresh: boolean): Uint8Array {
  const headers = [...parts.headers];
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (fresh && !has("connection")) headers.push(["Connection", "close"]);
  let body: Uint8Array = parts.body ?? new Uint8Array(0);
  if (parts.body !== null && parts.framing === "length" && !has("content-length")) {
    headers.push(["Content-Length", String(body.byteLength)]);
  } else if (parts.framing === "chunked") {
    if (!has("transfer-encoding")) headers.push(["Transfer-Encoding", "chunked"]);
    body = parts.rawChunks !== undefined ? wireBytes(parts.rawChunks) : concat([
      wireBytes(`${body.byteLength.toString(16)}\r\n`),
      body,
      wireBytes(body.byteLength > 0 ? "\r\n0\r\n\r\n" : "\r\n"),
    ]);
  }
  const head = `${parts.method} ${parts.target} HTTP/1.1\r\n` +
    headers.map(([name, value]) => `${name}: ${value}\r\n`).join("") + "\r\n";
  return concat([wireBytes(head), body]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
