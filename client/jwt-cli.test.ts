import assert from "node:assert/strict";
import { decodeBearerJwt } from "../gpconnect/jwt/jwt-decode.ts";
import { jwtCli } from "./jwt-cli.ts";

function run(args: string[]) {
  const out: string[] = [];
  const error: string[] = [];
  const status = jwtCli(args, { out: (line) => out.push(line), error: (line) => error.push(line) });
  return { status, out, error };
}

Deno.test("jwt --help prints the usage, the flags and the environment, exit 0", () => {
  for (const flag of ["--help", "-h"]) {
    const { status, out, error } = run([flag]);
    assert.equal(status, 0);
    assert.deepEqual(error, []);
    assert.match(out.join("\n"), /^Usage: deno task jwt \[INTERACTION\] \[NHS_NUMBER\]$/m);
    assert.match(out.join("\n"), /--list/);
    assert.match(out.join("\n"), /Environment variables/);
  }
});

Deno.test("jwt: an unknown flag, interaction, NHS number or extra argument is one line, exit 2", () => {
  const cases: Array<[string[], RegExp]> = [
    [["--nope"], /^gpc-edge jwt: unknown option --nope$/],
    [["urn:nhs:names:services:gpconnect:fhir:rest:read:nothing-1"], /unknown interaction/],
    [["urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1", "9690937279"], /NHS number/],
    [["a", "b", "c"], /^gpc-edge jwt: unexpected argument "c"$/],
  ];
  for (const [args, message] of cases) {
    const { status, out, error } = run(args);
    assert.equal(status, 2, args.join(" "));
    assert.deepEqual(out, []);
    assert.equal(error.length, 1, args.join(" "));
    assert.match(error[0] ?? "", message);
  }
});

Deno.test("jwt: a token for the interaction's scope; --list names the interactions", () => {
  const token = run(["urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1"]);
  assert.equal(token.status, 0);
  assert.equal(token.out.length, 1);
  const decoded = decodeBearerJwt(`Bearer ${token.out[0]}`);
  assert.deepEqual(decoded.findings, []);
  assert.equal(decoded.claims?.requested_scope, "patient/*.read");

  const list = run(["--list"]);
  assert.equal(list.status, 0);
  assert.ok(list.out.includes("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"));
  assert.ok(list.out.every((id) => id.startsWith("urn:nhs:names:services:gpconnect:")));
});
