import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import type { GpProviderRouting, RouteGpProvider } from "./gpprovider-routing-types.ts";
import { createMeshWorld, inboxIds, listedBlobStore, sendOne } from "./mesh-test-kit.ts";

const address = "GPPROVIDER_9690937286_19420111_SMITH";

function router(answer: GpProviderRouting, calls: Array<[string, string]> = []): RouteGpProvider {
  return (to, workflowId) => {
    calls.push([to, workflowId]);
    return Promise.resolve(answer);
  };
}

Deno.test("a routed GPPROVIDER send lands in the practice's mailbox, with no patient details anywhere", async () => {
  const calls: Array<[string, string]> = [];
  const world = createMeshWorld({
    routeGpProvider: router({ kind: "routed", mailboxId: "B82617OT1", odsCode: "B82617" }, calls),
  });
  const id = await sendOne(world, "doc", { "Mex-To": address });
  assert.deepEqual(calls, [[address, "GPCONNECT_SEND_DOCUMENT"]]);
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [id]);
  const download = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
  assert.equal(download.headers.get("mex-to"), "B82617OT1");
  await download.body?.cancel();
  const tracking = await (await world.request(
    "A11111OT1",
    `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`,
  )).json();
  assert.equal(tracking.recipient, "B82617OT1");
  assert.equal(tracking.recipient_ods_code, "B82617");
  const stored = JSON.stringify(await world.deps.records.list("mesh:"));
  assert.ok(!stored.includes("9690937286") && !stored.includes("SMITH"));
  assert.ok(!JSON.stringify(world.logs).includes("9690937286"));
});

for (
  const [code, description] of [
    ["EPL-150", "Multiple mailboxes matches"],
    ["EPL-151", "No mailbox matched"],
    ["EPL-152", "Invalid NHS Number"],
    ["EPL-153", "NHS Number not found"],
    ["EPL-154", "NHS Number supplied does not match the demographics"],
  ] as const
) {
  Deno.test(`${code}: 202, the message is in error and a REPORT lands in the sender's inbox`, async () => {
    const world = createMeshWorld({
      routeGpProvider: router({ kind: "failed", code, description }),
    });
    const id = await sendOne(world, "doc", {
      "Mex-To": address,
      "Mex-LocalID": "A11111",
      "Mex-Subject": "Report",
    });
    for (const mailbox of ["B82617OT1", "A20047OT1", "Y88888OT1", "Y88888OT2"]) {
      assert.deepEqual(await inboxIds(world, mailbox), [], mailbox);
    }
    const [reportId, ...more] = await inboxIds(world, "A11111OT1");
    assert.ok(reportId);
    assert.deepEqual(more, []);
    const report = await world.request("A11111OT1", `/messageexchange/A11111OT1/inbox/${reportId}`);
    assert.equal(report.status, 200);
    assert.equal(await report.text(), "");
    const h = report.headers;
    assert.equal(h.get("mex-messagetype"), "REPORT");
    assert.equal(h.get("mex-statuscode"), code);
    assert.equal(h.get("mex-statusevent"), "SEND");
    assert.equal(h.get("mex-statusdescription"), description);
    assert.equal(h.get("mex-statussuccess"), "ERROR");
    assert.equal(h.get("mex-linkedmsgid"), id);
    assert.equal(h.get("mex-from"), null);
    assert.equal(h.get("mex-to"), "A11111OT1");
    assert.equal(h.get("mex-chunk-range"), "1:0");
    assert.equal(h.get("mex-total-chunks"), "0");
    assert.equal(h.get("mex-workflowid"), "GPCONNECT_SEND_DOCUMENT");
    assert.equal(h.get("mex-localid"), "A11111");
    assert.equal(h.get("mex-subject"), "Report");
    const tracking = await (await world.request(
      "A11111OT1",
      `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`,
    )).json();
    assert.equal(tracking.status, "error");
    assert.equal(tracking.status_success, false);
    assert.equal(tracking.status_code, null);
    assert.equal(tracking.recipient, null);
  });
}

