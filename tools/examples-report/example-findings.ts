/**
 * Why an NHS example fails validation, where it is the example's own error: each entry matches a
 * file (glob-free prefix or exact name), a rule and a path, and says what the example gets wrong
 * against the profile package (1.5.0 StructureDefinitions). An error no entry explains is a
 * validator bug until shown otherwise.
 *
 * @module
 */

interface Finding {
  /** File name prefix (relative to the examples directory); `""` for every file. */
  readonly file: string;
  readonly rule: string;
  /** Path without indexes, or a RegExp over it. */
  readonly path: string | RegExp;
  /** Optional message pattern. */
  readonly message?: RegExp;
  readonly why: string;
}

const cc = "CareConnect";
const findings: readonly Finding[] = [
  {
    file: "",
    rule: "structure",
    path: /\.json$/,
    message:
      /unreadable: .*(Add exampl|Expected double-quoted property name|Unexpected token '\]')/,
    why: 'not JSON: a placeholder page ("Add example here"), or a trailing comma before } or ]',
  },
  {
    file: "",
    rule: "binding",
    path: /identifier\.extension\.valueCodeableConcept$/,
    message: /CareConnect-NHSNumberVerificationStatus-1\|/,
    why: `the NHS number verification status is coded in https://fhir.nhs.uk/${cc}-` +
      "NHSNumberVerificationStatus-1, not the ValueSet's CodeSystem https://fhir.nhs.uk/STU3/" +
      `CodeSystem/${cc}-NHSNumberVerificationStatus-1`,
  },
  {
    file: "foundations/register_patient_response",
    rule: "binding",
    path: "Bundle.entry.resource.extension.extension.valueCodeableConcept",
    message: /CareConnect-RegistrationType-1\|T/,
    why: `the registration type is coded in https://fhir.nhs.uk/${cc}-RegistrationType-1, not ` +
      `https://fhir.nhs.uk/STU3/CodeSystem/${cc}-RegistrationType-1`,
  },
  {
    file: "",
    rule: "structure",
    path: /\.(generalPractitioner|telecom|address|identifier)$/,
    message: /must be a JSON array/,
    why: "a repeating element (0..*) written as a single JSON object",
  },
  {
    file: "",
    rule: "structure",
    path:
      /^(Location\.address|Bundle\.entry\.resource\.dispenseRequest\.expectedSupplyDuration\.code)$/,
    message: /must not be a JSON array/,
    why: "a single element (0..1) written as a JSON array",
  },
  {
    file: "",
    rule: "profile",
    path: "Bundle.entry.resource",
    message: /has no meta/,
    why: "the resource claims no profile, though GP Connect mandates one for its type",
  },
  {
    file: "",
    rule: "cardinality",
    path: /\.(identifier|issued|category|asserter)$/,
    message: /is required \(min 1\), found 0/,
    why: "an element the GP Connect profile makes mandatory (min 1) is missing",
  },
  {
    file: "",
    rule: "slicing",
    path: "Bundle.entry.resource.extension",
    message: /slice '(recordedDate|problemSignificance)' requires at least 1/,
    why: "a mandatory extension (recordedDate on Immunization, problemSignificance on a " +
      "problem header) is missing",
  },
  {
    file: "",
    rule: "slicing",
    path: "Bundle.entry.resource.identifier.extension",
    message: /slice 'nhsNumberVerificationStatus' requires at least 1/,
    why: "the NHS number identifier lacks its mandatory verification status extension",
  },
  {
    file: "",
    rule: "unknown-element",
    path: "Bundle.entry.resource.extension.extension.valuePositiveInt",
    why: "repeatInformation's numberOfRepeatPrescriptionsAllowed is a valueUnsignedInt, not a " +
      "valuePositiveInt",
  },
  {
    file: "",
    rule: "cardinality",
    path: "Bundle.entry.resource.extension.extension.valueUnsignedInt",
    why: "the same repeat count, sent as valuePositiveInt, so the required valueUnsignedInt is " +
      "missing",
  },
  {
    file: "",
    rule: "unknown-element",
    path: "Bundle.entry.resource.explanation.notGivenReason",
    why: "STU3 Immunization.explanation has reasonNotGiven, not notGivenReason",
  },
  {
    file: "",
    rule: "unknown-element",
    path: /^Bundle\.entry\.[a-zA-Z]+$/,
    why: "a Bundle entry holding the resource's elements directly instead of under " +
      "entry.resource (or occurrence without its [x] type suffix)",
  },
  {
    file: "",
    rule: "invariant",
    path: "Bundle.entry",
    message: /^bdl-5: /,
    why: "the same entries: no entry.resource (bdl-5)",
  },
  {
    file: "",
    rule: "type",
    path: /\.(onsetDateTime|assertedDate)$/,
    message: /not a valid dateTime \("\d{4}-\d{2}-\d{2}T[\d:]+"\)/,
    why: "a dateTime with a time must carry a time zone (FHIR STU3 dateTime)",
  },
  {
    file: "",
    rule: "type",
    path: /\.(code|system)$/,
    message: /not a valid (code|uri) \("(\s.*|.*\s)"\)/,
    why: "a code or uri with a leading or trailing space",
  },
  {
    file: "",
    rule: "type",
    path: /\.value$/,
    message: /decimal must be a JSON number/,
    why: "a Quantity value written as a JSON string",
  },
];

/** The example's own error this finding is, or undefined. */
export function explainFinding(
  file: string,
  rule: string,
  path: string,
  message: string,
): string | undefined {
  return findings.find((f) =>
    file.startsWith(f.file) && f.rule === rule &&
    (typeof f.path === "string" ? f.path === path : f.path.test(path)) &&
    (f.message === undefined || f.message.test(message))
  )?.why;
}
