/**
 * The seams the MESH sub-app receives (ARCHITECTURE.md §3.2): configuration, the `records` and
 * `blobs` stores, clock, logger, ids, and GPPROVIDER routing. Tests and benchmarks swap any of them.
 *
 * @module
 */
import type { Clock, Logger } from "../app-deps.ts";
import type { BlobStore } from "../store/blob-store.ts";
import type { RecordsStore } from "../store/records-store.ts";
import type { RouteGpProvider } from "./gpprovider-routing-types.ts";
import type { MeshConfig } from "./mesh-config.ts";

/** Everything {@linkcode createMeshApp} and {@linkcode runMeshHousekeeping} need. */
export interface MeshDeps {
  /** MESH configuration (mailboxes, shared key, limits, retention). */
  readonly config: MeshConfig;
  /** Message state, inbox indexes and replay records (strongly consistent). */
  readonly records: RecordsStore;
  /** Message bodies, one blob per chunk. */
  readonly blobs: BlobStore;
  /** Time: token windows, message ids, expiry. */
  readonly clock: Clock;
  /** Audit and error lines. */
  readonly logger: Logger;
  /** UUID generator (request ids, blob suffixes, message id suffixes). */
  readonly randomUUID: () => string;
  /**
   * GP Connect automated routing of `GPPROVIDER_…` addresses; when absent such addresses are
   * unregistered (417 code 12), as on NHS's sandbox.
   */
  readonly routeGpProvider?: RouteGpProvider;
}
