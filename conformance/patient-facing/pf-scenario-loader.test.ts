import assert from "node:assert/strict";
import { loadRequirements } from "../scenarios/requirements.ts";
import { ScenarioFileError } from "../scenarios/scenario-loader.ts";
import { loadPfScenarioFiles, parsePfScenarioFile } from "./pf-scenario-loader.ts";
import { pfNamedRequirements } from "./pf-requirements.ts";

const requirementIds = new Set((await loadRequirements()).map((requirement) => requirement.id));

Deno.test("the pf-*.yaml files load: ids pf.*, known roles and requirements, needs from their steps", async () => {
  const scenarios = await loadPfScenarioFiles({ requirementIds });
  assert.ok(scenarios.length >= 25, `${scenarios.length} scenarios`);
  const ids = scenarios.map((scenario) => scenario.id);
  assert.equal(new Set(ids).size, ids.length);
  for (
    const id of [
      "pf.auth.exchange-accepted",
      "pf.auth.unknown-key",
      "pf.ar.structured-record",
      "pf.ar.documents",
      "pf.am.book-and-cancel",
      "pf.binding.appointments-other-patient",
      "pf.headers.missing-request-id",
      "pf.rx.reorder-duplicate-retry-cancel",
      "pf.rx.unknown-focus",
      "pf.rx.view-user-reorder",
      "pf.up.levels",
      "pf.up.invalid-nhs-number",
      "pf.delegated.exchange-accepted",
      "pf.delegated.not-the-proxy",
    ]
  ) assert.ok(ids.includes(id), id);
  // A delegated login is minted on demand (a file of P9 id_tokens cannot make one).
  assert.deepEqual(scenarios.find((s) => s.id === "pf.delegated.not-the-proxy")!.needs, [
    "access-record",
    "minted-id-tokens",
  ]);
  const reorder = scenarios.find((s) => s.id === "pf.rx.reorder-duplicate-retry-cancel")!;
  assert.deepEqual(reorder.needs, ["prescriptions"]);
  assert.equal(
    reorder.steps.find((step) => step.name === "retry")?.request?.requestIdOf,
    "reorder",
  );
  assert.ok(reorder.teardown?.length === 1, "the reorder flow cancels what it made");
  assert.deepEqual(scenarios.find((s) => s.id === "pf.rx.view-user-reorder")!.needs, [
    "prescriptions",
    "view-user",
  ]);
  // The built-in checks' rules are named, so coverage and selection see them.
  const structured = pfNamedRequirements(
    scenarios.find((s) => s.id === "pf.ar.structured-record")!,
  );
  for (const id of ["PF-AR-STRUCTURED", "PF-AR-BUNDLE-ID", "PF-REQUEST-ID", "PF-STU3-PROFILE"]) {
    assert.ok(structured.includes(id), id);
  }
  const refused = pfNamedRequirements(
    scenarios.find((s) => s.id === "pf.headers.missing-request-id")!,
  );
  assert.ok(refused.includes("PF-ERR-OUTCOME"));
});

const step = {
  name: "s",
  request: { api: "access-record", path: "/x", as: "rich-record" },
  expect: { status: 200 },
};
const file = (scenario: Record<string, unknown>) =>
  JSON.stringify({
    product: "patient-facing",
    scenarios: [{
      id: "pf.t.x",
      title: "t",
      requirements: ["PF-AR-STRUCTURED"],
      steps: [step],
      ...scenario,
    }],
  });
const refuses = (source: string, pattern: RegExp) =>
  assert.throws(() => parsePfScenarioFile("pf-t.yaml", source), (error) => {
    assert.ok(error instanceof ScenarioFileError);
    assert.match(error.message, pattern);
    return true;
  });

Deno.test("parsePfScenarioFile refuses what it cannot run, naming the file and scenario", () => {
  refuses(JSON.stringify({ product: "mesh", scenarios: [] }), /product must be patient-facing/);
  refuses(
    file({ steps: [{ ...step, exchange: { patientRole: "rich-record" } }] }),
    /exactly one of exchange and request/,
  );
  refuses(
    file({ steps: [{ ...step, request: { ...step.request, api: "pharmacy" } }] }),
    /api: must be one of/,
  );
  refuses(
    file({ steps: [{ ...step, request: { ...step.request, path: "x" } }] }),
    /must start with \//,
  );
  refuses(
    file({ steps: [{ ...step, expect: { status: 200, bundleIdIsTraceId: true } }] }),
    /bundleIdIsRequestId/,
  );
  refuses(
    file({ steps: [{ ...step, request: { ...step.request, requestIdOf: "later" } }] }),
    /no earlier step later/,
  );
  refuses(
    file({
      steps: [{
        name: "e",
        exchange: { patientRole: "rich-record", assertion: "forged" },
        expect: { status: 200 },
      }],
    }),
    /assertion: must be one of/,
  );
  refuses(file({ steps: [step, step] }), /duplicate step name s/);
  refuses(file({ id: "structured.x" }), /pf\.<area>\.<name>/);
  refuses(file({ surprise: true }), /unknown key/);
  refuses(
    file({ steps: [{ ...step, expect: { status: 200, sameIdAs: "s" } }] }),
    /no earlier step s/,
  );
});

Deno.test("loadPfScenarioFiles refuses unknown roles, unknown requirements and duplicate ids", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-pf-loader-" });
  try {
    await Deno.writeTextFile(
      `${dir}/pf-a.yaml`,
      file({ steps: [{ ...step, request: { ...step.request, as: "nobody" } }] }),
    );
    await assert.rejects(loadPfScenarioFiles({ scenariosDir: dir }), /unknown fixture role nobody/);
    await Deno.writeTextFile(`${dir}/pf-a.yaml`, file({ requirements: ["PF-NOT-A-RULE"] }));
    await assert.rejects(
      loadPfScenarioFiles({ scenariosDir: dir, requirementIds }),
      /unknown requirement PF-NOT-A-RULE/,
    );
    await Deno.writeTextFile(`${dir}/pf-a.yaml`, file({}));
    await Deno.writeTextFile(`${dir}/pf-b.yaml`, file({}));
    await assert.rejects(
      loadPfScenarioFiles({ scenariosDir: dir }),
      /duplicate id \(first in pf-a.yaml\)/,
    );
    await Deno.remove(`${dir}/pf-b.yaml`);
    // Callers that are not fixture roles: no token, a foreign token, the view-level patient.
    await Deno.writeTextFile(
      `${dir}/pf-a.yaml`,
      file({ steps: [{ ...step, request: { ...step.request, as: "view-user" } }] }),
    );
    assert.equal((await loadPfScenarioFiles({ scenariosDir: dir, requirementIds })).length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
