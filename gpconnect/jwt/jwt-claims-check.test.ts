import assert from "node:assert/strict";
import { base64urlEncode } from "../base64url.ts";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "./gpc-jwt.ts";
import { findInteraction, type Interaction, interactions } from "../specs.ts";
import { checkGpConnectJwt, type JwtCheckResult, type JwtFinding } from "./jwt-claims-check.ts";

const now = 1_700_000_000;
const urn = "urn:nhs:names:services:gpconnect:";

function interaction(suffix: string): Interaction {
  const found = findInteraction(`${urn}${suffix}`);
  assert.ok(found, suffix);
  return found;
}

const metadata = interaction("fhir:rest:read:metadata-1");
const structured = interaction("fhir:operation:gpc.getstructuredrecord-1");
const migrate = interaction("fhir:operation:gpc.migratestructuredrecord-1");
const careRecord = interaction("fhir:operation:gpc.getcarerecord");
const dstu2Metadata = interaction("fhir:rest:read:metadata");

type Claims = Record<string, unknown>;

/** A valid token for the interaction, changed by `mutate`. */
function tokenFor(target: Interaction, mutate: (claims: Claims) => void = () => {}): string {
  const claims = gpConnectJwtClaims({
    requestedScope: target.requestedScope,
    fhirVersion: target.fhirVersion,
    reasonForRequest: target.reasonForRequest[0] ?? "directcare",
    issuedAt: now,
  });
  mutate(claims);
  return encodeUnsignedJwt(claims);
}

/** Checks a token and asserts that no finding repeats it or its payload part. */
function check(target: Interaction, token: string, leewaySeconds = 5): JwtCheckResult {
  const result = checkGpConnectJwt(`Bearer ${token}`, {
    interaction: target,
    nowSeconds: now,
    leewaySeconds,
  });
  const text = JSON.stringify(result.findings);
  for (const secret of [token, token.split(".")[1] ?? ""]) {
    if (secret.length >= 8) assert.ok(!text.includes(secret), "a finding repeats the token");
  }
  return result;
}

function only(result: JwtCheckResult): JwtFinding {
  assert.equal(result.findings.length, 1, JSON.stringify(result.findings));
  return result.findings[0]!;
}

/** Asserts exactly one 400 BAD_REQUEST finding on `claim` and returns its problem. */
function rejects400(target: Interaction, mutate: (claims: Claims) => void, claim: string): string {
  const finding = only(check(target, tokenFor(target, mutate)));
  assert.equal(finding.claim, claim, finding.problem);
  assert.equal(finding.status, 400);
  assert.equal(finding.spineCode, "BAD_REQUEST");
  return finding.problem;
}

Deno.test("checkGpConnectJwt: a valid token for every catalogue interaction has no findings", () => {
  assert.ok(interactions.length >= 25);
  for (const target of interactions) {
    const result = check(target, tokenFor(target));
    assert.deepEqual(result.findings, [], target.id);
    assert.equal(result.summary.requestingOrganizationOds, "A11111", target.id);
    assert.equal(result.summary.requestingPractitionerId, "1", target.id);
    assert.equal(result.summary.requestedScope, target.requestedScope, target.id);
    assert.equal(result.summary.reasonForRequest, target.reasonForRequest[0], target.id);
    assert.equal(result.summary.requestingDeviceId, "CONS-APP-4", target.id);
  }
});

Deno.test("checkGpConnectJwt: the audit summary carries the requesting identities", () => {
  const stu3 = check(metadata, tokenFor(metadata));
  assert.deepEqual(stu3.summary, {
    requestingDeviceId: "CONS-APP-4",
    requestingOrganizationOds: "A11111",
    requestingPractitionerId: "1",
    requestingPractitionerSdsUserId: "111111111111",
    requestingPractitionerRoleProfileId: "22222222222222",
    reasonForRequest: "directcare",
    requestedScope: "organization/*.read",
  });
  assert.equal(stu3.claims?.iss, "https://consumersupplier.thirdparty.nhs.uk/");
  const dstu2 = check(careRecord, tokenFor(careRecord));
  assert.equal(dstu2.summary.requestingPractitionerSdsUserId, "G13579135");
  assert.equal(dstu2.summary.requestedRecordNhsNumber, "9690937278");
  assert.equal(dstu2.summary.requestingPractitionerRoleProfileId, undefined);
});

