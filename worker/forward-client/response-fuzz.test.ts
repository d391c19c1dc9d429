/**
 * The pooled client's response parser against answers no HTTP library would send (issue 15):
 * each malformed or ambiguous answer fails the exchange (a rejected call, or a body stream that
 * errors), and the connection it came on is never used again: the next request arrives on a new
 * connection. Then a seeded mutation fuzz: whatever a mutated answer does, the clean request
 * after it gets exactly the clean answer.
 */
import assert from "node:assert/strict";
import { type ScriptedAnswer, startScriptedProvider } from "./scripted-provider.ts";
import { withPooledClient } from "../testing/with-pooled-client.ts";
import { seededRandom } from "../../gpconnect/testing/seeded-random.ts";

const CLEAN = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nclean";

/** A provider answering `/bad` with `bad` and anything else with the clean answer. */
function provider(bad: () => ScriptedAnswer) {
  return startScriptedProvider((line) => line.startsWith("GET /bad ") ? bad() : { bytes: CLEAN });
}

/** The outcome of one exchange: its status and body, or the error it failed with. */
async function outcome(fetched: Promise<Response>): Promise<string> {
  try {
    const response = await fetched;
    return `${response.status} ${await response.text()}`;
  } catch (error) {
    return `error ${error instanceof Error ? error.name : String(error)}`;
  }
}

const malformed: ReadonlyArray<readonly [string, string]> = [
  ["a four-digit status", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"],
  ["a two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"],
  ["HTTP/2 in the status line", "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["a lower-case protocol name", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["two spaces after the version", "HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["no status line at all", "Content-Length: 0\r\n\r\n"],
  ["a status above 599", "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n"],
  ["101 nobody asked for", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"],
  ["a NUL in the reason", "HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n"],
  ["a bare LF line ending", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"],
  ["obsolete line folding", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n"],
  ["a space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"],
  [
    "conflicting Content-Length fields",
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
  ],
  ["a Content-Length list that differs", "HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nabc"],
  ["a signed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nab"],
  ["a hex Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\nab"],
  [
    "Transfer-Encoding with Content-Length",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "a coding before chunked",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "chunked twice",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "Transfer-Encoding in HTTP/1.0",
    "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "a chunk size that is not hex",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "a negative chunk size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "a 0x chunk size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "a chunk size after a space",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "a 17-digit chunk size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000003\r\nabc\r\n0\r\n\r\n",
  ],
  [
    "chunk data longer than its size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
  ],
  [
    "a chunk line ending in a bare LF",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n",
  ],
];

for (const [label, bytes] of malformed) {
  Deno.test(`pooled client: ${label} fails the exchange and its connection is not reused`, async () => {
    const scripted = provider(() => ({ bytes }));
    await withPooledClient(scripted, async (client) => {
      assert.equal(await outcome(client.fetch(`${scripted.origin}/clean`)), "200 clean");
      assert.match(await outcome(client.fetch(`${scripted.origin}/bad`)), /^error /);
      assert.equal(client.idle, 0);
      assert.equal(await outcome(client.fetch(`${scripted.origin}/clean`)), "200 clean");
      const after = scripted.requests.at(-1)!;
      const bad = scripted.requests.find((request) => request.line.startsWith("GET /bad "))!;
      assert.notEqual(after.connection, bad.connection);
    });
  });
}

const truncated: ReadonlyArray<readonly [string, string]> = [
  ["a Content-Length body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"],
  [
    "a chunked body cut inside a chunk",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
  ],
  [
    "a chunked body without its last chunk",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
  ],
  ["a head cut before its empty line", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"],
];

for (const [label, bytes] of truncated) {
  Deno.test(`pooled client: ${label}, then the provider closes → the exchange fails`, async () => {
    const scripted = provider(() => ({ bytes, closeAfterMs: 0 }));
    await withPooledClient(scripted, async (client) => {
      assert.match(await outcome(client.fetch(`${scripted.origin}/bad`)), /^error /);
      assert.equal(client.idle, 0);
      assert.equal(await outcome(client.fetch(`${scripted.origin}/clean`)), "200 clean");
      assert.equal(scripted.connections, 2);
    });
  });
}

Deno.test("pooled client: a second response in the same write as the first is never read as an answer", async () => {
  const second = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";
  const scripted = provider(() => ({ bytes: CLEAN + second }));
  await withPooledClient(scripted, async (client) => {
    assert.equal(await outcome(client.fetch(`${scripted.origin}/bad`)), "200 clean");
    assert.equal(await outcome(client.fetch(`${scripted.origin}/clean`)), "200 clean");
    assert.equal(scripted.connections, 2);
  });
});

Deno.test("pooled client: a response sent later, unasked, on an idle connection takes it out of the pool", async () => {
  const second = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";
  const scripted = provider(() => ({ bytes: CLEAN, later: { afterMs: 20, bytes: second } }));
  await withPooledClient(scripted, async (client) => {
    assert.equal(await outcome(client.fetch(`${scripted.origin}/bad`)), "200 clean");
    for (let waited = 0; waited < 100 && client.idle > 0; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(client.idle, 0);
    assert.equal(await outcome(client.fetch(`${scripted.origin}/clean`)), "200 clean");
    assert.equal(scripted.connections, 2);
  });
});

Deno.test("pooled client: duplicate equal Content-Length fields, a missing reason and 1xx interim heads are accepted", async () => {
  const answers = [
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nclean",
    "HTTP/1.1 200\r\nContent-Length: 5\r\n\r\nclean",
    "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nclean",
  ];
  let next = 0;
  const scripted = startScriptedProvider(() => ({ bytes: answers[next++ % answers.length]! }));
  await withPooledClient(scripted, async (client) => {
    for (let i = 0; i < answers.length; i++) {
      assert.equal(await outcome(client.fetch(`${scripted.origin}/ok`)), "200 clean");
    }
    assert.equal(scripted.connections, 1);
  });
});

const SEEDS = [
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n",
  "HTTP/1.1 201 Created\r\nContent-Length: 6\r\nConnection: keep-alive\r\n\r\nabcdef",
  "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc",
];
const ALPHABET = "\r\n :;,0123456789abcdefHTTP/.-\t\x00\x7f\xff";

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * out.length);
    const kind = next();
    const char = ALPHABET[Math.floor(next() * ALPHABET.length)]!;
    if (kind < 0.4) out = out.slice(0, at) + char + out.slice(at + 1);
    else if (kind < 0.7) out = out.slice(0, at) + char + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

Deno.test("pooled client: 150 mutated answers (seeded) — whatever each does, the clean request after it gets exactly the clean answer", async () => {
  const next = seededRandom(0x15);
  let bad = "";
  const scripted = provider(() => ({
    bytes: Uint8Array.from(bad, (c) => c.charCodeAt(0) & 0xff),
    // A mutant whose framing asks for more than it sends is ended by the provider.
    closeAfterMs: 150,
  }));
  let failed = 0;
  await withPooledClient(scripted, async (client) => {
    for (let round = 0; round < 150; round++) {
      bad = mutate(SEEDS[round % SEEDS.length]!, next);
      const result = await outcome(
        client.fetch(`${scripted.origin}/bad`, { signal: AbortSignal.timeout(2_000) }),
      );
      if (result.startsWith("error")) failed++;
      assert.equal(
        await outcome(client.fetch(`${scripted.origin}/clean`)),
        "200 clean",
        `after mutant ${JSON.stringify(bad)}`,
      );
    }
    assert.ok(failed > 0, "some mutants must be refused");
  });
});
