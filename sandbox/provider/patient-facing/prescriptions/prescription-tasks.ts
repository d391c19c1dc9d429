/**
 * The practice's repeat-prescription requests (`Task`s) in the provider's store, each write one
 * atomic commit on the versions read, so two requests racing cannot both succeed:
 *
 * - a reorder while one for the same plan is still open is a duplicate (409, A6);
 * - a request carrying an `X-Request-ID` already used by the patient gets the first result back
 *   (the same Task, never a second one: R28), or a refusal when it was used for something else;
 * - each patient has a sliding-window limit on writes (creates and cancels, OWASP API6).
 *
 * | Key | Value |
 * |---|---|
 * | `provider:{ods}:pf-task:{nhs}:{id}` | {@linkcode TaskRecord} |
 * | `provider:{ods}:pf-task-open:{nhs}:{planId}` | id of the open Task for the plan |
 * | `provider:{ods}:pf-task-request:{nhs}:{requestId}` | {@linkcode RequestRecord} |
 * | `provider:{ods}:pf-task-writes:{nhs}` | times (ms) of the patient's writes in the window |
 *
 * @module
 */
import type { ProviderStore, VersionedValue } from "../../provider-store.ts";
import { storeBusy } from "../pf-error.ts";

/** A repeat-prescription request as stored. */
export interface TaskRecord {
  readonly id: string;
  readonly versionId: number;
  readonly patientNhsNumber: string;
  /** The plan `MedicationRequest` id (R4) reordered. */
  readonly focusId: string;
  readonly focusDisplay: string;
  readonly status: "requested" | "cancelled";
  readonly authoredOn: string;
  readonly lastModified: string;
  /** The X-Request-ID that created it. */
  readonly requestId: string;
  /** A proxy who asked for the patient. */
  readonly actorNhsNumber?: string;
  /** A one-off pharmacy (ODS code). */
  readonly preferredPharmacy?: string;
  readonly note?: string;
}

/** Which request an X-Request-ID was used for. */
interface RequestRecord {
  readonly op: "create" | "cancel";
  readonly taskId: string;
  readonly focusId?: string;
}

/** A new request. */
export interface NewTask {
  readonly patientNhsNumber: string;
  readonly focusId: string;
  readonly focusDisplay: string;
  readonly requestId: string;
  readonly actorNhsNumber?: string | undefined;
  readonly preferredPharmacy?: string | undefined;
  readonly note?: string | undefined;
}

/** What a write came to. */
export type TaskWrite =
  | { readonly kind: "written" | "replayed"; readonly task: TaskRecord }
  | { readonly kind: "duplicate"; readonly task: TaskRecord }
  | { readonly kind: "request-id-reused" }
  | { readonly kind: "not-found" }
  | { readonly kind: "not-cancellable"; readonly task: TaskRecord }
  | { readonly kind: "throttled"; readonly retryAfterSeconds: number };

/** The write limit: at most `limit` writes per patient in any `windowSeconds`. */
export interface WriteLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The Task store of one practice. */
export interface PrescriptionTasks {
  create(request: NewTask): Promise<TaskWrite>;
  cancel(patientNhsNumber: string, taskId: string, requestId: string): Promise<TaskWrite>;
  get(patientNhsNumber: string, taskId: string): Promise<TaskRecord | undefined>;
  /** The patient's Tasks, newest first. */
  of(patientNhsNumber: string): Promise<TaskRecord[]>;
}

const maxAttempts = 8;

/**
 * The Task store of practice `odsCode`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inMemoryProviderStore } from "../../provider-store.ts";
 * const tasks = prescriptionTasks(inMemoryProviderStore(), {
 *   odsCode: "B82617", now: () => new Date(), newId: () => crypto.randomUUID(),
 *   writeLimit: { limit: 30, windowSeconds: 3600 },
 * });
 * const first = await tasks.create({
 *   patientNhsNumber: "9690937286", focusId: "2-med-1-plan", focusDisplay: "Amlodipine",
 *   requestId: crypto.randomUUID(),
 * });
 * assert.equal(first.kind, "written");
 * ```
 */
