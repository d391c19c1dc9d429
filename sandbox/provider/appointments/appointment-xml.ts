/**
 * FHIR XML → FHIR JSON for the resources an Appointment request carries (the Appointment and its
 * contained Organization). GP Connect providers SHOULD accept XML (GPC-1.6 FHIR API guidance) and
 * NHS England's test pack sends Book, Amend and Cancel bodies as `application/fhir+xml`.
 *
 * FHIR XML does not say which elements repeat, so this reader knows the repeating elements of
 * those resources and the data types inside them; anything else becomes a single value. It
 * rejects what is not well-formed XML; it does not validate against a schema.
 *
 * @module
 */

type Json = Record<string, unknown>;

interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  /** Offset of the start tag, to keep XHTML narrative as markup. */
  readonly start: number;
  /** Raw markup of the node once closed. */
  raw: string;
}

const entities: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const named = entities[entity];
    if (named === undefined) throw new SyntaxError(`Unknown XML entity ${whole}`);
    return named;
  });
}

const localName = (name: string) => name.slice(name.indexOf(":") + 1);

const token =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/y;

function parseXml(text: string): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let position = 0;
  const scanner = new RegExp(token.source, "y");
  for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
    position = scanner.lastIndex;
    const [whole, close, open, attributeText, selfClosing, chars] = match;
    if (chars !== undefined) {
      if (chars.trim() !== "" && !stack.some((node) => node.name === "div")) {
        throw new SyntaxError("Text content is not allowed outside XHTML narrative");
      }
      continue;
    }
    if (whole.startsWith("<!") || whole.startsWith("<?")) continue;
    if (close !== undefined) {
      const node = stack.pop();
      if (!node || node.name !== localName(close)) {
        throw new SyntaxError(`Unexpected closing tag </${close}>`);
      }
      node.raw = text.slice(node.start, position);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attr of (attributeText ?? "").matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes[localName(attr[1]!)] = decode(attr[2] ?? attr[3] ?? "");
    }
    const node: XmlNode = {
      name: localName(open!),
      attributes,
      children: [],
      start: position - whole.length,
      raw: whole,
    };
    if (stack.length > 0) stack.at(-1)!.children.push(node);
    else if (root) throw new SyntaxError("More than one root element");
    else root = node;
    if (selfClosing !== "/") stack.push(node);
  }
  if (position < text.length) throw new SyntaxError(`Malformed XML at offset ${position}`);
  if (!root || stack.length > 0) throw new SyntaxError("Unclosed or missing root element");
  return root;
}

/** Elements that repeat wherever they appear. */
const alwaysRepeating = new Set([
  "extension",
  "modifierExtension",
  "contained",
  "coding",
  "profile",
  "security",
  "tag",
  "given",
  "prefix",
  "suffix",
  "line",
  "alias",
  "endpoint",
  "contact",
]);

/** Elements that repeat inside particular parents (a resource type or an element name). */
const repeatingIn: Readonly<Record<string, ReadonlySet<string>>> = {
  Appointment: new Set([
    "identifier",
    "serviceType",
    "specialty",
    "reason",
    "indication",
    "supportingInformation",
    "slot",
    "incomingReferral",
    "participant",
  ]),
  participant: new Set(["type"]),
  Organization: new Set(["identifier", "type", "telecom", "address"]),
  contact: new Set(["telecom"]),
};

const numericElements = new Set(["priority", "minutesDuration"]);
const booleanElements = new Set(["userSelected", "active"]);

function primitive(name: string, value: string): unknown {
  if (numericElements.has(name) && /^-?\d+$/.test(value)) return Number(value);
  if (booleanElements.has(name) && (value === "true" || value === "false")) return value === "true";
  return value;
}

function elementJson(node: XmlNode): unknown {
  if (node.name === "div") return node.raw;
  const value = node.attributes.value;
  if (value !== undefined && node.children.length === 0) return primitive(node.name, value);
  const json: Json = {};
  for (const key of ["id", "url"]) {
    if (node.attributes[key] !== undefined) json[key] = node.attributes[key];
  }
  addChildren(json, node, node.name);
  return json;
}

function resourceJson(node: XmlNode): Json {
  const json: Json = { resourceType: node.name };
  addChildren(json, node, node.name);
  return json;
}

function addChildren(json: Json, node: XmlNode, context: string): void {
  for (const child of node.children) {
    const value = child.name === "contained"
      ? resourceJson(
        child.children[0] ?? (() => {
          throw new SyntaxError("contained holds no resource");
        })(),
      )
      : elementJson(child);
    if (alwaysRepeating.has(child.name) || repeatingIn[context]?.has(child.name)) {
      const list = (json[child.name] ??= []) as unknown[];
      list.push(value);
    } else if (child.name in json) {
      throw new SyntaxError(`${child.name} may appear only once in ${context}`);
    } else {
      json[child.name] = value;
    }
  }
}

/**
 * Reads a FHIR XML resource as FHIR JSON; throws `SyntaxError` when it is not well-formed.
 *
 * @example
 * ```ts
 * fhirXmlToJson('<Appointment xmlns="http://hl7.org/fhir"><status value="booked"/></Appointment>');
 * // { resourceType: "Appointment", status: "booked" }
 * ```
 */
export function fhirXmlToJson(text: string): Json {
  return resourceJson(parseXml(text.trim()));
}
