/**
 * What the fuzzer does to a well-formed SSP request, by family (issue 9 item 9): headers
 * (missing, duplicated, huge, many, unicode, CR/LF/NUL, bad names, `Connection` tricks, forwarding
 * headers, framing conflicts), JWTs, NHS numbers, the embedded URL (every spelling of `..`,
 * userinfo, ports, IPv6, other hosts, schemes, ODS segments, queries, request-target forms),
 * verbs, bodies and `Host` values; and hostile requests to gpc-edge's other routes. Each mutation
 * says whether the request stays one the SSP may forward (`keepsValid`) and whether its framing
 * may be broken (`fresh`: sent alone on a connection).
 *
 * @module
 */
import { encodeUnsignedJwt, gpConnectJwtClaims } from "../../gpconnect/jwt/gpc-jwt.ts";
import type { FuzzRandom } from "./fuzz-random.ts";
import type { FuzzTarget, RequestParts } from "./fuzz-requests.ts";

/** A mutation applied. */
export interface Mutation {
  readonly name: string;
  readonly keepsValid: boolean;
  readonly fresh: boolean;
  /** The body sent is shorter than its framing says: the client half-closes after it. */
  readonly truncated?: boolean;
}

/** NHS numbers, valid first (the first six are fixture patients), then every way to be wrong. */
export const NHS_NUMBERS: readonly string[] = [
  "9690937278",
  "9690937286",
  "9690937294",
  "9690937308",
  "9476718943",
  "9999999999",
  "9690937279",
  "96909372780",
  "969093727",
  "",
  "0",
  "abcdefghij",
  "９６９０９３７２７８",
  "-969093727",
  "1e10",
  "../../etc",
  "9690937278%00",
  "9".repeat(400),
];

const JUNK = [
  "",
  " ",
  "null",
  "\u00e9\u00e8",
  "\u{1F600}",
  "\u202e",
  "%00",
  "'; DROP TABLE x;--",
  "${jndi:ldap://x}",
  "<script>",
  "\\",
  "a".repeat(300),
];
const CONTROL = ["\r", "\n", "\r\n", "\0", "a\r\nX-Evil: 1", "\x07", "\x7f", "a\nb"];
const DOTS = [
  "..",
  ".",
  "%2e%2e",
  "%2E%2e",
  ".%2e",
  "%2e.",
  "%2E",
  "%252e%252e",
  "..%2f",
  "..%2F..",
  "%2f",
  "%5c..",
  "\\..",
  "..;",
  "%00",
  "%0d%0a",
  "",
];
const HOSTS = [
  "evil.example",
  "127.0.0.1:8081",
  "127.0.0.1:8082",
  "localhost:8083",
  "169.254.169.254",
  "0.0.0.0:8083",
  "2130706433",
  "[::1]:8083",
  "[::ffff:127.0.0.1]:8083",
  "[fe80::1%25lo]",
  "[0:0:0:0:0:0:0:1]",
];
const PORTS = [":0", ":65535", ":65536", ":99999", ":-1", ":443", ":80", ":", ":08083"];
const SCHEMES = [
  "ftp://",
  "file:///",
  "HTTP://",
  "hTtPs://",
  "javascript:alert(1)//",
  "//",
  "http:/",
  "http:",
  "ws://",
  "https:\\\\",
];
const METHODS = [
  "get",
  "post",
  "Get",
  "pUT",
  "FOO",
  "TRACE",
  "CONNECT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "HEAD",
  "PROPFIND",
  "M-SEARCH",
  "G".repeat(200),
];
const HOST_VALUES = [
  "x:99999",
  "a b",
  "[::1",
  "x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?",
  "",
  "\u00e9xample",
  "x@y",
  "%2F",
  "127.0.0.1:8080/",
  "h".repeat(5000),
  "[::1]:8080",
  "x:80:80",
];
const CHECKED = [
  "Ssp-TraceID",
  "Ssp-From",
  "Ssp-To",
  "Ssp-InteractionID",
  "Authorization",
  "Accept",
  "Content-Type",
  "Host",
];

const header = (parts: RequestParts, name: string) =>
  parts.headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
