/** The practice's levels: fixtures, the patient's own and a proxy's kept apart, set and reset. */
import assert from "node:assert/strict";
import { denoKvProviderStore } from "../../provider-store.ts";
import { defaultPatientLevels, patientLevelFixtures } from "./permission-fixtures.ts";
import { userPermissions } from "./user-permissions.ts";

Deno.test("user permissions store: fixtures, proxies apart from patients, set and reset", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = new Date("2026-03-04T09:00:00Z");
    const permissions = userPermissions(denoKvProviderStore(kv), "B82617", () => now);
    const own = await permissions.levelsFor({ nhsNumber: "9690937286" });
    assert.equal(own.prescriptions, defaultPatientLevels.prescriptions);
    assert.equal(own.medicalRecord.effectiveDate, "2024-03-04");
    const viewer = await permissions.levelsFor({ nhsNumber: "9690937375" });
    assert.equal(viewer.prescriptions, patientLevelFixtures["9690937375"]!.prescriptions);
    const proxy = { nhsNumber: "9690937286", actorNhsNumber: "9690937294" };
    assert.equal((await permissions.levelsFor(proxy)).prescriptions, "view");
    assert.equal(
      (await permissions.levelsFor({ nhsNumber: "9690937278", actorNhsNumber: "9690937294" }))
        .medicalRecord.current,
      "none",
    );
    await permissions.set(proxy, {
      medicalRecord: { effectiveDate: "2026-01-01", current: "full", historical: "full" },
      prescriptions: "manage",
    });
    assert.equal((await permissions.levelsFor(proxy)).prescriptions, "manage");
    assert.equal(
      (await permissions.levelsFor({ nhsNumber: "9690937286" })).prescriptions,
      "manage",
    );
    await permissions.reset(proxy);
    assert.equal((await permissions.levelsFor(proxy)).prescriptions, "view");
  } finally {
    kv.close();
  }
});
