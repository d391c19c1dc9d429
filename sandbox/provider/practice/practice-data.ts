/**
 * The practice behind the reference provider, as plain data: organisations, practitioners and
 * locations with their logical ids and identifiers (NHS England's provider test pack maps:
 * `Data/ODSCodeMap.csv`, `Data/PractitionerCodeMap.csv`; shared/reference/conformance-anchors.md
 * §4). FHIR resources are built from it by `practice-resources.ts`; schedules and slots live with
 * Appointment Management. Role profile counts follow the test pack's Practitioner search
 * (practitioner1 none, practitioner2 one, practitioner3 two; the demonstrator's data agrees).
 * The last `address` entry is the town.
 *
 * @module
 */

/** An organisation of the practice's world. */
export interface PracticeOrganization {
  readonly id: string;
  readonly odsCode: string;
  readonly name: string;
  readonly type: "gp-practice" | "urgent-care" | "other";
  readonly phone: string;
  readonly address: readonly string[];
  readonly postcode: string;
  readonly versionId: string;
}

/** A practitioner of the practice. */
export interface PracticePractitioner {
  readonly id: string;
  readonly sdsUserId: string;
  readonly sdsRoleProfileIds: readonly string[];
  readonly family: string;
  readonly given: readonly string[];
  readonly prefix: string;
  readonly gender: "male" | "female";
  readonly versionId: string;
}

/** A location (site) of the practice. */
export interface PracticeLocation {
  readonly id: string;
  readonly odsSiteCode: string;
  readonly name: string;
  readonly managingOrganizationId: string;
  /** Work phone, when the site has its own number. */
  readonly phone?: string;
  readonly address: readonly string[];
  readonly postcode: string;
  readonly versionId: string;
}

/** Everything about the practice that is not a patient. */
export interface PracticeData {
  readonly organizations: readonly PracticeOrganization[];
  readonly practitioners: readonly PracticePractitioner[];
  readonly locations: readonly PracticeLocation[];
}

/** The reference practice B82617 and its neighbours. */
export const practiceData: PracticeData = {
  organizations: [
    {
      id: "1",
      odsCode: "B82617",
      name: "COXWOLD SURGERY",
      type: "gp-practice",
      phone: "01347 868 555",
      address: ["NHS NPFIT Test Data Manager", "Princes Exchange", "Leeds"],
      postcode: "LS1 4HY",
      versionId: "1",
    },
    {
      id: "2",
      odsCode: "R1A14",
      name: "TEMPLE SOWERBY MEDICAL PRACTICE",
      type: "gp-practice",
      phone: "01768 361 232",
      address: ["Linden Lea", "Temple Sowerby", "Penrith"],
      postcode: "CA10 1RZ",
      versionId: "1",
    },
    {
      id: "3",
      odsCode: "X12345",
      name: "THE HEALTH CENTRE URGENT CARE",
      type: "urgent-care",
      phone: "01234 567 890",
      address: ["1 High Street", "Leeds"],
      postcode: "LS1 1AA",
      versionId: "1",
    },
  ],
  practitioners: [
    {
      id: "1",
      sdsUserId: "G13579135",
      sdsRoleProfileIds: [],
      family: "Gilbert",
      given: ["Nichole"],
      prefix: "Miss",
      gender: "female",
      versionId: "1",
    },
    {
      id: "2",
      sdsUserId: "G11111116",
      sdsRoleProfileIds: ["PT1234"],
      family: "Slater",
      given: ["Kehinde"],
      prefix: "Mr",
      gender: "male",
      versionId: "1",
    },
    {
      id: "3",
      sdsUserId: "G22345655",
      sdsRoleProfileIds: ["PT1122", "PT1234"],
      family: "Parsons",
      given: ["Melissa"],
      prefix: "Dr",
      gender: "female",
      versionId: "1",
    },
    {
      id: "4",
      sdsUserId: "G22222226",
      sdsRoleProfileIds: ["PT5566"],
      family: "Cross",
      given: ["Sam"],
      prefix: "Dr",
      gender: "male",
      versionId: "1",
    },
  ],
  locations: [
    {
      id: "1",
      odsSiteCode: "Z26556",
      name: "Coxwold Surgery, Main Building",
      managingOrganizationId: "1",
      phone: "01347 868 555",
      address: ["Coxwold", "York"],
      postcode: "YO61 4AD",
      versionId: "1",
    },
    {
      id: "2",
      odsSiteCode: "Z33432",
      name: "Coxwold Surgery, Branch Site",
      managingOrganizationId: "1",
      address: ["Husthwaite", "York"],
      postcode: "YO61 4QB",
      versionId: "1",
    },
    {
      id: "3",
      odsSiteCode: "Z33433",
      name: "Temple Sowerby Medical Practice",
      managingOrganizationId: "2",
      phone: "01768 361 232",
      address: ["Temple Sowerby", "Penrith"],
      postcode: "CA10 1RZ",
      versionId: "1",
    },
  ],
};
