import assert from "node:assert/strict";
import { base64urlEncode } from "../base64url.ts";
import { parseCompactJws, readCompactJws } from "./jws-compact.ts";

const part = (value: unknown) => base64urlEncode(JSON.stringify(value));
const header = part({ alg: "ES256", kid: "k1" });
const payload = part({ iss: "https://issuer.test", sub: "9690937278" });
const signatureBytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
const signed = `${header}.${payload}.${base64urlEncode(signatureBytes)}`;

Deno.test("parseCompactJws: a signed token's header, claims, signing input and signature bytes", () => {
  const result = parseCompactJws(signed);
  assert.ok(result.ok);
  assert.deepEqual(result.jws.header, { alg: "ES256", kid: "k1" });
  assert.equal(result.jws.payload.sub, "9690937278");
  assert.equal(result.jws.signingInput, `${header}.${payload}`);
  assert.deepEqual(result.jws.signature, signatureBytes);
});

Deno.test("parseCompactJws: an unsecured token has an empty signature", () => {
  const result = parseCompactJws(`${part({ alg: "none" })}.${payload}.`);
  assert.ok(result.ok);
  assert.equal(result.jws.signature.length, 0);
});

Deno.test("readCompactJws: not two or three parts stops at the token", () => {
  for (const token of ["", "abc", `${header}.${payload}.sig.x`]) {
    const reading = readCompactJws(token);
    assert.deepEqual(reading.problems.map((p) => [p.part, p.code]), [["token", "part-count"]]);
    assert.equal(reading.header, undefined);
    assert.equal(reading.signingInput, undefined);
    assert.equal(parseCompactJws(token).ok, false);
  }
});

Deno.test("readCompactJws: two parts are still read, with the missing signature part named", () => {
  const reading = readCompactJws(`${header}.${payload}`);
  assert.deepEqual(reading.problems.map((p) => p.code), ["no-signature-part"]);
  assert.equal(reading.payload?.iss, "https://issuer.test");
  assert.equal(reading.signature, undefined);
  assert.equal(parseCompactJws(`${header}.${payload}`).ok, false);
});

Deno.test("readCompactJws: each part's defect has its own code, and the other part is still read", () => {
  const cases: Array<[string, string]> = [
    ["", "empty"],
    [`${payload}=`, "padded"],
    ["a+b/", "standard-alphabet"],
    ["ab*c", "not-base64url"],
    ["abcde", "impossible-length"],
    [base64urlEncode(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), "not-utf8"],
    [base64urlEncode("{iss:"), "not-json"],
    [part([1]), "not-object"],
  ];
  for (const [bad, code] of cases) {
    const asPayload = readCompactJws(`${header}.${bad}.`);
    assert.deepEqual(asPayload.problems.map((p) => [p.part, p.code]), [["payload", code]], bad);
    assert.equal(asPayload.header?.alg, "ES256");
    const asHeader = readCompactJws(`${bad}.${payload}.`);
    assert.deepEqual(asHeader.problems.map((p) => [p.part, p.code]), [["header", code]], bad);
    assert.equal(asHeader.payload?.sub, "9690937278");
  }
});

Deno.test("readCompactJws: problems come in token, header, payload, signature order", () => {
  const reading = readCompactJws("a+b/.e30=.s*g");
  assert.deepEqual(reading.problems.map((p) => `${p.part}:${p.code}`), [
    "header:standard-alphabet",
    "payload:padded",
    "signature:not-base64url",
  ]);
});

Deno.test("readCompactJws: messages say what is wrong without quoting the token", () => {
  const secret = "c2VjcmV0LXRva2VuLXRleHQ";
  const reading = readCompactJws(`${secret}x.${secret}=.${secret}*`);
  assert.equal(reading.problems.length, 3);
  for (const problem of reading.problems) {
    assert.ok(!problem.problem.includes(secret), problem.problem);
    assert.match(problem.problem, /^(Token|JOSE) /);
  }
  assert.equal(
    readCompactJws(`${header}.${part("x")}.`).problems[0]?.problem,
    "Token payload must be a JSON object (found string)",
  );
});

Deno.test("readCompactJws: claims in UTF-8 beyond ASCII decode as text, not one character per byte", () => {
  const claims = { sub: "9690937278", name: "Zoë Ødegård 😀" };
  const reading = readCompactJws(`${header}.${part(claims)}.`);
  assert.deepEqual(reading.problems, []);
  assert.deepEqual(reading.payload, claims);
});
