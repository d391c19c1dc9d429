/**
 * R5 delegated access (A4): the VRS step itself (chain/delegation.ts) over real loopback HTTP —
 * which Bundles confirm a proxy, VRS's failures mapped to the gateway's statuses (never a 500),
 * answers cached per session — and the platform end to end against the VRS sandbox (proxy
 * 9690937294 acts for 9690937286): the confirmed child's record read with the proxy's own levels,
 * every other subject 403 with neither PDS nor the practice asked, the audit line's actor.
 */
import assert from "node:assert/strict";
import { confirmDelegation, confirmsRelationship } from "./chain/delegation.ts";
import type { PlatformSession } from "./oauth/platform-tokens.ts";
import { PlatformError } from "./platform-error.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";

const proxy = "9690937294";
const child = "9690937286";
const nhs = "https://fhir.nhs.uk/Id/nhs-number";

function relatedPerson(proxyNumber: string, patientNumber: string, extra = {}) {
  return {
    fullUrl: `https://vrs.example/RelatedPerson/${proxyNumber}-${patientNumber}`,
    resource: {
      resourceType: "RelatedPerson",
      id: "BE974742",
      identifier: [{ system: nhs, value: proxyNumber }],
      patient: { type: "Patient", identifier: { system: nhs, value: patientNumber } },
      relationship: [{ coding: [{ code: "MTH", display: "mother" }] }],
      ...extra,
    },
    search: { mode: "match" },
  };
}

const bundle = (...entry: unknown[]) => ({ resourceType: "Bundle", type: "searchset", entry });

function session(overrides: Partial<PlatformSession> = {}): PlatformSession {
  return {
    sessionId: crypto.randomUUID(),
    clientId: "pfs-sandbox-app",
    nhsNumber: child,
    proofingLevel: "P9",
    scopes: [],
    idToken: "id-token",
    actorNhsNumber: proxy,
    endsAt: Date.now() + 3600_000,
    ...overrides,
  };
}

