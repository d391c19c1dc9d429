import assert from "node:assert/strict";
import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
import { workflowFilter } from "./workflow-filter.ts";

Deno.test("workflow_filter: the six forms", () => {
  const ids = ["GPCONNECT_SEND_DOCUMENT", "GPCONNECT_SEND_DOCUMENT_ACK", "GPFED_CONSULT_REPORT"];
  const apply = (f: string) => ids.filter(workflowFilter(f) ?? (() => true));
  assert.deepEqual(apply("GPCONNECT_SEND_DOCUMENT"), ["GPCONNECT_SEND_DOCUMENT"]);
  assert.deepEqual(apply("!GPCONNECT_SEND_DOCUMENT"), ids.slice(1));
  assert.deepEqual(apply("GPCONNECT*"), ids.slice(0, 2));
  assert.deepEqual(apply("!GPCONNECT*"), ["GPFED_CONSULT_REPORT"]);
  assert.deepEqual(apply("*_ACK*"), ["GPCONNECT_SEND_DOCUMENT_ACK"]);
  assert.deepEqual(apply("!*_ACK*"), ["GPCONNECT_SEND_DOCUMENT", "GPFED_CONSULT_REPORT"]);
  assert.equal(workflowFilter(" "), undefined);
});

Deno.test("inbox pages with max_results and a root-relative links.next; v1 pages by last id", async () => {
  const world = createMeshWorld();
  const sent: string[] = [];
  for (let i = 0; i < 23; i++) {
    sent.push(await sendOne(world, `m${i}`));
    world.clock.advance(1);
  }
  const seen: string[] = [];
  let path: string | undefined = "/messageexchange/B82617OT1/inbox?max_results=10";
  for (let page = 0; path && page < 5; page++) {
    const response: Response = await world.request("B82617OT1", path);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/vnd.mesh.v2+json");
    const body = await response.json();
    assert.equal(body.approx_inbox_count, 23);
    assert.ok(body.links.self.startsWith("/messageexchange/B82617OT1/inbox"));
    seen.push(...body.messages);
    path = body.links.next;
    if (path) {
      assert.match(path, /^\/messageexchange\/B82617OT1\/inbox\?max_results=10&continue_from=/);
    }
  }
  assert.deepEqual(seen, sent);
  const v1 = await world.request(
    "B82617OT1",
    `/messageexchange/B82617OT1/inbox?max_results=10&continue_from=${sent[19]}`,
    {
      headers: { accept: "application/json" },
    },
  );
  assert.deepEqual(await v1.json(), { messages: sent.slice(20) });
});

Deno.test("inbox filters by workflow and lists only accepted messages", async () => {
  const world = createMeshWorld();
  const doc = await sendOne(world, "d");
  const upd = await sendOne(world, "u", { "Mex-WorkflowID": "GPCONNECT_UPDATE_RECORD" });
  const ack = await sendOne(world, "a", {
    "Mex-To": "A11111OT1",
    "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT_ACK",
  }, "B82617OT1");
  const list = async (mailbox: string, filter: string) =>
    (await (await world.request(
      mailbox,
      `/messageexchange/${mailbox}/inbox?workflow_filter=${encodeURIComponent(filter)}`,
    )).json()).messages;
  assert.deepEqual(await list("B82617OT1", "GPCONNECT_UPDATE_RECORD"), [upd]);
  assert.deepEqual(await list("B82617OT1", "!*UPDATE*"), [doc]);
  assert.deepEqual(await list("A11111OT1", "*_ACK*"), [ack]);
  await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${doc}/status/acknowledged`, {
    method: "PUT",
  });
  assert.deepEqual(await list("B82617OT1", "GPCONNECT*"), [upd]);
});

Deno.test("inbox parameter errors are 400", async () => {
  const world = createMeshWorld();
  for (
    const query of [
      "max_results=9",
      "max_results=5001",
      "max_results=ten",
      "continue_from=short",
      "workflow_filter=X",
      "continue_from=" + "x".repeat(30),
    ]
  ) {
    const response = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox?${query}`);
    assert.equal(response.status, 400, query);
    assert.ok((await response.json()).detail);
  }
});

Deno.test("count: v2 {count}, v1 adds internalID and allResultsIncluded", async () => {
  const world = createMeshWorld();
  await sendOne(world, "x");
  await sendOne(world, "y");
  const v2 = await world.request("B82617OT1", "/messageexchange/B82617OT1/count");
  assert.deepEqual(await v2.json(), { count: 2 });
  const v1 = await (await world.request("B82617OT1", "/messageexchange/B82617OT1/count", {
    headers: { accept: "application/json" },
  })).json();
  assert.equal(v1.count, 2);
  assert.equal(v1.allResultsIncluded, true);
  assert.equal(typeof v1.internalID, "string");
});
