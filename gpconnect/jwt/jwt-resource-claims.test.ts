import assert from "node:assert/strict";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "./gpc-jwt.ts";
import { findInteraction, type Interaction } from "../specs.ts";
import { checkGpConnectJwt, type JwtCheckResult } from "./jwt-claims-check.ts";
import { checkResourceClaims } from "./jwt-resource-claims.ts";

const now = 1_700_000_000;
const stu3 = findInteraction("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1")!;
const dstu2 = findInteraction("urn:nhs:names:services:gpconnect:fhir:operation:gpc.getcarerecord")!;

type Json = Record<string, unknown>;

function tokenFor(target: Interaction, mutate: (claims: Json) => void): string {
  const claims = gpConnectJwtClaims({
    requestedScope: target.requestedScope,
    fhirVersion: target.fhirVersion,
    issuedAt: now,
  });
  mutate(claims);
  return encodeUnsignedJwt(claims);
}

function check(target: Interaction, mutate: (claims: Json) => void): JwtCheckResult {
  const token = tokenFor(target, mutate);
  const result = checkGpConnectJwt(`Bearer ${token}`, {
    interaction: target,
    nowSeconds: now,
    leewaySeconds: 5,
  });
  assert.ok(!JSON.stringify(result.findings).includes(token.split(".")[1]!));
  return result;
}

/** Mutates one resource claim of the default claims. */
function resource(claim: string, mutate: (resource: Json) => void): (claims: Json) => void {
  return (claims) => mutate(claims[claim] as Json);
}

/** Asserts exactly one finding and returns `status problem`. */
function one(target: Interaction, mutate: (claims: Json) => void): string {
  const { findings } = check(target, mutate);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  const [finding] = findings;
  const spineCode = finding!.status === 400 ? "BAD_REQUEST" : "INVALID_RESOURCE";
  assert.equal(finding!.spineCode, spineCode);
  return `${finding!.claim} ${finding!.status} ${finding!.problem}`;
}

function ok(target: Interaction, mutate: (claims: Json) => void): JwtCheckResult {
  const result = check(target, mutate);
  assert.deepEqual(result.findings, []);
  return result;
}

const device = "requesting_device";
const organization = "requesting_organization";
const practitioner = "requesting_practitioner";

for (const claim of [device, organization, practitioner]) {
  Deno.test(`resource claims: "${claim}" missing or null is 400 in both releases`, () => {
    for (const target of [stu3, dstu2]) {
      assert.equal(
        one(target, (claims) => delete claims[claim]),
        `${claim} 400 Claim "${claim}" is missing`,
      );
      assert.equal(
        one(target, (claims) => void (claims[claim] = null)),
        `${claim} 400 Claim "${claim}" is null`,
      );
    }
  });

  Deno.test(`resource claims: "${claim}" that is not an object is 422 in both releases`, () => {
    for (const target of [stu3, dstu2]) {
      for (const value of ["Device", 7, [], true]) {
        assert.match(
          one(target, (claims) => void (claims[claim] = value)),
          new RegExp(`^${claim} 422 Claim "${claim}" must be a FHIR \\w+ object \\(found`),
        );
      }
    }
  });

  Deno.test(`resource claims: "${claim}" wrong resourceType is 422 for 1.x, 400 for DSTU2`, () => {
    const wrong = resource(claim, (value) => void (value.resourceType = "InvalidResourceType"));
    assert.match(
      one(stu3, wrong),
      new RegExp(`^${claim} 422 .*resourceType "InvalidResourceType"`),
    );
    assert.match(
      one(dstu2, wrong),
      new RegExp(`^${claim} 400 .*resourceType "InvalidResourceType"`),
    );
    const none = resource(claim, (value) => delete value.resourceType);
    assert.match(one(stu3, none), new RegExp(`^${claim} 422 .*has no "resourceType"`));
    assert.match(one(dstu2, none), new RegExp(`^${claim} 400 .*has no "resourceType"`));
  });

  Deno.test(`resource claims: "${claim}" with an unknown element is 422 (PT "invalid")`, () => {
    for (const target of [stu3, dstu2]) {
      assert.match(
        one(target, resource(claim, (value) => void (value.invalidField = "Assurance Testing"))),
        new RegExp(`^${claim} 422 .*is not a valid \\w+ \\w+: unknown elements "invalidField"$`),
      );
    }
    ok(stu3, resource(claim, (value) => void (value.meta = { versionId: "1" })));
    ok(stu3, resource(claim, (value) => void (value._id = { extension: [] })));
  });

  Deno.test(`resource claims: "${claim}" identifier missing is 400, malformed is 422`, () => {
    for (const target of [stu3, dstu2]) {
      for (const value of [undefined, null, []]) {
        assert.equal(
          one(target, resource(claim, (resource) => void (resource.identifier = value))),
          `${claim} 400 Claim "${claim}" has no "identifier"`,
        );
      }
      assert.equal(
        one(
          target,
          resource(claim, (value) => void (value.identifier = { system: "s", value: "v" })),
        ),
        `${claim} 422 Claim "${claim}" element "identifier" must be an array (found object)`,
      );
      const first = identifierCount(target, claim);
      const findings = check(
        target,
        resource(claim, (value) => {
          value.identifier = [...(value.identifier as unknown[]), "x", { system: 1 }];
        }),
      ).findings;
      assert.deepEqual(findings.map((finding) => `${finding.status} ${finding.problem}`), [
        `422 Claim "${claim}" element "identifier[${first}]" must be an object (found string)`,
        `422 Claim "${claim}" element "identifier[${
          first + 1
        }].system" must be a string (found number)`,
      ]);
    }
  });
}

