/**
 * Decodes the unsecured GP Connect JWT from an `Authorization` header value and reports every
 * structural problem it finds (reference gpconnect-ssp.md §2.1; DEMO `WebTokenFactory.java`).
 * Pure and runtime-neutral (atob, TextDecoder); never throws; never echoes the token.
 *
 * Rules, all 400 BAD_REQUEST (§2.3, §4.3 "every JWT defect … not base64 → 400"):
 * - scheme `Bearer` (case-insensitive), one or more spaces or tabs, then the token;
 * - exactly three dot-separated parts, the last (signature) empty, i.e. a trailing `.`;
 * - each of header and payload is unpadded base64url (no `=`, `+`, `/`) of UTF-8 JSON;
 * - the JOSE header is exactly `{"alg":"none","typ":"JWT"}`: both keys required, no others;
 * - the payload is a JSON object.
 *
 * @module
 */
import { badRequest, isJsonObject, jsonType, type JwtFinding, quote } from "./jwt-finding.ts";

/** What {@linkcode decodeBearerJwt} could read, and what was wrong. */
export interface DecodedJwt {
  /** The JOSE header when it decoded to a JSON object. */
  readonly header: Record<string, unknown> | undefined;
  /** The payload claims when they decoded to a JSON object (even if the header is bad). */
  readonly claims: Record<string, unknown> | undefined;
  /** Structural problems, in the order: authorization, token, header, payload. */
  readonly findings: readonly JwtFinding[];
}

const schemeShape = /^[A-Za-z][A-Za-z0-9._~+-]{0,19}$/;
const base64urlShape = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Splits `Bearer <token>` and decodes the token's header and payload.
 *
 * @example
 * ```ts
 * const { claims, findings } = decodeBearerJwt(`Bearer ${token}`);
 * if (findings.length === 0) console.log(claims?.iss);
 * ```
 */
export function decodeBearerJwt(authorization: string): DecodedJwt {
  const findings: JwtFinding[] = [];
  const token = bearerToken(authorization, findings);
  if (token === undefined) return { header: undefined, claims: undefined, findings };

  const parts = token.split(".");
  if (parts.length !== 2 && parts.length !== 3) {
    findings.push(
      badRequest("token", `Token must have three dot-separated parts (found ${parts.length})`),
    );
    return { header: undefined, claims: undefined, findings };
  }
  if (parts.length === 2) {
    findings.push(badRequest("token", 'Token must end with "." (an empty signature part)'));
  } else if (parts[2] !== "") {
    findings.push(badRequest("token", 'Token signature must be empty for alg "none"'));
  }

  const header = decodePart(parts[0] ?? "", "header", findings);
  const payload = decodePart(parts[1] ?? "", "payload", findings);
  let headerObject: Record<string, unknown> | undefined;
  if (header.ok) {
    if (isJsonObject(header.value)) {
      headerObject = header.value;
      checkJoseHeader(headerObject, findings);
    } else {
      findings.push(
        badRequest("header", `JOSE header must be a JSON object (found ${jsonType(header.value)})`),
      );
    }
  }
  let claims: Record<string, unknown> | undefined;
  if (payload.ok) {
    if (isJsonObject(payload.value)) {
      claims = payload.value;
    } else {
      findings.push(
        badRequest(
          "payload",
          `Token payload must be a JSON object (found ${jsonType(payload.value)})`,
        ),
      );
    }
  }
  return { header: headerObject, claims, findings };
}

/** The token after a case-insensitive `Bearer` scheme, or undefined with a finding. */
function bearerToken(authorization: string, findings: JwtFinding[]): string | undefined {
  const value = authorization.trim();
  if (value === "") {
    findings.push(badRequest("authorization", "Authorization header is empty"));
    return undefined;
  }
  const gap = value.search(/[ \t]/);
  const scheme = gap < 0 ? value : value.slice(0, gap);
  if (scheme.toLowerCase() !== "bearer") {
    // Quote the scheme only when it looks like one; otherwise it may be a token or credentials.
    const found = gap > 0 && schemeShape.test(scheme) ? ` (found ${quote(scheme)})` : "";
    findings.push(badRequest("authorization", `Authorization scheme must be "Bearer"${found}`));
    return undefined;
  }
  const token = gap < 0 ? "" : value.slice(gap).trimStart();
  if (token === "") {
    findings.push(badRequest("authorization", "Authorization header has no bearer token"));
    return undefined;
  }
  return token;
}

type FromBase64 = (text: string, options: { alphabet: "base64url" }) => Uint8Array;

/** `Uint8Array.fromBase64` where the runtime has it (V8 ≥ 14: Deno 2.6+, current workerd). */
const fromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;

/**
 * The bytes of an unpadded base64url string already checked against `base64urlShape`; throws on
 * bad input like `atob`. This is the JWT step's hot spot: the earlier `Uint8Array.from(atob(…),
 * mapFn)` walked the string through the iterator protocol and took a quarter of the SSP route's
 * CPU time (bench/hot-path.bench.ts, README "Benchmarks").
 */
function base64urlBytes(part: string): Uint8Array {
  if (fromBase64) return fromBase64.call(Uint8Array, part, { alphabet: "base64url" });
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

type PartResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Decodes one base64url JSON part, pushing at most one finding under `claim`. */
function decodePart(part: string, claim: string, findings: JwtFinding[]): PartResult {
  const fail = (problem: string): PartResult => {
    findings.push(badRequest(claim, `Token ${claim} ${problem}`));
    return { ok: false };
  };
  if (part === "") return fail("part is empty");
  if (part.includes("=")) return fail('part is padded with "="; base64url must be unpadded');
  if (part.includes("+") || part.includes("/")) {
    return fail('part uses "+" or "/"; base64url uses "-" and "_"');
  }
  if (!base64urlShape.test(part)) return fail("part is not base64url");
  if (part.length % 4 === 1) return fail("part has an impossible base64url length");
  let text: string;
  try {
    text = utf8.decode(base64urlBytes(part));
  } catch {
    return fail("part is not base64url-encoded UTF-8");
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return fail("part is not valid JSON");
  }
}

/** Header must be exactly `{"alg":"none","typ":"JWT"}`. */
function checkJoseHeader(header: Record<string, unknown>, findings: JwtFinding[]): void {
  if (!("alg" in header)) {
    findings.push(badRequest("header", 'JOSE header has no "alg"'));
  } else if (header.alg !== "none") {
    findings.push(
      badRequest("header", `JOSE header "alg" must be "none" (found ${quote(header.alg)})`),
    );
  }
  if (!("typ" in header)) {
    findings.push(badRequest("header", 'JOSE header has no "typ"'));
  } else if (header.typ !== "JWT") {
    findings.push(
      badRequest("header", `JOSE header "typ" must be "JWT" (found ${quote(header.typ)})`),
    );
  }
  const extra = Object.keys(header).filter((key) => key !== "alg" && key !== "typ");
  if (extra.length > 0) {
    findings.push(
      badRequest("header", `JOSE header has unexpected keys ${extra.map(quote).join(", ")}`),
    );
  }
}
