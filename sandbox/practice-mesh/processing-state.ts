/**
 * What the practice has done with each MESH message, in the provider's store, so that processing
 * survives a crash at any point and a redelivered message is filed once and acknowledged once.
 *
 * Key schema:
 * - `provider:{ods}:mesh-message:{meshMessageId}` → {@linkcode ProcessingState}, written when the
 *   message has been judged — before anything is filed or sent — and updated after each step;
 * - `provider:{ods}:itk-message:{bundleIdentifier}` → the MESH message id that first carried an
 *   ITK message (duplicate detection, ITK3 20007).
 *
 * The acknowledgements are built once, when the message is judged, and stored here: a retry sends
 * the same Bundles (same identifiers), never new ones.
 *
 * @module
 */
import type { ProviderStore } from "../provider/provider-store.ts";

type Json = Record<string, unknown>;

/** One acknowledgement to send. */
export interface PlannedAck {
  /** The ITK3 response code. */
  readonly code: string;
  /** The response Bundle. */
  readonly bundle: Json;
  /** Its `Bundle.identifier`, also its `Mex-LocalID` (how a retry finds an earlier send). */
  readonly bundleIdentifier: string;
  /** Set just before the MESH send: a retry must ask MESH whether it went. */
  readonly attempting?: boolean;
  /** The MESH id of the sent acknowledgement, once sent. */
  readonly sentMessageId?: string;
}

/** The state of one received MESH message. */
export interface ProcessingState {
  readonly meshMessageId: string;
  readonly workflowId: string;
  /** Where the acknowledgements go: the `_ACK` workflow… */
  readonly ackWorkflowId: string;
  /** …to the sending mailbox (`mex-From`). */
  readonly senderMailbox: string;
  readonly decidedAt: string;
  readonly infAck: PlannedAck;
  /** Only after a positive InfAck (negatives are fatal). */
  readonly busAck?: PlannedAck;
  /** For a patient known here: the documents to file, and when filing finished. */
  readonly filing?: { readonly documentIds: readonly string[]; readonly filedAt?: string };
  /** When the MESH message was acknowledged. */
  readonly acknowledgedAt?: string;
}

/** The processing states of one practice. */
export interface ProcessingStates {
  get(meshMessageId: string): Promise<ProcessingState | undefined>;
  put(state: ProcessingState): Promise<void>;
  /** The MESH message that first carried an ITK message, if any. */
  firstCarrier(bundleIdentifier: string): Promise<string | undefined>;
  /** Records the first carrier (never overwrites an earlier one). */
  recordCarrier(bundleIdentifier: string, meshMessageId: string): Promise<void>;
  /** Every state (tests, listings). */
  all(): Promise<ProcessingState[]>;
}

/**
 * The processing states of practice `odsCode`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inMemoryProviderStore } from "../provider/provider-store.ts";
 * const states = processingStates(inMemoryProviderStore(), "B82617");
 * assert.equal(await states.get("20250101120000000000_ABCDEF"), undefined); // until judged
 * ```
 */
export function processingStates(store: ProviderStore, odsCode: string): ProcessingStates {
  const root = `provider:${odsCode}:`;
  const stateKey = (id: string) => `${root}mesh-message:${id}`;
  const carrierKey = (identifier: string) => `${root}itk-message:${identifier}`;
  return {
    get: (id) => store.get<ProcessingState>(stateKey(id)),
    put: (state) => store.set(stateKey(state.meshMessageId), state),
    firstCarrier: (identifier) => store.get<string>(carrierKey(identifier)),
    async recordCarrier(identifier, meshMessageId) {
      if ((await store.get<string>(carrierKey(identifier))) === undefined) {
        await store.set(carrierKey(identifier), meshMessageId);
      }
    },
    async all() {
      return (await store.list<ProcessingState>(`${root}mesh-message:`)).map((e) => e.value);
    },
  };
}
