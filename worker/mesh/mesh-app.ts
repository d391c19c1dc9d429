/**
 * `createMeshApp(deps)`: the MESH API v2 mailbox service (mesh.md §1–§4, §9; issue 10) as one
 * Hono sub-app with its own error shape, to be mounted at `/messageexchange`. Routes, relative to
 * the mount point:
 *
 * | Route | Auth | Handler |
 * |---|---|---|
 * | `GET /_ping` | – | liveness |
 * | `GET /endpointlookup/{ods}/{workflow}`, `GET /workflowsearch/{workflow}` | – | endpoint-lookup.ts |
 * | `/admin/…` (only when `config.adminApi`) | – | mesh-admin.ts |
 * | `GET`/`POST /{mailbox}` | NHSMESH | handshake |
 * | `GET /{mailbox}/inbox`, `GET /{mailbox}/count` | NHSMESH | inbox-list.ts |
 * | `GET`/`HEAD /{mailbox}/inbox/{id}[/{chunk}]` | NHSMESH | download-message.ts |
 * | `PUT /{mailbox}/inbox/{id}/status/acknowledged` | NHSMESH | acknowledge-message.ts |
 * | `POST /{mailbox}/outbox`, `POST /{mailbox}/outbox/{id}/{chunk}` | NHSMESH | send-message.ts, upload-chunk.ts |
 * | `GET /{mailbox}/outbox/tracking[?messageID=…│/{localId}]` | NHSMESH | tracking.ts |
 *
 * Every answer is JSON (or a message body); every error is MESH's JSON error shape, never a stack
 * trace; every unexpected exception, and every MESH error answered 5xx, is logged once with the
 * request id, which is also the error's `internal_id`; every request gets one audit line.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { importMeshSharedKey } from "../../gpconnect/mesh/nhsmesh-token.ts";
import { acknowledgeMessage } from "./acknowledge-message.ts";
import { downloadMessage } from "./download-message.ts";
import { endpointLookup, workflowSearch } from "./endpoint-lookup.ts";
import { countInbox, listInbox } from "./inbox-list.ts";
import { createMailboxDirectory } from "./mailbox-directory.ts";
import { meshAdmin } from "./mesh-admin.ts";
import { meshErrorVersion } from "./mesh-api-version.ts";
import { meshAudit } from "./mesh-audit.ts";
import { authenticateMeshRequest, MeshAuthError } from "./mesh-auth.ts";
import type { MeshDeps } from "./mesh-deps.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { meshErrorResponse } from "./mesh-error-response.ts";
import { MeshError } from "./mesh-errors.ts";
import { sendMessage } from "./send-message.ts";
import { trackByLocalId, trackMessage } from "./tracking.ts";
import { uploadChunk } from "./upload-chunk.ts";

export type { MeshEnv } from "./mesh-env.ts";

type Handler = (c: Context<MeshEnv>) => Response | Promise<Response>;

/**
 * Builds the MESH sub-app from its dependencies.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { systemClock } from "../app-deps.ts";
 * import { createMemoryBlobStore } from "../store/memory-blob-store.ts";
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { defaultMeshConfig } from "./mesh-config.ts";
 * const mesh = createMeshApp({
 *   config: defaultMeshConfig,
 *   records: createMemoryRecordsStore(),
 *   blobs: createMemoryBlobStore(),
 *   clock: systemClock,
 *   logger: { log: () => {} },
 *   randomUUID: () => crypto.randomUUID(),
 * });
 * const app = new Hono().route("/messageexchange", mesh);
 * const ping = await app.request("/messageexchange/_ping");
 * ```
 */