Deno.test("a chunked GPPROVIDER send that fails routing still takes every chunk, then reports", async () => {
  const world = createMeshWorld({
    routeGpProvider: router({
      kind: "failed",
      code: "EPL-154",
      description: "NHS Number supplied does not match the demographics",
    }),
  });
  const first = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: {
      "Mex-To": address,
      "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
      "Mex-Chunk-Range": "1:2",
    },
    body: "a",
  });
  const id = (await first.json()).message_id;
  assert.deepEqual(await inboxIds(world, "A11111OT1"), []);
  const second = await world.request("A11111OT1", `/messageexchange/A11111OT1/outbox/${id}/2`, {
    method: "POST",
    headers: { "Mex-Chunk-Range": "2:2" },
    body: "b",
  });
  assert.equal(second.status, 202);
  await second.body?.cancel();
  assert.equal((await inboxIds(world, "A11111OT1")).length, 1);
});

Deno.test("GPPROVIDER on a workflow MESH does not route is 417 code 12; routing is not asked", async () => {
  const calls: Array<[string, string]> = [];
  const world = createMeshWorld({
    routeGpProvider: router({ kind: "routed", mailboxId: "A11111OT1", odsCode: "A11111" }, calls),
  });
  const response = await world.request("B82617OT1", "/messageexchange/B82617OT1/outbox", {
    method: "POST",
    headers: { "Mex-To": address, "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT_ACK" },
    body: "ack",
  });
  assert.equal(response.status, 417);
  assert.equal((await response.json()).detail[0].code, "12");
  assert.deepEqual(calls, []);
});

Deno.test("lower-case gpprovider is not routed (unknown mailbox, 417 code 12)", async () => {
  const calls: Array<[string, string]> = [];
  const world = createMeshWorld({
    routeGpProvider: router({ kind: "routed", mailboxId: "B82617OT1", odsCode: "B82617" }, calls),
  });
  const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: { "Mex-To": address.toLowerCase(), "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT" },
    body: "x",
  });
  assert.equal(response.status, 417);
  await response.body?.cancel();
  assert.deepEqual(calls, []);
});

Deno.test("an empty GPPROVIDER send is refused before routing asks PDS", async () => {
  const calls: Array<[string, string]> = [];
  const world = createMeshWorld({
    routeGpProvider: router({ kind: "routed", mailboxId: "B82617OT1", odsCode: "B82617" }, calls),
  });
  const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: { "Mex-To": address, "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT" },
    body: "",
  });
  assert.equal(response.status, 417);
  await response.body?.cancel();
  assert.deepEqual(calls, []);
});

Deno.test("a router that cannot route (PDS down) answers 503 with Retry-After in MESH's shape, stores nothing, logs once", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({
    blobs,
    routeGpProvider: () =>
      Promise.reject(
        new TypeError("error sending request for url (http://pds/Patient/9690937286)"),
      ),
  });
  for (const accept of ["application/vnd.mesh.v2+json", "application/json"]) {
    const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
      method: "POST",
      headers: {
        "Mex-To": address,
        "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
        "Mex-Chunk-Range": "1:3",
        Accept: accept,
      },
      body: "x",
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get("retry-after"), "30");
    const body = await response.json();
    if (accept.includes("vnd.mesh")) {
      assert.equal(body.detail[0].event, "SEND");
      assert.match(body.detail[0].msg, /GPPROVIDER routing is unavailable.*nothing was stored/);
    } else {
      assert.equal(body.errorEvent, "SEND");
      assert.match(body.errorDescription, /nothing was stored/);
    }
    assert.ok(!JSON.stringify(body).includes("9690937286"));
  }
  const errors = world.logs.filter((l) => l.type === "error");
  assert.equal(errors.length, 2, "one error line per failed send");
  assert.equal(errors[0]?.message, "Error: GPPROVIDER routing failed: TypeError");
  assert.ok(!JSON.stringify(world.logs).includes("9690937286"));
  assert.deepEqual(
    world.logs.filter((l) => l.type === "mesh-audit").map((l) => l.status),
    [503, 503],
  );
  const stored = (await world.deps.records.list("mesh:")).map((r) => r.key);
  assert.deepEqual(stored.filter((key) => !key.startsWith("mesh:replay:")), []);
  assert.deepEqual(blobs.keys(), []);
});

Deno.test("a PDS Retry-After is passed on with the 503", async () => {
  const world = createMeshWorld({
    routeGpProvider: () =>
      Promise.reject(
        GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
          status: 503,
          issueCode: "transient",
          headers: { "Retry-After": "120" },
        }),
      ),
  });
  const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: { "Mex-To": address, "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT" },
    body: "x",
  });
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "120");
  await response.body?.cancel();
  assert.equal(
    world.logs.find((l) => l.type === "error")?.message,
    "Error: GPPROVIDER routing failed: the PDS call failed (503 transient)",
  );
});
