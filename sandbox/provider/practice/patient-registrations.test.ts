import assert from "node:assert/strict";
import { denoKvProviderStore } from "../provider-store.ts";
import {
  foundationsInteractions as I,
  providerTestClient,
  registerPatientBody,
} from "../foundations/provider-test-client.ts";
import { registrationKey } from "./patient-registrations.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const search = `/Patient?identifier=${
  encodeURIComponent("https://fhir.nhs.uk/Id/nhs-number|9990000204")
}`;

Deno.test("registrationKey: provider:{odsCode}:registration:{nhsNumber}", () => {
  assert.equal(registrationKey("B82617", "9990000204"), "provider:B82617:registration:9990000204");
});

Deno.test("registrations survive a restart of the provider (Deno KV on a SQLite file)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-registrations-" });
  const path = `${dir}/provider.sqlite`;
  try {
    let registeredId: string;
    {
      const kv = await Deno.openKv(path);
      try {
        const { call } = providerTestClient({ store: denoKvProviderStore(kv) });
        const res = await call("/Patient/$gpc.registerpatient", I.register, {
          body: registerPatientBody({
            nhsNumber: "9990000204",
            family: "NETTLESHIP",
            given: "Florence",
            birthDate: "1972-01-28",
          }),
        });
        assert.equal(res.status, 200);
        registeredId = (await res.json()).entry[0].resource.id;
      } finally {
        kv.close();
      }
    }
    const kv = await Deno.openKv(path);
    try {
      const { call } = providerTestClient({ store: denoKvProviderStore(kv) });
      const found: Json = await (await call(search, I.searchPatient)).json();
      assert.equal((found.entry ?? []).length, 1);
      assert.equal(found.entry[0].resource.id, registeredId);
      const read = await call(`/Patient/${registeredId}`, I.readPatient);
      assert.equal(read.status, 200);
      await read.body?.cancel();
      const again = await call("/Patient/$gpc.registerpatient", I.register, {
        body: registerPatientBody({
          nhsNumber: "9990000204",
          family: "NETTLESHIP",
          given: "Florence",
          birthDate: "1972-01-28",
        }),
      });
      assert.equal(again.status, 409);
      await again.body?.cancel();
    } finally {
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
