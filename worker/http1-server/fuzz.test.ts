/**
 * Seeded fuzzing over real sockets: 2,000 hostile inputs (smuggling tricks, mutated heads,
 * garbage). Properties: the server never crashes, never answers 5xx (the handler only fails when
 * the body it reads is malformed, which must come back as a 4xx), refuses every ambiguously
 * framed request (the request hidden behind it never reaches the handler), and gives the handler
 * exactly the body length an unambiguous head declares. A failure names its seed and case.
 */
import assert from "node:assert/strict";
import { byteStringBytes, type FuzzCase, fuzzCases } from "./fuzz-requests.ts";
import { RawConnection, type RawResponse } from "./raw-http-client.ts";
import { startTestServer } from "./test-server.ts";

const SEED = Number(Deno.env.get("HTTP1_FUZZ_SEED") ?? 20261205);
const COUNT = Number(Deno.env.get("HTTP1_FUZZ_COUNT") ?? 2000);
const PARALLEL = 32;
const GENEROUS_MS = 30_000;

interface Seen {
  readonly method: string;
  readonly path: string;
  bodyLength: number;
  failed: boolean;
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not within ${GENEROUS_MS} ms`)),
      GENEROUS_MS,
    );
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** The one Content-Length a head declares, if it declares exactly one plain length. */
function declaredLength(head: string): number | undefined {
  const lines = head.split("\r\n").filter((line) => /^content-length\s*:/i.test(line));
  if (lines.length !== 1) return undefined;
  const value = lines[0]!.slice(lines[0]!.indexOf(":") + 1).trim();
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

function judge(fuzzCase: FuzzCase, responses: RawResponse[], seen: Seen[]): string | undefined {
  const server5xx = responses.find((response) =>
    !(response.status >= 100 && response.status < 500)
  );
  if (server5xx) return `answered ${server5xx.status}`;
  if (seen.some((request) => request.path === "/smuggled") && fuzzCase.mustRefuse) {
    return "the smuggled request reached the handler";
  }
  if (fuzzCase.mustRefuse) {
    if (seen.some((request) => !request.failed)) {
      return "an ambiguous request reached the handler intact";
    }
    if (responses.some((response) => response.status < 400 && response.status !== 100)) {
      return "an ambiguous request was answered with success";
    }
  }
  const first = seen[0];
  const declared = declaredLength(fuzzCase.firstHead);
  if (
    fuzzCase.kind !== "garbage" && first && !first.failed && declared !== undefined &&
    !/^(GET|HEAD) /i.test(fuzzCase.firstHead) && !/transfer-encoding/i.test(fuzzCase.firstHead) &&
    first.bodyLength !== declared
  ) {
    return `the handler got ${first.bodyLength} body bytes for Content-Length ${declared}`;
  }
  return undefined;
}

Deno.test(`serveHttp1 survives ${COUNT} fuzzed requests (seed ${SEED}) without 5xx or smuggling`, async () => {
  const seenByPort = new Map<number, Seen[]>();
  const server = startTestServer(async (request, info) => {
    const record: Seen = {
      method: request.method,
      path: request.url.slice(`http://127.0.0.1:${info.remoteAddr.port}`.length).replace(
        /^[^/]*/,
        "",
      ),
      bodyLength: -1,
      failed: false,
    };
    const list = seenByPort.get(info.remoteAddr.port) ?? [];
    list.push(record);
    seenByPort.set(info.remoteAddr.port, list);
    try {
      record.bodyLength = request.body === null ? 0 : (await request.arrayBuffer()).byteLength;
    } catch (error) {
      record.failed = true;
      throw error;
    }
    return new Response("ok");
  }, { headerTimeoutMs: 250, idleTimeoutMs: 250, bodyTimeoutMs: 250 });

  const failures: string[] = [];
  const counts = new Map<string, number>();
  const cases = [...fuzzCases(SEED, COUNT)];
  try {
    for (let start = 0; start < cases.length; start += PARALLEL) {
      await Promise.all(
        cases.slice(start, start + PARALLEL).map(async (fuzzCase, offset) => {
          const connection = await RawConnection.open(server.port);
          const port = connection.conn.localAddr.port;
          const responses: RawResponse[] = [];
          try {
            await connection.send(byteStringBytes(fuzzCase.wire)).catch(() => {});
            await within(
              (async () => {
                for (
                  let response;
                  (response = await connection.readResponse()) !== null;
                ) responses.push(response);
              })(),
              `case ${start + offset}`,
            );
          } catch (error) {
            failures.push(`case ${start + offset}: ${error}`);
          } finally {
            connection.close();
          }
          for (const response of responses) {
            const key = `${fuzzCase.kind} ${response.status}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          const verdict = judge(fuzzCase, responses, seenByPort.get(port) ?? []);
          seenByPort.delete(port);
          if (verdict) {
            failures.push(
              `case ${start + offset} (${fuzzCase.kind}): ${verdict}: ${
                JSON.stringify(fuzzCase.wire)
              }`,
            );
          }
        }),
      );
    }
    const health = await fetch(`${server.origin}/still-serving`);
    assert.equal(health.status, 200, "the server still answers after the fuzzing");
    await health.body?.cancel();
  } finally {
    await server.close();
  }
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  assert.deepEqual(server.errors, [], "no internal error was reported");
  // Every generator produced refusals and successes, so the run exercised both sides.
  assert.ok([...counts.keys()].some((key) => key.startsWith("smuggling 400")));
  assert.ok([...counts.keys()].some((key) => key.startsWith("mutation 200")));
});
