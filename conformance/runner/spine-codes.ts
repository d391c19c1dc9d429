/**
 * Reading error codes out of an OperationOutcome the way the spec data allows: Spine codes under
 * any of the GP Connect 1.x coding systems (and the DSTU2 one), compared leniently over the
 * documented spelling variants (specs/decisions.md: `ACCESS DENIED` ≈ `ACCESS_DENIED`,
 * `NO_ORGANISATION_CONSENT` ≈ `NO_ORGANISATIONAL_CONSENT`); and SSP-shaped errors, whose code is
 * the HTTP status and whose display carries the meaning (gpconnect-ssp.md §1.4, §4.1).
 *
 * @module
 */
import errorCodes from "../../specs/error-codes.json" with { type: "json" };

/** Coding systems of Spine error codes (gpconnect-ssp.md §4.1, every era and spelling). */
export const spineCodeSystems: ReadonlySet<string> = new Set([
  errorCodes.systems.stu3,
  "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1",
  "https://fhir.nhs.uk/spine-error-or-warning-code-1",
  "https://fhir.nhs.uk/ValueSet/spine-error-or-warning-code-1",
  errorCodes.systems.dstu2,
]);

/** Coding systems of errors the SSP raises itself. */
export const sspCodeSystems: ReadonlySet<string> = new Set([
  errorCodes.systems.ssp,
  errorCodes.systems.sspMethod,
]);

/** One `issue.details.coding` of an OperationOutcome. */
export interface IssueCoding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
  /** The issue's diagnostics. */
  readonly diagnostics?: string;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** Every issue coding of an OperationOutcome body (none for anything else). */
export function issueCodings(body: unknown): IssueCoding[] {
  const resource = body as { resourceType?: unknown; issue?: unknown } | undefined;
  if (resource?.resourceType !== "OperationOutcome") return [];
  return asArray(resource.issue).flatMap((issue) => {
    const { details, diagnostics } = (issue ?? {}) as Record<string, unknown>;
    return asArray((details as Record<string, unknown> | undefined)?.coding).map((coding) => {
      const c = (coding ?? {}) as Record<string, unknown>;
      const fields = { system: c.system, code: c.code, display: c.display, diagnostics };
      return Object.fromEntries(
        Object.entries(fields).filter(([, value]) => typeof value === "string"),
      ) as IssueCoding;
    });
  });
}

/** Whether a body is an error the SSP raised itself. */
export function isSspShaped(body: unknown): boolean {
  return issueCodings(body).some((coding) => sspCodeSystems.has(coding.system ?? ""));
}

const aliases: Readonly<Record<string, string>> = {
  NO_ORGANISATIONAL_CONSENT: "NO_ORGANISATION_CONSENT",
};

/** A Spine code in its canonical spelling for comparison (`ACCESS DENIED` → `ACCESS_DENIED`). */
export function canonicalSpineCode(code: string): string {
  const upper = code.trim().toUpperCase().replace(/[\s-]+/g, "_");
  return aliases[upper] ?? upper;
}

/** The Spine codes of a body: codes under a Spine error-code system. */
export function spineCodesOf(body: unknown): string[] {
  return issueCodings(body)
    .filter((coding) => spineCodeSystems.has(coding.system ?? "") && coding.code !== undefined)
    .map((coding) => coding.code as string);
}

/** Whether an actual Spine code is one of the expected ones, leniently. */
export function spineCodeMatches(actual: string, expected: readonly string[]): boolean {
  const canonical = canonicalSpineCode(actual);
  return expected.some((code) => canonicalSpineCode(code) === canonical);
}

const sspRows = errorCodes.ssp as Readonly<Record<string, { readonly pattern: string }>>;

/**
 * Whether an SSP display matches what a `viaSsp.spineCode` names: a row of the `ssp` table of
 * `specs/error-codes.json` (`PARTYKEY_CHECK_FAILED` → its pattern), a `/regex/`, a pattern with
 * `<placeholders>` (`PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_<toAsid>`) matching the
 * whole display, `<…>` standing for any text, or a prefix (`ASID_CHECK_FAILED_MESSAGESENDER`).
 */
export function sspDisplayMatches(display: string, code: string): boolean {
  const row = Object.hasOwn(sspRows, code) ? sspRows[code] : undefined;
  const expected = row?.pattern ?? code;
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(expected);
  if (regex) return new RegExp(regex[1] ?? "", regex[2]).test(display);
  if (row || /<[^>]+>/.test(expected)) {
    const pattern = expected.split(/<[^>]+>/).map(escapeRegExp).join(".+");
    return new RegExp(`^${pattern}$`, "s").test(display);
  }
  return display === expected || display.startsWith(`${expected}_`) ||
    display.startsWith(`${expected}:`);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
