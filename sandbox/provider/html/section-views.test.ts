import assert from "node:assert/strict";
import type { ClinicalRecord } from "../clinical/clinical-record-types.ts";
import { emptyRecord } from "../clinical/records/empty-record.ts";
import { fhirDateSpan } from "../fhir-date-span.ts";
import { patientByRole } from "../../pds/fixture-patients.ts";
import { practiceData } from "../practice/practice-data.ts";
import type { TimePeriod } from "./care-record-request.ts";
import { type RecordSectionCode, recordSections } from "./record-sections.ts";
import { sectionXhtml } from "./section-view.ts";
import { recordSectionView } from "./section-views.ts";
import { sampleRecord } from "./sample-record.ts";

const now = new Date("2025-01-15T10:00:00Z");
const allowedTags = new Set([
  "div",
  "h1",
  "h2",
  "p",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
]);

function html(code: RecordSectionCode, record: ClinicalRecord, period?: TimePeriod): string {
  return sectionXhtml(recordSectionView(recordSections[code], {
    record,
    patient: patientByRole("rich-record"),
    practice: practiceData,
    now,
    period,
    dateBanners: false,
  }));
}

/** Well-formed, and only the tags the narrative rules allow. */
function assertSafeXhtml(text: string) {
  assert.ok(text.startsWith('<div xmlns="http://www.w3.org/1999/xhtml">'));
  assert.doesNotMatch(text, /[\n\r\t]/);
  assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot);)/);
  assert.doesNotMatch(text, /\son[a-z]+=/);
  const stack: string[] = [];
  for (const [tag, close, name] of text.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    assert.ok(allowedTags.has(name!), name);
    if (close) assert.equal(stack.pop(), name, tag);
    else stack.push(name!);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(text.replace(/<[^>]*>/g, ""), /[<>]/);
}

const span = (text: string) => fhirDateSpan(text)!;

Deno.test("views: every section is safe XHTML, with our text escaped", () => {
  for (const code of Object.keys(recordSections) as RecordSectionCode[]) {
    assertSafeXhtml(html(code, sampleRecord(now)));
    assertSafeXhtml(html(code, emptyRecord("9690937286")));
  }
  assert.match(
    html("ENC", sampleRecord(now)),
    /<td>Surgery &lt;consultation&gt; &amp; review<\/td>/,
  );
  assert.match(html("OBS", sampleRecord(now)), /<td>Tab here newline<\/td>/);
});

