import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import type {
  AssertionResult,
  Exchange,
  PreflightSummary,
  RunIdentity,
  RunReport,
  TestResult,
  Totals,
  ValidationMessage,
} from "../model.ts";
import { jsonReport, readReportSchema, REPORT_SCHEMA_ID } from "./json-report.ts";
import { SAMPLE_SECRETS, SAMPLE_TOTALS, sampleReport } from "./testing/sample-report.ts";

type Schema = Record<string, unknown>;
const schema = await readReportSchema();
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const ajv = new Ajv2020({ strict: true, allErrors: true, formats: { "date-time": DATE_TIME } });
const validate = ajv.compile(schema);

function check(value: unknown): string[] {
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** A report using every optional field of the model. */
function maximal(): RunReport {
  const base = sampleReport();
  const exchange: Exchange = {
    step: "book",
    request: {
      method: "POST",
      url: "https://p/x",
      headers: { A: "b" },
      body: "{}",
      jwt: [1, "two", null],
    },
    response: { status: 201, headers: {}, body: "" },
    error: "late reset",
    startedAt: "2025-01-06T09:00:01+01:00",
    latencyMs: 0,
  };
  const result: TestResult = {
    ...base.results[0]!,
    reason: "why",
    assertions: [{ description: "d", passed: false, requirement: "R", message: "m", step: "book" }],
    validation: [{
      severity: "warning",
      path: "p",
      message: "m",
      rule: "binding",
      profile: "https://x",
    }],
    exchanges: [exchange],
  };
  return { ...base, results: [result], target: { ...base.target, sspPrefix: "https://ssp/" } };
}

Deno.test("report-schema.json: a valid draft 2020-12 schema (Ajv strict mode) with the documented $id", () => {
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.$id, REPORT_SCHEMA_ID);
});

Deno.test("jsonReport: the sample report and a report using every optional field validate", () => {
  const sample = JSON.parse(jsonReport(sampleReport()));
  assert.deepEqual(check(sample), []);
  assert.deepEqual(sample.totals, SAMPLE_TOTALS);
  assert.deepEqual(check(JSON.parse(jsonReport(maximal()))), []);
  assert.ok(jsonReport(sampleReport()).endsWith("}\n"));
});

Deno.test("jsonReport: redacted; it is the RunReport object otherwise", () => {
  const text = jsonReport(sampleReport());
  for (const secret of SAMPLE_SECRETS) assert.ok(!text.includes(secret), `leaked ${secret}`);
  const parsed = JSON.parse(text) as RunReport;
  const original = sampleReport();
  assert.deepEqual(Object.keys(parsed), Object.keys(original));
  assert.deepEqual(parsed.results.map((r) => r.id), original.results.map((r) => r.id));
  assert.deepEqual(parsed.coverage, original.coverage);
});

Deno.test("report schema: rejects wrong versions, statuses, missing and unknown fields", () => {
  const good = JSON.parse(jsonReport(sampleReport()));
  // deno-lint-ignore no-explicit-any -- free-form edits of parsed JSON
  const mutate = (f: (r: Record<string, any>) => void) => {
    const copy = structuredClone(good);
    f(copy);
    return check(copy);
  };
  assert.notDeepEqual(mutate((r) => (r.schemaVersion = 2)), []);
  assert.notDeepEqual(mutate((r) => (r.results[0].status = "passed")), []);
  assert.notDeepEqual(mutate((r) => delete r.results[0].assertions), []);
  assert.notDeepEqual(mutate((r) => (r.results[0].exchanges[0].extra = 1)), []);
  assert.notDeepEqual(mutate((r) => (r.totals.tests = -1)), []);
  assert.notDeepEqual(mutate((r) => (r.startedAt = "yesterday")), []);
  assert.notDeepEqual(mutate((r) => (r.results[0].product = "pharmacy")), []);
});