Deno.test("checkGpConnectJwt: Bearer in any case is accepted, Basic is rejected", () => {
  const token = tokenFor(metadata);
  const context = { interaction: metadata, nowSeconds: now, leewaySeconds: 5 };
  assert.deepEqual(checkGpConnectJwt(`bearer ${token}`, context).findings, []);
  const basic = checkGpConnectJwt("Basic dXNlcjpwYXNz", context);
  assert.equal(basic.claims, undefined);
  assert.deepEqual(basic.summary, {});
  assert.equal(only(basic).claim, "authorization");
  assert.equal(only(basic).status, 400);
});

for (const claim of ["iss", "sub", "aud", "reason_for_request", "requested_scope"]) {
  Deno.test(`checkGpConnectJwt: "${claim}" missing, null, not a string or empty is 400`, () => {
    const cases: Array<[unknown, string]> = [
      [undefined, `Claim "${claim}" is missing`],
      [null, `Claim "${claim}" is null`],
      [42, `Claim "${claim}" must be a string (found number)`],
      [{ value: "x" }, `Claim "${claim}" must be a string (found object)`],
      ["", `Claim "${claim}" is empty`],
      ["  ", `Claim "${claim}" is empty`],
    ];
    for (const [value, problem] of cases) {
      assert.equal(rejects400(metadata, (claims) => void (claims[claim] = value), claim), problem);
    }
  });
}

Deno.test('checkGpConnectJwt: "sub" must equal requesting_practitioner.id', () => {
  const problem = rejects400(metadata, (claims) => void (claims.sub = "2"), "sub");
  assert.equal(problem, 'Claim "sub" "2" must equal "requesting_practitioner.id" "1"');
});

Deno.test('checkGpConnectJwt: 1.x "aud" is any non-empty string', () => {
  for (
    const aud of [
      "https://provider.example/B82617/STU3/1/gpconnect",
      "https://authorize.fhir.nhs.net/token",
    ]
  ) {
    assert.deepEqual(
      check(metadata, tokenFor(metadata, (claims) => void (claims.aud = aud))).findings,
      [],
    );
  }
});

Deno.test('checkGpConnectJwt: DSTU2 "aud" must be exactly the token endpoint', () => {
  for (
    const aud of [
      "https://notValid.fhir.nhs.net/tokenEndpoint",
      "https://authorize.fhir.nhs.net/token/",
    ]
  ) {
    const problem = rejects400(careRecord, (claims) => void (claims.aud = aud), "aud");
    assert.match(
      problem,
      /^Claim "aud" must be "https:\/\/authorize\.fhir\.nhs\.net\/token" for DSTU2/,
    );
  }
});

for (const claim of ["exp", "iat"]) {
  Deno.test(`checkGpConnectJwt: "${claim}" missing, null, non-integer or negative is 400`, () => {
    const cases: Array<[unknown, string]> = [
      [undefined, `Claim "${claim}" is missing`],
      [null, `Claim "${claim}" is null`],
      [String(now), `Claim "${claim}" must be a number of epoch seconds (found string)`],
      [now + 0.5, `Claim "${claim}" must be a whole number of seconds (found "1700000000.5")`],
      [true, `Claim "${claim}" must be a number of epoch seconds (found boolean)`],
    ];
    for (const [value, problem] of cases) {
      assert.equal(rejects400(metadata, (claims) => void (claims[claim] = value), claim), problem);
    }
    const negative = check(metadata, tokenFor(metadata, (claims) => void (claims[claim] = -1)));
    assert.ok(
      negative.findings.some((finding) =>
        finding.claim === claim &&
        finding.problem === `Claim "${claim}" must not be negative (found -1)`
      ),
    );
  });
}