Deno.test("views: single tables, newest first, confidential items excluded with a banner", () => {
  const enc = html("ENC", sampleRecord(now));
  assert.match(
    enc,
    /^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml"><h1>Encounters<\/h1><div class="date-banner"><p>All relevant items<\/p><\/div><div class="exclusion-banner"><p>Items excluded due to confidentiality and\/or patient preferences<\/p><\/div><table id="enc-tab"><thead><tr><th>Date<\/th><th>Title<\/th><th>Details<\/th><\/tr><\/thead>/,
  );
  const dates = [...enc.matchAll(/<td class="date-column">([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(dates, ["12-Dec-2023", "07-Nov-2022", "03-Oct-2021"]);
  assert.doesNotMatch(enc, /Topic 4/);
});

Deno.test("views: the period filters rows and its banner says which period", () => {
  const both = html("ENC", sampleRecord(now), { start: span("2022"), end: span("2023-06") });
  assert.match(
    both,
    /<div class="date-banner"><p>For the period '01-Jan-2022' to '30-Jun-2023'<\/p><\/div>/,
  );
  assert.deepEqual([...both.matchAll(/<td class="date-column">([^<]*)<\/td>/g)].map((m) => m[1]), [
    "07-Nov-2022",
  ]);
  assert.match(
    html("ENC", sampleRecord(now), { start: span("2014-02") }),
    /<p>Data items from '01-Feb-2014'<\/p>/,
  );
  assert.match(
    html("ENC", sampleRecord(now), { end: span("2016-02") }),
    /<p>Data items until '29-Feb-2016'<\/p>/,
  );
  const none = html("CLI", sampleRecord(now), {
    start: span("2014-05-03"),
    end: span("2015-04-30"),
  });
  assert.match(none, /<p>For the period '03-May-2014' to '30-Apr-2015'<\/p>/);
  assert.match(
    none,
    /<h1>Clinical Items<\/h1>.*<p>No 'Clinical Items' data is recorded for this patient\.<\/p>/,
  );
  assert.doesNotMatch(none, /<table/);
  assert.match(
    html("REF", sampleRecord(now), { start: span("2024-12-20T00:00:00Z") }),
    /<td>Urgent<\/td>/,
  );
  assert.match(html("ADM", sampleRecord(now), { start: span("2025-02") }), /Asthma review/);
  assert.match(html("OBS", sampleRecord(now), { end: span("2024") }), /No 'Observations' data/);
  assert.match(html("INV", sampleRecord(now)), /Cholesterol: 6\.1 mmol\/L \(range &lt;5\.0\) high/);
});

Deno.test("views: Medications tables, grouping and the date filter per subsection", () => {
  const med = html("MED", sampleRecord(now), { start: span("2024-12"), end: span("2025") });
  for (
    const title of [
      "Acute Medication (Last 12 Months)",
      "Current Repeat Medication",
      "Discontinued Repeat Medication",
    ]
  ) {
    assert.ok(
      med.includes(`<h2>${title}</h2><div class="date-banner"><p>Date filter not applied</p>`),
      title,
    );
  }
  for (const title of ["All Medication", "All Medication Issues"]) {
    assert.ok(
      med.includes(
        `<h2>${title}</h2><div class="date-banner"><p>For the period '01-Dec-2024' to '31-Dec-2025'</p>`,
      ),
      title,
    );
  }
  assert.deepEqual([...med.matchAll(/<table id="([^"]+)"/g)].map((m) => m[1]), [
    "med-tab-acu-med",
    "med-tab-curr-rep",
    "med-tab-dis-rep",
    "med-tab-all-sum",
    "med-tab-all-iss",
  ]);
  assert.ok(
    med.includes(
      '<div class="content-banner"><p>All repeat medication ended by a clinician action</p></div>',
    ),
  );
  const allIssues = med.slice(med.indexOf('<table id="med-tab-all-iss"'));
  assert.match(
    allIssues,
    /<tbody><tr><td class="med-item-column" colspan="7">Amlodipine 5mg tablets<\/td><\/tr><tr><td>Repeat<\/td><td class="date-column">16-Dec-2024<\/td><td>Amlodipine 5mg tablets<\/td>/,
  );
  assert.doesNotMatch(allIssues, /Ibuprofen|Amoxicillin/);
  const unfiltered = html("MED", sampleRecord(now));
  const allSum = unfiltered.slice(
    unfiltered.indexOf('<table id="med-tab-all-sum"'),
    unfiltered.indexOf('<table id="med-tab-all-iss"'),
  );
  assert.deepEqual(
    [...allSum.matchAll(/med-item-column" colspan="9">([^<]*)</g)].map((m) => m[1]),
    [
      "Amlodipine 5mg tablets",
      "Amoxicillin 500mg capsules",
      "Ibuprofen 400mg tablets",
    ],
  );
  assert.match(
    allSum,
    /<td class="date-column">21-Apr-2022<\/td><td>Amlodipine 5mg tablets<\/td><td>One daily<\/td><td>28 tablet<\/td><td class="date-column">16-Dec-2024<\/td><td>2<\/td>/,
  );
  assert.match(allSum, /07-Nov-2022; Gastric irritation/);
});

Deno.test("views: Problems filter only the inactive tables", () => {
  const prb = html("PRB", sampleRecord(now), { start: span("2024") });
  assert.ok(
    prb.includes(
      '<h2>Active Problems and Issues</h2><div class="date-banner"><p>Date filter not applied</p>',
    ),
  );
  assert.ok(
    prb.includes(
      "<h2>Major Inactive Problems and Issues</h2><div class=\"date-banner\"><p>Data items from '01-Jan-2024'</p>",
    ),
  );
  assert.match(prb, /No 'Major Inactive Problems and Issues' data is recorded/);
  assert.match(prb, /<table id="prb-tab-othinact">.*Sprain/);
  assert.match(prb, /<table id="prb-tab-act">.*Asthma/);
});

Deno.test("views: Allergies, Immunisations and Summary carry no date banner", () => {
  const all = html("ALL", sampleRecord(now));
  assert.doesNotMatch(all, /date-banner/);
  assert.ok(
    all.includes(
      "<h2>Current Allergies and Adverse Reactions</h2><div class=\"content-banner\"><p>No known allergies recorded</p></div><div><p>No 'Current Allergies and Adverse Reactions' data is recorded for this patient.</p></div>",
    ),
  );
  assert.match(
    all,
    /<table id="all-tab-hist">.*<td class="date-column">09-May-2011<\/td><td class="date-column">21-Apr-2022<\/td>/,
  );
  const imm = html("IMM", sampleRecord(now));
  assert.doesNotMatch(imm, /date-banner/);
  assert.match(imm, /<td>Not given: Patient declined<\/td>/);
  const sum = html("SUM", sampleRecord(now));
  assert.doesNotMatch(sum, /date-banner/);
  assert.deepEqual([...sum.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]), [
    "Last 3 Encounters",
    "Active Problems and Issues",
    "Major Inactive Problems and Issues",
    "Current Allergies and Adverse Reactions",
    "Acute Medication (Last 12 Months)",
    "Current Repeat Medication",
  ]);
  const encounters = sum.slice(sum.indexOf("enc-tab"), sum.indexOf("prb-tab-act"));
  assert.equal([...encounters.matchAll(/<tr><td class="date-column">/g)].length, 3);
});

Deno.test("views: an empty record says so in every table", () => {
  const empty = emptyRecord("9690937278");
  for (const code of ["ADM", "CLI", "ENC", "IMM", "INV", "OBS", "REF"] as const) {
    const title = recordSections[code].title;
    assert.match(
      html(code, empty),
      new RegExp(`<h1>${title}</h1>.*<p>No '${title}' data is recorded for this patient\\.</p>`),
    );
  }
  const med = html("MED", empty);
  for (
    const title of [
      "Acute Medication (Last 12 Months)",
      "Current Repeat Medication",
      "Discontinued Repeat Medication",
      "All Medication",
      "All Medication Issues",
    ]
  ) {
    assert.ok(med.includes(`<p>No '${title}' data is recorded for this patient.</p>`), title);
  }
});

Deno.test("views: a record in transit carries the GP transfer banner under the title", () => {
  const record = { ...sampleRecord(now), inTransit: true, inTransitSince: "2024-12-25" };
  for (const code of ["SUM", "ENC", "MED"] as const) {
    assert.ok(
      html(code, record).includes(
        `<h1>${
          recordSections[code].title
        }</h1><div class="gptransfer-banner"><p>Patient record transfer from previous GP Practice not yet complete; any information recorded before '25-Dec-2024' has been excluded</p></div>`,
      ),
      code,
    );
  }
  assert.doesNotMatch(html("ENC", sampleRecord(now)), /gptransfer-banner/);
});

Deno.test("views: Patient Details shows the demographics", () => {
  const pat = html("PAT", emptyRecord("9690937286"));
  assert.match(pat, /<table id="pat-tab">/);
  assert.match(
    pat,
    /<td>Mr Horace SKELLY<\/td><td class="date-column">03-Feb-1942<\/td><td>Male<\/td><td>969 093 7286<\/td>/,
  );
  assert.doesNotMatch(pat, /date-banner/);
});
