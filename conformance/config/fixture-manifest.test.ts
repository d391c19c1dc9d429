import assert from "node:assert/strict";
import {
  defaultFixtureManifest,
  loadFixtureManifest,
  parseFixtureManifest,
} from "./fixture-manifest.ts";

Deno.test("the default manifest: test-pack roles, present only when the provider serves them", () => {
  const manifest = defaultFixtureManifest();
  assert.deepEqual(manifest.get("rich-record"), {
    role: "rich-record",
    nhsNumber: "9690937286",
    expect: "present",
    logicalId: "2",
    demographics: { family: "SKELLY", given: ["Horace"], birthDate: "1942-02-03" },
  });
  assert.equal(manifest.get("not-found")?.expect, "absent");
  assert.equal(manifest.get("not-found")?.demographics, undefined);
  assert.equal(manifest.get("not-found")?.nhsNumber, "9999999999");
  assert.equal(manifest.get("not-on-pds")?.expect, "absent");
  assert.equal(manifest.get("sensitive")?.expect, "absent");
  assert.equal(manifest.get("deceased")?.expect, "absent");
});

Deno.test("a target's manifest overrides roles one by one and adds new ones", () => {
  const manifest = parseFixtureManifest({
    roles: {
      "rich-record": "9000000009",
      "sensitive": { nhsNumber: "9000000017", logicalId: "s-1" },
      "extra": { nhsNumber: "9000000025", expect: "absent" },
    },
  }, "m.json");
  assert.deepEqual(manifest.get("rich-record"), {
    role: "rich-record",
    nhsNumber: "9000000009",
    expect: "present",
  });
  assert.deepEqual(manifest.get("sensitive"), {
    role: "sensitive",
    nhsNumber: "9000000017",
    expect: "absent",
    logicalId: "s-1",
  });
  assert.equal(manifest.get("extra")?.expect, "absent");
  assert.equal(manifest.get("no-allergies")?.nhsNumber, "9690937278");
});

Deno.test("manifest errors name the role and field", async () => {
  assert.throws(() => parseFixtureManifest({}, "m.json"), /^Error|m.json: expected \{"roles"/);
  assert.throws(
    () => parseFixtureManifest({ roles: { x: "123" } }, "m.json"),
    /m.json roles.x: expected a 10-digit NHS number/,
  );
  assert.throws(
    () =>
      parseFixtureManifest(
        { roles: { x: { nhsNumber: "9000000009", expect: "maybe" } } },
        "m.json",
      ),
    /roles.x.expect/,
  );
  await assert.rejects(loadFixtureManifest("/nonexistent.json"), /fixtures: cannot read/);
});

Deno.test("demographics: kept for an unchanged NHS number, given anew, checked", () => {
  const manifest = parseFixtureManifest({
    roles: {
      "rich-record": { nhsNumber: "9690937286", logicalId: "p2" },
      "no-allergies": "9000000009",
      "explicit-nka": {
        nhsNumber: "9000000017",
        family: "SMITH",
        given: ["Jo"],
        birthDate: "1970-01-31",
      },
    },
  }, "m.json");
  assert.equal(manifest.get("rich-record")?.demographics?.family, "SKELLY");
  assert.equal(manifest.get("no-allergies")?.demographics, undefined);
  assert.deepEqual(manifest.get("explicit-nka")?.demographics, {
    family: "SMITH",
    given: ["Jo"],
    birthDate: "1970-01-31",
  });
  assert.throws(
    () =>
      parseFixtureManifest({
        roles: {
          x: { nhsNumber: "9000000017", family: "SMITH", given: [], birthDate: "31/01/1970" },
        },
      }, "m.json"),
    /m.json roles.x.birthDate/,
  );
});
