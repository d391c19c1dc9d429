import assert from "node:assert/strict";
import { escapeXml, fhirJsonToXml } from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = 'xmlns="http://hl7.org/fhir"';

/**
 * A small well-formedness check: one root element, every start tag closed in order, attribute
 * values quoted, `&` only in references, no `<` in text, and only XML 1.0 characters.
 */
function assertWellFormed(xml: string): void {
  assert.ok(xml.startsWith(DECLARATION), "XML declaration first");
  const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
  assert.ok(!notXmlChar.test(xml), "only XML 1.0 characters");
  const reference = /^&(?:#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/;
  const open: string[] = [];
  let roots = 0;
  let i = DECLARATION.length;
  while (i < xml.length) {
    const ch = xml[i]!;
    if (ch === "&") {
      const match = reference.exec(xml.slice(i));
      assert.ok(match, `bad reference at ${i}`);
      i += match[0].length;
    } else if (ch !== "<") {
      assert.ok(open.length > 0, `text outside the root at ${i}`);
      i++;
    } else {
      const end = xml.indexOf(">", i);
      assert.ok(end > i, `unterminated tag at ${i}`);
      const tag = xml.slice(i + 1, end);
      const closing = tag.startsWith("/");
      const selfClosing = tag.endsWith("/");
      const body = tag.slice(closing ? 1 : 0, selfClosing ? -1 : undefined);
      const name = /^[A-Za-z_][\w.-]*/.exec(body)?.[0];
      assert.ok(name, `tag name at ${i}: <${tag}>`);
      const attributes = body.slice(name.length);
      assert.match(attributes, /^(?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*\s*$/, `<${tag}>`);
      for (const amp of attributes.matchAll(/&/g)) {
        assert.ok(reference.test(attributes.slice(amp.index)), `reference in <${tag}>`);
      }
      if (open.length === 0 && !closing) roots++;
      if (closing) assert.equal(open.pop(), name, `</${name}> closes the open element`);
      else if (!selfClosing) open.push(name);
      i = end + 1;
    }
  }
  assert.deepEqual(open, [], "every element closed");
  assert.equal(roots, 1, "exactly one root element");
}

function xmlOf(resource: Record<string, unknown>): string {
  const xml = fhirJsonToXml(resource);
  assertWellFormed(xml);
  return xml;
}

Deno.test("fhirJsonToXml() writes primitives as value attributes in the FHIR namespace", () => {
  const xml = xmlOf({ resourceType: "Patient", id: "2", active: true, multipleBirthInteger: 2 });
  assert.equal(
    xml,
    `${DECLARATION}<Patient ${NS}><id value="2"/><active value="true"/>` +
      `<multipleBirthInteger value="2"/></Patient>`,
  );
});

Deno.test("fhirJsonToXml() repeats an element for each array item", () => {
  const xml = xmlOf({
    resourceType: "Patient",
    name: [{ family: "Jones", given: ["Claire", "Ann"] }, { family: "Smith" }],
  });
  assert.equal(
    xml,
    `${DECLARATION}<Patient ${NS}><name><family value="Jones"/><given value="Claire"/>` +
      `<given value="Ann"/></name><name><family value="Smith"/></name></Patient>`,
  );
});

Deno.test("fhirJsonToXml() wraps a nested resource in its element (Bundle.entry.resource)", () => {
  const xml = xmlOf({
    resourceType: "Bundle",
    type: "searchset",
    entry: [{ fullUrl: "urn:uuid:1", resource: { resourceType: "Patient", id: "1" } }],
  });
  assert.equal(
    xml,
    `${DECLARATION}<Bundle ${NS}><type value="searchset"/><entry><fullUrl value="urn:uuid:1"/>` +
      `<resource><Patient ${NS}><id value="1"/></Patient></resource></entry></Bundle>`,
  );
});

Deno.test("fhirJsonToXml() puts extension url and element id in attributes, resource id in an element", () => {
  const xml = xmlOf({
    resourceType: "Patient",
    id: "p1",
    extension: [{ url: "https://example.org/ext", valueCode: "x", id: "e1" }],
    modifierExtension: [{ url: "https://example.org/mod", valueBoolean: false }],
    identifier: [{ id: "i1", system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937278" }],
  });
  assert.ok(xml.includes('<id value="p1"/>'), "the resource id is an element");
  assert.ok(
    xml.includes('<extension url="https://example.org/ext" id="e1"><valueCode value="x"/>'),
  );
  assert.ok(xml.includes('<modifierExtension url="https://example.org/mod"><valueBoolean'));
  assert.ok(
    xml.includes(
      '<identifier id="i1"><system value="https://fhir.nhs.uk/Id/nhs-number"/>' +
        '<value value="9690937278"/></identifier>',
    ),
  );
});

Deno.test("fhirJsonToXml() keeps url as an element outside extensions", () => {
  const xml = xmlOf({ resourceType: "Endpoint", telecom: { url: "x" }, address: "https://a" });
  assert.ok(xml.includes('<telecom><url value="x"/></telecom>'));
});

Deno.test("fhirJsonToXml() passes the XHTML narrative div through unchanged", () => {
  const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Fit &amp; well</p><br/></div>';
  const xml = xmlOf({ resourceType: "Composition", text: { status: "generated", div } });
  assert.ok(xml.includes(`<text><status value="generated"/>${div}</text>`));
});

Deno.test("fhirJsonToXml() escapes & < > \" ' in values and attributes", () => {
  const nasty = `a&b<c>d"e'f`;
  const xml = xmlOf({
    resourceType: "OperationOutcome",
    issue: [{ diagnostics: nasty, extension: [{ url: `https://x/?a=1&b="2"` }] }],
  });
  assert.ok(xml.includes('<diagnostics value="a&#38;b&#60;c&#62;d&#34;e&#39;f"/>'));
  assert.ok(xml.includes('<extension url="https://x/?a=1&#38;b=&#34;2&#34;">'));
  assert.ok(!xml.includes(nasty));
});

Deno.test("fhirJsonToXml() keeps tab, newline and carriage return in value attributes", () => {
  // Raw, an XML parser would turn each of them into a space (attribute-value normalisation).
  const xml = xmlOf({ resourceType: "Observation", comment: "line 1\nline 2\r\n\tend" });
  assert.ok(xml.includes('<comment value="line 1&#10;line 2&#13;&#10;&#9;end"/>'), xml);
});

Deno.test("fhirJsonToXml() replaces characters XML 1.0 cannot carry", () => {
  const xml = xmlOf({ resourceType: "Observation", comment: "a\u0000b\u001Fc\uD800d\uFFFEe" });
  assert.ok(xml.includes('<comment value="a\uFFFDb\uFFFDc\uFFFDd\uFFFDe"/>'), xml);
  assert.equal(escapeXml("😀 ok"), "😀 ok", "a surrogate pair is one valid character");
});

Deno.test("fhirJsonToXml() skips null, undefined and _primitive companions", () => {
  const xml = xmlOf({
    resourceType: "Patient",
    gender: null,
    birthDate: undefined,
    active: false,
    _active: { extension: [] },
  });
  assert.equal(xml, `${DECLARATION}<Patient ${NS}><active value="false"/></Patient>`);
});

Deno.test("escapeXml() escapes each markup character as a character reference", () => {
  assert.equal(escapeXml(`&<>"'`), "&#38;&#60;&#62;&#34;&#39;");
  assert.equal(escapeXml("plain text 123"), "plain text 123");
});

Deno.test("assertWellFormed() test helper rejects unbalanced tags, raw & and unquoted attributes", () => {
  for (
    const bad of [
      "<a><b></a></b>",
      "<a>x & y</a>",
      "<a b=c/>",
      "<a/><b/>",
      "<a>\u0001</a>",
      '<a b="1<2"/>',
    ]
  ) {
    assert.throws(() => assertWellFormed(DECLARATION + bad), { name: "AssertionError" }, bad);
  }
});
