/**
 * GP Connect automated routing (shared/reference/mesh.md §5.3): a `GPPROVIDER_{nhs}_{dob}_{surname}`
 * address and a workflow id → the registered practice's receiving mailbox, or the EPL failure
 * MESH reports, checked in MESH's order:
 *
 * 1. the NHS number's format and modulus 11 check digit → else **EPL-152**;
 * 2. PDS has a record for it (a superseded number routes on the record that replaced it) → else
 *    **EPL-153**;
 * 3. the date of birth equals PDS's exactly and the surname equals one of the patient's current
 *    family names, ignoring case (MESH's sandbox upper-cases `mex-To`), surrounding and repeated
 *    spaces and Unicode composition → else **EPL-154**. A field PDS withholds (very restricted
 *    records have no name or birth date) never matches: routing fails closed;
 * 4. the patient has a current registered practice and exactly one mailbox of that ODS code may
 *    receive the workflow → else **EPL-151** (none; also a restricted record, whose GP PDS
 *    withholds) or **EPL-150** (several).
 *
 * A `DDMMYYYY` date of birth (older GP Connect Messaging pages) is accepted and flagged with a log
 * line naming only the workflow. Results and log lines never carry the NHS number, date of birth
 * or surname: the description is MESH's fixed text, so nothing personal reaches tracking.
 *
 * Whether the workflow is one MESH routes GPPROVIDER addresses for is the caller's check
 * (`isGpProviderRoutingWorkflow`, 417 code 12 at once). The returned promise rejects only when PDS
 * could not be asked (unreachable, throttled): that is no fault of the address.
 *
 * @module
 */
import type { Logger } from "../app-deps.ts";
import type { DemographicsResolver } from "../directory/directory-types.ts";
import { GpcEdgeError } from "../errors.ts";
import { nhsNumberProblem } from "../../gpconnect/nhs-number.ts";
import { parseGpProviderAddress } from "../../gpconnect/mesh/gpprovider-address.ts";
import { eplErrors } from "../../gpconnect/mesh/mesh-workflows.ts";
import type { EplCode, GpProviderRouting, RouteGpProvider } from "./gpprovider-routing-types.ts";

/** What routing reads about a patient (the directory's `PatientDemographics` fits). */
export interface RoutingDemographics {
  /** `yyyy-mm-dd` as PDS holds it, absent when withheld. */
  readonly birthDate: string | undefined;
  /** Current family names (empty when withheld). */
  readonly familyNames: readonly string[];
  /** ODS code of the current registered practice, absent when none or withheld. */
  readonly gpOdsCode: string | undefined;
}

/** A receiving mailbox: the mailbox directory's `MeshMailbox` (`id`) or `{ mailboxId }`. */
export type ReceivingMailbox = { readonly id: string } | { readonly mailboxId: string };

/** What {@linkcode createGpProviderRouter} needs. */
export interface GpProviderRouterDeps {
  /**
   * The patient's demographics, `undefined` when PDS has no record of the NHS number. Rejects
   * when PDS could not answer. {@linkcode directoryDemographics} adapts the directory.
   */
  readonly demographics: (nhsNumber: string) => Promise<RoutingDemographics | undefined>;
  /** Mailboxes of this ODS code that may receive the workflow (the mailbox directory's). */
  readonly receiversFor: (
    odsCode: string,
    workflowId: string,
  ) => readonly ReceivingMailbox[] | Promise<readonly ReceivingMailbox[]>;
  /** Where a legacy `DDMMYYYY` date of birth is flagged (no patient details in the line). */
  readonly logger?: Logger | undefined;
}

/**
 * Creates the router the MESH service calls for a `GPPROVIDER_…` address.
 *
 * @example
 * ```ts
 * const route = createGpProviderRouter({
 *   demographics: () =>
 *     Promise.resolve({ birthDate: "1942-02-03", familyNames: ["SKELLY"], gpOdsCode: "B82617" }),
 *   receiversFor: (ods) => ods === "B82617" ? [{ id: "B82617OT1" }] : [],
 * });
 * await route("GPPROVIDER_9690937286_19420203_Skelly", "GPCONNECT_SEND_DOCUMENT");
 * // { kind: "routed", mailboxId: "B82617OT1", odsCode: "B82617" }
 * ```
 */
export function createGpProviderRouter(deps: GpProviderRouterDeps): RouteGpProvider {
  return async (address, workflowId) => {
    const parsed = parseGpProviderAddress(address.trim());
    if (parsed === undefined) {
      throw new RangeError("GPPROVIDER routing was asked to route an address without the prefix");
    }
    if (parsed.dateOfBirthFormat === "DDMMYYYY") {
      deps.logger?.log({ event: "mesh.gpprovider.legacy_date_of_birth_format", workflowId });
    }
    if (nhsNumberProblem(parsed.nhsNumber) !== undefined) return failed("EPL-152");
    const patient = await deps.demographics(parsed.nhsNumber);
    if (patient === undefined) return failed("EPL-153");
    const surname = comparableName(parsed.surname);
    const surnameMatches = surname !== "" &&
      patient.familyNames.some((family) => comparableName(family) === surname);
    const dateMatches = parsed.dateOfBirth !== undefined &&
      parsed.dateOfBirth === patient.birthDate;
    if (!surnameMatches || !dateMatches) return failed("EPL-154");
    if (patient.gpOdsCode === undefined) return failed("EPL-151");
    const receivers = await deps.receiversFor(patient.gpOdsCode, workflowId);
    const [only, ...others] = receivers;
    if (only === undefined) return failed("EPL-151");
    if (others.length > 0) return failed("EPL-150");
    return { kind: "routed", mailboxId: mailboxIdOf(only), odsCode: patient.gpOdsCode };
  };
}

/**
 * Adapts the directory's `demographics` to {@linkcode GpProviderRouterDeps.demographics}: a
 * `PATIENT_NOT_FOUND` (no record, or an invalidated one) and a number PDS itself rejects become
 * "no record" (EPL-153); anything else (PDS down, throttled) still rejects.
 *
 * @example
 * ```ts
 * import { createDirectoryResolver } from "../directory/directory-resolver.ts";
 * import { defaultConfig } from "../config.ts";
 * import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
 * import { systemClock } from "../app-deps.ts";
 * const directory = createDirectoryResolver({
 *   config: defaultConfig.directory, store: createMemoryCacheStore(), fetch, clock: systemClock,
 *   randomUUID: () => crypto.randomUUID(),
 * });
 * const demographics = directoryDemographics(directory);
 * ```
 */
export function directoryDemographics(
  directory: DemographicsResolver,
): GpProviderRouterDeps["demographics"] {
  return async (nhsNumber) => {
    try {
      return (await directory.demographics(nhsNumber)).value;
    } catch (error) {
      if (
        error instanceof GpcEdgeError &&
        (error.code === "PATIENT_NOT_FOUND" || error.code === "INVALID_NHS_NUMBER")
      ) return undefined;
      throw error;
    }
  };
}

function failed(code: EplCode): GpProviderRouting {
  return { kind: "failed", code, description: eplErrors[code].description };
}

function mailboxIdOf(mailbox: ReceivingMailbox): string {
  return "mailboxId" in mailbox ? mailbox.mailboxId : mailbox.id;
}

/** A name as compared: composed, single-spaced, trimmed, upper case. */
function comparableName(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleUpperCase("en-GB");
}
