import assert from "node:assert/strict";
import { isValidNhsNumber, nhsNumberProblem } from "./nhs-number.ts";

Deno.test("nhsNumberProblem() accepts the test-pack NHS numbers", () => {
  for (const nhs of ["9690937278", "9690937286", "9999999999", "9434765919"]) {
    assert.equal(nhsNumberProblem(nhs), undefined, nhs);
    assert.equal(isValidNhsNumber(nhs), true, nhs);
  }
});

Deno.test("nhsNumberProblem() accepts a number whose computed check of 11 becomes 0", () => {
  // 9·10 + 6·9 + 9·8 + 0·7 + 9·6 + 3·5 + 7·4 + 0·3 + 3·2 = 319 = 11·29.
  const sum = [9, 6, 9, 0, 9, 3, 7, 0, 3].reduce((total, digit, i) => total + digit * (10 - i), 0);
  assert.equal(sum % 11, 0, "the weighted sum is a multiple of 11, so 11 − 0 = 11 → 0");
  assert.equal(nhsNumberProblem("9690937030"), undefined);
  assert.equal(isValidNhsNumber("9690937031"), false);
});

Deno.test("nhsNumberProblem() rejects a bad check digit", () => {
  assert.equal(
    nhsNumberProblem("9690937279"),
    "NHS number 9690937279 fails the modulus 11 check digit test",
  );
  assert.equal(isValidNhsNumber("9690937279"), false);
});

Deno.test("nhsNumberProblem() rejects every number whose computed check digit is 10", () => {
  // 1·10 + 2·9 + 3·8 + 4·7 + 5·6 + 6·5 + 7·4 + 8·3 + 9·2 = 210 = 11·19 + 1, so 11 − 1 = 10.
  for (let last = 0; last <= 9; last++) {
    const nhs = `123456789${last}`;
    assert.match(nhsNumberProblem(nhs) ?? "", /modulus 11/, nhs);
    assert.equal(isValidNhsNumber(nhs), false, nhs);
  }
});

Deno.test("nhsNumberProblem() rejects 9 and 11 digits, naming the length", () => {
  assert.equal(
    nhsNumberProblem("969093727"),
    'NHS number "969093727" must be 10 digits, it has 9 characters',
  );
  assert.equal(
    nhsNumberProblem("96909372780"),
    'NHS number "96909372780" must be 10 digits, it has 11 characters',
  );
  assert.match(nhsNumberProblem("") ?? "", /it has 0 characters/);
});

Deno.test("nhsNumberProblem() rejects non-digits of the right length", () => {
  for (
    const nhs of ["969093727A", "96909-7278", "+969093727", "969093727.", "９６９０９３７２７８"]
  ) {
    assert.ok(nhsNumberProblem(nhs) !== undefined, nhs);
    assert.equal(isValidNhsNumber(nhs), false, nhs);
  }
  assert.equal(
    nhsNumberProblem("969093727A"),
    'NHS number "969093727A" must contain digits only',
  );
});

Deno.test("nhsNumberProblem() rejects whitespace rather than trimming it", () => {
  for (const nhs of [" 9690937278", "9690937278 ", "969 093 7278", "969093727\n", "\t969093727"]) {
    assert.ok(nhsNumberProblem(nhs) !== undefined, JSON.stringify(nhs));
  }
  assert.equal(nhsNumberProblem(" 969093727"), 'NHS number " 969093727" must contain digits only');
});
