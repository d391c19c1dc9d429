/**
 * `Deno.serve` against `serveHttp1` (worker/http1-server/) with the same trivial handler over
 * loopback, one keep-alive request at a time and 16 at once, plus what the server's `Request`
 * costs to build with and without a constructor signal, what writing a small forwarded answer
 * costs as a bytes-bodied `Response` and as a {@linkcode BytesResponse} (no stream), and an
 * `AbortController` against an `ExchangeCancel` (issue 15). Needs the network:
 * `deno bench --allow-net bench/http1-server.bench.ts` (`deno task bench:micro`, which grants
 * only reads, skips the socket groups).
 *
 * @module
 */
import { ExchangeCancel } from "../worker/forward-client/exchange-cancel.ts";
import { BytesResponse } from "../worker/http1-server/bytes-response.ts";
import { Http1Request } from "../worker/http1-server/http1-request.ts";
import { writeResponse } from "../worker/http1-server/response-writer.ts";
import { SocketWriter } from "../worker/http1-server/socket-writer.ts";
import { serveHttp1 } from "../worker/http1-server/serve-http1.ts";
import { encodeGet, Http1Connection } from "./http1-client.ts";

const netGranted = (await Deno.permissions.query({ name: "net" })).state === "granted";
const PARALLEL = 16;

function handler(request: Request): Response {
  return new Response(`ok ${request.method}`, { headers: { "content-type": "text/plain" } });
}

async function loopback(port: number) {
  const request = encodeGet(`127.0.0.1:${port}`, "/_health", [["accept", "text/plain"]]);
  const connections = await Promise.all(
    Array.from({ length: PARALLEL }, () => Http1Connection.open("127.0.0.1", port)),
  );
  return {
    one: () => connections[0]!.request(request),
    many: () => Promise.all(connections.map((connection) => connection.request(request))),
  };
}

const servers = netGranted
  ? {
    denoServe: Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler),
    http1: serveHttp1({ hostname: "127.0.0.1", port: 0 }, handler),
  }
  : undefined;
const clients = servers && {
  denoServe: await loopback(servers.denoServe.addr.port),
  http1: await loopback(servers.http1.addr.port),
};

Deno.bench({
  name: "Deno.serve, 1 request",
  group: "one",
  baseline: true,
  ignore: !clients,
  fn: async () => void await clients!.denoServe.one(),
});
Deno.bench({
  name: "serveHttp1, 1 request",
  group: "one",
  ignore: !clients,
  fn: async () => void await clients!.http1.one(),
});
Deno.bench({
  name: `Deno.serve, ${PARALLEL} at once`,
  group: "parallel",
  baseline: true,
  ignore: !clients,
  fn: async () => void await clients!.denoServe.many(),
});
Deno.bench({
  name: `serveHttp1, ${PARALLEL} at once`,
  group: "parallel",
  ignore: !clients,
  fn: async () => void await clients!.http1.many(),
});

const url = "http://127.0.0.1:8080/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata";
const fields: Array<[string, string]> = [
  ["Host", "127.0.0.1:8080"],
  ["Accept", "application/fhir+json"],
  ["Ssp-From", "200000000359"],
  ["Ssp-To", "918999198738"],
  ["Ssp-InteractionID", "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"],
  ["Ssp-TraceID", "1b0e1a52-6c3e-4d3a-9d4e-123456789abc"],
  ["Authorization", "Bearer a.b.c"],
];

Deno.bench({
  name: "Request with a constructor signal (AbortController per request)",
  group: "request",
  baseline: true,
  fn: () => {
    const controller = new AbortController();
    new Request(url, { method: "GET", headers: fields, signal: controller.signal }).signal;
  },
});
Deno.bench({
  name: "Http1Request with its lazy signal, read once",
  group: "request",
  fn: () => {
    new Http1Request(url, "GET", { method: "GET", headers: fields }).signal;
  },
});
Deno.bench({
  name: "Http1Request, signal never read",
  group: "request",
  fn: () => {
    new Http1Request(url, "GET", { method: "GET", headers: fields }).url;
  },
});

const answer = new TextEncoder().encode(JSON.stringify({ resourceType: "CapabilityStatement" }));
const answerFields: Array<[string, string]> = [["content-type", "application/fhir+json"]];
const sink = new SocketWriter({ write: (bytes) => Promise.resolve(bytes.length) }, () => {});
const writeContext = {
  method: "GET",
  http10: false,
  keepAlive: true,
  date: new Date().toUTCString(),
  headWritten() {},
};

Deno.bench({
  name: "writeResponse, a bytes-bodied Response (read through its stream)",
  group: "write",
  baseline: true,
  fn: async () => {
    await writeResponse(sink, new Response(answer, { headers: answerFields }), writeContext);
  },
});
Deno.bench({
  name: "writeResponse, a BytesResponse (bytes written as they are)",
  group: "write",
  fn: async () => {
    await writeResponse(sink, new BytesResponse(answer, { headers: answerFields }), writeContext);
  },
});

const consumerSignal = new AbortController().signal;
Deno.bench({
  name: "AbortController per exchange, listening to the consumer",
  group: "cancel",
  baseline: true,
  fn: () => {
    const abort = new AbortController();
    const gone = () => abort.abort(consumerSignal.reason);
    consumerSignal.addEventListener("abort", gone, { once: true });
    const onAbort = () => {};
    abort.signal.addEventListener("abort", onAbort, { once: true });
    abort.signal.removeEventListener("abort", onAbort);
    consumerSignal.removeEventListener("abort", gone);
  },
});
Deno.bench({
  name: "ExchangeCancel per exchange, listening to the consumer",
  group: "cancel",
  fn: () => {
    const cancel = new ExchangeCancel();
    const gone = () => cancel.cancel(consumerSignal.reason);
    consumerSignal.addEventListener("abort", gone, { once: true });
    const onAbort = () => {};
    cancel.addEventListener("abort", onAbort);
    cancel.removeEventListener("abort", onAbort);
    consumerSignal.removeEventListener("abort", gone);
  },
});

if (servers) {
  // Deno runs module-level teardown nowhere else: close when the process is about to exit.
  globalThis.addEventListener("unload", () => {
    void servers.denoServe.shutdown();
    void servers.http1.shutdown();
  });
}
