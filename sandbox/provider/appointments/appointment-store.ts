/**
 * Where the reference provider keeps appointments: the provider's {@linkcode ProviderStore}, so
 * bookings survive a restart when it is the Deno KV file. Key schema (values JSON):
 *
 * | Key | Value |
 * |---|---|
 * | `provider:{odsCode}:appointment:{id}` | {@linkcode AppointmentRecord} |
 * | `provider:{odsCode}:appointment-sequence` | last appointment id issued (number) |
 *
 * A slot is booked while a `booked` appointment lists it, so booking, amending and cancelling
 * are each one write of the appointment: a write that fails leaves no slot held without its
 * appointment, nor an appointment whose slots read as free.
 *
 * Writes are read-check-write sequences, so callers run them through {@linkcode AppointmentStore.serially}.
 *
 * @module
 */
import type { ProviderStore } from "../provider-store.ts";
import { type SerialQueue, serialQueue } from "./serial-queue.ts";

/** An appointment as stored. */
export interface AppointmentRecord {
  readonly id: string;
  /** `meta.versionId` (and ETag) as a number; 1 when booked. */
  readonly versionId: number;
  /** `meta.lastUpdated`, UK local time. */
  readonly lastUpdated: string;
  readonly patientId: string;
  readonly slotIds: readonly string[];
  /** Start as an ISO instant, for "in the past" checks and date searches. */
  readonly start: string;
  readonly status: "booked" | "cancelled";
  /** The FHIR Appointment without `id` and `meta`. */
  readonly resource: Readonly<Record<string, unknown>>;
  /** Participant references the provider added (the schedule's practitioner). */
  readonly addedParticipants: readonly string[];
}

/** The appointment store of one practice. */
export interface AppointmentStore {
  /** Runs a read-check-write task exclusively (in this process). */
  readonly serially: SerialQueue;
  readonly get: (id: string) => Promise<AppointmentRecord | undefined>;
  readonly all: () => Promise<AppointmentRecord[]>;
  /** Issues the next appointment id: 1, 2, 3 … */
  readonly nextId: () => Promise<string>;
  readonly put: (record: AppointmentRecord) => Promise<void>;
  /** Ids of the slots booked appointments hold. */
  readonly bookedSlotIds: () => Promise<Set<string>>;
}

/**
 * The appointment store of practice `odsCode` over a key-value store.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * const appointments = appointmentStore(inMemoryProviderStore(), "B82617");
 * await appointments.serially(async () =>
 *   appointments.put({
 *     id: await appointments.nextId(),
 *     versionId: 1,
 *     lastUpdated: "2025-01-15T10:00:00+00:00",
 *     patientId: "1",
 *     slotIds: ["20104200"],
 *     start: "2025-01-16T08:30:00.000Z",
 *     status: "booked",
 *     resource: { resourceType: "Appointment", status: "booked" },
 *     addedParticipants: [],
 *   })
 * );
 * assert.deepEqual(await appointments.bookedSlotIds(), new Set(["20104200"]));
 * ```
 */
export function appointmentStore(store: ProviderStore, odsCode: string): AppointmentStore {
  const prefix = `provider:${odsCode}:`;
  const appointmentKey = (id: string) => `${prefix}appointment:${id}`;
  const sequenceKey = `${prefix}appointment-sequence`;
  const all = async () => {
    const entries = await store.list<AppointmentRecord>(`${prefix}appointment:`);
    return entries.map((entry) => entry.value);
  };

  return {
    serially: serialQueue(),
    get: (id) => store.get<AppointmentRecord>(appointmentKey(id)),
    all,
    async nextId() {
      const next = ((await store.get<number>(sequenceKey)) ?? 0) + 1;
      await store.set(sequenceKey, next);
      return String(next);
    },
    put: (record) => store.set(appointmentKey(record.id), record),
    async bookedSlotIds() {
      const booked = (await all()).filter((record) => record.status === "booked");
      return new Set(booked.flatMap((record) => record.slotIds));
    },
  };
}
