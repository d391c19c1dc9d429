import assert from "node:assert/strict";
import { banner, cell, dateCell, displayDate, escapeText, tableXhtml } from "./xhtml.ts";

Deno.test("escapeText: markup characters are escaped and the text stays on one line", () => {
  assert.equal(escapeText(`Fish & "chips" <b>`), "Fish &amp; &quot;chips&quot; &lt;b&gt;");
  assert.equal(escapeText("a\nb\r\nc\td"), "a b  c d");
  assert.equal(escapeText("bell\u0007 lone\uD800"), "bell\uFFFD lone\uFFFD");
  assert.equal(escapeText("No 'Encounters' data"), "No 'Encounters' data");
});

Deno.test("displayDate: dd-Mmm-yyyy from a date or the UTC date of a date-time", () => {
  assert.equal(displayDate("2014-05-03"), "03-May-2014");
  assert.equal(displayDate("2016-12-31T23:59:59Z"), "31-Dec-2016");
});

Deno.test("tableXhtml: id, plain th headers, date cells and group rows", () => {
  const html = tableXhtml("med-tab-all-iss", ["Type", "Issue Date"], [
    { group: "Amlodipine <5mg>" },
    [cell("Repeat"), dateCell("2024-12-16T09:30:00Z")],
    [cell(undefined), dateCell(undefined)],
  ]);
  assert.equal(
    html,
    '<table id="med-tab-all-iss"><thead><tr><th>Type</th><th>Issue Date</th></tr></thead><tbody>' +
      '<tr><td class="med-item-column" colspan="2">Amlodipine &lt;5mg&gt;</td></tr>' +
      '<tr><td>Repeat</td><td class="date-column">16-Dec-2024</td></tr>' +
      '<tr><td></td><td class="date-column"></td></tr></tbody></table>',
  );
});

Deno.test("banner: a classed or plain div around one paragraph", () => {
  assert.equal(
    banner("date-banner", "All relevant items"),
    '<div class="date-banner"><p>All relevant items</p></div>',
  );
  assert.equal(banner(undefined, "a & b"), "<div><p>a &amp; b</p></div>");
});
