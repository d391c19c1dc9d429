/**
 * A document as a FHIR STU3 `Binary` response (GPC-1.6 `access_documents_development_binary`:
 * `contentType` and `content`, base64; `securityContext` never set; retrieve and migrate pages:
 * "include the versionId of the current version"), streamed: the resource is serialised around a
 * marker, and the base64 content is generated chunk by chunk between the two halves, so a large
 * document is never held whole in memory (neither its bytes nor its base64). JSON and XML alike;
 * `ETag: W/"<versionId>"`, `Cache-Control: no-store` and an exact `Content-Length`.
 *
 * STU3 names the base64 element `content` (R4 renamed it `data`); the GP Connect example
 * `documents_response2.json` and the PT `Binary.Content` check agree.
 *
 * @module
 */
import { type FhirFormat, fhirMediaType } from "../../../gpconnect/media-type.ts";
import { fhirJsonToXml } from "../../../gpconnect/xml.ts";
import type { FhirVersion } from "../../../gpconnect/specs.ts";
import {
  base64ChunkBytes,
  base64Chunks,
  base64Length,
  type DocumentContent,
} from "./document-content.ts";

/** What a Binary response is made of. */
export interface BinaryDocument {
  /** `Binary.id`. */
  readonly id: string;
  /** `Binary.meta.versionId` and the ETag. */
  readonly versionId: string;
  /** `Binary.contentType`. */
  readonly contentType: string;
  /** The bytes. */
  readonly content: DocumentContent;
}

const marker = "gpc-edge-binary-content-marker";
const encoder = new TextEncoder();

/**
 * The streamed Binary response for a document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textContent } from "./document-content.ts";
 * const response = binaryResponse(
 *   { id: "bin-2-1", versionId: "1", contentType: "text/plain", content: textContent("Hello") },
 *   { format: "json", fhirVersion: "STU3" },
 * );
 * assert.equal((await response.json()).content, "SGVsbG8="); // base64 of the bytes
 * ```
 */
export function binaryResponse(
  binary: BinaryDocument,
  options: { readonly format: FhirFormat; readonly fhirVersion: FhirVersion },
): Response {
  const resource = {
    resourceType: "Binary",
    id: binary.id,
    meta: { versionId: binary.versionId },
    contentType: binary.contentType,
    content: marker,
  };
  const text = options.format === "xml" ? fhirJsonToXml(resource) : JSON.stringify(resource);
  const at = text.indexOf(marker);
  const head = encoder.encode(text.slice(0, at));
  const tail = encoder.encode(text.slice(at + marker.length));
  const chunks = base64Chunks(binary.content, base64ChunkBytes);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    pull(controller) {
      const next = chunks.next();
      if (next.done) {
        controller.enqueue(tail);
        controller.close();
      } else {
        controller.enqueue(encoder.encode(next.value));
      }
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": `${fhirMediaType(options.fhirVersion, options.format)};charset=utf-8`,
      "Content-Length": String(head.length + base64Length(binary.content.size) + tail.length),
      "ETag": `W/"${binary.versionId}"`,
      "Cache-Control": "no-store",
    },
  });
}
