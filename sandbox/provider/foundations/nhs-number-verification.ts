/**
 * GP Connect's rule for verifying a registration's NHS number against the PDS record (GPC-1.6
 * register a patient, "PDS requirements"): the number is verified when
 *
 * 1. the request's date of birth exactly matches PDS's, or
 * 2. two of the three date parts (year, month, day) match **and** the first three characters of
 *    the family name match **and** the initial of the given name matches.
 *
 * Names compare case-insensitively, ignoring surrounding spaces. Otherwise the number is not
 * verified (→ 400 INVALID_PATIENT_DEMOGRAPHICS).
 *
 * @module
 */

/** The demographics the rule compares. */
export interface VerificationDemographics {
  readonly birthDate?: string;
  readonly family?: string;
  readonly given: readonly string[];
}

const normalise = (text: string | undefined) => (text ?? "").trim().toUpperCase();

/**
 * Why the request does not verify against PDS, or `undefined` when it does.
 *
 * @example
 * ```ts
 * const pds = { birthDate: "1972-01-28", family: "NETTLESHIP", given: ["Florence"] };
 * verificationProblem({ birthDate: "1972-01-28", given: [] }, pds); // undefined
 * verificationProblem({ birthDate: "1972-02-28", family: "Nett", given: ["Flo"] }, pds); // undefined
 * verificationProblem({ birthDate: "1971-02-28", family: "Nett", given: ["Flo"] }, pds); // "The date …"
 * ```
 */
export function verificationProblem(
  request: VerificationDemographics,
  pds: VerificationDemographics,
): string | undefined {
  if (!pds.birthDate) return "PDS holds no date of birth for this NHS number";
  if (request.birthDate === pds.birthDate) return undefined;
  const asked = (request.birthDate ?? "").split("-");
  const held = pds.birthDate.split("-");
  const sameParts = [0, 1, 2].filter((i) => asked[i] !== undefined && asked[i] === held[i]).length;
  const askedFamily = normalise(request.family);
  const familyMatches = askedFamily.length > 0 &&
    askedFamily.slice(0, 3) === normalise(pds.family).slice(0, 3);
  const askedInitial = normalise(request.given[0]).charAt(0);
  const initialMatches = askedInitial !== "" && askedInitial === normalise(pds.given[0]).charAt(0);
  if (sameParts >= 2 && familyMatches && initialMatches) return undefined;
  return "The date of birth and name do not match the patient's PDS record";
}
