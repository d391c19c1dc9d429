/**
 * A generic reader of compact JWS / JWT serialisations (RFC 7515 §7.1, RFC 7519 §7.2):
 * `base64url(header).base64url(payload).base64url(signature)`, header and payload JSON objects.
 * It knows no GP Connect rule and checks no signature: the GP Connect decoder
 * (`jwt-decode.ts`) builds its findings on it, and a verifier of signed tokens (the
 * patient-facing API verifies with `jose`) uses it only to peek at or diagnose a token.
 *
 * Pure and runtime-neutral; never throws; problems are values and never quote the token.
 *
 * @module
 */
import {
  base64urlDecode,
  base64urlDecodeBinary,
  type Base64urlDefect,
  base64urlDefect,
  binaryStringBytes,
} from "../base64url.ts";
import { isJsonObject, type JsonObject, jsonType } from "../json-object.ts";

/** Which part of the token a problem is in. */
export type JwsPart = "token" | "header" | "payload" | "signature";

/** What is wrong, as a code a caller can act on (the `problem` text is for people). */
export type JwsProblemCode =
  /** Not two or three dot-separated parts. */
  | "part-count"
  /** Two parts: the trailing `.` and signature part are missing. */
  | "no-signature-part"
  /** The header or payload part is empty. */
  | "empty"
  /** The part is not unpadded base64url. */
  | Base64urlDefect
  /** The decoded bytes are not UTF-8. */
  | "not-utf8"
  /** The decoded text is not JSON. */
  | "not-json"
  /** The JSON is not an object. */
  | "not-object";

/** One problem in a compact JWS. */
export interface JwsProblem {
  /** Where it is. */
  readonly part: JwsPart;
  /** What it is. */
  readonly code: JwsProblemCode;
  /** Sentence-case message without a trailing period; never quotes the token. */
  readonly problem: string;
}

/** Everything {@linkcode readCompactJws} could read, part by part, and every problem. */
export interface CompactJwsReading {
  /** The dot-separated parts as given (a caller's own token; never put into messages). */
  readonly parts: readonly string[];
  /** The JOSE header, when it decoded to a JSON object. */
  readonly header: JsonObject | undefined;
  /** The claims, when they decoded to a JSON object (even if the header did not). */
  readonly payload: JsonObject | undefined;
  /** `parts[0].parts[1]`, the bytes a signature covers; undefined unless two or three parts. */
  readonly signingInput: string | undefined;
  /** The signature bytes (empty for an unsecured JWS); undefined when absent or not base64url. */
  readonly signature: Uint8Array | undefined;
  /** In the order: token, header, payload, signature. */
  readonly problems: readonly JwsProblem[];
}

/** A compact JWS with every part read. */
export interface CompactJws {
  /** The JOSE header. */
  readonly header: JsonObject;
  /** The claims. */
  readonly payload: JsonObject;
  /** `base64url(header).base64url(payload)`, the input of the signature. */
  readonly signingInput: string;
  /** The signature bytes; empty for an unsecured JWS (`alg: none`). */
  readonly signature: Uint8Array;
}

/** The result of {@linkcode parseCompactJws}. */
export type CompactJwsResult =
  | { readonly ok: true; readonly jws: CompactJws }
  | { readonly ok: false; readonly problems: readonly JwsProblem[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });
/**
 * A byte above ASCII in a binary string (`atob`'s chars are U+0000–U+00FF). Spelled as the range
 * it finds rather than `[^\x00-\x7f]`: V8 scans a 1 KB payload in 0.37 µs instead of 0.65
 * (issue 15; every SSP request's JWT is scanned).
 */
const NON_ASCII = /[\x80-\xff]/;

const base64urlProblems: Readonly<Record<Base64urlDefect, string>> = {
  "padded": 'is padded with "="; base64url must be unpadded',
  "standard-alphabet": 'uses "+" or "/"; base64url uses "-" and "_"',
  "not-base64url": "is not base64url",
  "impossible-length": "has an impossible base64url length",
};

/**
 * Reads as much of a compact JWS as it can and lists every problem: the header and payload are
 * each read even when the other, or the part count, is wrong (two parts are read as header and
 * payload). Use it to diagnose; use {@linkcode parseCompactJws} to accept or refuse.
 *
 * @example
 * ```ts
 * const reading = readCompactJws("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.");
 * reading.payload?.sub; // "1"
 * reading.problems.length; // 0
 * ```
 */
