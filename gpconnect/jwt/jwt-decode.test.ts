import assert from "node:assert/strict";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "./gpc-jwt.ts";
import { decodeBearerJwt } from "./jwt-decode.ts";
import type { JwtFinding } from "./jwt-finding.ts";

function base64urlBytes(bytes: Uint8Array, padded = false): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const text = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_");
  return padded ? text : text.replace(/=+$/, "");
}

function base64url(text: string, padded = false): string {
  return base64urlBytes(new TextEncoder().encode(text), padded);
}

const claims = gpConnectJwtClaims({
  requestedScope: "organization/*.read",
  issuedAt: 1_700_000_000,
});
const validToken = encodeUnsignedJwt(claims);
const [validHeader = "", validPayload = ""] = validToken.split(".");

/** Decodes and checks that no finding repeats the token or either of its parts. */
function decode(authorization: string) {
  const result = decodeBearerJwt(authorization);
  const token = authorization.replace(/^\s*\S+\s*/, "");
  for (const finding of result.findings) {
    for (const secret of [token, ...token.split(".")]) {
      if (secret.length >= 8) assert.ok(!finding.problem.includes(secret), finding.problem);
    }
  }
  return result;
}

function only(findings: readonly JwtFinding[]): JwtFinding {
  assert.equal(findings.length, 1, JSON.stringify(findings));
  return findings[0]!;
}

Deno.test("decodeBearerJwt: a valid token decodes with no findings", () => {
  const result = decode(`Bearer ${validToken}`);
  assert.deepEqual(result.findings, []);
  assert.deepEqual(result.header, { alg: "none", typ: "JWT" });
  assert.deepEqual(result.claims, claims);
});

Deno.test("decodeBearerJwt: the scheme is case-insensitive and spaces around it are tolerated", () => {
  for (
    const value of [`bearer ${validToken}`, `BEARER ${validToken}`, `  Bearer   ${validToken} `]
  ) {
    assert.deepEqual(decode(value).findings, [], value);
  }
});

Deno.test("decodeBearerJwt: a scheme other than Bearer is 400 and credentials are not echoed", () => {
  const finding = only(decode("Basic dXNlcjpwYXNzd29yZA==").findings);
  assert.deepEqual(finding, {
    claim: "authorization",
    problem: 'Authorization scheme must be "Bearer" (found "Basic")',
    status: 400,
    spineCode: "BAD_REQUEST",
  });
  assert.ok(!finding.problem.includes("dXNlcjpwYXNzd29yZA"));
});

Deno.test("decodeBearerJwt: a bare token without a scheme is 400 and not echoed", () => {
  const finding = only(decode(validToken).findings);
  assert.equal(finding.claim, "authorization");
  assert.equal(finding.problem, 'Authorization scheme must be "Bearer"');
});

Deno.test("decodeBearerJwt: an empty header or a scheme without a token is 400", () => {
  assert.equal(only(decode("").findings).problem, "Authorization header is empty");
  assert.equal(only(decode("Bearer").findings).problem, "Authorization header has no bearer token");
  assert.equal(only(decode("  ").findings).problem, "Authorization header is empty");
  assert.equal(
    only(decode("Bearer   ").findings).problem,
    "Authorization header has no bearer token",
  );
});

Deno.test("decodeBearerJwt: a non-empty signature is 400", () => {
  const result = decode(`Bearer ${validToken}c2lnbmF0dXJl`);
  const finding = only(result.findings);
  assert.equal(finding.claim, "token");
  assert.equal(finding.status, 400);
  assert.match(finding.problem, /signature must be empty/);
  assert.deepEqual(result.claims, claims);
});

Deno.test("decodeBearerJwt: a missing trailing dot is 400 but the claims are still read", () => {
  const result = decode(`Bearer ${validHeader}.${validPayload}`);
  assert.match(only(result.findings).problem, /must end with "\."/);
  assert.deepEqual(result.claims, claims);
});

Deno.test("decodeBearerJwt: one or four parts is 400 with no claims", () => {
  for (const token of [validHeader, `${validToken}.x`, `${validToken}..`]) {
    const result = decode(`Bearer ${token}`);
    const finding = only(result.findings);
    assert.equal(finding.claim, "token");
    assert.match(finding.problem, /three dot-separated parts/);
    assert.equal(result.claims, undefined);
  }
});

Deno.test("decodeBearerJwt: base64 padding is 400", () => {
  const padded = base64url(JSON.stringify({ alg: "none", typ: "JWT" }), true);
  assert.ok(padded.endsWith("="));
  const finding = only(decode(`Bearer ${padded}.${validPayload}.`).findings);
  assert.equal(finding.claim, "header");
  assert.match(finding.problem, /padded with "="/);
  const payloadPadded = base64url(`${JSON.stringify(claims)} `, true);
  if (payloadPadded.endsWith("=")) {
    assert.equal(only(decode(`Bearer ${validHeader}.${payloadPadded}.`).findings).claim, "payload");
  }
});

