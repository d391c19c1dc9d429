/**
 * The reference practice as a MESH receiver (issue 11 item 2): on an interval it polls its
 * mailboxes (B82617OT1 and A20047OT1 in the local world), and for each GP Connect message runs
 * message-processing.ts — check, InfAck, patient match, file, BusAck, then the MESH acknowledge.
 *
 * It lists its inbox with one `workflow_filter`, `GP*`: GP Connect's workflows
 * (`GPCONNECT_SEND_DOCUMENT`, `GPCONNECT_UPDATE_RECORD`, `GPFED_CONSULT_REPORT`, and the `_ACK`
 * workflows REPORTs about its own acknowledgements travel on) — one request per mailbox and poll,
 * and other traffic in the same mailbox (e.g. MESH API tests on `API-DOCS-TEST`) is never
 * touched. A listed message it does not answer is remembered and not downloaded again. A message
 * that fails (MESH or PDS unreachable) is logged and stays in the inbox for the next poll;
 * processing resumes from the stored state.
 *
 * Options mirror the world's: MESH root, the mailboxes, their password and shared key, the
 * provider's store (the same one the provider sandbox serves documents from), PDS.
 *
 * @module
 */
import type { FixturePatient } from "../pds/fixture-patients.ts";
import { tracePdsPatient } from "../provider/foundations/pds-trace.ts";
import type { ProviderStore } from "../provider/provider-store.ts";
import {
  type PracticeLogger,
  type ProcessedMessage,
  type ProcessingDeps,
  processMessage,
} from "./message-processing.ts";
import {
  type PracticeMailbox,
  practiceMailbox,
  type PracticeMailboxSpec,
} from "./practice-mailbox.ts";

/** What {@linkcode startPracticeMeshPoller} needs. */
export interface PracticeMeshPollerOptions {
  /** MESH root, e.g. `http://127.0.0.1:8080` (gpc-edge serves MESH at `/messageexchange`). */
  readonly meshUrl: string;
  /** Mailboxes to poll (default `["B82617OT1", "A20047OT1"]`). */
  readonly mailboxes?: readonly PracticeMailboxSpec[];
  /** The mailboxes' password (local world: `password`). */
  readonly password: string;
  /** MESH's shared key (local world: `TestKey`). */
  readonly sharedKey: string;
  /** Poll interval (default 2000 ms; real MESH asks for at most one poll per 5 minutes). */
  readonly intervalMs?: number;
  /** The provider's store: processing states and filed documents. */
  readonly store: ProviderStore;
  /** PDS base URL (default the PDS sandbox, http://127.0.0.1:8081). */
  readonly pdsBaseUrl?: string;
  /** The fetch for PDS (default the global one). */
  readonly pdsFetch?: typeof fetch;
  /** The fetch for MESH (default the global one; a Worker's `dispatchFetch` in tests). */
  readonly meshFetch?: typeof fetch;
  /** The practice's patients (default the fixture patients). */
  readonly pdsPatients?: readonly FixturePatient[];
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Default: one JSON line per record on stderr. */
  readonly logger?: PracticeLogger;
  /** Test hook after each stored step (message-processing.ts). */
  readonly afterStep?: ProcessingDeps["afterStep"];
}

/** A poller (created, not started). */
export interface PracticeMeshPoller {
  readonly mailboxes: readonly PracticeMailbox[];
  /** Polls every mailbox once; resolves with what was processed. */
  pollOnce(): Promise<ProcessedMessage[]>;
}

/** A running poller. */
export interface RunningPracticeMeshPoller extends PracticeMeshPoller {
  /** Stops polling; resolves when the poll under way (if any) has finished. */
  stop(): Promise<void>;
}

/** MESH's "begins with" filter that lists every GP Connect workflow and nothing else. */
export const practiceInboxFilter = "GP*";