export function readCompactJws(token: string): CompactJwsReading {
  const parts = token.split(".");
  const problems: JwsProblem[] = [];
  if (parts.length !== 2 && parts.length !== 3) {
    problems.push({
      part: "token",
      code: "part-count",
      problem: `Token must have three dot-separated parts (found ${parts.length})`,
    });
    return {
      parts,
      header: undefined,
      payload: undefined,
      signingInput: undefined,
      signature: undefined,
      problems,
    };
  }
  if (parts.length === 2) {
    problems.push({
      part: "token",
      code: "no-signature-part",
      problem: 'Token has no signature part (not even the "." before an empty one)',
    });
  }
  const [headerPart = "", payloadPart = "", signaturePart] = parts;
  const header = jsonObjectPart(headerPart, "header", problems);
  const payload = jsonObjectPart(payloadPart, "payload", problems);
  return {
    parts,
    header,
    payload,
    signingInput: `${headerPart}.${payloadPart}`,
    signature: signaturePart === undefined ? undefined : signatureBytes(signaturePart, problems),
    problems,
  };
}

/**
 * A compact JWS with every part read, or every problem that stops it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gpConnectJwt } from "./gpc-jwt.ts";
 * const result = parseCompactJws(gpConnectJwt({ requestedScope: "patient/*.read" }));
 * assert.ok(result.ok);
 * assert.equal(result.jws.header.alg, "none");
 * assert.equal(result.jws.signature.length, 0); // unsecured: no signature
 * ```
 */
export function parseCompactJws(token: string): CompactJwsResult {
  const reading = readCompactJws(token);
  const { header, payload, signingInput, signature, problems } = reading;
  if (problems.length > 0 || !header || !payload || signingInput === undefined || !signature) {
    return { ok: false, problems };
  }
  return { ok: true, jws: { header, payload, signingInput, signature } };
}

/** The message of a header or payload problem, as the GP Connect findings have always read. */
function partProblem(part: "header" | "payload", what: string): string {
  return `Token ${part} part ${what}`;
}

/** Decodes one base64url JSON-object part, pushing at most one problem. */
function jsonObjectPart(
  text: string,
  part: "header" | "payload",
  problems: JwsProblem[],
): JsonObject | undefined {
  const fail = (code: JwsProblemCode, problem: string): undefined => {
    problems.push({ part, code, problem });
    return undefined;
  };
  if (text === "") return fail("empty", partProblem(part, "is empty"));
  let binary: string;
  try {
    binary = base64urlDecodeBinary(text);
  } catch {
    const defect = base64urlDefect(text) ?? "not-base64url";
    return fail(defect, partProblem(part, base64urlProblems[defect]));
  }
  // ASCII bytes are their own UTF-8 text (a JSON part nearly always is): no byte array between.
  let json = binary;
  if (NON_ASCII.test(binary)) {
    try {
      json = utf8.decode(binaryStringBytes(binary));
    } catch {
      return fail("not-utf8", partProblem(part, "is not base64url-encoded UTF-8"));
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail("not-json", partProblem(part, "is not valid JSON"));
  }
  if (isJsonObject(value)) return value;
  return fail(
    "not-object",
    part === "header"
      ? `JOSE header must be a JSON object (found ${jsonType(value)})`
      : `Token payload must be a JSON object (found ${jsonType(value)})`,
  );
}

/** The signature's bytes (empty for an empty part), or undefined with a problem. */
function signatureBytes(text: string, problems: JwsProblem[]): Uint8Array | undefined {
  const bytes = bytesOf(text);
  if (typeof bytes !== "string") return bytes;
  problems.push({
    part: "signature",
    code: bytes,
    problem: `Token signature part ${base64urlProblems[bytes]}`,
  });
  return undefined;
}

/**
 * The bytes of a base64url part, or what is wrong with it. The valid path checks the text once
 * (inside the decoder): this runs on every SSP request's JWT.
 */
function bytesOf(text: string): Uint8Array | Base64urlDefect {
  try {
    return base64urlDecode(text);
  } catch {
    return base64urlDefect(text) ?? "not-base64url";
  }
}