Deno.test("checkGpConnectJwt: exp must be exactly iat + 300 (299, 301 and -1 are 400)", () => {
  for (const lifetime of [299, 301, -1, 0, 3600]) {
    const problem = rejects400(metadata, (claims) => void (claims.exp = now + lifetime), "exp");
    assert.equal(
      problem,
      `Claim "exp" must be exactly 300 seconds after "iat" (found ${lifetime})`,
    );
  }
});

Deno.test("checkGpConnectJwt: an expired token is 400, within leeway it passes", () => {
  const issued = (iat: number) => (claims: Claims) => {
    claims.iat = iat;
    claims.exp = iat + 300;
  };
  assert.equal(rejects400(metadata, issued(now - 600), "exp"), "Token expired 300 seconds ago");
  assert.deepEqual(check(metadata, tokenFor(metadata, issued(now - 305)), 5).findings, []);
  assert.equal(
    only(check(metadata, tokenFor(metadata, issued(now - 306)), 5)).problem,
    "Token expired 6 seconds ago",
  );
  assert.deepEqual(check(metadata, tokenFor(metadata, issued(now - 390)), 600).findings, []);
});

Deno.test("checkGpConnectJwt: iat in the future is tolerated (PT +200 s), far future is 400", () => {
  const issued = (iat: number) => (claims: Claims) => {
    claims.iat = iat;
    claims.exp = iat + 300;
  };
  for (const skew of [1, 90, 200, 305]) {
    assert.deepEqual(
      check(metadata, tokenFor(metadata, issued(now + skew)), 5).findings,
      [],
      `+${skew}`,
    );
  }
  const problem = rejects400(metadata, issued(now + 306), "iat");
  assert.equal(problem, 'Claim "iat" is 306 seconds in the future (at most 305 allowed)');
});

Deno.test("checkGpConnectJwt: reason_for_request must be allowed by the interaction", () => {
  assert.equal(
    rejects400(
      metadata,
      (claims) => void (claims.reason_for_request = "notdirectcare"),
      "reason_for_request",
    ),
    'Claim "reason_for_request" must be "directcare" for this interaction (found "notdirectcare")',
  );
  rejects400(
    metadata,
    (claims) => void (claims.reason_for_request = "migration"),
    "reason_for_request",
  );
  rejects400(
    structured,
    (claims) => void (claims.reason_for_request = "migration"),
    "reason_for_request",
  );
  assert.equal(
    rejects400(
      migrate,
      (claims) => void (claims.reason_for_request = "directcare"),
      "reason_for_request",
    ),
    'Claim "reason_for_request" must be "migration" for this interaction (found "directcare")',
  );
  rejects400(
    careRecord,
    (claims) => void (claims.reason_for_request = "migration"),
    "reason_for_request",
  );
  rejects400(
    metadata,
    (claims) => void (claims.reason_for_request = "DirectCare"),
    "reason_for_request",
  );
});

Deno.test("checkGpConnectJwt: requested_scope must match the interaction", () => {
  assert.equal(
    rejects400(
      metadata,
      (claims) => void (claims.requested_scope = "patient/*.read"),
      "requested_scope",
    ),
    'Claim "requested_scope" must be "organization/*.read", optionally followed by " conf/N" or " conf/R" for this interaction (found "patient/*.read")',
  );
  rejects400(
    structured,
    (claims) => void (claims.requested_scope = "patient/*.write"),
    "requested_scope",
  );
  rejects400(
    structured,
    (claims) => void (claims.requested_scope = "encounter/*.read"),
    "requested_scope",
  );
});

