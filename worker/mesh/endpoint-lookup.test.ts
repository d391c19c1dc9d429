import assert from "node:assert/strict";
import { createMeshWorld } from "./mesh-test-kit.ts";
import { defaultMeshConfig } from "./mesh-config.ts";
import { receiversFor } from "./mailbox-directory.ts";

Deno.test("endpoint lookup without authentication: v2 and v1 shapes, case-sensitive ODS", async () => {
  const world = createMeshWorld();
  const v2 = await world.app.request(
    "/messageexchange/endpointlookup/B82617/GPCONNECT_SEND_DOCUMENT",
    {
      headers: { accept: "application/vnd.mesh.v2+json" },
    },
  );
  assert.equal(v2.status, 200);
  assert.match(v2.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await v2.json(), {
    results: [{ mailbox_id: "B82617OT1", mailbox_name: "Practice B82617" }],
  });
  const v1 = await (await world.app.request(
    "/messageexchange/endpointlookup/Y88888/GPCONNECT_SEND_DOCUMENT",
  )).json();
  assert.equal(typeof v1.query_id, "string");
  assert.deepEqual(v1.results.map((r: { address: string }) => r.address), [
    "Y88888OT1",
    "Y88888OT2",
  ]);
  assert.equal(v1.results[0].endpoint_type, "MESH");
  for (
    const path of [
      "b82617/GPCONNECT_SEND_DOCUMENT",
      "Y99999/GPCONNECT_SEND_DOCUMENT",
      "B82617/GPCONNECT_SEND_DOCUMENT_ACK",
    ]
  ) {
    const none = await world.app.request(`/messageexchange/endpointlookup/${path}`, {
      headers: { accept: "application/vnd.mesh.v2+json" },
    });
    assert.deepEqual(await none.json(), { results: [] }, path);
  }
});

Deno.test("workflow search lists every receiver of a workflow", async () => {
  const world = createMeshWorld();
  const response = await world.app.request(
    "/messageexchange/workflowsearch/GPCONNECT_SEND_DOCUMENT",
    {
      headers: { accept: "application/vnd.mesh.v2+json" },
    },
  );
  const ids = (await response.json()).results.map((r: { mailbox_id: string }) => r.mailbox_id);
  assert.deepEqual(ids, ["B82617OT1", "A20047OT1", "Y88888OT1", "Y88888OT2"]);
});

Deno.test("receiversFor: one, none and two mailboxes (the EPL-151/150 cases)", () => {
  const m = defaultMeshConfig.mailboxes;
  assert.deepEqual(receiversFor(m, "B82617", "GPCONNECT_UPDATE_RECORD").map((x) => x.id), [
    "B82617OT1",
  ]);
  assert.deepEqual(receiversFor(m, "Y99999", "GPCONNECT_SEND_DOCUMENT"), []);
  assert.equal(receiversFor(m, "Y88888", "GPCONNECT_SEND_DOCUMENT").length, 2);
});

Deno.test("_ping answers without authentication", async () => {
  const world = createMeshWorld();
  const response = await world.app.request("/messageexchange/_ping");
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    env: "local",
    build_label: "gpc-edge",
    status: "running",
    outcome: "Yes",
  });
});

Deno.test("an unknown MESH route is a 404 in MESH's shape", async () => {
  const world = createMeshWorld();
  const response = await world.app.request("/messageexchange/B82617OT1/nothing/here", {
    headers: { accept: "application/vnd.mesh.v2+json" },
  });
  assert.equal(response.status, 404);
  assert.ok((await response.json()).detail[0].msg);
});
