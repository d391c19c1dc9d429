import assert from "node:assert/strict";
import {
  defaultFixtureManifest,
  loadFixtureManifest,
  parseFixtureManifest,
  roleCandidates,
} from "./fixture-manifest.ts";

Deno.test("the default manifest: test-pack roles, present only when the provider serves them", () => {
  const manifest = defaultFixtureManifest();
  assert.deepEqual(manifest.get("rich-record"), {
    role: "rich-record",
    nhsNumber: "9690937286",
    expect: "present",
    logicalId: "2",
    demographics: {
      family: "SKELLY",
      given: ["Horace"],
      birthDate: "1942-02-03",
      prefix: ["Mr"],
      gender: "male",
    },
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

Deno.test("the default manifest: pds-no-gp's pool is its own patient then the twelve candidates", () => {
  const manifest = defaultFixtureManifest();
  const role = manifest.get("pds-no-gp")!;
  assert.equal(role.expect, "absent");
  assert.equal(role.nhsNumber, "9990000166");
  const pool = roleCandidates(role);
  assert.equal(pool.length, 13);
  assert.deepEqual(pool[0], { nhsNumber: role.nhsNumber, demographics: role.demographics });
  assert.deepEqual(pool[1], {
    nhsNumber: "9990000247",
    demographics: {
      family: "ACKROYD",
      given: ["Barnaby"],
      birthDate: "1988-03-14",
      prefix: ["Mr"],
      gender: "male",
    },
  });
  assert.equal(new Set(pool.map((candidate) => candidate.nhsNumber)).size, 13);
  assert.ok(pool.every((candidate) => candidate.demographics?.gender !== undefined));
  // Candidates are not roles of their own; a role without a pool is its one patient.
  assert.equal(manifest.get("pds-no-gp-2"), undefined);
  assert.equal(manifest.get("rich-record")?.candidates, undefined);
  assert.deepEqual(roleCandidates(manifest.get("not-found")!), [{ nhsNumber: "9999999999" }]);
});

Deno.test("a target's manifest gives a role a pool, keeps the base pool or drops it", () => {
  const manifest = parseFixtureManifest({
    roles: {
      "pds-no-gp": {
        expect: "absent",
        candidates: [
          { nhsNumber: "9000000009", family: "SMITH", given: ["Jo"], birthDate: "1970-01-31" },
          "9000000017",
        ],
      },
      "pds-gp-ended": { nhsNumber: "9990000174", logicalId: "x" },
      "extra": { nhsNumber: "9000000025", candidates: ["9000000033", "9000000025"] },
    },
  }, "m.json");
  const pool = manifest.get("pds-no-gp")!;
  assert.equal(pool.nhsNumber, "9000000009");
  assert.equal(pool.demographics?.family, "SMITH");
  assert.deepEqual(roleCandidates(pool).map((c) => c.nhsNumber), ["9000000009", "9000000017"]);
  assert.deepEqual(roleCandidates(manifest.get("extra")!).map((c) => c.nhsNumber), [
    "9000000025",
    "9000000033",
  ]);
  // Another number for a pooled role drops the base's pool (its numbers are not the target's).
  const moved = parseFixtureManifest({ roles: { "pds-no-gp": "9000000009" } }, "m.json");
  assert.equal(moved.get("pds-no-gp")?.candidates, undefined);
  assert.equal(moved.get("pds-no-gp")?.expect, "absent");
  const same = parseFixtureManifest({ roles: { "pds-no-gp": "9990000166" } }, "m.json");
  assert.equal(roleCandidates(same.get("pds-no-gp")!).length, 13);
  assert.throws(
    () => parseFixtureManifest({ roles: { x: { candidates: [] } } }, "m.json"),
    /m.json roles.x.candidates: expected a list/,
  );
  assert.throws(
    () => parseFixtureManifest({ roles: { x: { candidates: ["9000000009", "12"] } } }, "m.json"),
    /m.json roles.x.candidates\[1\]: expected a 10-digit NHS number/,
  );
  assert.throws(
    () =>
      parseFixtureManifest({
        roles: {
          x: {
            nhsNumber: "9000000017",
            family: "S",
            given: [],
            birthDate: "1970-01-31",
            gender: "f",
          },
        },
      }, "m.json"),
    /m.json roles.x.gender: expected one of male, female, other, unknown/,
  );
});
