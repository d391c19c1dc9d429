/**
 * Patient-facing cases end to end against the local world's practice, discovered through its SDS
 * as target local does: the scenarios pass, a wrong expectation fails naming its rule, a refused
 * token exchange is an error of the case, a missing side is a skip, and no token reaches evidence.
 */
import assert from "node:assert/strict";
import { startWorld } from "../../sandbox/world.ts";
import { loadRequirements } from "../scenarios/requirements.ts";
import { defaultFixtureManifest } from "../config/fixture-manifest.ts";
import { isProfilesDir, profilesDirFromEnv } from "../config/profiles-dir.ts";
import { evaluateFhirPath, fhirPathHolds } from "../validation/fhirpath-assert.ts";
import { loadProfileValidator } from "../validation/profile-validator.ts";
import { localPfEndpoint } from "./pf-local-target.ts";
import { loadPfScenarioFiles } from "./pf-scenario-loader.ts";
import type { PfScenario } from "./pf-scenario.ts";
import { type PfCaseContext, runPfScenario } from "./run-pf-case.ts";
import type { PfSend } from "./pf-tokens.ts";

const send: PfSend = async (url, request) => {
  const response = await fetch(url, { ...request, redirect: "manual" });
  return { status: response.status, headers: response.headers, body: await response.text() };
};

Deno.test("patient-facing cases against the local world's practice", async (t) => {
  const world = await startWorld({
    ports: { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 },
    dataDir: ":memory:",
    logger: { log() {} },
  });
  try {
    const endpoint = await localPfEndpoint(world, "B82617", send);
    assert.ok(endpoint, "the world's platform has a key the practice trusts");
    // The STU3 profile checks need the GP Connect package; without it they are left out here.
    const profiles = profilesDirFromEnv(Deno.env.toObject(), Deno.cwd());
    const validator = await isProfilesDir(profiles)
      ? await loadProfileValidator(profiles)
      : undefined;
    const context: PfCaseContext = {
      ...(validator ? { validator } : {}),
      endpoint,
      send,
      odsCode: "B82617",
      runClock: new Date(),
      roles: new Map(
        [...defaultFixtureManifest()].map(([role, { nhsNumber }]) => [role, nhsNumber]),
      ),
      fhirPathHolds,
      evaluateFhirPath,
    };
    const requirementIds = new Set((await loadRequirements()).map((r) => r.id));
    const scenarios = (await loadPfScenarioFiles({ requirementIds })).map((scenario) =>
      validator ? scenario : {
        ...scenario,
        steps: scenario.steps.map((step) => ({
          ...step,
          expect: { ...step.expect, validate: false },
        })),
      }
    );
    const byId = (id: string) => scenarios.find((scenario) => scenario.id === id)!;

    await t.step("SDS gives every product root and the authorisation service", () => {
      assert.deepEqual(Object.keys(endpoint.roots).sort(), [
        "access-record",
        "appointments-management",
        "prescriptions",
        "user-permissions",
      ]);
      assert.match(endpoint.authorisationService, /\/B82617\/patient-facing\/oauth2\/token$/);
      assert.equal(endpoint.extraRoles["view-user"], "9690937375");
    });

    await t.step("every scenario passes, and the writing flows pass again", async () => {
      for (
        const scenario of [
          ...scenarios,
          byId("pf.am.book-and-cancel"),
          byId("pf.rx.reorder-duplicate-retry-cancel"),
        ]
      ) {
        const result = await runPfScenario(scenario, context);
        const failures = result.assertions.filter((a) => !a.passed).map((a) =>
          `${a.step}: ${a.description} ${a.message}`
        );
        assert.equal(
          result.status,
          "pass",
          `${scenario.id}: ${result.reason ?? ""} ${failures.join("; ")}`,
        );
        assert.equal(result.product, "patient-facing");
        assert.ok(result.exchanges.length > 0);
        // Evidence never holds a token: no JWT, no access token, Authorization redacted.
        const evidence = JSON.stringify(result.exchanges);
        assert.doesNotMatch(evidence, /eyJ[A-Za-z0-9_-]{8,}\./, scenario.id);
        assert.doesNotMatch(evidence, /"access_token":"(?!\[REDACTED\])/);
        for (const exchange of result.exchanges) {
          const authorization = exchange.request.headers.authorization;
          if (authorization !== undefined) assert.equal(authorization, "Bearer <redacted>");
          assert.equal(
            Object.keys(exchange.request.headers).some((h) => h.startsWith("ssp-")),
            false,
          );
        }
      }
    });

    await t.step("a wrong expectation fails naming its rule; the teardown still runs", async () => {
      const scenario = byId("pf.rx.reorder-duplicate-retry-cancel");
      const wrong: PfScenario = {
        ...scenario,
        steps: scenario.steps.map((step) =>
          step.name === "duplicate" ? { ...step, expect: { ...step.expect, status: 201 } } : step
        ),
      };
      const result = await runPfScenario(wrong, context);
      assert.equal(result.status, "fail");
      assert.ok(result.assertions.some((a) => !a.passed && a.requirement === "PF-RX-DUPLICATE"));
      assert.ok(
        result.exchanges.some((e) => e.step === "teardown:cleanup"),
        "the reorder is cancelled",
      );
      // So the next run can reorder again.
      assert.equal((await runPfScenario(scenario, context)).status, "pass");
    });

    await t.step("a judge that throws ends the case as an error, not the run", async () => {
      const scenario = byId("pf.ar.structured-record");
      const validating: PfScenario = {
        ...scenario,
        steps: scenario.steps.map((step) => ({
          ...step,
          expect: { ...step.expect, validate: true },
        })),
      };
      const faulty = {
        profiles: [],
        validate(): never {
          throw new RangeError("validator fault");
        },
      };
      const result = await runPfScenario(validating, { ...context, validator: faulty });
      assert.equal(result.status, "error");
      assert.match(result.reason ?? "", /cannot judge the response: RangeError: validator fault/);
      assert.ok(result.exchanges.length > 0, "the exchange is kept as evidence");
    });

    await t.step(
      "no patient-facing side is a skip; a refused exchange is an error of the case",
      async () => {
        const skipped = await runPfScenario(byId("pf.ar.structured-record"), {
          ...context,
          endpoint: undefined,
        });
        assert.equal(skipped.status, "skip");
        assert.match(skipped.reason ?? "", /no patient-facing side/);
        const noViewUser = await runPfScenario(byId("pf.rx.view-user-reorder"), {
          ...context,
          endpoint: { ...endpoint, extraRoles: {} },
        });
        assert.equal(noViewUser.status, "skip");
        const strangerClient = await runPfScenario(byId("pf.ar.structured-record"), {
          ...context,
          endpoint: { ...endpoint, clientId: "not-registered-here" },
        });
        assert.equal(strangerClient.status, "error");
        assert.match(strangerClient.reason ?? "", /issued no token .*HTTP 401/);
      },
    );
  } finally {
    await world.close();
  }
});
