import assert from "node:assert/strict";
import { Hono, type MiddlewareHandler } from "hono";
import { findInteraction } from "../../gpconnect/specs.ts";
import { sspAgreementCheck } from "./ssp-authorise.ts";
import { sspMediaTypeCheck } from "./ssp-media-type.ts";
import { established, establishedSoFar, type SspEnv, SspStepOrderError } from "./ssp-state.ts";

const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** An SSP-typed app running `steps` on every path; `onError` keeps what was thrown. */
function chain(...steps: MiddlewareHandler<SspEnv>[]) {
  const thrown: unknown[] = [];
  const app = new Hono<SspEnv>();
  for (const step of steps) app.use("*", step);
  app.get("*", (c) => c.json(establishedSoFar(c)));
  app.onError((error, c) => {
    thrown.push(error);
    return c.text("failed", 500);
  });
  return { app, thrown };
}

Deno.test("established() returns what an earlier step set", async () => {
  const interaction = findInteraction(METADATA)!;
  const { app, thrown } = chain(
    async (c, next) => {
      c.set("sspInteraction", interaction);
      await next();
    },
    async (c, next) => {
      assert.equal(established(c, "sspInteraction"), interaction);
      await next();
    },
  );
  const response = await app.request("/x");
  assert.equal(response.status, 200);
  assert.deepEqual(Object.keys(await response.json()), ["sspInteraction"]);
  assert.deepEqual(thrown, []);
});

Deno.test("a step whose earlier step did not run fails loudly instead of using a default", async () => {
  const cases: Array<[string, MiddlewareHandler<SspEnv>, string]> = [
    ["media type without the interaction", sspMediaTypeCheck(), "sspInteraction"],
    [
      "agreement without the headers",
      sspAgreementCheck({ accreditedSenders: {}, agreements: { "*": ["*"] } }),
      "sspHeaders",
    ],
  ];
  for (const [label, step, missing] of cases) {
    const { app, thrown } = chain(step);
    const response = await app.request("/x", { headers: { Accept: "application/fhir+json" } });
    assert.equal(response.status, 500, label);
    assert.equal(thrown.length, 1, label);
    assert.ok(thrown[0] instanceof SspStepOrderError, label);
    assert.match((thrown[0] as Error).message, new RegExp(missing), label);
  }
});

Deno.test("establishedSoFar() lists only the variables set", async () => {
  const { app } = chain(async (c, next) => {
    c.set("sspStartedAt", 5);
    c.set("sspHeadersSent", { from: "200000000359" });
    await next();
  });
  assert.deepEqual(await (await app.request("/x")).json(), {
    sspStartedAt: 5,
    sspHeadersSent: { from: "200000000359" },
  });
});
