/**
 * `GET /endpointlookup/{odsCode}/{workflowId}` and `GET /workflowsearch/{workflowId}` (mesh.md §1
 * #11–12, §9): which mailboxes receive a workflow, for an ODS code (matched case-sensitively) or
 * anywhere. No authentication, like MESH's sandbox. v2 `{results: [{mailbox_id, mailbox_name}]}`;
 * v1 `{query_id, results: [{address, description, endpoint_type: "MESH"}]}`; both
 * `application/json`; nothing found is 200 with no results.
 *
 * @module
 */
import type { Context } from "hono";
import type { MeshMailbox } from "./mesh-config.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";

function results(c: Context<MeshEnv>, mailboxes: readonly MeshMailbox[]): Response {
  if (c.get("apiVersion") >= 2) {
    return c.json({
      results: mailboxes.map((m) => ({ mailbox_id: m.id, mailbox_name: m.name })),
    });
  }
  return c.json({
    query_id: c.get("requestId"),
    results: mailboxes.map((m) => ({ address: m.id, description: m.name, endpoint_type: "MESH" })),
  });
}

/**
 * The handler of endpoint lookup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld } from "./mesh-test-kit.ts";
 * // createMeshApp registers it (no token): app.get("/endpointlookup/:odsCode/:workflowId", …)
 * const world = createMeshWorld();
 * const response = await world.app.request(
 *   "/messageexchange/endpointlookup/B82617/GPCONNECT_SEND_DOCUMENT",
 * );
 * assert.equal(response.status, 200);
 * ```
 */
export function endpointLookup(services: MeshServices) {
  return (c: Context<MeshEnv>): Response => {
    const odsCode = c.req.param("odsCode")?.trim() ?? "";
    const workflowId = c.req.param("workflowId")?.trim() ?? "";
    if (odsCode === "" || workflowId === "") {
      throw MeshError.plain(400, "ODS code and workflow id are required");
    }
    c.get("audit").workflowId = workflowId;
    return results(c, services.directory.receiversFor(odsCode, workflowId));
  };
}

/**
 * The handler of workflow search.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld } from "./mesh-test-kit.ts";
 * // createMeshApp registers it (no token needed): app.get("/workflowsearch/:workflowId", …)
 * const world = createMeshWorld();
 * const response = await world.app.request(
 *   "/messageexchange/workflowsearch/GPCONNECT_SEND_DOCUMENT",
 * );
 * assert.equal(response.status, 200);
 * ```
 */
export function workflowSearch(services: MeshServices) {
  return (c: Context<MeshEnv>): Response => {
    const workflowId = c.req.param("workflowId")?.trim() ?? "";
    if (workflowId === "") throw MeshError.plain(400, "Workflow id is required");
    c.get("audit").workflowId = workflowId;
    return results(c, services.directory.receiversOf(workflowId));
  };
}