/** A loopback VRS answering with `answer`; records the requests it got. */
async function withVrs(
  answer: (request: Request) => Response | Promise<Response>,
  run: (url: string, requests: URL[]) => Promise<void>,
): Promise<void> {
  const requests: URL[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    requests.push(new URL(request.url));
    return answer(request);
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}`, requests);
  } finally {
    await server.shutdown();
  }
}

function deps(vrsBaseUrl: string, timeoutMs = 5_000) {
  return {
    records: createMemoryRecordsStore(),
    fetch: (input: Request | string | URL, init?: RequestInit) => fetch(input, init),
    clock: { now: () => Date.now(), sleep: () => Promise.resolve() },
    vrsBaseUrl,
    timeoutMs,
  };
}

async function refusal(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof PlatformError, `expected a PlatformError, got ${error}`);
  return error;
}

Deno.test("R5 VRS's Bundle confirms only a RelatedPerson of this proxy for this patient, not inactive", () => {
  assert.equal(confirmsRelationship(bundle(relatedPerson(proxy, child)), proxy, child), true);
  assert.equal(
    confirmsRelationship(bundle(relatedPerson(proxy, "9690937278")), proxy, child),
    false,
  );
  assert.equal(
    confirmsRelationship(bundle(relatedPerson("9690937278", child)), proxy, child),
    false,
  );
  assert.equal(
    confirmsRelationship(bundle(relatedPerson(proxy, child, { active: false })), proxy, child),
    false,
  );
  assert.equal(confirmsRelationship(bundle(), proxy, child), false);
  assert.equal(
    confirmsRelationship(
      bundle({
        resource: { resourceType: "Patient", identifier: [{ system: nhs, value: child }] },
      }),
      proxy,
      child,
    ),
    false,
  );
});

Deno.test("R5 a session without act asks VRS nothing", async () => {
  await withVrs(() => Response.json(bundle()), async (url, requests) => {
    await confirmDelegation(deps(url), session({ actorNhsNumber: undefined }), crypto.randomUUID());
    assert.equal(requests.length, 0);
  });
});

Deno.test("R5 VRS asked with the proxy, the patient and _include; a confirmation is cached for the session", async () => {
  await withVrs(() => Response.json(bundle(relatedPerson(proxy, child))), async (url, requests) => {
    const d = deps(url);
    const s = session();
    await confirmDelegation(d, s, crypto.randomUUID());
    await confirmDelegation(d, s, crypto.randomUUID());
    assert.equal(requests.length, 1);
    const asked = requests[0]!;
    assert.equal(asked.pathname, "/validated-relationships/FHIR/R4/RelatedPerson");
    assert.equal(asked.searchParams.get("identifier"), proxy);
    assert.equal(asked.searchParams.get("patient:identifier"), child);
    assert.equal(asked.searchParams.get("_include"), "RelatedPerson:patient");
    // Another session asks again.
    await confirmDelegation(d, session(), crypto.randomUUID());
    assert.equal(requests.length, 2);
  });
});

Deno.test("R5 a subject VRS does not confirm (empty Bundle, 404, 400) is 403 ACCESS_DENIED, cached too", async () => {
  for (
    const answer of [
      () => Response.json(bundle()),
      () => Response.json({ resourceType: "OperationOutcome" }, { status: 404 }),
      () => Response.json({ resourceType: "OperationOutcome" }, { status: 400 }),
    ]
  ) {
    await withVrs(answer, async (url, requests) => {
      const d = deps(url);
      const s = session();
      for (let i = 0; i < 2; i++) {
        const error = await refusal(confirmDelegation(d, s, crypto.randomUUID()));
        assert.equal(error.status, 403);
        assert.equal(error.code, "ACCESS_DENIED");
      }
      assert.equal(requests.length, 1);
    });
  }
});

Deno.test("R5 VRS failing maps to 502/503/504, never 500, and is not cached", async () => {
  const cases: Array<[() => Response, number, string]> = [
    [() => new Response("<html>down</html>", { status: 500 }), 502, "BAD_GATEWAY"],
    [() => new Response("busy", { status: 503 }), 502, "BAD_GATEWAY"],
    [() => Response.json({}, { status: 401 }), 502, "BAD_GATEWAY"],
    [() => Response.json({}, { status: 408 }), 504, "GATEWAY_TIMEOUT"],
    [() => Response.json({}, { status: 429 }), 503, "SERVICE_UNAVAILABLE"],
    [() => new Response("not json", { status: 200 }), 502, "BAD_GATEWAY"],
    [() => Response.json({ resourceType: "OperationOutcome" }), 502, "BAD_GATEWAY"],
  ];
  for (const [answer, status, code] of cases) {
    await withVrs(answer, async (url, requests) => {
      const d = deps(url);
      const s = session();
      for (let i = 0; i < 2; i++) {
        const error = await refusal(confirmDelegation(d, s, crypto.randomUUID()));
        assert.equal(error.status, status, `${code}`);
        assert.equal(error.code, code);
      }
      assert.equal(requests.length, 2, "errors are not cached");
    });
  }
});

Deno.test("R5 VRS silent past its own deadline is 504; VRS unreachable is 502", async () => {
  const { promise: never, resolve } = Promise.withResolvers<Response>();
  await withVrs(() => never, async (url) => {
    const error = await refusal(confirmDelegation(deps(url, 200), session(), crypto.randomUUID()));
    assert.equal(error.status, 504);
    resolve(new Response(null, { status: 204 }));
  });
  // A port nothing listens on: bind one, close it, ask it.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const error = await refusal(
    confirmDelegation(deps(`http://127.0.0.1:${port}`), session(), crypto.randomUUID()),
  );
  assert.equal(error.status, 502);
});

// End to end: the platform, the VRS sandbox and the practice (fixtures: proxy 9690937294 acts
// for 9690937286 with summary / view at the practice).

const ar = "/gp-connect/patient-facing/access-record-fhir/FHIR/STU3";
const rx = "/gp-connect/patient-facing/prescriptions-management-fhir/FHIR/R4";
// deno-lint-ignore no-explicit-any
type Json = any;

/** A FHIR POST of `resource` with the token and a new request id. */
function fhirPost(token: string, resource: object): RequestInit {
  return {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "X-Request-ID": crypto.randomUUID(),
      "Content-Type": "application/fhir+json",
    },
    body: JSON.stringify(resource),
  };
}

function structuredRequest(token: string, nhsNumber: string, ...sections: string[]) {
  return fhirPost(token, {
    resourceType: "Parameters",
    parameter: [
      { name: "patientNHSNumber", valueIdentifier: { system: nhs, value: nhsNumber } },
      ...sections.map((name) => ({ name })),
    ],
  });
}

async function outcomeCode(res: Response, status: number): Promise<string> {
  const body: Json = await res.json();
  assert.equal(res.status, status, JSON.stringify(body));
  return body.issue[0].details.coding[0].code;
}

