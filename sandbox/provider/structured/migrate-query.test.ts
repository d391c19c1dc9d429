import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import {
  checkRelationship,
  checkSensitiveScope,
  migrateQuery,
  requestingOdsCode,
  scopeConfidentiality,
} from "./migrate-query.ts";
import { readParametersBody } from "./parameters-body.ts";
import {
  nhsNumberParameter,
  parameter,
  type ParameterJson,
  parametersResource,
} from "./structured-requests.ts";

const read = (...parameters: ParameterJson[]) =>
  migrateQuery(readParametersBody(JSON.stringify(parametersResource([
    nhsNumberParameter("9690937286"),
    ...parameters,
  ]))));

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ProviderError);
    return error.code;
  }
  return undefined;
}

const claims = (scope: string, ods?: string) => ({
  requested_scope: scope,
  requesting_organization: {
    resourceType: "Organization",
    identifier: ods ? [{ system: "https://fhir.nhs.uk/Id/ods-organization-code", value: ods }] : [],
  },
});

Deno.test("includeFullRecord and its sensitive-information part", () => {
  assert.deepEqual(read(), { nhsNumber: "9690937286" });
  assert.deepEqual(
    read(parameter("includeFullRecord", { includeSensitiveInformation: { valueBoolean: true } })),
    { nhsNumber: "9690937286", fullRecord: { includeSensitive: true } },
  );
  assert.equal(code(() => read(parameter("includeFullRecord"))), "INVALID_PARAMETER");
  assert.equal(code(() => read(parameter("includeAllergies"))), "INVALID_PARAMETER");
  assert.equal(
    code(() => read(parameter("includeFullRecord", { other: { valueBoolean: true } }))),
    "INVALID_PARAMETER",
  );
  assert.equal(
    code(() => read({ name: "includeFullRecord", valueBoolean: true })),
    "INVALID_RESOURCE",
  );
  const full = parameter("includeFullRecord", {
    includeSensitiveInformation: { valueBoolean: false },
  });
  assert.equal(code(() => read(full, full)), "INVALID_RESOURCE");
});

Deno.test("scope confidentiality and requesting organisation come from the JWT claims", () => {
  assert.equal(scopeConfidentiality(claims("patient/*.read conf/R")), "R");
  assert.equal(scopeConfidentiality(claims("patient/*.read conf/N")), "N");
  assert.equal(scopeConfidentiality(claims("patient/*.read")), "N");
  assert.equal(scopeConfidentiality(undefined), "N");
  assert.equal(requestingOdsCode(claims("x", "B82617")), "B82617");
  assert.equal(requestingOdsCode(claims("x")), undefined);
  assert.equal(requestingOdsCode({}), undefined);
});

Deno.test("sensitive information needs conf/R; the requester must be the registered practice", () => {
  const sensitive = { nhsNumber: "9690937286", fullRecord: { includeSensitive: true } };
  const plain = { nhsNumber: "9690937286", fullRecord: { includeSensitive: false } };
  assert.equal(
    code(() => checkSensitiveScope(sensitive, claims("patient/*.read conf/N"))),
    "CONFLICTING_VALUES",
  );
  assert.equal(
    code(() => checkSensitiveScope(sensitive, claims("patient/*.read conf/R"))),
    undefined,
  );
  assert.equal(code(() => checkSensitiveScope(plain, claims("patient/*.read conf/N"))), undefined);
  assert.equal(code(() => checkRelationship(claims("x", "B82617"), "B82617")), undefined);
  assert.equal(code(() => checkRelationship(claims("x", "A11111"), "B82617")), "NO_RELATIONSHIP");
  assert.equal(code(() => checkRelationship(claims("x"), "B82617")), "NO_RELATIONSHIP");
});
