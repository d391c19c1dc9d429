/**
 * The inbox `workflow_filter` grammar (mesh.md §1): `X` equals, `!X` not equals, `X*` begins
 * with, `!X*` does not begin with, `*X*` contains, `!*X*` does not contain.
 *
 * @module
 */

/**
 * A predicate over workflow ids for a filter expression; `undefined` for an empty filter.
 *
 * @example
 * ```ts
 * const notAcks = workflowFilter("!*_ACK*");
 * notAcks?.("GPCONNECT_SEND_DOCUMENT"); // true
 * notAcks?.("GPCONNECT_SEND_DOCUMENT_ACK"); // false
 * ```
 */
export function workflowFilter(expression: string): ((workflowId: string) => boolean) | undefined {
  let text = expression.trim();
  if (text === "") return undefined;
  const negate = text.startsWith("!");
  if (negate) text = text.slice(1);
  let test: (workflowId: string) => boolean;
  if (text.length >= 2 && text.startsWith("*") && text.endsWith("*")) {
    const part = text.slice(1, -1);
    test = (w) => w.includes(part);
  } else if (text.endsWith("*")) {
    const part = text.slice(0, -1);
    test = (w) => w.startsWith(part);
  } else {
    test = (w) => w === text;
  }
  return negate ? (w) => !test(w) : test;
}
