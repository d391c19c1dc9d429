import assert from "node:assert/strict";
import type { TestCase } from "../model.ts";
import { catalogue } from "./catalogue.ts";
import { responseChecks } from "../checks/response-checks.ts";
import { builtInRequirements } from "../runner/judge.ts";
import { requirementsNamedBy } from "./coverage.ts";
import { describeCase } from "./selection.ts";
import { loadRequirements, loadTestCases } from "./test-cases.ts";

const cases = await loadTestCases();
const ids = cases.map((c) => describeCase(c).id);
const productOf = (c: TestCase) => describeCase(c).product;

Deno.test("the suite reaches the test pack's 1,053 STU3 cases and a DSTU2 HTML set of 150", () => {
  const stu3 = cases.filter((c) => productOf(c) !== "html").length;
  const html = cases.filter((c) => productOf(c) === "html").length;
  assert.ok(stu3 >= 1053, `STU3: ${stu3}`);
  assert.ok(html >= 150, `HTML: ${html}`);
  for (const product of ["foundations", "appointments", "structured", "documents", "html"]) {
    assert.ok(cases.some((c) => productOf(c) === product), product);
  }
});

Deno.test("ids are unique and the order is stable", async () => {
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual((await loadTestCases()).map((c) => describeCase(c).id), ids);
  const firstGenerated = ids.findIndex((id) => /\.(neg|gen)\./.test(id));
  assert.ok(ids.slice(firstGenerated).every((id) => /\.(neg|gen)\./.test(id)));
});

Deno.test("every interaction has a hand-written happy path and the systematic negatives", () => {
  for (const interaction of catalogue) {
    const happy = cases.some((c) => {
      if (c.kind === "mesh" || c.kind === "messaging" || c.kind === "patient-facing") return false;
      const steps = c.kind === "scenario"
        ? [{ request: c.scenario.request, expect: c.scenario.expect }]
        : c.flow.steps;
      return steps.some((step) => {
        const statuses = [step.expect.status].flat();
        return step.request.interaction === interaction.id &&
          statuses.every((status) => status >= 200 && status < 300) &&
          !/\.(neg|gen)\./.test(describeCase(c).id);
      });
    });
    assert.ok(happy, `${interaction.shortName} has no happy path`);
    for (const rule of ["missing-ssp-traceid", "missing-authorization", "jwt-exp-iat-301"]) {
      assert.ok(
        ids.includes(`${interaction.shortName}.neg.${rule}`),
        `${interaction.shortName} ${rule}`,
      );
    }
  }
});

Deno.test("read-only: everything but flows, MESH cases and the data-changing interactions", () => {
  for (const testCase of cases) {
    if (testCase.kind !== "scenario") {
      assert.equal(testCase.readOnly, false);
      continue;
    }
    const changing = /(registerpatient|create:appointment|update:appointment|cancel:appointment)/
      .test(testCase.scenario.request.interaction);
    assert.equal(testCase.readOnly, !changing, testCase.scenario.id);
  }
});

Deno.test("every requirement is named by a case or credited by a built-in check, but the two a black-box HTTP harness cannot reach", async () => {
  const requirements = await loadRequirements();
  // The judge's built-in checks and the response checks credit their own rules on every
  // response they apply to (full-suite.test.ts sees them verified), whatever the case names.
  const builtIn = new Set<string>([
    ...Object.values(builtInRequirements),
    ...responseChecks.map((check) => check.requirement),
  ]);
  const { unnamed } = requirementsNamedBy(requirements, cases);
  // PRV-ACCESS-DENIED needs a practice or capability with GP Connect switched off;
  // PRV-TLS-MA is the TLS layer (client certificates, ciphers), below the HTTP the harness speaks.
  assert.deepEqual(unnamed.filter((id) => !builtIn.has(id)), ["PRV-ACCESS-DENIED", "PRV-TLS-MA"]);
});

Deno.test("every case names only known requirements", async () => {
  const known = new Set((await loadRequirements()).map((r) => r.id));
  for (const testCase of cases) {
    for (const requirement of describeCase(testCase).requirements) {
      assert.ok(known.has(requirement), `${describeCase(testCase).id}: ${requirement}`);
    }
  }
});