const setHeader = (parts: RequestParts, name: string, value: string) => {
  const at = header(parts, name);
  if (at < 0) parts.headers.push([name, value]);
  else parts.headers[at] = [parts.headers[at]![0], value];
};
const randomBytes = (random: FuzzRandom, length: number) =>
  Uint8Array.from({ length }, () => random.int(0, 255));

/** Replaces the embedded provider URL's part of the target through `change`. */
function embedded(parts: RequestParts, change: (url: string) => string): void {
  parts.target = `/${change(parts.target.slice(1))}`;
}

type Family = (random: FuzzRandom, parts: RequestParts, target: FuzzTarget) => Mutation;

const families: ReadonlyArray<readonly [number, Family]> = [
  [3, (random, parts) => {
    const name = random.pick(CHECKED);
    parts.headers = parts.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
    return { name: `header:missing ${name}`, keepsValid: false, fresh: name === "Host" };
  }],
  [3, (random, parts) => {
    const [name, value] = random.pick(parts.headers);
    parts.headers.push([name, random.chance(0.5) ? value : random.pick(JUNK)]);
    return { name: `header:duplicate ${name}`, keepsValid: false, fresh: name === "Host" };
  }],
  [2, (random, parts) => {
    const name = random.chance(0.5) ? random.pick(CHECKED) : "X-Big";
    setHeader(parts, name, "a".repeat(random.int(8_000, 70_000)));
    return { name: `header:huge ${name}`, keepsValid: name === "X-Big", fresh: true };
  }],
  [1, (random, parts) => {
    const count = random.int(50, 200);
    for (let i = 0; i < count; i++) parts.headers.push([`X-Many-${i}`, "1"]);
    return { name: `header:many ${count}`, keepsValid: true, fresh: true };
  }],
  [3, (random, parts) => {
    const name = random.chance(0.6) ? random.pick(CHECKED) : "X-Note";
    setHeader(parts, name, random.pick(JUNK));
    return { name: `header:junk ${name}`, keepsValid: name === "X-Note", fresh: name === "Host" };
  }],
  [3, (random, parts) => {
    const name = random.chance(0.6) ? random.pick(CHECKED) : "X-Note";
    const at = header(parts, name);
    const value = at < 0 ? "v" : parts.headers[at]![1];
    const cut = random.int(0, value.length);
    setHeader(parts, name, value.slice(0, cut) + random.pick(CONTROL) + value.slice(cut));
    return { name: `header:control ${name}`, keepsValid: false, fresh: true };
  }],
  [1, (random, parts) => {
    parts.headers.push([random.pick(["Bad Name", "X:Y", "", "\u00e9", "X\0", "(x)"]), "1"]);
    return { name: "header:bad-name", keepsValid: false, fresh: true };
  }],
  [2, (random, parts) => {
    const names = [random.pick(["keep-alive", "close", "X-Custom"]), random.pick(CHECKED)];
    if (random.chance(0.5)) names.push("Ssp-To", "Authorization");
    parts.headers.push(["Connection", names.join(", ")]);
    return { name: "header:connection", keepsValid: false, fresh: false };
  }],
  [2, (random, parts) => {
    for (const name of ["X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded"]) {
      if (random.chance(0.6)) parts.headers.push([name, random.pick([...JUNK, "203.0.113.9"])]);
    }
    return { name: "header:forwarding", keepsValid: true, fresh: false };
  }],
  [2, (random, parts) => {
    const kind = random.int(0, 4);
    if (kind === 0) parts.headers.push(["Transfer-Encoding", "chunked"]);
    if (kind === 1) parts.headers.push(["Content-Length", "5"], ["Content-Length", "6"]);
    if (kind === 2) parts.headers.push(["Content-Length", random.pick(["-1", "1e3", "0x10", ""])]);
    if (kind === 3) parts.headers.push(["Transfer-Encoding", random.pick(["gzip", "chunked, x"])]);
    if (kind === 4) parts.headers.push(["Content-Length", String(2 ** 40)]);
    return { name: `header:framing ${kind}`, keepsValid: false, fresh: true, truncated: true };
  }],
  [1, (_random, parts) => {
    parts.headers.push(["Expect", "100-continue"]);
    return { name: "header:expect", keepsValid: true, fresh: true };
  }],
  [4, (random, parts) => {
    const claims: Record<string, unknown> = gpConnectJwtClaims({
      requestedScope: "patient/*.read",
    });
    const claim = random.pick(Object.keys(claims));
    const value = random.pick<unknown>([undefined, null, 0, -1, "", [], {}, "x".repeat(5000), {
      resourceType: "Device",
    }, random.pick(JUNK)]);
    if (value === undefined) delete claims[claim];
    else claims[claim] = value;
    const token = random.chance(0.7) ? encodeUnsignedJwt(claims) : random.pick([
      "",
      "a.b",
      "a.b.c.d",
      "e30.e30",
      "eyJhbGciOiJIUzI1NiJ9.e30.sig",
      new TextEncoder().encode(JSON.stringify(claims)).toBase64(),
      "%%%.%%%.",
      "a".repeat(20_000),
    ]);
    const scheme = random.pick(["Bearer ", "Bearer ", "bearer ", "Basic ", "Bearer  ", ""]);
    setHeader(parts, "Authorization", scheme + token);
    return { name: `jwt:${claim}`, keepsValid: true, fresh: false };
  }],
  [3, (random, parts) => {
    const nhs = random.pick(NHS_NUMBERS);
    if (parts.body !== null && random.chance(0.6)) {
      parts.body = new TextEncoder().encode(JSON.stringify({
        resourceType: "Parameters",
        parameter: [{
          name: "patientNHSNumber",
          valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhs },
        }],
      }));
      return { name: "nhs:body", keepsValid: true, fresh: false };
    }
    parts.target = parts.target.replace(/\/(Patient|Appointment|Binary)(\/[^/?]*)?/, `/$1/${nhs}`);
    return { name: "nhs:path", keepsValid: false, fresh: false };
  }],
  [5, (random, parts) => {
    embedded(parts, (url) => {
      const segments = url.split("/");
      const at = random.int(3, segments.length);
      segments.splice(at, 0, random.pick(DOTS));
      return segments.join("/");
    });
    return { name: "url:dot-segment", keepsValid: false, fresh: false };
  }],
  [2, (random, parts) => {
    embedded(
      parts,
      (url) => url.replace("://", `://${random.pick(["user:pass@", "@", "a@b@", "%40@"])}`),
    );
    return { name: "url:userinfo", keepsValid: false, fresh: false };
  }],
  [2, (random, parts) => {
    embedded(parts, (url) => url.replace(/^(\w+:\/\/[^/:]+)(:\d+)?/, `$1${random.pick(PORTS)}`));
    return { name: "url:port", keepsValid: false, fresh: false };
  }],
  [3, (random, parts) => {
    embedded(parts, (url) => url.replace(/^(\w+:\/\/)[^/]+/, `$1${random.pick(HOSTS)}`));
    return { name: "url:host", keepsValid: false, fresh: false };
  }],
  [2, (random, parts) => {
    embedded(parts, (url) => url.replace(/^\w+:\/\//, random.pick(SCHEMES)));
    return { name: "url:scheme", keepsValid: false, fresh: false };
  }],
  [2, (random, parts, target) => {
    const ods = random.pick([
      "",
      "B82617B82617B",
      "b82617",
      "B82617%2F..",
      "\u00e9",
      "A".repeat(300),
      "A20047",
      "B8261",
    ]);
    embedded(parts, (url) => url.replace(`/${target.odsCode}/`, `/${ods}/`));
    return { name: "url:ods", keepsValid: false, fresh: false };
  }],
  [2, (random, parts) => {
    const tail = random.pick([
      "?_format=json",
      "?%zz",
      "#frag",
      "?a=" + "q".repeat(random.int(100, 20_000)),
      "?x=%0d%0a",
      "//",
      "?",
    ]);
    parts.target += tail;
    return { name: "url:tail", keepsValid: tail === "?_format=json", fresh: tail.length > 8000 };
  }],
  [2, (random, parts, target) => {
    const form = random.int(0, 4);
    if (form === 0) parts.target = "*";
    if (form === 1) parts.target = `${target.edgeUrl}${parts.target}`;
    if (form === 2) parts.target = new URL(target.providerOrigin).host;
    if (form === 3) parts.target = parts.target.slice(1);
    if (form === 4) parts.target = "/" + "p".repeat(random.int(9000, 20_000));
    return { name: `url:target-form ${form}`, keepsValid: form === 1, fresh: true };
  }],
  [3, (random, parts) => {
    parts.method = random.pick(METHODS);
    return { name: `verb:${parts.method.slice(0, 12)}`, keepsValid: false, fresh: true };
  }],
  [3, (random, parts) => {
    const kind = random.int(0, 5);
    if (kind === 0) parts.body = randomBytes(random, random.int(0, 65_536));
    if (kind === 1) parts.body = new TextEncoder().encode('{"resourceType":');
    if (kind === 2) parts.body = new TextEncoder().encode("[".repeat(random.int(100, 50_000)));
    if (kind === 3) {
      parts.body = randomBytes(random, random.int(1, 2000));
      parts.framing = "chunked";
    }
    if (kind === 4) {
      parts.framing = "chunked";
      parts.rawChunks = random.pick([
        "zz\r\nabc\r\n0\r\n\r\n",
        "5\r\nab\r\n",
        "-1\r\n\r\n",
        "5;x\r\nabcde\r\n0\r\n\r\n",
      ]);
    }
    if (kind === 5 && random.chance(0.05)) parts.body = new Uint8Array(11 * 1024 * 1024).fill(32);
    return { name: `body:${kind}`, keepsValid: kind < 4, fresh: kind >= 3, truncated: kind === 4 };
  }],
  [2, (random, parts) => {
    const at = header(parts, "Host");
    const value = random.pick(HOST_VALUES);
    if (at >= 0) parts.headers[at] = ["Host", value];
    if (random.chance(0.2)) parts.headers.push(["Host", value]);
    return { name: "host:value", keepsValid: false, fresh: true };
  }],
];

const totalWeight = families.reduce((sum, [weight]) => sum + weight, 0);

/** Applies one weighted-random mutation to `parts`. */
export function mutate(random: FuzzRandom, parts: RequestParts, target: FuzzTarget): Mutation {
  let roll = random.next() * totalWeight;
  for (const [weight, family] of families) {
    roll -= weight;
    if (roll < 0) return family(random, parts, target);
  }
  return families[0]![1](random, parts, target);
}

/** A hostile request to one of gpc-edge's other routes. */
export function otherRouteCase(
  random: FuzzRandom,
  target: FuzzTarget,
): { name: string; parts: RequestParts; fresh: boolean } {
  const host = new URL(target.edgeUrl).host;
  const junk = () => encodeURIComponent(random.pick([...JUNK, ...NHS_NUMBERS]));
  const routes: Array<() => [string, string, Array<[string, string]>, Uint8Array | null]> = [
    () => ["GET", "/_health", [], null],
    () => ["GET", "/_status", [], null],
    () => ["GET", "/directory/stats", [], null],
    () => [
      "GET",
      `/directory/resolve?nhs-number=${junk()}&interaction=${
        random.chance(0.5) ? "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1" : junk()
      }`,
      [["Cache-Control", random.pick(["no-cache", "x"])], ["X-Request-ID", junk()]],
      null,
    ],
    () => [
      random.pick(["GET", "POST", "PUT"]),
      `/messageexchange/${random.pick(["A11111OT1", "B82617OT1", junk()])}/${
        random.pick(["inbox", "outbox", "", junk()])
      }`,
      [["Authorization", `NHSMESH ${junk()}`]],
      random.chance(0.5) ? new TextEncoder().encode(random.pick(JUNK)) : null,
    ],
    () => [
      "POST",
      "/oauth2/token",
      [["Content-Type", "application/x-www-form-urlencoded"]],
      new TextEncoder().encode(
        `grant_type=${junk()}&subject_token=${junk()}&client_assertion=${junk()}`,
      ),
    ],
    () => [
      random.pick(["GET", "POST", "OPTIONS", "PATCH"]),
      `/gp-connect/patient-facing/access-record-fhir/FHIR/STU3/Patient/${junk()}`,
      [["Authorization", `Bearer ${junk()}`], ["X-Request-ID", junk()], ["Origin", junk()]],
      null,
    ],
    () => [random.pick(METHODS), `/${junk()}`, [], null],
  ];
  const [method, path, headers, body] = random.pick(routes)();
  return {
    name: `route:${method.slice(0, 12)} ${path.split("?")[0]!.slice(0, 40)}`,
    parts: { method, target: path, headers: [["Host", host], ...headers], body, framing: "length" },
    fresh: false,
  };
}
