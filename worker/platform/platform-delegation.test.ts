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
