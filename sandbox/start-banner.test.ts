import assert from "node:assert/strict";
import { defaultConfig } from "../worker/deno.ts";
import { startBanner } from "./start-banner.ts";
import type { RunningWorld } from "./world.ts";

function world(overrides: Partial<RunningWorld> = {}): RunningWorld {
  return {
    edgeUrl: "http://127.0.0.1:8080",
    pdsUrl: "http://127.0.0.1:8081",
    sdsUrl: "http://127.0.0.1:8082",
    providerUrl: "http://127.0.0.1:8083",
    nhsLoginUrl: "http://127.0.0.1:8084",
    vrsUrl: "http://127.0.0.1:8085",
    kvPath: "data/gpc-edge.sqlite",
    config: { ...defaultConfig, mesh: { ...defaultConfig.mesh, adminApi: true } },
    meshPractices: ["B82617OT1", "A20047OT1"],
    close: () => Promise.resolve(),
    ...overrides,
  };
}

Deno.test("startBanner on the default ports: every service and the README's commands as they are", () => {
  const banner = startBanner(world());
  for (
    const line of [
      /^ {2}gpc-edge\s+http:\/\/127\.0\.0\.1:8080 /m,
      /^ {4}MESH\s+http:\/\/127\.0\.0\.1:8080\/messageexchange$/m,
      /^ {4}patient-facing platform\s+http:\/\/127\.0\.0\.1:8080\/gp-connect\/patient-facing\//m,
      /^ {2}PDS sandbox \(FHIR R4\)\s+http:\/\/127\.0\.0\.1:8081\/Patient\/\{nhs\}$/m,
      /^ {2}SDS sandbox\s+http:\/\/127\.0\.0\.1:8082\/Endpoint/m,
      /^ {2}VRS sandbox \(FHIR R4\)\s+http:\/\/127\.0\.0\.1:8085\/validated-relationships\/FHIR\/R4\/RelatedPerson/m,
      /^ {2}reference provider B82617\s+http:\/\/127\.0\.0\.1:8083\/B82617\/STU3\/1\/gpconnect\/fhir$/m,
      /^ {2}NHS login sandbox\s+http:\/\/127\.0\.0\.1:8084 /m,
    ]
  ) {
    assert.match(banner, line);
  }
  assert.match(banner, /admin API on/);
  assert.match(banner, /A11111OT1 \(A11111 consumer organisation\), B82617OT1 \(Practice B82617\)/);
  assert.match(banner, /password 'password', shared key 'TestKey' \(local only\)/);
  assert.match(
    banner,
    /^ {2}npx -y deno@2\.9\.6 task mesh send-document --nhs-number 9690937286 --pdf report\.pdf$/m,
  );
  assert.match(banner, /^ {2}printf '%%PDF-1\.4\\n%%%%EOF\\n' > report\.pdf$/m);
  assert.match(banner, /^ {2}TOKEN=\$\(npx -y deno@2\.9\.6 task -q pf-token 9690937286\)$/m);
  assert.ok(banner.includes("/Patient/$gpc.getstructuredrecord"));
  assert.match(banner, /curl -s 'http:\/\/127\.0\.0\.1:8084\/\.well-known\/openid-configuration'/);
});

Deno.test("startBanner on other ports names them in the commands; configured MESH secrets are never printed", () => {
  const secretKey = "a-real-shared-key";
  const banner = startBanner(world({
    edgeUrl: "http://127.0.0.1:18080",
    pdsUrl: "http://127.0.0.1:18081",
    nhsLoginUrl: "http://127.0.0.1:18084",
    config: {
      ...defaultConfig,
      mesh: {
        ...defaultConfig.mesh,
        sharedKey: secretKey,
        mailboxes: defaultConfig.mesh.mailboxes.map((m) => ({ ...m, password: `pw-${m.id}` })),
      },
    },
  }));
  assert.match(
    banner,
    /task mesh send-document --nhs-number 9690937286 --pdf report\.pdf --mesh-url http:\/\/127\.0\.0\.1:18080 --pds-url http:\/\/127\.0\.0\.1:18081$/m,
  );
  assert.match(
    banner,
    /TOKEN=\$\(GPC_EDGE_URL=http:\/\/127\.0\.0\.1:18080 GPC_EDGE_NHS_LOGIN_URL=http:\/\/127\.0\.0\.1:18084 npx/,
  );
  assert.match(banner, /admin API off/);
  assert.match(banner, /set MESH_CLIENT_PASSWORD, MESH_CLIENT_SHARED_KEY/);
  assert.ok(!banner.includes(secretKey));
  assert.ok(!banner.includes("pw-"));
  assert.ok(!banner.includes("'password'"));
});