Deno.test("checkGpConnectJwt: 1.x scope may carry conf/N or conf/R, nothing else", () => {
  for (const target of [structured, migrate, metadata]) {
    for (const conf of ["conf/N", "conf/R"]) {
      const scope = `${target.requestedScope} ${conf}`;
      const result = check(
        target,
        tokenFor(target, (claims) => void (claims.requested_scope = scope)),
      );
      assert.deepEqual(result.findings, [], scope);
      assert.equal(result.summary.requestedScope, scope);
    }
  }
  for (
    const scope of [
      "patient/*.read conf/X",
      "patient/*.read  conf/N",
      "patient/*.read conf/n",
      "patient/*.read conf/N conf/R",
      "patient/*.readconf/N",
      "conf/N",
    ]
  ) {
    rejects400(structured, (claims) => void (claims.requested_scope = scope), "requested_scope");
  }
});

Deno.test("checkGpConnectJwt: DSTU2 scope has no conf suffix", () => {
  assert.equal(
    rejects400(
      careRecord,
      (claims) => void (claims.requested_scope = "patient/*.read conf/N"),
      "requested_scope",
    ),
    'Claim "requested_scope" must be "patient/*.read" for this interaction (found "patient/*.read conf/N")',
  );
  rejects400(
    careRecord,
    (claims) => void (claims.requested_scope = "organization/*.read"),
    "requested_scope",
  );
  rejects400(
    dstu2Metadata,
    (claims) => void (claims.requested_scope = "patient/*.read"),
    "requested_scope",
  );
});

Deno.test("checkGpConnectJwt: every finding is collected in a stable claim order", () => {
  const token = tokenFor(metadata, (claims) => {
    delete claims.requesting_practitioner;
    claims.requesting_device = "device";
    claims.requested_record = {};
    claims.requested_scope = "patient/*.read";
    claims.reason_for_request = 1;
    claims.exp = now + 301;
    claims.aud = null;
    claims.iss = "";
  });
  const result = check(metadata, token);
  assert.deepEqual(result.findings.map(({ claim, status }) => `${claim} ${status}`), [
    "iss 400",
    "aud 400",
    "exp 400",
    "reason_for_request 400",
    "requested_scope 400",
    "requested_record 400",
    "requesting_device 422",
    "requesting_practitioner 400",
  ]);
  assert.equal(result.summary.requestingOrganizationOds, "A11111");
});

Deno.test("checkGpConnectJwt: a broken header still reports claim findings", () => {
  const header = base64urlEncode(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = tokenFor(metadata, (claims) => void (claims.sub = "9")).split(".")[1];
  const result = check(metadata, `${header}.${payload}.`);
  assert.deepEqual(result.findings.map((finding) => finding.claim), ["header", "sub"]);
});

Deno.test("checkGpConnectJwt: no finding ever contains the raw token", () => {
  const broken = [
    tokenFor(metadata, (claims) => void (claims.requested_scope = "patient/*.read")),
    `${tokenFor(metadata)}c2lnbmF0dXJlc2lnbmF0dXJl`,
    tokenFor(metadata).slice(0, -1),
    tokenFor(metadata, (claims) => void (claims.reason_for_request = tokenFor(metadata))),
    tokenFor(careRecord, (claims) => void (claims.aud = "x")),
    `${tokenFor(metadata)}.extra`,
  ];
  for (const token of broken) {
    const result = check(metadata, token);
    assert.ok(result.findings.length > 0);
    for (const finding of result.findings) assert.ok(!finding.problem.includes(token));
  }
  const noScheme = checkGpConnectJwt(tokenFor(metadata), {
    interaction: metadata,
    nowSeconds: now,
    leewaySeconds: 5,
  });
  assert.ok(!JSON.stringify(noScheme.findings).includes(tokenFor(metadata).split(".")[1]!));
});

Deno.test("checkGpConnectJwt: long claim values are cut in messages", () => {
  const problem = rejects400(
    metadata,
    (claims) => void (claims.reason_for_request = "x".repeat(500)),
    "reason_for_request",
  );
  assert.ok(problem.length < 200, problem);
  assert.match(problem, /x…"\)$/);
});
