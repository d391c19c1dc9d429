/**
 * Test helper: parses JUnit XML with fast-xml-parser after validating it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** A parsed XML element (attributes under `@_`, text under `#text`). */
export type Node = Record<string, unknown>;
/** An element that may occur once or many times, as a list. */
export const list = (v: unknown): Node[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Node[];

/** Parses JUnit XML into suites and cases, attributes under `@_`. */
export function parseJunit(xml: string): { root: Node; suites: Node[] } {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, JSON.stringify(valid));
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  const doc = parser.parse(xml) as Node;
  const root = doc.testsuites as Node;
  return { root, suites: list(root.testsuite) };
}
