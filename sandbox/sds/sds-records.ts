/**
 * The SDS sandbox's directory data: MHS records (served as `Endpoint`) and AS records (served as
 * `Device`), in the LDAP model of reference pds-sds.md §3.1, built from the interaction catalogue
 * so every GP Connect interaction has exactly the endpoint its root kind says.
 *
 * | ODS | ASID | party key | endpoints |
 * |---|---|---|---|
 * | B82617 | 918999198738 | B82617-0000806 | foundations, structured, documents, DSTU2 roots; patient-facing Access Record, Appointment Management, Prescriptions, User Permissions and authorisation service |
 * | A20047 | 200000000985 | A20047-821870 | foundations and structured roots only |
 * | Y88888 | 200000001111 / 200000001112 | Y88888-0000001 / Y88888-0000002 | two structured endpoints |
 * | A11111 (consumer) | 200000000359 | – | none (AS record only, manufacturer YGA) |
 * | Y99999 | – | – | nothing at all |
 *
 * @module
 */
import { interactions, type RootKind } from "../../gpconnect/specs.ts";
import { providerServiceRoots } from "../provider/provider-roots.ts";
import { patientFacingUrls } from "../provider/patient-facing/pf-roots.ts";
import productsDoc from "../../specs/platform-products.json" with { type: "json" };

const sdsInteractionOf = (id: string) =>
  productsDoc.products.find((p) => p.id === id)!.sdsInteraction;

/** The patient-facing interactions (specs/platform-products.json): product endpoints, then the authorisation service. */
export const patientFacingInteractions = {
  "access-record": sdsInteractionOf("access-record"),
  "appointments-management": sdsInteractionOf("appointments-management"),
  "prescriptions-management": sdsInteractionOf("prescriptions-management"),
  "user-permissions": sdsInteractionOf("user-permissions"),
  authorisationService: productsDoc.authorisationServiceInteraction,
} as const;

/** An MHS record (`objectClass: nhsMhs`), one per service root. */
export interface MhsRecord {
  /** `nhsIDCode`: the practice ODS code. */
  readonly odsCode: string;
  /** `nhsMHSPartyKey`. */
  readonly partyKey: string;
  /** `nhsMhsSvcIA`: interaction ids served at `address`. */
  readonly interactions: readonly string[];
  /** `nhsMHSEndPoint`: the provider service root. */
  readonly address: string;
  /** `nhsMhsCPAId`. */
  readonly cpaId: string;
  /** `uniqueIdentifier` of the MHS object (served as `nhsMHSId`; not an ASID). */
  readonly mhsId: string;
  /** `nhsMhsFQDN`. */
  readonly fqdn: string;
  /** Reliability attributes (`nhsMHSSyncReplyMode`, …); empty ones are omitted. */
  readonly reliability: Readonly<Record<string, string | number>>;
}

/** An AS record (`objectClass: nhsAs`): a system deployed at an organisation. */
export interface AsRecord {
  /** `nhsIDCode` (also `nhsAsClient`, the owner). */
  readonly odsCode: string;
  /** `uniqueIdentifier`: the ASID. */
  readonly asid: string;
  /** `nhsMhsPartyKey`, absent for a consumer-only system. */
  readonly partyKey?: string;
  /** `nhsAsSvcIA`: interactions the system is accredited for. */
  readonly interactions: readonly string[];
  /** `nhsMhsManufacturerOrg`: the supplier's ODS code. */
  readonly manufacturerOdsCode: string;
}

/** Everything the SDS sandbox knows. */
export interface SdsRecords {
  readonly mhs: readonly MhsRecord[];
  readonly as: readonly AsRecord[];
}

/** The well-known identities of the sandbox world (ARCHITECTURE.md §4). */
export const sdsIdentities = {
  provider: { odsCode: "B82617", asid: "918999198738", partyKey: "B82617-0000806" },
  otherPractice: { odsCode: "A20047", asid: "200000000985", partyKey: "A20047-821870" },
  severalEndpoints: {
    odsCode: "Y88888",
    asids: ["200000001111", "200000001112"],
    partyKeys: ["Y88888-0000001", "Y88888-0000002"],
  },
  consumer: { odsCode: "A11111", asid: "200000000359", manufacturerOdsCode: "YGA" },
  noEndpoints: { odsCode: "Y99999" },
  providerSupplierOdsCode: "YGM24",
} as const;

