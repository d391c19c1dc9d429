import assert from "node:assert/strict";
import type { TestCase } from "../model.ts";
import type { MeshEndpoint } from "../mesh/mesh-endpoint.ts";
import { scopeToOpenTarget, scopeToTarget } from "./target-scope.ts";

const scenario = (id: string, product: string) =>
  ({ kind: "scenario", scenario: { id, product }, readOnly: true }) as unknown as TestCase;
const cases = [scenario("a", "foundations"), scenario("b", "mesh"), scenario("c", "messaging")];
const ids = (list: readonly TestCase[]) =>
  list.map((c) => (c as { scenario: { id: string } }).scenario.id);

Deno.test("a default selection keeps to what the configured target serves, with a note", () => {
  const local = scopeToTarget(cases, { target: "local", mesh: {}, selection: {} });
  assert.deepEqual(ids(local.cases), ["a", "b", "c"]);
  assert.equal(local.note, undefined);
  const mesh = scopeToTarget(cases, { target: "mesh", mesh: { url: "https://m" }, selection: {} });
  assert.deepEqual(ids(mesh.cases), ["b", "c"]);
  assert.match(mesh.note!, /no GP Connect roots/);
  const direct = scopeToTarget(cases, { target: "direct", mesh: {}, selection: {} });
  assert.deepEqual(ids(direct.cases), ["a"]);
  assert.match(direct.note!, /--mesh-url/);
  const withMesh = scopeToTarget(cases, {
    target: "ssp",
    mesh: { url: "https://m" },
    selection: {},
  });
  assert.deepEqual(ids(withMesh.cases), ["a", "b", "c"]);
});

Deno.test("named products are never left out: they run and are skipped saying why", () => {
  const named = scopeToTarget(cases, {
    target: "direct",
    mesh: {},
    selection: { products: ["mesh"] },
  });
  assert.deepEqual(ids(named.cases), ["a", "b", "c"]);
  assert.equal(named.note, undefined);
});

Deno.test("an open target without a practice receiver leaves messaging out of a default selection", () => {
  const endpoint = {
    noReceiverReason: "the local world runs no practice MESH receiver",
  } as MeshEndpoint;
  const scoped = scopeToOpenTarget(cases, { mesh: endpoint }, {});
  assert.deepEqual(ids(scoped.cases), ["a", "b"]);
  assert.match(scoped.note!, /messaging product does not run: the local world runs no practice/);
  assert.deepEqual(
    ids(scopeToOpenTarget(cases, { mesh: endpoint }, { products: ["messaging"] }).cases),
    [
      "a",
      "b",
      "c",
    ],
  );
  assert.deepEqual(ids(scopeToOpenTarget(cases, { mesh: {} as MeshEndpoint }, {}).cases), [
    "a",
    "b",
    "c",
  ]);
});
