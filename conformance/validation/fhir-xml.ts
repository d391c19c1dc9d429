/**
 * FHIR XML → FHIR JSON for conformance resources (StructureDefinition, ValueSet, CodeSystem):
 * elements that repeat in the STU3 model become arrays, `value` attributes become primitives of
 * their JSON type, `id`/`url` attributes become properties, primitive `id`/`extension` go to the
 * `_name` companion, `<div>` narrative stays XHTML text.
 *
 * A small tokenizer rather than a general XML parser: FHIR XML has no mixed content outside the
 * narrative, and the GP Connect assets (~10 MB) load in ~150 ms this way instead of 1–2 s with
 * fast-xml-parser.
 *
 * @module
 */
import { childContext, isPrimitiveType, modelChild } from "./stu3-model.ts";

/** One XML element. */
interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  /** Raw XHTML of a narrative `<div>`. */
  raw?: string;
}

const entityPattern = /&(#x[0-9a-fA-F]+|#[0-9]+|quot|amp|lt|gt|apos);/g;
const namedEntities: Readonly<Record<string, string>> = {
  quot: '"',
  amp: "&",
  lt: "<",
  gt: ">",
  apos: "'",
};

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(entityPattern, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return namedEntities[entity] ?? "";
  });
}

/** Index just past the `</div>` closing the `<div>` whose start tag ends at `from`. */
function endOfDiv(text: string, from: number): number {
  const divTags = /<(\/?)div\b[^>]*?(\/?)>/g;
  divTags.lastIndex = from;
  let depth = 1;
  for (let match = divTags.exec(text); match; match = divTags.exec(text)) {
    if (match[2] === "/") continue;
    depth += match[1] === "/" ? -1 : 1;
    if (depth === 0) return divTags.lastIndex;
  }
  throw new SyntaxError("Unclosed <div> in FHIR XML narrative");
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Index after the first `token` at or past `from`; a syntax error when there is none. */
function after(text: string, token: string, from: number): number {
  const at = text.indexOf(token, from);
  if (at < 0) throw new SyntaxError(`Unterminated markup: expected ${token}`);
  return at + token.length;
}

/** Reads the attributes of a start tag from `at`; returns where the tag ends. */
function readAttributes(text: string, at: number, attrs: Record<string, string>) {
  let i = at;
  for (;;) {
    while (isSpace(text.charCodeAt(i))) i++;
    const code = text.charCodeAt(i);
    if (code === 62) return { end: i + 1, selfClosing: false }; // >
    if (code === 47 && text.charCodeAt(i + 1) === 62) return { end: i + 2, selfClosing: true };
    const eq = text.indexOf("=", i);
    if (eq < 0 || Number.isNaN(code)) throw new SyntaxError("Malformed start tag");
    const name = text.slice(i, eq).trim();
    let q = eq + 1;
    while (isSpace(text.charCodeAt(q))) q++;
    const quote = text[q];
    if (quote !== '"' && quote !== "'") throw new SyntaxError(`Unquoted attribute ${name}`);
    const close = text.indexOf(quote, q + 1);
    if (close < 0) throw new SyntaxError(`Unterminated attribute ${name}`);
    attrs[name] = decodeEntities(text.slice(q + 1, close));
    i = close + 1;
  }
}

/** Parses XML text into its root element. */
function parseXml(text: string): XmlNode {
  const root: XmlNode = { name: "#document", attrs: {}, children: [] };
  const stack: XmlNode[] = [root];
  let i = 0;
  for (let lt = text.indexOf("<"); lt >= 0; lt = text.indexOf("<", i)) {
    const next = text.charCodeAt(lt + 1);
    if (next === 33) { // <!
      i = text.startsWith("<!--", lt)
        ? after(text, "-->", lt + 4)
        : text.startsWith("<![CDATA[", lt)
        ? after(text, "]]>", lt)
        : after(text, ">", lt);
      continue;
    }
    if (next === 63) { // <?
      i = after(text, "?>", lt);
      continue;
    }
    const parent = stack[stack.length - 1] as XmlNode;
    if (next === 47) { // </
      i = after(text, ">", lt);
      const name = text.slice(lt + 2, i - 1).trim();
      if (parent.name !== name) {
        throw new SyntaxError(`Unexpected </${name}> (open element <${parent.name}>)`);
      }
      stack.pop();
      continue;
    }
    let j = lt + 1;
    for (let code = text.charCodeAt(j); !isSpace(code) && code !== 62 && code !== 47;) {
      if (Number.isNaN(code)) throw new SyntaxError("Unterminated start tag");
      code = text.charCodeAt(++j);
    }
    const node: XmlNode = { name: text.slice(lt + 1, j), attrs: {}, children: [] };
    const { end, selfClosing } = readAttributes(text, j, node.attrs);
    parent.children.push(node);
    i = end;
    if (node.name === "div" && !selfClosing) {
      i = endOfDiv(text, end);
      node.raw = text.slice(lt, i);
    } else if (!selfClosing) {
      stack.push(node);
    }
  }
  if (stack.length !== 1) throw new SyntaxError(`Unclosed <${stack[stack.length - 1]?.name}>`);
  const [first] = root.children;
  if (!first) throw new SyntaxError("No root element");
  return first;
}

const numericTypes = new Set(["integer", "unsignedInt", "positiveInt", "decimal"]);

function primitiveValue(type: string, node: XmlNode): unknown {
  if (type === "xhtml") return node.raw;
  const value = node.attrs.value;
  if (value === undefined) return null;
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (numericTypes.has(type)) {
    const number = Number(value);
    return value.trim() !== "" && Number.isFinite(number) ? number : value;
  }
  return value;
}

function primitiveCompanion(node: XmlNode): Record<string, unknown> | null {
  const extensions = node.children.filter((child) => child.name === "extension");
  if (node.attrs.id === undefined && extensions.length === 0) return null;
  const companion: Record<string, unknown> = {};
  if (node.attrs.id !== undefined) companion.id = node.attrs.id;
  if (extensions.length > 0) {
    companion.extension = extensions.map((e) => convertElement(e, "Extension"));
  }
  return companion;
}

function convertRun(
  out: Record<string, unknown>,
  context: string,
  nodes: readonly XmlNode[],
): void {
  const name = (nodes[0] as XmlNode).name;
  const element = modelChild(context, name);
  const repeating = element?.repeating ?? nodes.length > 1;
  const pick = <T>(values: T[]): T | T[] | undefined => repeating ? values : values[0];
  const primitive = element
    ? isPrimitiveType(element.type)
    : nodes.every((n) => n.attrs.value !== undefined);
  if (primitive) {
    const type = element?.type ?? "string";
    const values = nodes.map((n) => primitiveValue(type, n));
    const companions = nodes.map(primitiveCompanion);
    if (values.some((v) => v !== null)) out[name] = pick(values);
    if (companions.some((c) => c !== null)) out[`_${name}`] = pick(companions);
  } else if (element?.type === "Resource") {
    out[name] = pick(nodes.map((n) => n.children[0] ? convertResource(n.children[0]) : {}));
  } else {
    const inner = element ? childContext(element) : `${context}.${name}`;
    out[name] = pick(nodes.map((n) => convertElement(n, inner)));
  }
}

function convertElement(node: XmlNode, context: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.attrs.id !== undefined) out.id = node.attrs.id;
  if (node.attrs.url !== undefined) out.url = node.attrs.url;
  const children = node.children;
  // FHIR XML keeps repetitions of an element together, so runs of one name are its values.
  for (let start = 0; start < children.length;) {
    const first = children[start] as XmlNode;
    const name = first.name;
    let end = start + 1;
    while (end < children.length && (children[end] as XmlNode).name === name) end++;
    if (end === start + 1 && first.children.length === 0 && first.attrs.id === undefined) {
      // Fast path, most elements: one primitive with just a value.
      const element = modelChild(context, name);
      if (element && !element.repeating && isPrimitiveType(element.type) && !(name in out)) {
        const value = primitiveValue(element.type, first);
        if (value !== null) out[name] = value;
        start = end;
        continue;
      }
    }
    const run = children.slice(start, end);
    const earlier = out[name];
    convertRun(out, context, run);
    if (Array.isArray(earlier) && Array.isArray(out[name])) {
      out[name] = [...earlier, ...(out[name] as unknown[])];
    }
    start = end;
  }
  return out;
}

