import assert from "node:assert/strict";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import type { UpstreamFetch } from "../app-deps.ts";
import { defaultConfig } from "../config.ts";
import { createDirectoryResolver } from "../directory/directory-resolver.ts";
import { GpcEdgeError } from "../errors.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import {
  createGpProviderRouter,
  directoryDemographics,
  type RoutingDemographics,
} from "./gpprovider-routing.ts";
import { createMailboxDirectory } from "./mailbox-directory.ts";
import { defaultMeshConfig } from "./mesh-config.ts";

const sendDocument = "GPCONNECT_SEND_DOCUMENT";
const skelly: RoutingDemographics = {
  birthDate: "1942-02-03",
  familyNames: ["SKELLY"],
  gpOdsCode: "B82617",
};

/** A router over one fake patient and the local world's mailboxes. */
function fakeRouter(patient: RoutingDemographics | "not on PDS" = skelly) {
  const asked: string[] = [];
  const logged: Array<Readonly<Record<string, unknown>>> = [];
  const mailboxes = createMailboxDirectory(defaultMeshConfig.mailboxes);
  const route = createGpProviderRouter({
    demographics: (nhsNumber) => {
      asked.push(nhsNumber);
      return Promise.resolve(patient === "not on PDS" ? undefined : patient);
    },
    receiversFor: mailboxes.receiversFor,
    logger: { log: (record) => logged.push(record) },
  });
  return { route, asked, logged };
}

Deno.test("gpprovider routing: a matching patient routes to the practice's one mailbox", async () => {
  const { route, asked, logged } = fakeRouter();
  assert.deepEqual(await route("GPPROVIDER_9690937286_19420203_SKELLY", sendDocument), {
    kind: "routed",
    mailboxId: "B82617OT1",
    odsCode: "B82617",
  });
  assert.deepEqual(asked, ["9690937286"]);
  assert.equal(logged.length, 0);
});

Deno.test("gpprovider routing: surname ignores case and spacing; mailboxes given as { mailboxId }", async () => {
  const route = createGpProviderRouter({
    demographics: () => Promise.resolve({ ...skelly, familyNames: ["Van  Der Berg", "SKELLY"] }),
    receiversFor: () => Promise.resolve([{ mailboxId: "B82617OT1" }]),
  });
  for (const surname of ["Skelly", "skelly", " SKELLY ", "van der berg", "VAN DER  BERG"]) {
    const routing = await route(`GPPROVIDER_9690937286_19420203_${surname}`, sendDocument);
    assert.equal(routing.kind, "routed", surname);
  }
});

Deno.test("gpprovider routing: a DDMMYYYY date of birth is accepted and flagged without patient details", async () => {
  const { route, logged } = fakeRouter();
  const routing = await route("GPPROVIDER_9690937286_03021942_Skelly", sendDocument);
  assert.equal(routing.kind, "routed");
  assert.deepEqual(logged, [{
    event: "mesh.gpprovider.legacy_date_of_birth_format",
    workflowId: sendDocument,
  }]);
});

Deno.test("gpprovider routing: EPL-152 for a bad NHS number, before PDS is asked", async () => {
  const { route, asked } = fakeRouter();
  for (
    const address of [
      "GPPROVIDER_9690937287_19420203_SKELLY",
      "GPPROVIDER_969093728_19420203_SKELLY",
      "GPPROVIDER_969093728X_19420203_SKELLY",
      "GPPROVIDER__19420203_SKELLY",
      "GPPROVIDER_",
    ]
  ) {
    assert.deepEqual(await route(address, sendDocument), {
      kind: "failed",
      code: "EPL-152",
      description: "Invalid NHS Number",
    }, address);
  }
  assert.equal(asked.length, 0);
});

Deno.test("gpprovider routing: EPL-153 when PDS has no record", async () => {
  const { route } = fakeRouter("not on PDS");
  assert.deepEqual(await route("GPPROVIDER_9999999999_19420203_SKELLY", sendDocument), {
    kind: "failed",
    code: "EPL-153",
    description: "NHS Number not found",
  });
});

Deno.test("gpprovider routing: EPL-154 for any date of birth or surname mismatch, or withheld fields", async () => {
  const epl154 = {
    kind: "failed",
    code: "EPL-154",
    description: "NHS Number supplied does not match the demographics",
  };
  const { route } = fakeRouter();
  for (
    const address of [
      "GPPROVIDER_9690937286_19420204_SKELLY",
      "GPPROVIDER_9690937286_04021942_SKELLY",
      "GPPROVIDER_9690937286_1942-02-03_SKELLY",
      "GPPROVIDER_9690937286_19421303_SKELLY",
      "GPPROVIDER_9690937286_19420203_SKELLEY",
      "GPPROVIDER_9690937286_19420203_SKELL",
      "GPPROVIDER_9690937286_19420203_",
      "GPPROVIDER_9690937286_19420203",
      "GPPROVIDER_9690937286",
    ]
  ) assert.deepEqual(await route(address, sendDocument), epl154, address);
  const withheld = fakeRouter({ birthDate: undefined, familyNames: [], gpOdsCode: undefined });
  assert.deepEqual(
    await withheld.route("GPPROVIDER_9990000115_19761102_THACKERAY", sendDocument),
    epl154,
  );
  // PDS holds a partial date: nothing written as a full date equals it.
  const partial = fakeRouter({ ...skelly, birthDate: "1942-02" });
  assert.deepEqual(
    await partial.route("GPPROVIDER_9690937286_19420201_SKELLY", sendDocument),
    epl154,
  );
});