/**
 * Creates the poller without starting it (tests call `pollOnce`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startMessagingWorld } from "./messaging-test-world.ts";
 * const world = await startMessagingWorld(); // gpc-edge's MESH, PDS and the provider's store
 * try {
 *   const poller = createPracticeMeshPoller({
 *     meshUrl: world.edgeUrl,
 *     password: "password",
 *     sharedKey: "TestKey",
 *     store: world.store,
 *     pdsBaseUrl: world.pdsUrl,
 *     logger: { log() {} },
 *   });
 *   assert.deepEqual(await poller.pollOnce(), []); // nothing sent yet
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export function createPracticeMeshPoller(options: PracticeMeshPollerOptions): PracticeMeshPoller {
  const logger = options.logger ??
    { log: (record: Readonly<Record<string, unknown>>) => console.error(JSON.stringify(record)) };
  const mailboxes = (options.mailboxes ?? ["B82617OT1", "A20047OT1"]).map((spec) =>
    practiceMailbox(spec, {
      meshUrl: options.meshUrl,
      password: options.password,
      sharedKey: options.sharedKey,
      store: options.store,
      ...(options.meshFetch ? { meshFetch: options.meshFetch } : {}),
      ...(options.pdsPatients ? { pdsPatients: options.pdsPatients } : {}),
    })
  );
  const pdsBaseUrl = options.pdsBaseUrl ?? "http://127.0.0.1:8081";
  const pdsFetch = options.pdsFetch ?? ((input, init) => fetch(input, init));
  const deps: ProcessingDeps = {
    trace: (nhsNumber) => tracePdsPatient(nhsNumber, { pdsBaseUrl, fetch: pdsFetch }),
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? (() => crypto.randomUUID()),
    logger,
    ...(options.afterStep ? { afterStep: options.afterStep } : {}),
  };
  const handshaken = new Set<string>();
  /** Listed messages the practice does not answer (left in the inbox, not downloaded again). */
  const skipped = new Set<string>();

  async function pollMailbox(mailbox: PracticeMailbox): Promise<ProcessedMessage[]> {
    if (!handshaken.has(mailbox.mailboxId)) {
      await mailbox.mesh.handshake();
      handshaken.add(mailbox.mailboxId);
    }
    const ids = await mailbox.mesh.inbox({ workflowFilter: practiceInboxFilter });
    const processed: ProcessedMessage[] = [];
    for (const id of ids) {
      if (skipped.has(id)) continue;
      try {
        const done = await processMessage(mailbox, deps, id);
        if (done.kind === "skipped") skipped.add(id);
        else processed.push(done);
      } catch (error) {
        logger.log({
          type: "practice-mesh",
          event: "failed",
          mailbox: mailbox.mailboxId,
          messageId: id,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
    }
    return processed;
  }

  return {
    mailboxes,
    async pollOnce() {
      const processed: ProcessedMessage[] = [];
      for (const mailbox of mailboxes) {
        try {
          processed.push(...await pollMailbox(mailbox));
        } catch (error) {
          logger.log({
            type: "practice-mesh",
            event: "poll-failed",
            mailbox: mailbox.mailboxId,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        }
      }
      return processed;
    },
  };
}

/**
 * Starts the reference practice's MESH poller: a poll at once, then one every `intervalMs` after
 * the previous one ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startMessagingWorld } from "./messaging-test-world.ts";
 * const world = await startMessagingWorld(); // `task start` polls the world on 8080 and 8081
 * try {
 *   const poller = startPracticeMeshPoller({
 *     meshUrl: world.edgeUrl,
 *     password: "password",
 *     sharedKey: "TestKey",
 *     store: world.store,
 *     pdsBaseUrl: world.pdsUrl,
 *     logger: { log() {} },
 *   });
 *   await poller.stop(); // waits for a poll under way
 *   assert.equal(poller.mailboxes.length, 2); // B82617OT1 and A20047OT1
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export function startPracticeMeshPoller(
  options: PracticeMeshPollerOptions,
): RunningPracticeMeshPoller {
  const poller = createPracticeMeshPoller(options);
  const intervalMs = options.intervalMs ?? 2000;
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await poller.pollOnce();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          stopping.signal.removeEventListener("abort", wake);
          resolve();
        };
        const timer = setTimeout(wake, intervalMs);
        stopping.signal.addEventListener("abort", wake);
      });
    }
  })();
  return {
    ...poller,
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