export function createMeshApp(deps: MeshDeps): Hono<MeshEnv> {
  const services: MeshServices = {
    ...deps,
    directory: createMailboxDirectory(deps.config.mailboxes),
    sharedKey: importMeshSharedKey(deps.config.sharedKey),
  };
  const app = new Hono<MeshEnv>();
  app.use("*", meshAudit(services));

  /** Names the endpoint for the audit line. */
  const open = (endpoint: string, handler: Handler): Handler => (c) => {
    c.get("audit").endpoint = endpoint;
    return handler(c);
  };
  /** Names the endpoint and authenticates the path's mailbox first. */
  const authed = (endpoint: string, handler: Handler): Handler => async (c) => {
    const audit = c.get("audit");
    audit.endpoint = endpoint;
    const pathMailbox = (c.req.param("mailbox") ?? "").toUpperCase();
    audit.mailbox = pathMailbox;
    try {
      c.set(
        "mailbox",
        await authenticateMeshRequest(
          { ...services, sharedKey: await services.sharedKey },
          c.req.header("authorization"),
          pathMailbox,
        ),
      );
    } catch (error) {
      if (!(error instanceof MeshAuthError)) throw error;
      audit.authFailure = error.reason;
      throw error.meshError;
    }
    return handler(c);
  };

  app.get(
    "/_ping",
    open("ping", (c) =>
      c.json({
        env: deps.config.environment,
        build_label: "gpc-edge",
        status: "running",
        outcome: "Yes",
      })),
  );
  app.get("/endpointlookup/:odsCode/:workflowId", open("endpointlookup", endpointLookup(services)));
  app.get("/workflowsearch/:workflowId", open("workflowsearch", workflowSearch(services)));
  if (deps.config.adminApi) app.route("/admin", meshAdmin(services));

  const handshake = authed("handshake", (c) => {
    for (const name of ["mex-ClientVersion", "mex-OSName", "mex-OSVersion"]) {
      if (!c.req.header(name)) throw MeshError.plain(400, `${name} header is required`);
    }
    if (c.get("apiVersion") >= 2) return c.body(null, 200);
    return c.json({ mailboxId: c.get("mailbox").id });
  });
  app.get("/:mailbox", handshake);
  app.post("/:mailbox", handshake);
  app.get("/:mailbox/inbox", authed("inbox.list", listInbox(services)));
  app.get("/:mailbox/count", authed("inbox.count", countInbox(services)));
  const download = authed("inbox.download", downloadMessage(services));
  app.get("/:mailbox/inbox/:messageId", download);
  app.get("/:mailbox/inbox/:messageId/:chunk", download);
  app.put(
    "/:mailbox/inbox/:messageId/status/acknowledged",
    authed("inbox.acknowledge", acknowledgeMessage(services)),
  );
  app.post("/:mailbox/outbox", authed("send", sendMessage(services)));
  app.post("/:mailbox/outbox/:messageId/:chunk", authed("send.chunk", uploadChunk(services)));
  app.get("/:mailbox/outbox/tracking", authed("tracking", trackMessage(services)));
  app.get(
    "/:mailbox/outbox/tracking/:localId",
    authed("tracking.localid", trackByLocalId(services)),
  );

  // Last: anything under the mount point no route took (a sub-app's notFound is not used once
  // it is mounted, so this is a route).
  app.all(
    "*",
    open("unknown", (c) => {
      throw MeshError.plain(404, `No MESH route for ${c.req.method} ${c.req.path}`);
    }),
  );
  app.onError((error, c) => {
    const requestId = c.get("requestId") ?? services.randomUUID();
    // Logged once: anything unexpected, and a MESH error answered 5xx (its cause says why).
    const logged = error instanceof MeshError
      ? (error.status >= 500 ? error.cause ?? error : undefined)
      : error;
    if (logged !== undefined) {
      deps.logger.log({
        type: "error",
        time: new Date(deps.clock.now()).toISOString(),
        requestId,
        message: logged instanceof Error ? `${logged.name}: ${logged.message}` : String(logged),
        path: c.req.path,
      });
    }
    return meshErrorResponse(error, meshErrorVersion(c.req.header("accept")), requestId);
  });
  return app;
}
