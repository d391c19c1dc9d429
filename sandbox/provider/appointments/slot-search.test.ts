import assert from "node:assert/strict";
import {
  type AnyJson,
  dayOffset,
  errorCode,
  freeSlots,
  kit,
  resourcesOf,
  slotQuery,
  urls,
} from "./appointments-test-kit.ts";

const everything = "&_include:recurse=Schedule:actor:Practitioner" +
  "&_include:recurse=Schedule:actor:Location&_include:recurse=Location:managingOrganization";
const odsFilter = `&searchFilter=${urls.ods}|B82617`;
const typeFilter = (type: string) => `&searchFilter=${urls.organisationType}|${type}`;

Deno.test("search for free slots: searchset of free slots with schedules, actors and organisation", async () => {
  const k = kit();
  const bundle = await freeSlots(k, everything + odsFilter + typeFilter("urgent-care"), 3);
  assert.equal(bundle.type, "searchset");
  assert.deepEqual(bundle.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1",
  ]);
  const slots = resourcesOf(bundle, "Slot");
  assert.ok(slots.length > 20);
  assert.equal(bundle.total, undefined, "GPConnect-Searchset-Bundle-1 forbids Bundle.total");
  for (const slot of slots) {
    assert.equal(slot.status, "free");
    assert.deepEqual(slot.meta.profile, [
      "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1",
    ]);
    assert.ok(slot.meta.versionId);
    assert.equal(slot.extension[0].url, urls.deliveryChannel);
    assert.ok(slot.serviceType[0].text);
    assert.equal(slot.specialty, undefined);
    assert.match(slot.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    assert.ok(slot.start >= `${dayOffset(k.now, 1)}T00:00:00+00:00`);
    const schedule = resourcesOf(bundle, "Schedule").find((s) =>
      `Schedule/${s.id}` === slot.schedule.reference
    );
    assert.ok(schedule, `${slot.schedule.reference} is in the bundle`);
  }
  for (const schedule of resourcesOf(bundle, "Schedule")) {
    assert.equal(
      schedule.extension.filter((e: AnyJson) => e.url === urls.practitionerRole).length,
      1,
    );
    assert.ok(schedule.serviceCategory.text);
    assert.ok(schedule.planningHorizon.start);
    for (const actor of schedule.actor) {
      const [type, id] = actor.reference.split("/");
      assert.ok(resourcesOf(bundle, type).some((r) => r.id === id), actor.reference);
    }
  }
  const [organization] = resourcesOf(bundle, "Organization");
  assert.equal(organization?.identifier[0].value, "B82617");
  for (const location of resourcesOf(bundle, "Location")) {
    assert.equal(location.managingOrganization.reference, "Organization/1");
  }
  const types: string[] = bundle.entry.map((e: AnyJson) => e.resource.resourceType);
  assert.equal(types.lastIndexOf("Slot"), slots.length - 1, "the slots first, then the includes");
  assert.ok(types.includes("Schedule"));
  assert.ok(bundle.entry.every((e: AnyJson) => e.search === undefined), "no entry.search (max 0)");
  assert.ok(
    bundle.entry.every((e: AnyJson) =>
      e.fullUrl.endsWith(
        `/B82617/STU3/1/gpconnect/fhir/${e.resource.resourceType}/${e.resource.id}`,
      )
    ),
  );
});

Deno.test("search for free slots: actors only when asked; the organisation always", async () => {
  const k = kit();
  const minimal = await freeSlots(k);
  assert.equal(resourcesOf(minimal, "Practitioner").length, 0);
  assert.equal(resourcesOf(minimal, "Location").length, 0);
  assert.equal(resourcesOf(minimal, "Organization").length, 1);
  const practitioners = await freeSlots(k, "&_include:recurse=Schedule:actor:Practitioner");
  assert.equal(resourcesOf(practitioners, "Practitioner").length, 4);
  assert.equal(resourcesOf(practitioners, "Location").length, 0);
  const locations = await freeSlots(k, "&_include:recurse=Schedule:actor:Location");
  assert.equal(resourcesOf(locations, "Location").length, 2);
  assert.equal(resourcesOf(locations, "Practitioner").length, 0);
});