/** Interaction ids whose path is relative to a root kind. */
export function interactionsOfRoot(...kinds: RootKind[]): string[] {
  return interactions.filter((interaction) => kinds.includes(interaction.root)).map((i) => i.id);
}

/** Reliability attributes of a synchronous GP Connect endpoint (no ebXML reliability). */
const synchronousReliability = {
  nhsMHSSyncReplyMode: "None",
  nhsMHSAckRequested: "never",
  nhsMHSDuplicateElimination: "never",
};

/**
 * The sandbox directory with every provider address under `providerBaseUrl`.
 *
 * @example
 * ```ts
 * sdsRecords("http://127.0.0.1:8083").mhs[0]?.address;
 * // "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir"
 * ```
 */
export function sdsRecords(providerBaseUrl: string): SdsRecords {
  const fqdn = new URL(providerBaseUrl).hostname;
  const mhs = (
    odsCode: string,
    partyKey: string,
    kind: RootKind,
    cpaId: string,
    address?: string,
  ) =>
    ({
      odsCode,
      partyKey,
      interactions: interactionsOfRoot(kind),
      address: address ?? providerServiceRoots(providerBaseUrl, odsCode)[kind],
      cpaId,
      mhsId: cpaId,
      fqdn,
      reliability: synchronousReliability,
    }) satisfies MhsRecord;
  const { provider, otherPractice, severalEndpoints, consumer } = sdsIdentities;
  const supplier = sdsIdentities.providerSupplierOdsCode;
  const [y1, y2] = severalEndpoints.partyKeys;
  const [yAsid1, yAsid2] = severalEndpoints.asids;
  const pf = patientFacingUrls(providerBaseUrl, provider.odsCode);
  const pfRecord = (kind: keyof typeof patientFacingInteractions, cpaId: string) =>
    ({
      odsCode: provider.odsCode,
      partyKey: provider.partyKey,
      interactions: [patientFacingInteractions[kind]],
      address: pf[kind],
      cpaId,
      mhsId: cpaId,
      fqdn,
      reliability: synchronousReliability,
    }) satisfies MhsRecord;
  const secondaryY88888 = `${
    providerBaseUrl.replace(/\/+$/, "")
  }/Y88888/STU3/1/gpconnect-secondary/structured/fhir`;
  return {
    mhs: [
      mhs(provider.odsCode, provider.partyKey, "foundations", "S20001A000501"),
      mhs(provider.odsCode, provider.partyKey, "structured", "S20001A000502"),
      mhs(provider.odsCode, provider.partyKey, "documents", "S20001A000503"),
      mhs(provider.odsCode, provider.partyKey, "dstu2", "S20001A000504"),
      pfRecord("access-record", "S20001A000505"),
      pfRecord("appointments-management", "S20001A000506"),
      pfRecord("authorisationService", "S20001A000507"),
      pfRecord("prescriptions-management", "S20001A000508"),
      pfRecord("user-permissions", "S20001A000509"),
      mhs(otherPractice.odsCode, otherPractice.partyKey, "foundations", "S20001A000601"),
      mhs(otherPractice.odsCode, otherPractice.partyKey, "structured", "S20001A000602"),
      mhs(severalEndpoints.odsCode, y1, "structured", "S20001A000701"),
      mhs(severalEndpoints.odsCode, y2, "structured", "S20001A000702", secondaryY88888),
    ],
    as: [
      {
        odsCode: provider.odsCode,
        asid: provider.asid,
        partyKey: provider.partyKey,
        interactions: [
          ...interactions.map((interaction) => interaction.id),
          ...Object.values(patientFacingInteractions),
        ],
        manufacturerOdsCode: supplier,
      },
      {
        odsCode: otherPractice.odsCode,
        asid: otherPractice.asid,
        partyKey: otherPractice.partyKey,
        interactions: interactionsOfRoot("foundations", "structured"),
        manufacturerOdsCode: supplier,
      },
      {
        odsCode: severalEndpoints.odsCode,
        asid: yAsid1,
        partyKey: y1,
        interactions: interactionsOfRoot("structured"),
        manufacturerOdsCode: supplier,
      },
      {
        odsCode: severalEndpoints.odsCode,
        asid: yAsid2,
        partyKey: y2,
        interactions: interactionsOfRoot("structured"),
        manufacturerOdsCode: "YGM99",
      },
      {
        odsCode: consumer.odsCode,
        asid: consumer.asid,
        interactions: interactions.map((interaction) => interaction.id),
        manufacturerOdsCode: consumer.manufacturerOdsCode,
      },
    ],
  };
}
