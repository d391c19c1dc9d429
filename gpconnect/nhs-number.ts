/**
 * NHS number checks: exactly 10 digits, modulus 11 check digit (weights 10..2 on digits 1–9;
 * check = 11 − sum mod 11, 11 → 0, 10 → invalid). Source: shared/reference/pds-sds.md §5.
 *
 * @module
 */

/**
 * The modulus 11 check digit of an NHS number's first nine digits: 0–9, or 10 when no NHS number
 * starts with those digits.
 *
 * @example
 * ```ts
 * nhsNumberCheckDigit("969093727"); // 8
 * ```
 */
export function nhsNumberCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check;
}

/**
 * Why an NHS number is invalid, or `undefined` when it is valid.
 *
 * @example
 * ```ts
 * nhsNumberProblem("9690937278"); // undefined
 * nhsNumberProblem("9690937279"); // "NHS number 9690937279 fails the modulus 11 check digit test"
 * ```
 */
export function nhsNumberProblem(value: string): string | undefined {
  if (value.length !== 10) {
    return `NHS number ${
      JSON.stringify(value)
    } must be 10 digits, it has ${value.length} characters`;
  }
  if (!/^[0-9]{10}$/.test(value)) {
    return `NHS number ${JSON.stringify(value)} must contain digits only`;
  }
  const check = nhsNumberCheckDigit(value.slice(0, 9));
  if (check === 10 || check !== Number(value[9])) {
    return `NHS number ${value} fails the modulus 11 check digit test`;
  }
  return undefined;
}

/** Whether `value` is a valid NHS number (format and check digit). */
export function isValidNhsNumber(value: string): boolean {
  return nhsNumberProblem(value) === undefined;
}