Deno.test("search for free slots: searchFilter decides restricted slots", async () => {
  const k = kit();
  const restricted = (bundle: AnyJson) => resourcesOf(bundle, "Slot").length;
  const none = restricted(await freeSlots(k));
  const urgent = restricted(await freeSlots(k, typeFilter("urgent-care")));
  const ods = restricted(await freeSlots(k, `&searchFilter=${urls.ods}|A20047`));
  const both = restricted(
    await freeSlots(k, typeFilter("urgent-care") + `&searchFilter=${urls.ods}|A20047`),
  );
  const other = restricted(await freeSlots(k, typeFilter("oncology") + odsFilter));
  assert.ok(urgent > none && ods > none && both > urgent && both > ods);
  assert.equal(other, none, "unknown type and another ODS code see only unrestricted slots");
  assert.equal(
    restricted(await freeSlots(k, "&searchFilter=FilterCategory-7|OtherConsumerCategory")),
    none,
    "other systems are ignored",
  );
});

Deno.test("search for free slots: no slots → empty searchset; past slots are searchable", async () => {
  const k = kit();
  const far = await k.call("slots", "GET", slotQuery(dayOffset(k.now, 500), dayOffset(k.now, 510)));
  assert.equal(far.status, 200);
  const empty: AnyJson = await far.json();
  assert.equal((empty.entry ?? []).length, 0);
  assert.equal(empty.entry, undefined);
  const weekend = await k.call("slots", "GET", slotQuery("2025-01-18", "2025-01-19"));
  assert.equal(((await weekend.json() as AnyJson).entry ?? []).length, 0);
  const past = await k.call("slots", "GET", slotQuery(dayOffset(k.now, -6), dayOffset(k.now, -1)));
  assert.ok(((await past.json() as AnyJson).entry ?? []).length > 0);
});

Deno.test("search for free slots: XML when asked", async () => {
  const k = kit();
  const res = await k.call("slots", "GET", slotQuery(dayOffset(k.now, 1), dayOffset(k.now, 2)), {
    headers: { Accept: "application/fhir+xml" },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
  assert.match(await res.text(), /^<\?xml[^>]*><Bundle xmlns="http:\/\/hl7.org\/fhir">/);
});

Deno.test("search for free slots: parameter errors over HTTP", async () => {
  const k = kit();
  const [d1, d3] = [dayOffset(k.now, 1), dayOffset(k.now, 3)];
  const cases: Array<[string, number, string]> = [
    [`/Slot?end=le${d3}&status=free&_include=Slot:schedule`, 400, "BAD_REQUEST"],
    [`/Slot?start=ge${d1}&end=le${d3}&_include=Slot:schedule`, 400, "BAD_REQUEST"],
    [`/Slot?start=&end=le${d3}&status=free&_include=Slot:schedule`, 422, "INVALID_PARAMETER"],
    [`/Slot?start=ge${d1}&end=&status=free&_include=Slot:schedule`, 422, "INVALID_PARAMETER"],
    [`/Slot?start=ge${d1}&end=le${d3}&status=&_include=Slot:schedule`, 422, "INVALID_PARAMETER"],
    [slotQuery(d1, dayOffset(k.now, 16)), 422, "INVALID_PARAMETER"],
    [slotQuery(d3, d1), 422, "INVALID_PARAMETER"],
    [slotQuery("2025", "2025-01"), 422, "INVALID_PARAMETER"],
    [
      `/Slot?start=ge${d1}&end=le${d3}&status=busy&_include=Slot:schedule`,
      422,
      "INVALID_PARAMETER",
    ],
    [`/Slot?start=ge${d1}&end=le${d3}&status=free`, 422, "INVALID_PARAMETER"],
    [slotQuery(d1, d3, "&_include=Patient:general-practitioner"), 422, "INVALID_PARAMETER"],
  ];
  for (const [path, status, code] of cases) {
    const res = await k.call("slots", "GET", path);
    assert.equal(res.status, status, path);
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    assert.equal(await errorCode(res), code, path);
  }
});