export function prescriptionTasks(
  store: ProviderStore,
  options: {
    readonly odsCode: string;
    readonly now: () => Date;
    readonly newId: () => string;
    readonly writeLimit: WriteLimit;
  },
): PrescriptionTasks {
  const prefix = `provider:${options.odsCode}:`;
  const taskKey = (nhs: string, id: string) => `${prefix}pf-task:${nhs}:${id}`;
  const openKey = (nhs: string, focusId: string) => `${prefix}pf-task-open:${nhs}:${focusId}`;
  const requestKey = (nhs: string, id: string) => `${prefix}pf-task-request:${nhs}:${id}`;
  const writesKey = (nhs: string) => `${prefix}pf-task-writes:${nhs}`;

  /** The writes still in the window, or how long until one leaves it when full. */
  const window = (writes: VersionedValue<number[]>, nowMs: number) => {
    const windowMs = options.writeLimit.windowSeconds * 1000;
    const recent = (writes.value ?? []).filter((at) => at > nowMs - windowMs);
    if (recent.length < options.writeLimit.limit) return { recent: [...recent, nowMs] };
    const oldest = Math.min(...recent);
    return { retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000)) };
  };

  const get = (nhs: string, id: string) => store.get<TaskRecord>(taskKey(nhs, id));

  return {
    async create(request) {
      const nhs = request.patientNhsNumber;
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const used = await store.getVersioned<RequestRecord>(requestKey(nhs, request.requestId));
        if (used.value) {
          const task = await get(nhs, used.value.taskId);
          const same = used.value.op === "create" && used.value.focusId === request.focusId;
          return same && task ? { kind: "replayed", task } : { kind: "request-id-reused" };
        }
        const open = await store.getVersioned<string>(openKey(nhs, request.focusId));
        if (open.value) {
          const task = await get(nhs, open.value);
          if (task) return { kind: "duplicate", task };
        }
        const writes = await store.getVersioned<number[]>(writesKey(nhs));
        const now = options.now();
        const admitted = window(writes, now.getTime());
        if ("retryAfterSeconds" in admitted) {
          return { kind: "throttled", retryAfterSeconds: admitted.retryAfterSeconds };
        }
        const task: TaskRecord = {
          id: options.newId(),
          versionId: 1,
          patientNhsNumber: nhs,
          focusId: request.focusId,
          focusDisplay: request.focusDisplay,
          status: "requested",
          authoredOn: now.toISOString(),
          lastModified: now.toISOString(),
          requestId: request.requestId,
          ...(request.actorNhsNumber ? { actorNhsNumber: request.actorNhsNumber } : {}),
          ...(request.preferredPharmacy ? { preferredPharmacy: request.preferredPharmacy } : {}),
          ...(request.note ? { note: request.note } : {}),
        };
        const committed = await store.commit({
          checks: [
            { key: requestKey(nhs, request.requestId), version: used.version },
            { key: openKey(nhs, request.focusId), version: open.version },
            { key: writesKey(nhs), version: writes.version },
          ],
          sets: [
            { key: taskKey(nhs, task.id), value: task },
            { key: openKey(nhs, request.focusId), value: task.id },
            {
              key: requestKey(nhs, request.requestId),
              value: { op: "create", taskId: task.id, focusId: request.focusId },
            },
            { key: writesKey(nhs), value: admitted.recent },
          ],
        });
        if (committed) return { kind: "written", task };
      }
      throw storeBusy();
    },

    async cancel(nhs, taskId, requestId) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const used = await store.getVersioned<RequestRecord>(requestKey(nhs, requestId));
        if (used.value) {
          const task = await get(nhs, used.value.taskId);
          const same = used.value.op === "cancel" && used.value.taskId === taskId;
          return same && task ? { kind: "replayed", task } : { kind: "request-id-reused" };
        }
        const current = await store.getVersioned<TaskRecord>(taskKey(nhs, taskId));
        const task = current.value;
        if (!task) return { kind: "not-found" };
        if (task.status !== "requested") return { kind: "not-cancellable", task };
        const writes = await store.getVersioned<number[]>(writesKey(nhs));
        const now = options.now();
        const admitted = window(writes, now.getTime());
        if ("retryAfterSeconds" in admitted) {
          return { kind: "throttled", retryAfterSeconds: admitted.retryAfterSeconds };
        }
        const cancelled: TaskRecord = {
          ...task,
          status: "cancelled",
          versionId: task.versionId + 1,
          lastModified: now.toISOString(),
        };
        const committed = await store.commit({
          checks: [
            { key: requestKey(nhs, requestId), version: used.version },
            { key: taskKey(nhs, taskId), version: current.version },
            { key: writesKey(nhs), version: writes.version },
          ],
          sets: [
            { key: taskKey(nhs, taskId), value: cancelled },
            { key: requestKey(nhs, requestId), value: { op: "cancel", taskId } },
            { key: writesKey(nhs), value: admitted.recent },
          ],
          deletes: [openKey(nhs, task.focusId)],
        });
        if (committed) return { kind: "written", task: cancelled };
      }
      throw storeBusy();
    },

    get,

    async of(nhs) {
      const entries = await store.list<TaskRecord>(`${prefix}pf-task:${nhs}:`);
      return entries.map((entry) => entry.value).sort((a, b) =>
        b.authoredOn.localeCompare(a.authoredOn) || a.id.localeCompare(b.id)
      );
    },
  };
}