Deno.test("R5 a proxy's delegated token reads the child VRS confirms, with the proxy's own levels (summary, view)", async () => {
  const { startPlatformWorld } = await import("./testing/platform-world.ts");
  const world = await startPlatformWorld({ sockets: true });
  try {
    const token = await world.accessToken(child, { act: proxy });
    const res = await world.edge(
      `${ar}/Patient/$gpc.getstructuredrecord`,
      structuredRequest(token, child, "includeMedication"),
    );
    const bundle: Json = await res.json();
    assert.equal(res.status, 200, JSON.stringify(bundle));
    assert.equal(bundle.resourceType, "Bundle");
    // The proxy's own levels: summary (no consultations), view (no reorder).
    assert.equal(
      await outcomeCode(
        await world.edge(
          `${ar}/Patient/$gpc.getstructuredrecord`,
          structuredRequest(token, child, "includeConsultations"),
        ),
        403,
      ),
      "ACCESS_DENIED",
    );
    const reorder = await world.edge(
      `${rx}/Task`,
      fhirPost(token, {
        resourceType: "Task",
        focus: { reference: "MedicationRequest/2-med-1-plan" },
        for: { reference: `Patient/${child}` },
      }),
    );
    assert.equal(await outcomeCode(reorder, 403), "ACCESS_DENIED");
    assert.equal(world.practiceCalls("prescriptions-management-fhir").length, 0);
    // VRS was asked once for the session.
    const vrsCalls = world.upstream.filter((call) =>
      call.url.includes("/validated-relationships/")
    );
    assert.equal(vrsCalls.length, 1);
    const audit = world.logs.find((line) =>
      line.type === "audit" && line.route !== "token" && line.status === 200
    )!;
    assert.equal(audit.actor, proxy);
    assert.equal(audit.delegated, true);
    assert.equal(audit.patient, child);
  } finally {
    await world.close();
  }
});

Deno.test("R5 a delegated token for a subject VRS does not confirm is 403; neither PDS nor the practice is asked", async () => {
  const { startPlatformWorld } = await import("./testing/platform-world.ts");
  const world = await startPlatformWorld();
  const stranger = "9690937278";
  const token = await world.accessToken(stranger, { act: proxy });
  assert.equal(
    await outcomeCode(
      await world.edge(
        `${ar}/Patient/$gpc.getstructuredrecord`,
        structuredRequest(token, stranger),
      ),
      403,
    ),
    "ACCESS_DENIED",
  );
  const asked = world.upstream.filter((call) => !call.url.includes("jwks"));
  assert.deepEqual(
    asked.map((call) => new URL(call.url).pathname),
    ["/validated-relationships/FHIR/R4/RelatedPerson"],
  );
  const audit = world.logs.find((line) => line.type === "audit" && line.route !== "token")!;
  assert.equal(audit.status, 403);
  assert.equal(audit.delegated, true);
  assert.equal(audit.actor, proxy);
});

Deno.test("R5 VRS down (503) or silent: a typed 502/504, no PDS or practice call", async () => {
  const { startPlatformWorld } = await import("./testing/platform-world.ts");
  let mode: "down" | "silent" = "down";
  const world = await startPlatformWorld({
    config: { vrsTimeoutMs: 300 },
    intercept: (request) => {
      if (!request.url.includes("/validated-relationships/")) return;
      if (mode === "down") return new Response("unavailable", { status: 503 });
      // Silent until the platform gives up, then the fetch fails as an aborted one does.
      return new Promise<Response>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason))
      );
    },
  });
  const token = await world.accessToken(child, { act: proxy });
  assert.equal(
    await outcomeCode(
      await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, structuredRequest(token, child)),
      502,
    ),
    "502",
  );
  mode = "silent";
  assert.equal(
    await outcomeCode(
      await world.edge(`${ar}/Patient/$gpc.getstructuredrecord`, structuredRequest(token, child)),
      504,
    ),
    "GATEWAY_TIMEOUT",
  );
  const asked = world.upstream.filter((call) =>
    !call.url.includes("jwks") && !call.url.includes("/validated-relationships/")
  );
  assert.equal(asked.length, 0, "neither PDS nor the practice asked");
});

Deno.test("R5 a proxy with manage reorders for the child naming themself as requester; any other requester is 403", async () => {
  const { startPlatformWorld } = await import("./testing/platform-world.ts");
  const world = await startPlatformWorld();
  await world.setPermissions(child, { medicalRecord: "summary", prescriptions: "manage" }, proxy);
  const token = await world.accessToken(child, { act: proxy });
  const reorder = (requester: string) =>
    world.edge(
      `${rx}/Task`,
      fhirPost(token, {
        resourceType: "Task",
        status: "requested",
        intent: "order",
        focus: { reference: "MedicationRequest/2-med-2-plan" },
        for: { reference: `Patient/${child}` },
        requester: { identifier: { system: nhs, value: requester } },
      }),
    );
  assert.equal(await outcomeCode(await reorder("9690937278"), 403), "ACCESS_DENIED");
  assert.equal(world.practiceCalls("prescriptions-management-fhir").length, 0);
  const created = await reorder(proxy);
  const task: Json = await created.json();
  assert.equal(created.status, 201, JSON.stringify(task));
  assert.equal(task.for.reference, `Patient/${child}`);
});