function identifierCount(target: Interaction, claim: string): number {
  const claims = gpConnectJwtClaims({
    requestedScope: target.requestedScope,
    fhirVersion: target.fhirVersion,
  });
  return ((claims[claim] as Json).identifier as unknown[]).length;
}

Deno.test("requesting_device: identifier system+value, model and version are required (400)", () => {
  for (const target of [stu3, dstu2]) {
    assert.equal(
      one(target, resource(device, (value) => void (value.identifier = [{ system: "s" }]))),
      `${device} 400 Claim "${device}" has no identifier with both "system" and "value"`,
    );
    for (const element of ["model", "version"]) {
      for (const missing of [undefined, null, ""]) {
        assert.equal(
          one(target, resource(device, (value) => void (value[element] = missing))),
          `${device} 400 Claim "${device}" has no "${element}"`,
        );
      }
      assert.equal(
        one(target, resource(device, (value) => void (value[element] = 1))),
        `${device} 422 Claim "${device}" element "${element}" must be a string (found number)`,
      );
    }
  }
});

Deno.test("requesting_device: DSTU2 needs an id, 1.x does not", () => {
  assert.equal(
    one(dstu2, resource(device, (value) => delete value.id)),
    `${device} 400 Claim "${device}" has no "id"`,
  );
  ok(stu3, resource(device, (value) => delete value.id));
});

Deno.test("requesting_organization: an ODS identifier with a value and a name are required (400)", () => {
  for (const target of [stu3, dstu2]) {
    assert.match(
      one(
        target,
        resource(
          organization,
          (value) => void (value.identifier = [{ system: "https://example.org/id", value: "X" }]),
        ),
      ),
      /^requesting_organization 400 Claim "requesting_organization" has no identifier with system "https?:\/\/fhir\.nhs\.\w+\/Id\/ods-organization-code" and a value$/,
    );
    assert.match(
      one(
        target,
        resource(organization, (value) => {
          const identifier = (value.identifier as Json[])[0]!;
          delete identifier.value;
        }),
      ),
      /^requesting_organization 400 .*has no identifier with system/,
    );
    assert.equal(
      one(target, resource(organization, (value) => delete value.name)),
      `${organization} 400 Claim "${organization}" has no "name"`,
    );
    assert.equal(
      one(target, resource(organization, (value) => void (value.name = ["Org"]))),
      `${organization} 422 Claim "${organization}" element "name" must be a string (found array)`,
    );
  }
});

Deno.test("requesting_organization: 1.x also accepts the legacy ODS system (RC5 compatibility)", () => {
  const result = ok(
    stu3,
    resource(organization, (value) => {
      value.identifier = [{
        system: "http://fhir.nhs.net/Id/ods-organization-code",
        value: "B82617",
      }];
    }),
  );
  assert.equal(result.summary.requestingOrganizationOds, "B82617");
});

Deno.test("requesting_organization: DSTU2 needs the legacy ODS system and an id", () => {
  assert.match(
    one(
      dstu2,
      resource(organization, (value) => {
        value.identifier = [{
          system: "https://fhir.nhs.uk/Id/ods-organization-code",
          value: "A11111",
        }];
      }),
    ),
    /has no identifier with system "http:\/\/fhir\.nhs\.net\/Id\/ods-organization-code"/,
  );
  assert.equal(
    one(dstu2, resource(organization, (value) => delete value.id)),
    `${organization} 400 Claim "${organization}" has no "id"`,
  );
});

Deno.test("requesting_practitioner: id is required; sub is then not compared", () => {
  for (const target of [stu3, dstu2]) {
    assert.equal(
      one(target, resource(practitioner, (value) => delete value.id)),
      `${practitioner} 400 Claim "${practitioner}" has no "id"`,
    );
  }
});

