import assert from "node:assert/strict";
import { SdsError } from "./sds-outcome.ts";
import { matchDevices, matchEndpoints, parseSdsQuery, type SdsResourceType } from "./sds-query.ts";
import { sdsRecords } from "./sds-records.ts";

const org = (ods: string) => `organization=https://fhir.nhs.uk/Id/ods-organization-code|${ods}`;
const svc = (id: string) => `identifier=https://fhir.nhs.uk/Id/nhsServiceInteractionId|${id}`;
const pk = (key: string) => `identifier=https://fhir.nhs.uk/Id/nhsMhsPartyKey|${key}`;
const structured = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";

function parse(resource: SdsResourceType, ...parts: string[]) {
  return parseSdsQuery(resource, new URLSearchParams(parts.join("&")));
}

function diagnosticsOf(resource: SdsResourceType, ...parts: string[]): string {
  try {
    parse(resource, ...parts);
  } catch (error) {
    assert.ok(error instanceof SdsError);
    assert.equal(error.status, 400);
    assert.equal(error.code, "BAD_REQUEST");
    return error.diagnostics;
  }
  assert.fail(`expected a 400 for ${parts.join("&")}`);
}

Deno.test("parseSdsQuery: valid Endpoint combinations", () => {
  assert.equal(parse("Endpoint", org("B82617"), svc(structured)).organization, "B82617");
  assert.equal(parse("Endpoint", org("B82617"), pk("B82617-0000806")).partyKey, "B82617-0000806");
  assert.equal(parse("Endpoint", svc(structured), pk("B82617-0000806")).interaction, structured);
  const all = parse("Endpoint", org("B82617"), svc(structured), pk("B82617-0000806"));
  assert.deepEqual([all.organization, all.interaction, all.partyKey], [
    "B82617",
    structured,
    "B82617-0000806",
  ]);
});

Deno.test("parseSdsQuery: invalid Endpoint combinations", () => {
  for (const parts of [[], [org("B82617")], [svc(structured)], [pk("B82617-0000806")]]) {
    assert.match(diagnosticsOf("Endpoint", ...parts), /Should one of following combinations/);
  }
});

Deno.test("parseSdsQuery: illegal parameter names and wrong systems", () => {
  assert.equal(
    diagnosticsOf("Endpoint", org("B82617"), svc(structured), "manufacturing-organization=x"),
    "HTTP 400: Bad Request (Illegal query parameter 'manufacturing-organization')",
  );
  assert.match(diagnosticsOf("Device", org("B82617"), svc(structured), "foo=1"), /'foo'/);
  assert.match(
    diagnosticsOf("Endpoint", "organization=B82617", svc(structured)),
    /Missing or invalid 'organization' query parameter/,
  );
  assert.match(
    diagnosticsOf("Endpoint", org("B82617"), "identifier=https://fhir.nhs.uk/Id/nhsSpineASID|1"),
    /Missing or invalid 'identifier' query parameter. Should be one or both of/,
  );
  assert.match(
    diagnosticsOf("Device", org("B82617"), svc(structured), "manufacturing-organization=YGA"),
    /'manufacturing-organization' query parameter/,
  );
});

Deno.test("parseSdsQuery: Device needs organization and interaction", () => {
  assert.match(diagnosticsOf("Device", svc(structured)), /'organization=/);
  assert.match(
    diagnosticsOf("Device", org("B82617")),
    /'identifier=https:\/\/fhir.nhs.uk\/Id\/nhsServiceInteractionId\|value'/,
  );
  assert.match(
    diagnosticsOf("Device", org("B82617"), pk("B82617-0000806")),
    /nhsServiceInteractionId/,
  );
  const asid = parse(
    "Device",
    org("B82617"),
    svc(structured),
    "identifier=https://fhir.nhs.uk/Id/nhsSpineASID|918999198738",
  );
  assert.equal(asid.asid, "918999198738");
});

Deno.test("parseSdsQuery: last non-blank value wins, whitespace stripped", () => {
  const query = parse("Endpoint", org("A20047"), org(" B82617 "), org(""), svc(structured));
  assert.equal(query.organization, "B82617");
  assert.match(diagnosticsOf("Endpoint", org(""), svc("")), /combinations/);
});

Deno.test("match: exact interaction, case-insensitive ODS and party key", () => {
  const records = sdsRecords("http://127.0.0.1:8083");
  assert.equal(
    matchEndpoints(records, parse("Endpoint", org("b82617"), svc(structured))).length,
    1,
  );
  assert.equal(
    matchEndpoints(records, parse("Endpoint", org("B82617"), svc(structured.toUpperCase()))).length,
    0,
  );
  assert.equal(
    matchEndpoints(records, parse("Endpoint", org("B82617"), pk("b82617-0000806"))).length,
    9,
  );
  assert.equal(
    matchEndpoints(records, parse("Endpoint", org("Y88888"), svc(structured))).length,
    2,
  );
  const devicesMadeBy = (odsCode: string) =>
    matchDevices(
      records,
      parse(
        "Device",
        org("A11111"),
        svc(structured),
        `manufacturing-organization=https://fhir.nhs.uk/Id/ods-organization-code|${odsCode}`,
      ),
    );
  assert.equal(devicesMadeBy("YGA").length, 1);
  assert.equal(devicesMadeBy("X09001").length, 0);
});
