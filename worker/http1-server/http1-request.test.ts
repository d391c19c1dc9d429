import assert from "node:assert/strict";
import { withRequestBody } from "../request-body-replace.ts";
import { abortHttp1Request, constructibleMethod, Http1Request } from "./http1-request.ts";

const origin = "http://127.0.0.1:8080";

function post(target: string, body: string, method = "POST") {
  return new Http1Request(origin + target, method, {
    method: constructibleMethod(method),
    headers: [["content-type", "application/fhir+json"], ["ssp-traceid", "t-1"]],
    body: new Response(body).body,
    duplex: "half",
  } as RequestInit);
}

Deno.test("an Http1Request answers its URL, method, fields and body as received, though built from a template", async () => {
  const request = post(
    "/https://provider.example/A1/STU3/1/gpconnect/fhir/Patient/$gpc.getstructuredrecord",
    "{}",
  );
  assert.equal(
    request.url,
    `${origin}/https://provider.example/A1/STU3/1/gpconnect/fhir/Patient/$gpc.getstructuredrecord`,
  );
  assert.equal(request.method, "POST");
  assert.equal(request.headers.get("ssp-traceid"), "t-1");
  assert.equal(await request.text(), "{}");
  const odd = new Http1Request(`${origin}/a/../b?x=%zz`, "get", { method: "GET" });
  assert.equal(odd.url, `${origin}/a/../b?x=%zz`, "not normalised");
  assert.equal(odd.method, "get", "as sent");
  assert.equal(odd.body, null);
});

Deno.test("an Http1Request takes its fields in any HeadersInit form", () => {
  for (
    const headers of [
      [["accept", "application/fhir+json"], ["x-a", "1"]],
      new Headers([["accept", "application/fhir+json"], ["x-a", "1"]]),
      { accept: "application/fhir+json", "x-a": "1" },
    ] as HeadersInit[]
  ) {
    const request = new Http1Request(`${origin}/x`, "GET", { method: "GET", headers });
    assert.deepEqual([...request.headers], [["accept", "application/fhir+json"], ["x-a", "1"]]);
  }
});

Deno.test("withRequestBody keeps an Http1Request's URL, method and fields; a plain Request is copied", async () => {
  const request = post("/http://provider.example/x?y=1", "original", "PUT");
  const replaced = withRequestBody(request, new Response("replacement").body);
  assert.ok(replaced instanceof Http1Request);
  assert.equal(replaced.url, `${origin}/http://provider.example/x?y=1`);
  assert.equal(replaced.method, "PUT");
  assert.equal(replaced.headers.get("content-type"), "application/fhir+json");
  assert.equal(await replaced.text(), "replacement");

  const plain = new Request("http://edge.example/z", { method: "POST", body: "a" });
  const copied = withRequestBody(plain, new Response("b").body);
  assert.equal(copied.url, "http://edge.example/z");
  assert.equal(copied.method, "POST");
  assert.equal(await copied.text(), "b");
});

Deno.test("clone() keeps an Http1Request's URL and method and tees its body", async () => {
  const request = post("/http://provider.example/x", "body");
  const copy = request.clone();
  assert.equal(copy.url, request.url);
  assert.equal(copy.method, "POST");
  assert.equal(await copy.text(), "body");
  assert.equal(await request.text(), "body");
});

Deno.test("an Http1Request's signal aborts when the server says the client left", () => {
  const request = new Http1Request(`${origin}/x`, "GET", { method: "GET" });
  const signal = request.signal;
  assert.equal(signal.aborted, false);
  abortHttp1Request(request, new DOMException("gone", "AbortError"));
  assert.equal(signal.aborted, true);
  // Asked for only after the abort: born aborted.
  const late = new Http1Request(`${origin}/y`, "GET", { method: "GET" });
  abortHttp1Request(late, new DOMException("gone", "AbortError"));
  assert.equal(late.signal.aborted, true);
});