Deno.test("requesting_practitioner: the SDS user id identifier is required, UNK is fine", () => {
  assert.equal(
    one(
      stu3,
      resource(practitioner, (value) => {
        value.identifier = (value.identifier as Json[]).filter((id) =>
          id.system !== "https://fhir.nhs.uk/Id/sds-user-id"
        );
      }),
    ),
    `${practitioner} 400 Claim "${practitioner}" has no identifier with system "https://fhir.nhs.uk/Id/sds-user-id" and a value`,
  );
  const unk = ok(
    stu3,
    resource(practitioner, (value) => {
      value.identifier = [
        { system: "https://fhir.nhs.uk/Id/sds-user-id", value: "UNK" },
        { system: "https://fhir.nhs.uk/Id/sds-role-profile-id", value: "UNK" },
      ];
    }),
  );
  assert.equal(unk.summary.requestingPractitionerSdsUserId, "UNK");
  assert.equal(unk.summary.requestingPractitionerRoleProfileId, "UNK");
  assert.match(
    one(
      dstu2,
      resource(practitioner, (value) => {
        value.identifier = [{ system: "https://fhir.nhs.uk/Id/sds-user-id", value: "G13579135" }];
      }),
    ),
    /has no identifier with system "http:\/\/fhir\.nhs\.net\/sds-user-id" and a value$/,
  );
});

Deno.test("requesting_practitioner: 1.x role profile is optional (PT: missing role profile → 200)", () => {
  const result = ok(
    stu3,
    resource(practitioner, (value) => {
      value.identifier = [{ system: "https://fhir.nhs.uk/Id/sds-user-id", value: "111111111111" }];
    }),
  );
  assert.equal(result.summary.requestingPractitionerRoleProfileId, undefined);
});

Deno.test("requesting_practitioner: a name with a family is required", () => {
  for (const target of [stu3, dstu2]) {
    for (const name of [undefined, null, []]) {
      assert.equal(
        one(target, resource(practitioner, (value) => void (value.name = name))),
        `${practitioner} 400 Claim "${practitioner}" has no "name"`,
      );
    }
    for (const name of [[{ given: ["Claire"] }], [{ family: "" }], { family: [] }]) {
      assert.equal(
        one(target, resource(practitioner, (value) => void (value.name = name))),
        `${practitioner} 400 Claim "${practitioner}" has no "name" with a "family"`,
      );
    }
    assert.equal(
      one(target, resource(practitioner, (value) => void (value.name = "Dr Claire Jones"))),
      `${practitioner} 422 Claim "${practitioner}" element "name" must be a HumanName (found string)`,
    );
    assert.equal(
      one(target, resource(practitioner, (value) => void (value.name = [{ family: 5 }]))),
      `${practitioner} 422 Claim "${practitioner}" element "name.family" must be a string (found number)`,
    );
    // STU3 (array, family string) and DSTU2 (object, family array) shapes are both accepted.
    ok(
      target,
      resource(
        practitioner,
        (value) => void (value.name = { family: ["Jones"], given: ["Claire"] }),
      ),
    );
    ok(target, resource(practitioner, (value) => void (value.name = [{ family: "Jones" }])));
  }
});

Deno.test("requesting_practitioner: DSTU2 needs a practitionerRole coded with an SDS job role", () => {
  assert.equal(
    one(dstu2, resource(practitioner, (value) => delete value.practitionerRole)),
    `${practitioner} 400 Claim "${practitioner}" has no "practitionerRole"`,
  );
  assert.equal(
    one(
      dstu2,
      resource(practitioner, (value) => {
        value.practitionerRole = [{
          role: { coding: [{ system: "https://example.org/roles", code: "R8000" }] },
        }];
      }),
    ),
    `${practitioner} 400 Claim "${practitioner}" has no "practitionerRole" coded in "http://fhir.nhs.net/ValueSet/sds-job-role-name-1"`,
  );
  assert.equal(
    one(dstu2, resource(practitioner, (value) => void (value.practitionerRole = { role: {} }))),
    `${practitioner} 422 Claim "${practitioner}" element "practitionerRole" must be an array (found object)`,
  );
});

Deno.test("requesting_practitioner: practitionerRole is not an STU3 Practitioner element (422)", () => {
  assert.match(
    one(stu3, resource(practitioner, (value) => void (value.practitionerRole = []))),
    /^requesting_practitioner 422 .*unknown elements "practitionerRole"$/,
  );
});

Deno.test("checkResourceClaims: reports and summarises without the rest of the token", () => {
  const claims = gpConnectJwtClaims({ requestedScope: "patient/*.read" });
  const { findings, summary } = checkResourceClaims(claims, "STU3");
  assert.deepEqual(findings, []);
  assert.equal(summary.requestingOrganizationOds, "A11111");
  const broken = checkResourceClaims({}, "STU3");
  assert.deepEqual(broken.findings.map((finding) => finding.claim), [
    device,
    organization,
    practitioner,
  ]);
  assert.deepEqual(broken.summary, {});
});