/** Every object schema's property names, by JSON pointer-ish path, after following `$ref`s. */
function resolve(s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref !== "string") return s;
  const name = ref.replace("#/$defs/", "");
  return (schema.$defs as Record<string, Schema>)[name] as Schema;
}
function props(s: Schema, ...path: string[]): string[] {
  let node = resolve(s);
  for (const p of path) {
    const next = (node.properties as Record<string, Schema>)[p] as Schema;
    node = resolve(next.type === "array" ? (next.items as Schema) : next);
  }
  return Object.keys(node.properties as object).sort();
}
const keys = <T>(k: Record<keyof T, true>) => Object.keys(k).sort();

Deno.test("report schema: documents exactly the fields of the model (compile-time key lists)", () => {
  const t = true as const;
  assert.deepEqual(
    props(schema),
    keys<RunReport>({
      schemaVersion: t,
      tool: t,
      startedAt: t,
      finishedAt: t,
      runClock: t,
      target: t,
      selection: t,
      identity: t,
      totals: t,
      byProduct: t,
      coverage: t,
      results: t,
    }),
  );
  assert.deepEqual(props(schema, "tool"), keys<RunReport["tool"]>({ name: t, version: t }));
  assert.deepEqual(
    props(schema, "target"),
    keys<RunReport["target"]>({ kind: t, description: t, roots: t, sspPrefix: t }),
  );
  assert.deepEqual(
    props(schema, "coverage"),
    keys<RunReport["coverage"]>({
      requirements: t,
      verified: t,
      failed: t,
      notRun: t,
      untested: t,
      unverified: t,
    }),
  );
  assert.deepEqual(
    props(schema, "totals"),
    keys<Totals>({
      tests: t,
      passed: t,
      failed: t,
      errored: t,
      skipped: t,
      notRun: t,
      inconclusive: t,
    }),
  );
  assert.deepEqual(
    props(schema, "identity"),
    keys<RunIdentity>({
      odsCode: t,
      sspFrom: t,
      sspTo: t,
      fixtures: t,
      profiles: t,
      preflight: t,
      insecure: t,
      clockGiven: t,
      harness: t,
      evidence: t,
    }),
  );
  assert.deepEqual(
    props(schema, "identity", "preflight"),
    keys<PreflightSummary>({
      outcome: t,
      searches: t,
      roles: t,
      notReady: t,
      warnings: t,
      stopped: t,
      keepGoing: t,
    }),
  );
  assert.deepEqual(
    props(schema, "results"),
    keys<TestResult>({
      id: t,
      title: t,
      product: t,
      interaction: t,
      tags: t,
      requirements: t,
      status: t,
      reason: t,
      assertions: t,
      validation: t,
      exchanges: t,
      startedAt: t,
      durationMs: t,
      detail: t,
      passedChecks: t,
      omittedMessages: t,
    }),
  );
  assert.deepEqual(
    props(schema, "results", "assertions"),
    keys<AssertionResult>({ description: t, passed: t, requirement: t, message: t, step: t }),
  );
  assert.deepEqual(
    props(schema, "results", "validation"),
    keys<ValidationMessage>({ severity: t, path: t, message: t, rule: t, profile: t }),
  );
  assert.deepEqual(
    props(schema, "results", "exchanges"),
    keys<Exchange>({ step: t, request: t, response: t, error: t, startedAt: t, latencyMs: t }),
  );
  assert.deepEqual(
    props(schema, "results", "exchanges", "request"),
    keys<Exchange["request"]>({ method: t, url: t, headers: t, body: t, jwt: t }),
  );
  assert.deepEqual(
    props(schema, "results", "exchanges", "response"),
    keys<NonNullable<Exchange["response"]>>({ status: t, headers: t, body: t }),
  );
});

Deno.test("report schema: every property and definition has a description", () => {
  const missing: string[] = [];
  const walk = (s: Schema, where: string) => {
    for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      const described = typeof sub.description === "string" ||
        typeof resolve(sub).description === "string";
      if (!described) missing.push(`${where}.${name}`);
      walk(sub, `${where}.${name}`);
      if (sub.items) walk(sub.items as Schema, `${where}.${name}[]`);
    }
  };
  walk(schema, "$");
  for (const [name, def] of Object.entries(schema.$defs as Record<string, Schema>)) {
    if (typeof def.description !== "string") missing.push(`$defs.${name}`);
    walk(def, `$defs.${name}`);
  }
  assert.deepEqual(missing, []);
});
