/**
 * The fuzzer's generators in the test suite (issue 9 item 9): a seeded, small run against a real
 * gpc-edge on loopback (raw sockets, as `task fuzz` sends them) in front of a stub provider and a
 * directory that knows the practice's roots, so a change that lets a bad request produce a 5xx or
 * a crash fails CI.
 */
import assert from "node:assert/strict";
import { defaultConfig } from "../../worker/config.ts";
import { serveGpcEdge } from "../../worker/deno.ts";
import type { DirectoryResolver } from "../../worker/directory/directory-types.ts";
import { GpcEdgeError } from "../../worker/errors.ts";
import { findInteraction } from "../../gpconnect/specs.ts";
import { fuzzRequest, type FuzzTarget, providerRoot } from "./fuzz-requests.ts";
import { isUnexpected, runFuzz } from "./fuzz-run.ts";
import { reportLines } from "./fuzz.ts";

/** SDS as the local world has it: every interaction's root at the target's practice. */
function practiceDirectory(target: FuzzTarget): DirectoryResolver {
  const zero = { memoryHits: 0, kvHits: 0, misses: 0, negativeHits: 0, upstreamErrors: 0 };
  return {
    lookupEndpoint(odsCode, interactionId) {
      const interaction = findInteraction(interactionId);
      if (odsCode !== target.odsCode || !interaction) {
        return Promise.reject(GpcEdgeError.gpconnect("NO_RECORD_FOUND", { cacheable: true }));
      }
      return Promise.resolve({
        value: {
          odsCode,
          interactionId,
          address: providerRoot(target, interaction.root),
          partyKey: `${odsCode}-0000806`,
          asid: "918999198738",
          cpaId: "S918999198738",
        },
        source: "memory" as const,
      });
    },
    lookupPatient: () => Promise.reject(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND")),
    stats: () => ({ pds: zero, sds: zero, lruSize: 0 }),
  };
}

Deno.test("fuzz: the same seed and case give the same bytes; a run covers every family", () => {
  const target = {
    edgeUrl: "http://127.0.0.1:8080",
    providerOrigin: "http://127.0.0.1:8083",
    odsCode: "B82617",
    issuedAt: 1_800_000_000,
  };
  assert.deepEqual(fuzzRequest(7, 123, target).bytes, fuzzRequest(7, 123, target).bytes);
  assert.notDeepEqual(fuzzRequest(7, 123, target).bytes, fuzzRequest(8, 123, target).bytes);
  const families = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    for (const part of fuzzRequest(1, i, target).description.split(" + ")) {
      families.add(part.split(/[: ]/)[0]!);
    }
  }
  assert.deepEqual(
    [...families].sort(),
    ["body", "header", "host", "jwt", "nhs", "route", "ssp", "url", "verb"],
  );
});

Deno.test("fuzz: the judge — 500 always unexpected; a provider failure only for a forwardable case; 503 with Retry-After fine", () => {
  const request = (forwardable: boolean) => ({
    index: 0,
    description: "",
    bytes: new Uint8Array(),
    fresh: false,
    truncated: false,
    forwardable,
    head: false,
  });
  const answer = (status: number, body = "", headers: Record<string, string> = {}) => ({
    kind: "response" as const,
    status,
    headers: new Map(Object.entries(headers)),
    body,
  });
  const providerDown = '"display":"ERROR_COMMUNICATING_TO_ENDPOINT_URL_http://p/x"';
  assert.equal(isUnexpected(request(true), answer(500)), true);
  assert.equal(isUnexpected(request(true), answer(502, providerDown)), false);
  assert.equal(isUnexpected(request(false), answer(502, providerDown)), true);
  assert.equal(
    isUnexpected(request(true), answer(502, '"display":"ERROR_COMMUNICATING_TO_SDS"')),
    true,
  );
  assert.equal(isUnexpected(request(false), answer(503, "", { "retry-after": "1" })), false);
  assert.equal(isUnexpected(request(false), answer(503)), true);
  assert.equal(isUnexpected(request(false), answer(429)), false);
  assert.equal(isUnexpected(request(false), { kind: "closed" }), false);
});

Deno.test("fuzz: 600 seeded bad requests over loopback → no unexpected 5xx, gpc-edge still answers", async () => {
  const provider = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      await request.body?.cancel();
      return Response.json({ resourceType: "Bundle", type: "searchset" }, {
        headers: {
          "Content-Type": "application/fhir+json;charset=utf-8",
          "Cache-Control": "no-store",
        },
      });
    },
  );
  const providerOrigin = `http://127.0.0.1:${provider.addr.port}`;
  const records: unknown[] = [];
  const edge = await serveGpcEdge({
    config: defaultConfig,
    dataDir: ":memory:",
    port: 0,
    logger: { log: (record) => records.push(record) },
    directory: practiceDirectory({ edgeUrl: "", providerOrigin, odsCode: "B82617" }),
  });
  try {
    const target = { edgeUrl: edge.url, providerOrigin, odsCode: "B82617" };
    const report = await runFuzz({
      target,
      seed: 20261205,
      count: 600,
      concurrency: 8,
      timeoutMs: 15_000,
    });
    assert.equal(report.crashed, undefined);
    assert.equal(report.cases, 600);
    assert.deepEqual(report.unexpected, [], reportLines(report, 20261205).join("\n"));
    const statuses = Object.keys(report.byStatus);
    for (const status of ["200", "400", "405"]) assert.ok(statuses.includes(status), status);
  } finally {
    await edge.close();
    await provider.shutdown();
  }
});
