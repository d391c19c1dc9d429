/**
 * The harness's patient-facing self-test: `--product patient-facing` passes against the reference
 * practice of a local world (as target local, and as a configured provider) and fails, naming the
 * right requirement, against each deliberately broken practice (a proxy in front of it breaking
 * one rule).
 */
import assert from "node:assert/strict";
import { importJWK } from "jose";
import { startWorld } from "../../sandbox/world.ts";
import { patientFacingUrls } from "../../sandbox/provider/patient-facing/pf-roots.ts";
import { localViewUser } from "../patient-facing/pf-local-target.ts";
import { brokenPfKinds, brokenPfPractice } from "./broken-pf-practices.ts";
import { failedRequirements, notPassed, runHarness } from "./mesh-selftest-support.ts";

Deno.test("self-test: the patient-facing product passes the reference practice and catches each broken one", async (t) => {
  const world = await startWorld({
    ports: { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 },
    dataDir: ":memory:",
    logger: { log() {} },
  });
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-pf-selftest-" });
  const servers: Array<Deno.HttpServer> = [];
  try {
    const platform = world.config.platform;
    const signingKey = platform.signingKey!;
    const clientId = platform.providerClientIds.B82617 ?? platform.defaultProviderClientId;
    const keyFile = `${dir}/harness-key.jwk.json`;
    await Deno.writeTextFile(
      keyFile,
      JSON.stringify({ ...signingKey.privateJwk, kid: signingKey.kid }),
    );
    const identity = {
      clientId,
      kid: signingKey.kid,
      privateKey: await importJWK(signingKey.privateJwk, "RS512") as CryptoKey,
    };
    /** The harness flags for the practice at `base`, its token exchanges at `authBase`. */
    const providerFlags = (base: string, authBase = world.providerUrl) => {
      const urls = patientFacingUrls(base, "B82617");
      return [
        "--target",
        "direct",
        "--product",
        "patient-facing",
        "--pf-authorisation-url",
        patientFacingUrls(authBase, "B82617").authorisationService,
        "--pf-access-record",
        urls["access-record"],
        "--pf-appointments",
        urls["appointments-management"],
        "--pf-prescriptions",
        urls["prescriptions-management"],
        "--pf-user-permissions",
        urls["user-permissions"],
        "--pf-client-id",
        clientId,
        "--pf-signing-key",
        keyFile,
        "--pf-nhs-login-url",
        world.nhsLoginUrl,
        "--pf-view-user",
        localViewUser()!,
      ];
    };

    await t.step("the reference practice passes every patient-facing case", async () => {
      const good = await runHarness(providerFlags(world.providerUrl));
      assert.deepEqual(notPassed(good.report), [], "the reference practice passes");
      assert.ok(good.report.totals.tests >= 25, `ran ${good.report.totals.tests}`);
      assert.equal(good.status, 0);
      // A second run passes too: the flows cleaned up what they booked and reordered.
      const again = await runHarness(providerFlags(world.providerUrl));
      assert.deepEqual(notPassed(again.report), [], "a second run passes");
    });

    for (const kind of brokenPfKinds) {
      await t.step(`a practice that ${kind.description} fails ${kind.requirement}`, async () => {
        const proxy = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen() {} },
          brokenPfPractice(kind.name, world.providerUrl, identity),
        );
        servers.push(proxy);
        const proxyUrl = `http://127.0.0.1:${proxy.addr.port}`;
        const good = await runHarness([...providerFlags(world.providerUrl), ...kind.selection]);
        assert.ok(good.report.totals.tests > 0, "the selection runs something");
        assert.deepEqual(notPassed(good.report), [], "the reference practice passes it");
        const broken = await runHarness([
          ...providerFlags(proxyUrl, kind.breaksAuthorisation ? proxyUrl : world.providerUrl),
          ...kind.selection,
        ]);
        assert.notEqual(broken.status, 0, `${kind.name}: the run fails`);
        assert.ok(
          failedRequirements(broken.report).has(kind.requirement),
          `${kind.name}: a failure names ${kind.requirement}; named ${
            [...failedRequirements(broken.report)].join(", ")
          }`,
        );
        await proxy.shutdown();
      });
    }
  } finally {
    await Promise.all(servers.map((server) => server.shutdown().catch(() => {})));
    await Deno.remove(dir, { recursive: true });
    await world.close();
  }
});
