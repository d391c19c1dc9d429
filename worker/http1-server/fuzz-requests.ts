/**
 * Test support: seeded generators of hostile HTTP/1.1 input for the server's fuzz test, and an
 * independent, deliberately simple reading of which heads frame their body ambiguously (the
 * server must refuse those). Every case ends with a `Connection: close` request, so a server
 * that parses through it closes the connection; one that waits is ended by its timeouts.
 *
 * @module
 */
import { seededRandom } from "../../gpconnect/testing/seeded-random.ts";

/** One generated case. */
export interface FuzzCase {
  /** Which generator made it. */
  readonly kind: "smuggling" | "mutation" | "garbage";
  /** The bytes to send, as a byte string (one char per byte). */
  readonly wire: string;
  /** The head of the first request as sent (the part the oracle judges). */
  readonly firstHead: string;
  /** Whether the server must refuse the first request (handler never sees it succeed). */
  readonly mustRefuse: boolean;
}

/** The request hidden where a confused parser would find it. */
export const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
const CLOSER = "GET /closer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Flips the case of ASCII letters at random (other chars stay: they are bytes). */
function randomCase(random: () => number, text: string): string {
  return text.replace(
    /[A-Za-z]/g,
    (char) => (random() < 0.5 ? char.toUpperCase() : char.toLowerCase()),
  );
}

const chunkedBody = (sizeLine: string) => `${sizeLine}\r\n\r\n${SMUGGLED}`;
const smuggledChunk = `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`;

/**
 * Framing tricks from the request-smuggling literature, each ambiguous or malformed: the server
 * must refuse every one (in the head, or while the app reads a malformed chunked body).
 */
function smugglingCase(random: () => number): FuzzCase {
  const te = randomCase(random, "Transfer-Encoding");
  const cl = randomCase(random, "Content-Length");
  const chunked = randomCase(random, "chunked");
  const tricks: Array<() => [string[], string]> = [
    () => [[`${cl}: ${SMUGGLED.length + 5}`, `${te}: ${chunked}`], chunkedBody("0")],
    () => [[`${te}: ${chunked}`, `${cl}: 3`], smuggledChunk],
    () => [[`${cl}: 0`, `${cl}: ${SMUGGLED.length}`], SMUGGLED],
    () => [[`${cl}: ${SMUGGLED.length}, 0`], SMUGGLED],
    () => [[`${cl}: ${pick(random, ["+", "-", "0x", " +"])}${SMUGGLED.length}`], SMUGGLED],
    () => [
      [`${cl}: ${SMUGGLED.length}${pick(random, ["\v", "\f", "\0", "\r", "x", ".0", "e0"])}`],
      SMUGGLED,
    ],
    () => [[
      `${te}: ${pick(random, ["x", "", " x", "identity, ", "gzip, ", `${chunked}, `])}${chunked}${
        pick(random, ["", ", identity", "x", ";q=1", `, ${chunked}`])
      }`.replace(/^([^:]+: )chunked$/i, "$1xchunked"),
    ], chunkedBody("0")],
    () => [[`${te}${pick(random, [" ", "\t", "\v", "\0"])}: ${chunked}`], chunkedBody("0")],
    () => [[`${te}:`, `${pick(random, [" ", "\t", "  "])}${chunked}`], chunkedBody("0")],
    () => [[`X-A: 1`, ` ${te}: ${chunked}`], chunkedBody("0")],
    () => [[`${te}: ${chunked}${pick(random, ["\r", "\n"])}X-B: 1`], chunkedBody("0")],
    () => [
      [`${te}: ${chunked}`],
      chunkedBody(
        pick(random, [
          "0x0",
          "+0",
          "-0",
          " 0",
          "0 ",
          "0\t",
          "00000000000000000",
          "0;\n",
          '0;a="',
          "0;a b",
          "g",
        ]),
      ),
    ],
    () => [
      [`${te}: ${chunked}`],
      `${pick(random, ["1\r\nab\r\n", "2\r\na\r\n", "1\r\na\n"])}0\r\n\r\n${SMUGGLED}`,
    ],
    () => [
      [`${te}: ${chunked}`],
      `0\r\n${pick(random, [" X: 1", "X : 1", "X\0: 1", "X: 1\r"])}\r\n\r\n${SMUGGLED}`,
    ],
    () => [
      [`${cl}: ${SMUGGLED.length}`, `X-A: ${pick(random, ["\0", "\r", "\x7f", "\x01"])}`],
      SMUGGLED,
    ],
  ];
  const [fields, body] = pick(random, tricks)();
  const version = pick(random, ["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0"]);
  const head = `POST /a ${version}\r\nHost: x\r\n${
    fields.map((field) => `${field}\r\n`).join("")
  }\r\n`;
  return { kind: "smuggling", wire: head + body + CLOSER, firstHead: head, mustRefuse: true };
}

