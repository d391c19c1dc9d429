/**
 * R29 permission gating (OWASP API3, API5): the rules of specs/platform-permissions.json level by
 * level, and the platform end to end against the reference practice's User Permissions (levels
 * changed through the practice sandbox's own control): `none` blocks a product, `view` reads but
 * never reorders or cancels (no request reaches the practice's Task endpoint), each medical
 * record level allows exactly its sections and routes.
 */
import assert from "node:assert/strict";
import { checkPermissions, permissionNeeds } from "./chain/permission-rules.ts";
import { PlatformError } from "./platform-error.ts";
import { productById, products } from "./platform-specs.ts";
import permissionsDoc from "../../specs/platform-permissions.json" with { type: "json" };

const route = (product: string, name: string) =>
  productById(product).routes.find((candidate) => candidate.name === name)!;

function parameters(...names: string[]) {
  return {
    resourceType: "Parameters",
    parameter: [
      {
        name: "patientNHSNumber",
        valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" },
      },
      ...names.map((name) => ({ name })),
    ],
  };
}

/** Whether `levels` allow a request to `product`/`routeName` with `body`. */
function allows(
  levels: { medicalRecord?: string; prescriptions?: string },
  product: string,
  routeName: string,
  body?: unknown,
): boolean {
  const needs = permissionNeeds(
    productById(product).id,
    route(product, routeName),
    body,
  );
  try {
    checkPermissions({ medicalRecord: "full", prescriptions: "manage", ...levels }, needs);
    return true;
  } catch (error) {
    assert.ok(error instanceof PlatformError);
    assert.equal(error.status, 403);
    assert.equal(error.code, "ACCESS_DENIED");
    return false;
  }
}

Deno.test("R29 the permission data names every route of the gated products and only known levels", () => {
  const levels = permissionsDoc.levels as Record<string, string[]>;
  for (const product of products) {
    const rule = (permissionsDoc.products as Record<
      string,
      { area: string | null; routes: Record<string, string> }
    >)[product.id];
    assert.ok(rule, `${product.id} has a permission rule`);
    if (rule.area === null) continue;
    for (const r of product.routes) {
      const level = rule.routes[r.name];
      assert.ok(level, `${product.id} ${r.name} names its level`);
      assert.ok(levels[rule.area]!.includes(level), `${level} is a ${rule.area} level`);
    }
  }
  for (const level of Object.values(permissionsDoc.structuredRecord.parameters)) {
    assert.ok(levels.medicalRecord!.includes(level));
  }
});

Deno.test("R29 prescriptions: none blocks every route, view reads only, manage reorders and cancels", () => {
  const reads = [
    "patient-medication-requests",
    "patient-medication-statements",
    "read-medication-request",
    "read-practitioner-role",
    "search-tasks",
    "read-task",
  ];
  const writes = ["reorder-repeat", "cancel-task"];
  for (const name of [...reads, ...writes]) {
    assert.equal(allows({ prescriptions: "none" }, "prescriptions-management", name), false, name);
    assert.equal(allows({ prescriptions: "manage" }, "prescriptions-management", name), true, name);
  }
  for (const name of reads) {
    assert.equal(allows({ prescriptions: "view" }, "prescriptions-management", name), true, name);
  }
  for (const name of writes) {
    assert.equal(allows({ prescriptions: "view" }, "prescriptions-management", name), false, name);
  }
  // The medical record level does not gate prescriptions.
  assert.equal(
    allows({ medicalRecord: "none" }, "prescriptions-management", "reorder-repeat"),
    true,
  );
});

Deno.test("R29 medical record levels: each allows exactly its structured sections and routes", () => {
  const sections: Record<string, string[]> = {
    summary: ["includeMedication", "includeAllergies", "includeProblems"],
    detailed: [
      "includeConsultations",
      "includeInvestigations",
      "includeImmunisations",
      "includeReferrals",
      "includeDiaryEntries",
      "includeUncategorisedData",
    ],
    full: ["includeFullRecord", "includeSomethingNew"],
  };
  const documentRoutes = ["documents-patient", "documents-search", "documents-binary"];
  const order = ["none", "summary", "detailed", "documents", "full"];
  for (const [held, rank] of order.map((level, i) => [level, i] as const)) {
    const levels = { medicalRecord: held };
    // A request for no section at all still needs summary.
    assert.equal(
      allows(levels, "access-record", "getstructuredrecord", parameters()),
      rank >= 1,
      `${held}: bare Parameters`,
    );
    for (const [needed, names] of Object.entries(sections)) {
      for (const name of names) {
        assert.equal(
          allows(levels, "access-record", "getstructuredrecord", parameters(name)),
          rank >= order.indexOf(needed),
          `${held}: ${name}`,
        );
      }
    }
    for (const name of documentRoutes) {
      assert.equal(allows(levels, "access-record", name), rank >= 3, `${held}: ${name}`);
    }
    // Appointments and User Permissions are not gated by the record level.
    assert.equal(allows(levels, "appointments-management", "book-appointment"), true);
    assert.equal(allows(levels, "user-permissions", "patient-permissions"), true);
  }
});

Deno.test("R29 a summary user asking for medication and consultations together is refused, naming the section", () => {
  const needs = permissionNeeds(
    "access-record",
    route("access-record", "getstructuredrecord"),
    parameters("includeMedication", "includeConsultations"),
  );
  assert.throws(
    () => checkPermissions({ medicalRecord: "summary", prescriptions: "none" }, needs),
    (error: unknown) =>
      error instanceof PlatformError && error.status === 403 &&
      /includeConsultations section needs medicalRecord access level detailed; the practice set summary/
        .test(error.diagnostics ?? ""),
  );
});

Deno.test("R29 an unknown level from the practice allows nothing", () => {
  assert.equal(
    allows({ prescriptions: "admin" }, "prescriptions-management", "search-tasks"),
    false,
  );
  assert.equal(
    allows({ medicalRecord: "everything" }, "access-record", "getstructuredrecord", parameters()),
    false,
  );
});
