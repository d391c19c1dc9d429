import assert from "node:assert/strict";
import type { ValidationMessage } from "../model.ts";
import {
  applyAllowList,
  defaultAllowListUrl,
  filterMessages,
  groupMessages,
  loadAllowList,
  normalisePath,
  parseAllowList,
  pathGlob,
} from "./message-filter.ts";

const bundleProfile = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1";
const m = (
  severity: ValidationMessage["severity"],
  rule: string,
  path: string,
  message = "x",
  profile = bundleProfile,
): ValidationMessage => ({ severity, rule, path, message, profile });

const messages = [
  m("information", "binding", "Bundle.entry[0].resource.telecom[0].use", "not checked"),
  m("error", "cardinality", "Bundle.entry[0].search", "search is not allowed"),
  m("error", "cardinality", "Bundle.entry[1].search", "search is not allowed"),
  m("warning", "binding", "Bundle.entry[1].resource.telecom[0].use", "not in ValueSet"),
  m("error", "unknown-element", "Bundle.colour"),
];

Deno.test("normalisePath drops indexes", () => {
  assert.equal(
    normalisePath("Bundle.entry[12].resource.name[0].given[1]"),
    "Bundle.entry.resource.name.given",
  );
});

Deno.test("groupMessages: by rule, profile and path, most severe first, with counts", () => {
  const groups = groupMessages(messages);
  assert.deepEqual(groups.map((g) => [g.severity, g.rule, g.path, g.count]), [
    ["error", "cardinality", "Bundle.entry.search", 2],
    ["error", "unknown-element", "Bundle.colour", 1],
    ["warning", "binding", "Bundle.entry.resource.telecom.use", 2],
  ]);
  assert.deepEqual(groups[2]?.messages, ["not checked", "not in ValueSet"]);
});

Deno.test("filterMessages: severity, rule and path glob", () => {
  assert.equal(filterMessages(messages, { severity: "error" }).length, 3);
  assert.equal(
    filterMessages(messages, { severity: ["error", "warning"], rule: "binding" }).length,
    1,
  );
  assert.equal(filterMessages(messages, { path: "Bundle.entry.*" }).length, 2);
  assert.equal(filterMessages(messages, { path: "Bundle.**.use" }).length, 2);
  assert.equal(filterMessages(messages, { path: "*.colour", rule: ["unknown-element"] }).length, 1);
});

Deno.test("pathGlob: * stays within a segment, ** crosses them, ? is one character", () => {
  assert.ok(pathGlob("Bundle.*.search").test("Bundle.entry.search"));
  assert.ok(!pathGlob("Bundle.*").test("Bundle.entry.search"));
  assert.ok(pathGlob("Bundle.**").test("Bundle.entry.search"));
  assert.ok(pathGlob("Bundle.t?tal").test("Bundle.total"));
  assert.ok(!pathGlob("Bundle.total").test("BundleXtotal"), "dots are literal");
});

Deno.test("applyAllowList: allowed, kept and unused entries; profile narrows", () => {
  const entries = parseAllowList([
    { rule: "cardinality", path: "Bundle.entry.search", profile: bundleProfile, reason: "why" },
    { rule: "cardinality", path: "Bundle.total", reason: "never matches" },
    { rule: "unknown-element", path: "Bundle.colour", profile: "https://other", reason: "other" },
  ]);
  const result = applyAllowList(messages, entries);
  assert.equal(result.allowed.length, 2);
  assert.equal(result.kept.length, 3);
  assert.deepEqual(result.unused.map((e) => e.path), ["Bundle.total", "Bundle.colour"]);
});

Deno.test("parseAllowList: rule, path and reason are required; nothing else is allowed", () => {
  assert.throws(() => parseAllowList({}), /must be a JSON array/);
  assert.throws(() => parseAllowList([{ rule: "x", path: "y" }]), /\[0\]: needs non-empty/);
  assert.throws(() => parseAllowList([{ rule: "x", path: "y", reason: " " }]), /needs non-empty/);
  assert.throws(
    () => parseAllowList([{ rule: "x", path: "y", reason: "z", severity: "error" }]),
    /unknown property severity/,
  );
});

Deno.test("the suite's allow-list file is well formed and every entry has a reason", async () => {
  const entries = await loadAllowList(defaultAllowListUrl);
  for (const entry of entries) assert.ok(entry.reason.length >= 20, entry.path);
});