Deno.test("gpprovider routing: EPL-151 without a current practice or a receiving mailbox; EPL-150 with two", async () => {
  const noGp = fakeRouter({ ...skelly, gpOdsCode: undefined });
  assert.deepEqual(await noGp.route("GPPROVIDER_9690937286_19420203_SKELLY", sendDocument), {
    kind: "failed",
    code: "EPL-151",
    description: "No mailbox matched",
  });
  const y99999 = fakeRouter({ ...skelly, gpOdsCode: "Y99999" });
  const address = "GPPROVIDER_9690937286_19420203_SKELLY";
  assert.equal((await y99999.route(address, sendDocument)).kind, "failed");
  assert.deepEqual(
    await y99999.route(address, sendDocument),
    await noGp.route(address, sendDocument),
  );
  const y88888 = fakeRouter({ ...skelly, gpOdsCode: "Y88888" });
  assert.deepEqual(await y88888.route(address, sendDocument), {
    kind: "failed",
    code: "EPL-150",
    description: "Multiple mailboxes matches",
  });
  // Y88888's mailboxes receive Send Document only: Update Record finds none.
  assert.deepEqual(
    await y88888.route(address, "GPCONNECT_UPDATE_RECORD"),
    await noGp.route(address, sendDocument),
  );
});

Deno.test("gpprovider routing: PDS failures reject; a non-routing address is a programming error", async () => {
  const route = createGpProviderRouter({
    demographics: () =>
      Promise.reject(GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", { status: 502 })),
    receiversFor: () => [],
  });
  await assert.rejects(route("GPPROVIDER_9690937286_19420203_SKELLY", sendDocument), {
    status: 502,
  });
  await assert.rejects(route("B82617OT1", sendDocument), RangeError);
});

/** The real directory over the PDS sandbox app, and the local world's mailboxes. */
function directoryRouter() {
  const pds = createPdsSandbox();
  const base = "http://pds.test/personal-demographics/FHIR/R4";
  let pdsCalls = 0;
  const fetch: UpstreamFetch = async (input, init) => {
    pdsCalls++;
    const request = new Request(input, init);
    const url = new URL(request.url);
    url.pathname = url.pathname.slice(new URL(base).pathname.length);
    return await pds.fetch(new Request(url, request));
  };
  const directory = createDirectoryResolver({
    config: { ...defaultConfig.directory, pdsBaseUrl: base },
    store: createMemoryCacheStore(),
    fetch,
    clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
    randomUUID: () => crypto.randomUUID(),
  });
  const route = createGpProviderRouter({
    demographics: directoryDemographics(directory),
    receiversFor: createMailboxDirectory(defaultMeshConfig.mailboxes).receiversFor,
  });
  return { route, calls: () => pdsCalls };
}

Deno.test("gpprovider routing over the directory and the PDS sandbox: the local world's cases", async () => {
  const { route, calls } = directoryRouter();
  const cases: Array<[string, string, string]> = [
    ["GPPROVIDER_9690937286_19420203_Skelly", sendDocument, "B82617OT1"],
    ["GPPROVIDER_9690937286_19420203_SKELLY", "GPCONNECT_UPDATE_RECORD", "B82617OT1"],
    ["GPPROVIDER_9990000204_19720128_Nettleship", sendDocument, "A20047OT1"],
    ["GPPROVIDER_9990000123_19900525_LOCKWOOD", sendDocument, "B82617OT1"],
    ["GPPROVIDER_9690937286_19420203_Smith", sendDocument, "EPL-154"],
    ["GPPROVIDER_9690937286_19420302_Skelly", sendDocument, "EPL-154"],
    ["GPPROVIDER_9690937287_19420203_Skelly", sendDocument, "EPL-152"],
    ["GPPROVIDER_9999999999_19420203_Skelly", sendDocument, "EPL-153"],
    ["GPPROVIDER_9990000190_19591021_HEBBLETHWAITE", sendDocument, "EPL-153"],
    ["GPPROVIDER_9990000212_19850606_WHITTAKER", sendDocument, "EPL-151"],
    ["GPPROVIDER_9990000220_19630909_OGLETHORPE", sendDocument, "EPL-150"],
    ["GPPROVIDER_9990000107_19830317_FAIRCLOUGH", sendDocument, "EPL-151"],
    ["GPPROVIDER_9990000115_19761102_THACKERAY", sendDocument, "EPL-154"],
    ["GPPROVIDER_9990000174_19670404_CRABTREE", sendDocument, "EPL-151"],
  ];
  for (const [address, workflow, expected] of cases) {
    const routing = await route(address, workflow);
    const got = routing.kind === "routed" ? routing.mailboxId : routing.code;
    assert.equal(got, expected, address);
    // Nothing of the patient in what reaches tracking and REPORTs.
    const [, nhs = "", dob = "", surname = ""] = address.split("_");
    const text = JSON.stringify(routing).toUpperCase();
    for (const detail of [nhs, dob, surname.toUpperCase()]) {
      assert.ok(!text.includes(detail), `${address}: ${text}`);
    }
  }
  // 10 distinct valid NHS numbers, each asked once: repeats come from the isolate's cache.
  assert.equal(calls(), 10);
});
