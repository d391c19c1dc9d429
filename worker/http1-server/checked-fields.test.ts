import assert from "node:assert/strict";
import { headerPairs } from "../../gpconnect/header-pairs.ts";
import {
  checkedFieldsFillDirectly,
  fillCheckedFields,
  findHeadersInternals,
  type HeadersInternals,
  sameAsAppended,
} from "./checked-fields.ts";
import { Http1Request } from "./http1-request.ts";
import { DEFAULT_HTTP1_LIMITS } from "./limits.ts";
import { Http1ProtocolError } from "./protocol-error.ts";
import { HeadScanner, parseRequestHead } from "./request-head.ts";

const internals = findHeadersInternals();

/** Every read of `headers`, for comparing two of them. */
function everything(headers: Headers, names: readonly string[]) {
  return {
    pairs: headerPairs(headers),
    iterated: [...headers],
    setCookies: headers.getSetCookie(),
    gets: names.flatMap((name) => [headers.get(name), headers.get(name.toUpperCase())]),
    has: names.map((name) => headers.has(name)),
    copied: headerPairs(new Request("http://x.example/", { headers }).headers),
  };
}

Deno.test("fillCheckedFields: Deno 2.9's Headers takes the fields straight into its list", () => {
  // Pins the runtime this was measured on: a Deno whose Headers changed shape fails here (and
  // gpc-edge falls back to appending, which the other tests cover).
  assert.ok(internals !== undefined);
  assert.equal(checkedFieldsFillDirectly, true);
  assert.equal(sameAsAppended(internals), true);
  const headers = new Headers();
  fillCheckedFields(headers, [["X-A", "1"]]);
  assert.deepEqual((headers as unknown as Record<symbol, unknown>)[internals.list], [["X-A", "1"]]);
});

Deno.test("fillCheckedFields: reads back as appended fields for any mix of names, repeats and values", () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(seed / 65_536) % n;
  };
  const names = [
    "Accept",
    "authorization",
    "Set-Cookie",
    "X-Rep",
    "ssp-TraceID",
    "Host",
    "x-empty",
  ];
  const valueChars = "abc XYZ09=;,.\t\u00e9\u00ff/+";
  for (let round = 0; round < 300; round++) {
    const fields: Array<[string, string]> = [];
    for (let count = random(12); count > 0; count--) {
      let name = names[random(names.length)]!;
      if (random(2) === 0) name = name.toUpperCase();
      let value = "";
      for (let length = random(20); length > 0; length--) {
        value += valueChars[random(valueChars.length)];
      }
      // As the parser leaves them: no whitespace at either end.
      fields.push([name, value.replace(/^[\t ]+|[\t ]+$/g, "")]);
    }
    const appended = new Headers(fields);
    const filled = new Headers();
    fillCheckedFields(filled, fields);
    assert.deepEqual(
      everything(filled, names),
      everything(appended, names),
      JSON.stringify(fields),
    );
    filled.set("x-rep", "s");
    appended.set("x-rep", "s");
    filled.delete("accept");
    appended.delete("accept");
    assert.deepEqual(
      everything(filled, names),
      everything(appended, names),
      JSON.stringify(fields),
    );
  }
});

Deno.test("fillCheckedFields: appends when the Headers already has fields or no internals are known", () => {
  const started = new Headers([["X-A", "0"]]);
  fillCheckedFields(started, [["x-a", "1"], ["X-B", "2"]]);
  assert.deepEqual(headerPairs(started), [["x-a", "0, 1"], ["x-b", "2"]]);

  // Names read once (has) leave a cache a direct fill would make stale: appended instead.
  const read = new Headers();
  assert.equal(read.has("x-a"), false);
  fillCheckedFields(read, [["X-A", "1"]]);
  assert.equal(read.has("x-a"), true);

  const unknown = new Headers();
  fillCheckedFields(unknown, [["X-A", "1"]], null);
  assert.equal(unknown.get("x-a"), "1");
  // Appending checks what a direct fill trusts the parser to have checked.
  assert.throws(() => fillCheckedFields(new Headers(), [["X-A", "a\nb"]], null), TypeError);
});

Deno.test("sameAsAppended: false for slots that are not the field list", () => {
  const wrong: HeadersInternals = { list: Symbol("not a list"), lowerNames: Symbol("no names") };
  assert.equal(sameAsAppended(wrong), false);
  if (internals) {
    assert.equal(sameAsAppended({ list: internals.lowerNames, lowerNames: internals.list }), false);
  }
});

Deno.test("Http1Request: checked fields read as appended ones, and survive a body replacement", async () => {
  const fields: Array<[string, string]> = [
    ["Host", "127.0.0.1:8080"],
    ["Authorization", "Bearer a.b."],
    ["X-Rep", "1"],
    ["x-rep", "2"],
  ];
  const checked = new Http1Request("http://127.0.0.1:8080/p", "POST", {
    method: "POST",
    body: new Blob(["body"]).stream(),
    duplex: "half",
  } as RequestInit, fields);
  const appended = new Http1Request("http://127.0.0.1:8080/p", "POST", {
    method: "POST",
    headers: fields,
  });
  assert.deepEqual(headerPairs(checked.headers), headerPairs(appended.headers));
  assert.equal(checked.headers.get("x-rep"), "1, 2");
  const copy = checked.clone();
  assert.deepEqual(headerPairs(copy.headers), headerPairs(appended.headers));
  assert.equal(await copy.text(), "body");
});

Deno.test("the request parser admits only fields that appending accepts, and they fill identically", () => {
  // What makes the direct fill safe: every field line the parser lets through is one
  // `Headers.append` takes as it is (any byte in names and values, whitespace at the edges).
  let seed = 11;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(seed / 65_536) % n;
  };
  const interesting = [0x00, 0x09, 0x0b, 0x0d, 0x20, 0x22, 0x28, 0x3a, 0x7f, 0x80, 0xa0, 0xff];
  let admitted = 0;
  for (let round = 0; round < 3_000; round++) {
    const line: number[] = [];
    for (let length = 1 + random(6); length > 0; length--) line.push(0x61 + random(26));
    if (random(4) === 0) line.push(interesting[random(interesting.length)]!);
    line.push(0x3a);
    for (let length = random(10); length > 0; length--) {
      line.push(random(3) === 0 ? interesting[random(interesting.length)]! : 0x41 + random(26));
    }
    const head = [
      ...new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a.example\r\n"),
      ...line,
      0x0d,
      0x0a,
      0x0d,
      0x0a,
    ];
    const bytes = new Uint8Array(head);
    let fields: Array<[string, string]>;
    try {
      const length = new HeadScanner(DEFAULT_HTTP1_LIMITS).scan(bytes);
      if (length <= 0) continue;
      fields = parseRequestHead(bytes.subarray(0, length)).fields;
    } catch (error) {
      assert.ok(error instanceof Http1ProtocolError, String(error));
      continue;
    }
    admitted++;
    const appended = new Headers(fields); // throws for anything append refuses
    const filled = new Headers();
    fillCheckedFields(filled, fields);
    assert.deepEqual(headerPairs(filled), headerPairs(appended), JSON.stringify(fields));
    assert.deepEqual(
      fields.map(([name]) => filled.get(name)),
      fields.map(([name]) => appended.get(name)),
    );
  }
  assert.ok(admitted > 1_000, `only ${admitted} heads admitted`);
});
