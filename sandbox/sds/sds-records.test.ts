import assert from "node:assert/strict";
import { interactions } from "../../gpconnect/specs.ts";
import { providerServiceRoots } from "../provider/provider-roots.ts";
import {
  interactionsOfRoot,
  patientFacingInteractions,
  sdsIdentities,
  sdsRecords,
} from "./sds-records.ts";

const base = "http://127.0.0.1:8083";
const records = sdsRecords(base);

Deno.test("sdsRecords: B82617 has one MHS record per root kind at the provider roots", () => {
  const roots = providerServiceRoots(base, "B82617");
  const b82617 = records.mhs.filter((record) =>
    record.odsCode === "B82617" && !record.address.includes("/patient-facing/")
  );
  assert.deepEqual(
    b82617.map((record) => record.address).sort(),
    Object.values(roots).sort(),
  );
  for (const record of b82617) {
    assert.equal(record.partyKey, "B82617-0000806");
    assert.equal(record.fqdn, "127.0.0.1");
  }
  const byAddress = new Map(b82617.map((record) => [record.address, record]));
  assert.deepEqual(
    byAddress.get(roots.foundations)?.interactions,
    interactionsOfRoot("foundations"),
  );
  assert.deepEqual(byAddress.get(roots.dstu2)?.interactions, [
    "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata",
    "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord",
  ]);
  assert.ok(
    byAddress.get(roots.structured)?.interactions.includes(
      "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1",
    ),
  );
});

Deno.test("sdsRecords: every catalogue interaction has exactly one B82617 endpoint", () => {
  for (const interaction of interactions) {
    const matches = records.mhs.filter((record) =>
      record.odsCode === "B82617" && record.interactions.includes(interaction.id)
    );
    assert.equal(matches.length, 1, interaction.id);
  }
});

Deno.test("sdsRecords: CPA ids are unique; every MHS party key has an AS record", () => {
  const cpaIds = records.mhs.map((record) => record.cpaId);
  assert.equal(new Set(cpaIds).size, cpaIds.length);
  for (const record of records.mhs) {
    const as = records.as.filter((candidate) => candidate.partyKey === record.partyKey);
    assert.equal(as.length, 1, record.partyKey);
    for (const id of record.interactions) assert.ok(as[0]!.interactions.includes(id), id);
  }
});

Deno.test("sdsRecords: B82617 registers its patient-facing endpoints and authorisation service", () => {
  const pf = records.mhs.filter((record) => record.address.includes("/patient-facing/"));
  assert.deepEqual(pf.map((record) => record.address), [
    `${base}/B82617/patient-facing/access-record-fhir/FHIR/STU3`,
    `${base}/B82617/patient-facing/appointments-management-fhir/FHIR/STU3`,
    `${base}/B82617/patient-facing/oauth2/token`,
    `${base}/B82617/patient-facing/prescriptions-management-fhir/FHIR/R4`,
    `${base}/B82617/patient-facing/user-permissions`,
  ]);
  assert.deepEqual(pf.map((record) => record.interactions), [
    [patientFacingInteractions["access-record"]],
    [patientFacingInteractions["appointments-management"]],
    ["urn:nhs:names:services:gpconnect:fhir:operation:gpc.providerauthorizationservice"],
    ["urn:nhs:names:services:gpconnect:pfs:fhir:prescriptions-management-1"],
    ["urn:nhs:names:services:gpconnect:pfs:user-permissions-1"],
  ]);
  assert.equal(
    records.mhs.filter((r) => r.odsCode === "A20047" && r.address.includes("patient-facing"))
      .length,
    0,
  );
});

Deno.test("sdsRecords: identities of the sandbox world", () => {
  const asid = (ods: string) => records.as.filter((r) => r.odsCode === ods).map((r) => r.asid);
  assert.deepEqual(asid("B82617"), ["918999198738"]);
  assert.deepEqual(asid("A20047"), ["200000000985"]);
  assert.deepEqual(asid("A11111"), ["200000000359"]);
  assert.deepEqual(asid("Y88888"), [...sdsIdentities.severalEndpoints.asids]);
  assert.deepEqual(asid("Y99999"), []);
  assert.equal(records.mhs.filter((r) => r.odsCode === "Y99999").length, 0);
  assert.equal(records.mhs.filter((r) => r.odsCode === "A20047").length, 2);
  assert.equal(records.mhs.filter((r) => r.odsCode === "Y88888").length, 2);
});
