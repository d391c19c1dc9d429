/**
 * FHIR STU3 primitive types in JSON: the JSON kind each must have and the lexical rules
 * (regular expressions of the STU3 specification's datatypes page), plus real calendar dates.
 *
 * @module
 */
import { primitiveTypes } from "./stu3-model.ts";

const patterns: Readonly<Record<string, RegExp>> = {
  code: /^[^\s]+( [^\s]+)*$/,
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  oid: /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/,
  uuid: /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  uri: /^\S*$/,
  date: /^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/,
  dateTime:
    /^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/,
  instant:
    /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/,
  time: /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/,
};

const dateTypes = new Set(["date", "dateTime", "instant"]);
/** Primitive types whose JSON form is a string: all but the boolean and numeric ones. */
const stringTypes: ReadonlySet<string> = new Set(
  [...primitiveTypes].filter((type) =>
    !["boolean", "integer", "decimal", "unsignedInt", "positiveInt"].includes(type)
  ),
);

/** False when a `YYYY-MM-DD` prefix names a day the month does not have (2019-02-30). */
function realDate(value: string): boolean {
  const match = /^(-?\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function base64Problem(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    return "is not valid base64";
  }
  return undefined;
}

function xhtmlProblem(value: string): string | undefined {
  if (!/^\s*<div[\s>]/.test(value)) return "narrative must be an XHTML <div> element";
  if (!/^\s*<div[^>]*\sxmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(value)) {
    return 'narrative <div> must declare xmlns="http://www.w3.org/1999/xhtml"';
  }
  return undefined;
}

/**
 * Why `value` is not a valid JSON value of primitive `type`, or undefined when it is.
 *
 * @example
 * ```ts
 * primitiveProblem("2019-02-30", "date"); // "is not a valid date (2019-02-30)"
 * primitiveProblem(true, "boolean"); // undefined
 * ```
 */
export function primitiveProblem(value: unknown, type: string): string | undefined {
  if (type === "boolean") return typeof value === "boolean" ? undefined : "must be a JSON boolean";
  if (type === "integer" || type === "unsignedInt" || type === "positiveInt") {
    if (typeof value !== "number" || !Number.isInteger(value)) return "must be a JSON integer";
    if (value > 2147483647 || value < -2147483648) return "is outside the 32-bit integer range";
    if (type === "unsignedInt" && value < 0) return "must not be negative";
    if (type === "positiveInt" && value < 1) return "must be positive";
    return undefined;
  }
  if (type === "decimal") {
    return typeof value === "number" && Number.isFinite(value)
      ? undefined
      : "must be a JSON number";
  }
  if (!stringTypes.has(type)) return undefined;
  if (typeof value !== "string") return "must be a JSON string";
  if (type === "base64Binary") return base64Problem(value);
  if (type === "xhtml") return xhtmlProblem(value);
  const pattern = patterns[type];
  if (pattern && !pattern.test(value)) {
    return `is not a valid ${type} (${JSON.stringify(value.slice(0, 80))})`;
  }
  if (dateTypes.has(type) && !realDate(value)) return `is not a real calendar date (${value})`;
  return undefined;
}
