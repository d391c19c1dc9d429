/** Levels from a User Permissions body, their response shape, and what each level allows. */
import assert from "node:assert/strict";
import {
  levelsFromBody,
  medicalRecordAllows,
  permissionsBody,
  prescriptionsAllow,
} from "./permission-levels.ts";

const body = {
  medicalRecord: { current: { accessLevel: "documents" }, historical: { accessLevel: "none" } },
  prescriptions: { accessLevel: "view" },
};

Deno.test("permission levels: a body round-trips; bad levels and dates are refused; ordering", () => {
  const levels = levelsFromBody(body, "2025-01-01");
  assert.ok(!("invalid" in levels));
  assert.deepEqual(permissionsBody(levels), {
    medicalRecord: {
      effectiveDate: "2025-01-01",
      current: { accessLevel: "documents" },
      historical: { accessLevel: "none" },
    },
    prescriptions: { accessLevel: "view" },
    requests: [],
  });
  for (
    const bad of [
      {},
      { ...body, prescriptions: { accessLevel: "all" } },
      { ...body, medicalRecord: { ...body.medicalRecord, current: { accessLevel: "most" } } },
      { ...body, medicalRecord: { ...body.medicalRecord, effectiveDate: "01/01/2025" } },
    ]
  ) {
    assert.ok("invalid" in levelsFromBody(bad, "2025-01-01"), JSON.stringify(bad));
  }
  assert.equal(prescriptionsAllow("view", "view"), true);
  assert.equal(prescriptionsAllow("view", "manage"), false);
  assert.equal(prescriptionsAllow("none", "view"), false);
  assert.equal(medicalRecordAllows(levels, "documents"), true);
  assert.equal(medicalRecordAllows(levels, "full"), false);
});
