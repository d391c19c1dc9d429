/**
 * One practice mailbox the reference practice polls: its MESH client, the practice behind it (ODS
 * code and name, from specs/mesh-mailboxes.json and the practice data), its patients (the fixture
 * register of that ODS code and its registrations), its filed documents and its processing states,
 * all in the provider's store under `provider:{ods}:`.
 *
 * @module
 */
import { createMeshClient, type MeshClient } from "../../client/mesh/mesh-client.ts";
import mailboxesDoc from "../../specs/mesh-mailboxes.json" with { type: "json" };
import { type FixturePatient, fixturePatients } from "../pds/fixture-patients.ts";
import { type FiledDocuments, filedDocuments } from "../provider/documents/filed-documents.ts";
import { practiceData } from "../provider/practice/practice-data.ts";
import {
  patientRegister,
  type PracticePatients,
  practicePatients,
} from "../provider/provider-patients.ts";
import type { ProviderStore } from "../provider/provider-store.ts";
import { type ProcessingStates, processingStates } from "./processing-state.ts";

/** A mailbox to poll: its id, or the id with the practice behind it. */
export type PracticeMailboxSpec =
  | string
  | { readonly id: string; readonly odsCode?: string; readonly name?: string };

/** Everything the poller uses for one mailbox. */
export interface PracticeMailbox {
  readonly mailboxId: string;
  readonly odsCode: string;
  readonly name: string;
  readonly mesh: MeshClient;
  readonly patients: PracticePatients;
  readonly filed: FiledDocuments;
  readonly states: ProcessingStates;
}

/** What {@linkcode practiceMailbox} needs. */
export interface PracticeMailboxOptions {
  /** MESH root, e.g. `http://127.0.0.1:8080` (paths start `/messageexchange`). */
  readonly meshUrl: string;
  readonly password: string;
  readonly sharedKey: string;
  readonly store: ProviderStore;
  /** The fetch for MESH (default the global one). */
  readonly meshFetch?: typeof fetch;
  /** The patients (default the fixture patients). */
  readonly pdsPatients?: readonly FixturePatient[];
}

/**
 * The poller's view of one mailbox. Throws `RangeError` when the ODS code is neither given nor in
 * specs/mesh-mailboxes.json.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inMemoryProviderStore } from "../provider/provider-store.ts";
 * const mailbox = practiceMailbox("B82617OT1", {
 *   meshUrl: "http://127.0.0.1:8080", // nothing is sent until the mailbox is polled
 *   password: "password",
 *   sharedKey: "TestKey",
 *   store: inMemoryProviderStore(),
 * });
 * assert.equal(mailbox.odsCode, "B82617");
 * ```
 */
export function practiceMailbox(
  spec: PracticeMailboxSpec,
  options: PracticeMailboxOptions,
): PracticeMailbox {
  const id = (typeof spec === "string" ? spec : spec.id).toUpperCase();
  const listed = mailboxesDoc.mailboxes.find((mailbox) => mailbox.id === id);
  const odsCode = (typeof spec === "string" ? undefined : spec.odsCode) ?? listed?.odsCode;
  if (!odsCode) throw new RangeError(`mailbox ${id}: no ODS code (give one, or list it in specs)`);
  const organization = practiceData.organizations.find((org) => org.odsCode === odsCode);
  const name = (typeof spec === "string" ? undefined : spec.name) ?? organization?.name ??
    listed?.name ?? odsCode;
  return {
    mailboxId: id,
    odsCode,
    name,
    mesh: createMeshClient({
      baseUrl: options.meshUrl,
      mailboxId: id,
      password: options.password,
      sharedKey: options.sharedKey,
      ...(options.meshFetch ? { fetch: options.meshFetch } : {}),
    }),
    patients: practicePatients({
      register: patientRegister(options.pdsPatients ?? fixturePatients, odsCode),
      store: options.store,
      odsCode,
    }),
    filed: filedDocuments(options.store, odsCode),
    states: processingStates(options.store, odsCode),
  };
}
