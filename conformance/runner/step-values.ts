/**
 * Values from an earlier flow step's response body for `{step.<name>.<dotted path>}` (a plain
 * path; numeric segments index arrays) and `{step.<name>:<FHIRPath>}` (the first value of the
 * expression, `%context` being that body), and the scanner that finds where a FHIRPath
 * placeholder ends (its expression may hold quotes, parentheses and braces).
 *
 * @module
 */

/** The value at a dotted path in parsed JSON; numeric segments index arrays. */
export function dottedPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (typeof current === "object" && current !== null) {
      current = (current as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return current;
}

const fhirPathStart = /^\{step\.([\w-]+):/;

/**
 * The `{step.<name>:<FHIRPath>}` placeholder starting at `index`, if one does: the step name, the
 * expression and the index just past the closing brace. Quoted strings and nested braces inside
 * the expression do not end it.
 */
export function fhirPathPlaceholderAt(
  template: string,
  index: number,
): { step: string; expression: string; end: number } | undefined {
  const start = fhirPathStart.exec(template.slice(index, index + 80));
  if (!start) return undefined;
  let depth = 1;
  let quote: string | undefined;
  for (let i = index + start[0].length; i < template.length; i++) {
    const char = template[i];
    if (quote !== undefined) {
      if (char === "\\") i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === "`") quote = char;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) {
      return {
        step: start[1] ?? "",
        expression: template.slice(index + start[0].length, i),
        end: i + 1,
      };
    }
  }
  return undefined;
}

/** A step value as placeholder text, or undefined when it is not a single primitive. */
export function valueText(value: unknown): string | undefined {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  // fhirpath's date/time values print as their FHIR text.
  if (typeof value === "object" && value !== null && value.toString !== Object.prototype.toString) {
    return String(value);
  }
  return undefined;
}
