import assert from "node:assert/strict";
import { loadConformancePackage, ProfileDirectoryError } from "./profile-loader.ts";
import { gpConnectProfilesDir, profileTest } from "./test-profiles.ts";

profileTest(
  "the GP Connect 1.5.0 directory loads: profiles, ValueSets, CodeSystems (cached)",
  async () => {
    const pkg = await loadConformancePackage(gpConnectProfilesDir);
    assert.equal(pkg.structureDefinitions.size, 67);
    assert.equal(pkg.valueSets.size, 45);
    assert.equal(pkg.codeSystems.size, 27);
    const patient = pkg.structureDefinitions.get(
      "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1",
    );
    assert.equal(patient?.type, "Patient");
    const nhsNumber = patient?.snapshot.element.find((e) =>
      e.id === "Patient.identifier:nhsNumber.system"
    );
    assert.equal(nhsNumber?.fixedUri, "https://fhir.nhs.uk/Id/nhs-number");
    assert.deepEqual(nhsNumber?.type, [{ code: "uri" }]);
    assert.equal(await loadConformancePackage(gpConnectProfilesDir), pkg, "one load per directory");
  },
);

Deno.test("a missing or empty directory is a clear error", async () => {
  await assert.rejects(
    () => loadConformancePackage("/nonexistent/gpconnect-fhir"),
    (error: unknown) =>
      error instanceof ProfileDirectoryError &&
      /\/nonexistent\/gpconnect-fhir does not exist: get the GP Connect STU3 profile package/.test(
        error.message,
      ),
  );
  const empty = await Deno.makeTempDir({ prefix: "gpc-edge-profiles-" });
  try {
    await Deno.writeTextFile(`${empty}/README.md`, "nothing here");
    await Deno.writeTextFile(
      `${empty}/op.xml`,
      `<OperationDefinition xmlns="http://hl7.org/fhir"/>`,
    );
    await assert.rejects(() => loadConformancePackage(empty), /holds no StructureDefinition/);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("a StructureDefinition without a snapshot, or unparsable XML, is a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-profiles-" });
  try {
    await Deno.mkdir(`${dir}/no-snapshot`);
    await Deno.writeTextFile(
      `${dir}/no-snapshot/diff.xml`,
      `<StructureDefinition xmlns="http://hl7.org/fhir"><url value="https://example.org/sd"/><type value="Basic"/></StructureDefinition>`,
    );
    await assert.rejects(
      () => loadConformancePackage(`${dir}/no-snapshot`),
      /https:\/\/example.org\/sd has no snapshot/,
    );
    await Deno.mkdir(`${dir}/broken`);
    await Deno.writeTextFile(
      `${dir}/broken/vs.xml`,
      `<ValueSet xmlns="http://hl7.org/fhir"><url value="x">`,
    );
    await assert.rejects(() => loadConformancePackage(`${dir}/broken`), /Cannot parse .*vs\.xml/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
