import assert from "node:assert/strict";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "../../client/gpc-jwt.ts";
import { findInteraction, type Interaction } from "../../worker/specs.ts";
import { ProviderError } from "./provider-error.ts";
import { checkGpConnectJwt } from "./provider-jwt.ts";

const now = 1_736_935_200; // 2025-01-15T10:00:00Z
const metadata = findInteraction("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1")!;
const readPatient = findInteraction("urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1")!;
const migrate = findInteraction(
  "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1",
)!;

function claims(interaction: Interaction, changes: Record<string, unknown> = {}) {
  const base = gpConnectJwtClaims({
    requestedScope: interaction.requestedScope,
    reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
    issuedAt: now,
  });
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

function outcome(authorization: string | undefined, interaction = metadata): string {
  try {
    checkGpConnectJwt(authorization, interaction, now);
    return "ok";
  } catch (error) {
    assert.ok(error instanceof ProviderError);
    return `${error.status} ${error.code}`;
  }
}

const bearer = (c: Record<string, unknown>, header?: Record<string, unknown>) =>
  `Bearer ${encodeUnsignedJwt(c, header)}`;

Deno.test("checkGpConnectJwt: a valid token passes, bearer scheme case-insensitive", () => {
  assert.equal(outcome(bearer(claims(metadata))), "ok");
  assert.equal(outcome(`bearer ${encodeUnsignedJwt(claims(metadata))}`), "ok");
  assert.equal(outcome(bearer(claims(migrate)), migrate), "ok");
  assert.equal(
    outcome(bearer(claims(readPatient, { requested_scope: "patient/*.read conf/R" })), readPatient),
    "ok",
  );
  assert.equal(outcome(bearer(claims(metadata, { iat: now + 200, exp: now + 500 }))), "ok");
});

Deno.test("checkGpConnectJwt: structural defects → 400 BAD_REQUEST", () => {
  const token = encodeUnsignedJwt(claims(metadata));
  for (
    const authorization of [
      undefined,
      "",
      token,
      `Basic ${token}`,
      `Bearer ${token}signature`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer a.b.`,
      `Bearer ${token.replace(/^[^.]+/, "e30")}`,
      bearer(claims(metadata), { alg: "HS256", typ: "JWT" }),
      bearer(claims(metadata), { alg: "none", typ: "JWT", kid: "1" }),
    ]
  ) {
    assert.equal(outcome(authorization), "400 BAD_REQUEST", String(authorization));
  }
});

Deno.test("checkGpConnectJwt: claim defects → 400 BAD_REQUEST", () => {
  for (
    const changes of [
      { iss: undefined },
      { aud: undefined },
      { requesting_device: undefined },
      { exp: now + 299 },
      { exp: now + 301 },
      { exp: String(now + 300) },
      { iat: now - 600, exp: now - 300 },
      { reason_for_request: "migration" },
      { requested_scope: "patient/*.read" },
      { requested_scope: "organization/*.read conf/X" },
      { sub: "someone-else" },
    ]
  ) {
    assert.equal(
      outcome(bearer(claims(metadata, changes))),
      "400 BAD_REQUEST",
      JSON.stringify(changes),
    );
  }
  assert.equal(
    outcome(bearer(claims(readPatient, { reason_for_request: "migration" })), readPatient),
    "400 BAD_REQUEST",
  );
});

Deno.test("checkGpConnectJwt: a claim with the wrong resource type → 422 INVALID_RESOURCE", () => {
  const device = { resourceType: "Patient", identifier: [{ system: "x", value: "y" }] };
  assert.equal(
    outcome(bearer(claims(metadata, { requesting_device: device }))),
    "422 INVALID_RESOURCE",
  );
  assert.equal(
    outcome(bearer(claims(metadata, { requesting_organization: { resourceType: "Device" } }))),
    "422 INVALID_RESOURCE",
  );
});
