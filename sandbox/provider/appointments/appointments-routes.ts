/**
 * Appointment Management 1.x (foundations root): search for free slots, book, read, retrieve a
 * patient's appointments, amend and cancel (GPC-1.6 `pages/appointments`). Routes are relative
 * to their service root and run behind the provider duties, which have already matched the
 * interaction — amend and cancel are both `PUT /Appointment/{id}` and are told apart by it.
 *
 * Schedules and slots come from {@linkcode slotCalendar} (relative to the clock); bookings live
 * in the provider's store ({@linkcode appointmentStore}), written one at a time.
 *
 * @module
 */
import { Hono } from "hono";
import { fhirResponse } from "../fhir-format.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import { appointmentBody } from "./appointment-body.ts";
import { appointmentResource, appointmentResponse } from "./appointment-response.ts";
import { appointmentShape, checkProfile } from "./appointment-shape.ts";
import { appointmentStore } from "./appointment-store.ts";
import { bookAppointment, updateAppointment } from "./appointment-writes.ts";
import { practicePatients } from "../provider-patients.ts";
import { bookingPlan } from "./booking-plan.ts";
import { appointmentDayRange } from "./patient-appointments-params.ts";
import { slotCalendar } from "./slot-calendar.ts";
import { appointmentUrls } from "./slot-resources.ts";
import { freeSlotsBundle } from "./slot-search.ts";
import { slotQuery } from "./slot-search-params.ts";
import { formatUkDateTime, ukEpochDay } from "./uk-time.ts";

const cancelInteraction = "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1";

/**
 * The routes, to mount at their service root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { type ProviderEnv, providerDuties } from "../provider-duties.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * import { providerRequestHeaders } from "../provider-request.ts";
 * import { serviceRootPath } from "../provider-roots.ts";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * const now = () => new Date("2025-01-15T10:00:00Z");
 * const [odsCode, asid] = ["B82617", "918999198738"];
 * const rootPath = serviceRootPath(odsCode, "foundations");
 * // Behind the provider duties, as the provider sandbox mounts every product's routes.
 * const app = new Hono<ProviderEnv>()
 *   .use(`${rootPath}/*`, providerDuties({ asid, rootKind: "foundations", rootPath, now }))
 *   .route(
 *     rootPath,
 *     appointmentsRoutes({
 *       odsCode,
 *       asid,
 *       register: patientRegister(fixturePatients, odsCode),
 *       practice: practiceData,
 *       store: inMemoryProviderStore(),
 *       now,
 *       newId: () => crypto.randomUUID(),
 *       pdsBaseUrl: undefined,
 *       fetch: () => Promise.reject(new Error("no PDS trace in this example")),
 *     }),
 *   );
 * const query = "start=ge2025-01-16&end=le2025-01-17&status=free&_include=Slot:schedule";
 * const response = await app.request(`${rootPath}/Slot?${query}`, {
 *   headers: providerRequestHeaders("urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1", {
 *   issuedAt: Date.parse("2025-01-15T10:00:00Z") / 1000,
 * }),
 * });
 * assert.equal(response.status, 200); // the free slots
 * ```
 */
export function appointmentsRoutes(options: ProviderRoutesOptions): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const calendar = slotCalendar(options.now);
  const appointments = appointmentStore(options.store, options.odsCode);
  const patients = practicePatients(options);

  app.get("/Slot", async (c) => {
    const query = slotQuery(new URL(c.req.url).searchParams);
    const bundle = freeSlotsBundle(query, {
      slots: calendar.slotsWithin(query.from, query.to),
      bookedSlotIds: await appointments.bookedSlotIds(),
      practice: options.practice,
      rootUrl: c.get("rootUrl"),
      bundleId: options.newId(),
      now: options.now(),
    });
    return fhirResponse(bundle, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  app.post("/Appointment", async (c) => {
    const appointment = await appointmentBody(c.req.raw);
    if (appointment.id !== undefined) {
      throw new ProviderError("BAD_REQUEST", "A new Appointment must not have an id");
    }
    const now = options.now();
    const shape = appointmentShape(appointment);
    // Temporary registrations ($gpc.registerpatient) can book too: that is what they are for.
    const knownPatientIds = new Set<string>();
    for (const ref of shape.participants) {
      if (ref.type === "Patient" && await patients.byLogicalId(ref.id)) knownPatientIds.add(ref.id);
    }
    const plan = bookingPlan(appointment, shape, {
      knownPatientIds,
      practice: options.practice,
      calendar,
      now,
    });
    const record = await bookAppointment(plan, appointments, now);
    return appointmentResponse(record, {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
      status: 201,
      prefer: c.req.header("Prefer"),
      rootUrl: c.get("rootUrl"),
    });
  });

  app.get("/Appointment/:id", async (c) => {
    const record = await appointments.get(c.req.param("id"));
    if (!record) throw new ProviderError("NO_RECORD_FOUND", `No appointment ${c.req.param("id")}`);
    if (new Date(record.start) <= options.now()) {
      throw new ProviderError(
        "NO_RECORD_FOUND",
        `Appointment ${record.id} is in the past; only future appointments can be read`,
      );
    }
    return appointmentResponse(record, {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
      status: 200,
      prefer: undefined,
    });
  });

  app.put("/Appointment/:id", async (c) => {
    const request = await appointmentBody(c.req.raw);
    if (request.id !== c.req.param("id")) {
      throw new ProviderError(
        "BAD_REQUEST",
        `The Appointment id ${String(request.id)} must equal the id in the URL, ${
          c.req.param("id")
        }`,
      );
    }
    checkProfile(request);
    const record = await updateAppointment({
      kind: c.get("interaction").id === cancelInteraction ? "cancel" : "amend",
      id: c.req.param("id"),
      request,
      ifMatch: c.req.header("If-Match"),
      now: options.now(),
    }, appointments);
    return appointmentResponse(record, {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
      status: 200,
      prefer: c.req.header("Prefer"),
    });
  });

  app.get("/Patient/:id/Appointment", async (c) => {
    const patientId = c.req.param("id");
    if (!(await patients.byLogicalId(patientId))) {
      throw new ProviderError("PATIENT_NOT_FOUND", `No patient with logical id ${patientId}`);
    }
    const now = options.now();
    const range = appointmentDayRange(new URL(c.req.url).searchParams, ukEpochDay(now));
    const records = (await appointments.all())
      .filter((record) => {
        const day = ukEpochDay(new Date(record.start));
        return record.patientId === patientId && day >= range.first && day <= range.last;
      })
      .sort((a, b) => a.start.localeCompare(b.start) || Number(a.id) - Number(b.id));
    // No entry.search and no Bundle.total: GPConnect-Searchset-Bundle-1 forbids them (max 0).
    const entries = records.map((record) => ({
      fullUrl: `${c.get("rootUrl")}/Appointment/${record.id}`,
      resource: appointmentResource(record),
    }));
    return fhirResponse({
      resourceType: "Bundle",
      id: options.newId(),
      meta: { lastUpdated: formatUkDateTime(now), profile: [appointmentUrls.searchsetProfile] },
      type: "searchset",
      ...(entries.length > 0 ? { entry: entries } : {}),
    }, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  return app;
}