const INTERESTING = [
  "\r",
  "\n",
  "\0",
  " ",
  "\t",
  ":",
  ",",
  ";",
  "0",
  "1",
  "9",
  "a",
  "F",
  "\x7f",
  "\x80",
  "\xff",
  '"',
  "/",
  "%",
  "[",
  "?",
  "#",
  "\v",
];
const DANGEROUS_LINES = [
  "Transfer-Encoding: chunked",
  "Content-Length: 0",
  "Content-Length: 5",
  "Host: y",
  "Expect: 100-continue",
  "Connection: close",
  " folded",
  "Content-Length: 36, 36",
];

/** A valid request with a body that is itself a request, mutated one to three times in its head. */
function mutationCase(random: () => number): FuzzCase {
  const chunked = random() < 0.3;
  const framing = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${SMUGGLED.length}`;
  let head = `POST /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n${framing}\r\nX-Pad: value\r\n\r\n`;
  const mutations = 1 + Math.floor(random() * 3);
  for (let count = 0; count < mutations; count++) {
    const at = Math.floor(random() * (head.length - 2));
    const operation = Math.floor(random() * 5);
    if (operation === 0) head = head.slice(0, at) + pick(random, INTERESTING) + head.slice(at + 1);
    else if (operation === 1) head = head.slice(0, at) + pick(random, INTERESTING) + head.slice(at);
    else if (operation === 2) head = head.slice(0, at) + head.slice(at + 1);
    else if (operation === 3) {
      const lineStart = head.indexOf("\r\n", 0) + 2;
      head = head.slice(0, lineStart) + `${pick(random, DANGEROUS_LINES)}\r\n` +
        head.slice(lineStart);
    } else {head = head.slice(0, at) + randomCase(random, head.slice(at, at + 8)) +
        head.slice(at + 8);}
  }
  const body = chunked ? smuggledChunk : SMUGGLED;
  const firstHead = head.includes("\r\n\r\n") ? head.slice(0, head.indexOf("\r\n\r\n") + 4) : head;
  return {
    kind: "mutation",
    wire: head + body + CLOSER,
    firstHead,
    mustRefuse: framesAmbiguously(firstHead),
  };
}

/** Random bytes, sometimes after a valid request line. */
function garbageCase(random: () => number): FuzzCase {
  let garbage = "";
  const length = Math.floor(random() * 600);
  for (let index = 0; index < length; index++) {
    garbage += random() < 0.3
      ? pick(random, INTERESTING)
      : String.fromCharCode(32 + Math.floor(random() * 95));
  }
  const head = (random() < 0.5 ? "GET / HTTP/1.1\r\n" : "") + garbage + "\r\n\r\n";
  return { kind: "garbage", wire: head + SMUGGLED + CLOSER, firstHead: head, mustRefuse: false };
}

/**
 * An independent, regex-level reading of a head: true when its body framing is ambiguous or
 * malformed by the RFC 9112 rules (a bare CR or LF, NUL, a folded line, whitespace before a
 * colon, Transfer-Encoding other than a lone chunked, Transfer-Encoding with Content-Length,
 * differing or non-numeric Content-Length).
 */
export function framesAmbiguously(head: string): boolean {
  const lines = head.replace(/\r\n\r\n$/, "").split("\r\n");
  if (lines.some((line) => /[\r\n\0]/.test(line))) return true;
  const fields = lines.slice(1);
  if (fields.some((line) => /^[ \t]/.test(line))) return true;
  const named = (name: string) =>
    fields.filter((line) => new RegExp(`^${name}\\s*:`, "i").test(line));
  const te = named("transfer-encoding");
  const cl = named("content-length");
  if ([...te, ...cl].some((line) => /^\S+\s+:/.test(line))) return true;
  if (te.length > 0) {
    if (cl.length > 0 || te.length > 1) return true;
    if (!/^transfer-encoding:[ \t]*chunked[ \t]*$/i.test(te[0]!)) return true;
  }
  const lengths = new Set(
    cl.flatMap((line) => line.slice(line.indexOf(":") + 1).split(",").map((value) => value.trim())),
  );
  return [...lengths].some((value) => !/^\d+$/.test(value)) || lengths.size > 1;
}

/** `count` cases from `seed`: a third each of smuggling tricks, head mutations and garbage. */
export function* fuzzCases(seed: number, count: number): Generator<FuzzCase> {
  const random = seededRandom(seed);
  for (let index = 0; index < count; index++) {
    const roll = random();
    yield roll < 0.35
      ? smugglingCase(random)
      : roll < 0.8
      ? mutationCase(random)
      : garbageCase(random);
  }
}

/** The bytes of a byte string. */
export function byteStringBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}