function convertResource(node: XmlNode): Record<string, unknown> {
  return { resourceType: node.name, ...convertElement(node, node.name) };
}

/**
 * Converts one FHIR XML resource to its FHIR JSON form.
 *
 * @example
 * ```ts
 * const sd = fhirXmlToJson(
 *   `<StructureDefinition xmlns="http://hl7.org/fhir"><url value="https://example.org/P"/>` +
 *     `<snapshot><element id="Patient"><path value="Patient"/><min value="0"/><max value="*"/>` +
 *     `</element></snapshot></StructureDefinition>`,
 * );
 * sd.snapshot; // { element: [{ id: "Patient", path: "Patient", min: 0, max: "*" }] }
 * ```
 */
export function fhirXmlToJson(
  text: string,
  options: { readonly skip?: RegExp } = {},
): Record<string, unknown> {
  return convertResource(parseXml(options.skip ? text.replace(options.skip, "") : text));
}

/**
 * Parts of conformance resources the validator never reads: the differential, element mappings,
 * examples, the XPath of invariants (their FHIRPath is evaluated, `invariants.ts`) and
 * documentation strings. Removing them before parsing halves the work.
 */
export const unusedConformanceParts: RegExp = new RegExp(
  [
    String.raw`<differential>[\s\S]*?</differential>`,
    String.raw`<(mapping|example)>[\s\S]*?</\1>`,
    String
      .raw`<(definition|comment|requirements|short|alias|meaningWhenMissing|description|copyright|purpose|xpath)\s+value="[^"]*"\s*/>`,
  ].join("|"),
  "g",
);