Deno.test("decodeBearerJwt: standard base64 '+' and '/' are 400", () => {
  const standard = btoa(String.fromCharCode(0xfb, 0xff, 0xbf));
  assert.equal(standard, "+/+/");
  const finding = only(decode(`Bearer ${validHeader}.${standard}.`).findings);
  assert.equal(finding.claim, "payload");
  assert.match(finding.problem, /"\+" or "\/"/);
});

Deno.test("decodeBearerJwt: characters outside base64url and impossible lengths are 400", () => {
  assert.match(only(decode(`Bearer ${validHeader}.ab!c.`).findings).problem, /not base64url/);
  assert.match(only(decode(`Bearer ${validHeader}.abcde.`).findings).problem, /impossible/);
});

Deno.test("decodeBearerJwt: an unencoded JWT (raw JSON) is 400", () => {
  const raw = `${JSON.stringify({ alg: "none", typ: "JWT" })}.${JSON.stringify(claims)}.`;
  const result = decode(`Bearer ${raw}`);
  assert.ok(result.findings.length > 0);
  assert.ok(result.findings.every((finding) => finding.status === 400));
  assert.equal(result.claims, undefined);
});

Deno.test("decodeBearerJwt: bytes that are not UTF-8 are 400", () => {
  const bytes = base64urlBytes(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
  const finding = only(decode(`Bearer ${validHeader}.${bytes}.`).findings);
  assert.equal(finding.claim, "payload");
  assert.match(finding.problem, /not base64url-encoded UTF-8/);
});

Deno.test("decodeBearerJwt: a header or payload that is not JSON is 400", () => {
  const header = only(decode(`Bearer ${base64url("alg none")}.${validPayload}.`).findings);
  assert.deepEqual([header.claim, header.problem], [
    "header",
    "Token header part is not valid JSON",
  ]);
  const payload = only(decode(`Bearer ${validHeader}.${base64url("{iss:")}.`).findings);
  assert.deepEqual([payload.claim, payload.problem], [
    "payload",
    "Token payload part is not valid JSON",
  ]);
});

Deno.test("decodeBearerJwt: a payload that is not a JSON object is 400", () => {
  for (
    const [json, type] of [["[]", "array"], ["42", "number"], ["null", "null"], ['"x"', "string"]]
  ) {
    const result = decode(`Bearer ${validHeader}.${base64url(json!)}.`);
    const finding = only(result.findings);
    assert.equal(finding.claim, "payload");
    assert.equal(finding.problem, `Token payload must be a JSON object (found ${type})`);
    assert.equal(result.claims, undefined);
  }
});

Deno.test("decodeBearerJwt: the header must be exactly alg none and typ JWT", () => {
  const cases: Array<[unknown, string]> = [
    [{ alg: "HS256", typ: "JWT" }, 'JOSE header "alg" must be "none" (found "HS256")'],
    [{ alg: "None", typ: "JWT" }, 'JOSE header "alg" must be "none" (found "None")'],
    [{ typ: "JWT" }, 'JOSE header has no "alg"'],
    [{ alg: "none" }, 'JOSE header has no "typ"'],
    [{ alg: "none", typ: "jwt" }, 'JOSE header "typ" must be "JWT" (found "jwt")'],
    [{ alg: "none", typ: "JWT", kid: "1" }, 'JOSE header has unexpected keys "kid"'],
    [["alg", "none"], "JOSE header must be a JSON object (found array)"],
  ];
  for (const [header, problem] of cases) {
    const result = decode(`Bearer ${base64url(JSON.stringify(header))}.${validPayload}.`);
    const finding = only(result.findings);
    assert.deepEqual([finding.claim, finding.problem, finding.status], ["header", problem, 400]);
    assert.deepEqual(result.claims, claims, "claims are still read");
  }
});

Deno.test("decodeBearerJwt: every problem is collected in order", () => {
  const header = base64url(JSON.stringify({ alg: "RS256", kid: "k" }));
  const result = decode(`Bearer ${header}.${base64url("[1]")}.sig`);
  assert.deepEqual(result.findings.map((finding) => finding.claim), [
    "token",
    "header",
    "header",
    "header",
    "payload",
  ]);
});

Deno.test("decodeBearerJwt: garbage never throws and always yields findings", () => {
  const alphabet = ["a", "Z", "0", "-", "_", ".", "=", "+", "/", " ", "é", "\u0000", "😀", "{"];
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  for (let round = 0; round < 500; round++) {
    let token = "";
    const length = next() % 40;
    for (let i = 0; i < length; i++) token += alphabet[next() % alphabet.length];
    const result = decodeBearerJwt(`Bearer ${token}`);
    if (result.claims === undefined) assert.ok(result.findings.length > 0, token);
    for (const finding of result.findings) assert.ok(finding.status === 400, token);
  }
});
