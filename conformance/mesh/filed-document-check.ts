/**
 * Was a Send Document filed? The loop the two GP Connect patterns share (issue 11): a document a
 * practice accepted over MESH must become part of the patient's record, so an Access Document
 * search for the patient, at the practice's documents root (through the SSP when the target has
 * one), finds a DocumentReference whose Binary is byte-for-byte the PDF the harness sent. Run only
 * when the target has the documents root; the requests are ordinary GP Connect requests of the
 * harness's own builder, recorded as evidence.
 *
 * @module
 */
import type { Exchange } from "../model.ts";
import { sendRequest } from "../runner/exchange.ts";
import { type BuildContext, buildRequest } from "../runner/request-builder.ts";
import type { Target } from "../target/target.ts";

const documentSearchIncludes =
  "_include=DocumentReference:subject:Patient&_include=DocumentReference:custodian:Organization" +
  "&_include=DocumentReference:author:Organization&_include=DocumentReference:author:Practitioner" +
  "&_revinclude:recurse=PractitionerRole:practitioner";

type Json = Record<string, unknown>;

/** What the check found. */
export interface FiledDocumentCheck {
  /** Whether a document with exactly the PDF's bytes was found for the patient. */
  readonly found: boolean;
  /** Why not, when not. */
  readonly problem?: string;
  readonly exchanges: readonly Exchange[];
}

function entries(bundle: unknown): Json[] {
  const list = (bundle as { entry?: Array<{ resource?: Json }> } | undefined)?.entry ?? [];
  return list.flatMap((e) => (e.resource ? [e.resource] : []));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Looks for the document.
 *
 * @example
 * ```ts ignore
 * const check = await checkFiledDocument({ target, build, nhsNumber: "9690937286", pdf, step: "filed" });
 * ```
 */
export async function checkFiledDocument(options: {
  readonly target: Pick<Target, "send">;
  readonly build: BuildContext;
  readonly nhsNumber: string;
  readonly pdf: Uint8Array;
  readonly step: string;
}): Promise<FiledDocumentCheck> {
  const exchanges: Exchange[] = [];
  const role = "messaging-patient";
  const build: BuildContext = {
    ...options.build,
    patients: new Map([[role, { role, nhsNumber: options.nhsNumber, ids: {} }]]),
  };
  const get = async (interaction: string, path: string) => {
    const built = buildRequest({ interaction, patientRole: role, path }, undefined, build);
    const sent = await sendRequest(options.target, built, options.step);
    exchanges.push(sent.exchange);
    return sent.response;
  };
  const fail = (problem: string): FiledDocumentCheck => ({ found: false, problem, exchanges });

  const search = await get(
    "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:patient-1",
    `/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${options.nhsNumber}`,
  );
  const patientId = entries(search?.body).find((r) => r.resourceType === "Patient")?.id;
  if (search?.status !== 200 || typeof patientId !== "string") {
    return fail(
      `the documents root does not find the patient (status ${search?.status ?? "none"})`,
    );
  }
  const documents = await get(
    "urn:nhs:names:services:gpconnect:documents:fhir:rest:search:documentreference-1",
    `/Patient/${encodeURIComponent(patientId)}/DocumentReference?${documentSearchIncludes}`,
  );
  if (documents?.status !== 200) {
    return fail(`the document search answered ${documents?.status ?? "nothing"}`);
  }
  const urls = entries(documents.body)
    .filter((r) => r.resourceType === "DocumentReference")
    .flatMap((r) => (r.content as Array<{ attachment?: Json }> | undefined) ?? [])
    .flatMap((c) =>
      c.attachment?.contentType === "application/pdf" && typeof c.attachment.url === "string"
        ? [c.attachment.url]
        : []
    );
  // Bounded: one Binary read per PDF document of the patient, newest first is not assumed.
  for (const url of urls) {
    const id = url.replace(/^.*\/Binary\//, "");
    const binary = await get(
      "urn:nhs:names:services:gpconnect:documents:fhir:rest:read:binary-1",
      `/Binary/${encodeURIComponent(id)}`,
    );
    const content = (binary?.body as { content?: unknown } | undefined)?.content;
    if (typeof content !== "string") continue;
    try {
      if (sameBytes(Uint8Array.fromBase64(content), options.pdf)) return { found: true, exchanges };
    } catch {
      // not base64: not the document
    }
  }
  return fail(`none of the patient's ${urls.length} PDF document(s) is the one sent`);
}
