/**
 * NHS number checks: exactly 10 digits, modulus 11 check digit (weights 10..2 on digits 1–9;
 * check = 11 − sum mod 11, 11 → 0, 10 → invalid). Source: shared/reference/pds-sds.md §5.
 *
 * @module
 */

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
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10 || check !== Number(value[9])) {
    return `NHS number ${value} fails the modulus 11 check digit test`;
  }
  return undefined;
}

/** Whether `value` is a valid NHS number (format and check digit). */
export function isValidNhsNumber(value: string): boolean {
  return nhsNumberProblem(value) === undefined;
}
