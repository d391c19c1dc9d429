/**
 * A MESH API v2 client (shared/reference/mesh.md §1–§4, §9), used by the MESH benchmark, the
 * consumer's sender, the practice's poller and the harness: handshake, send with chunking and
 * optional gzip, inbox paging through `links.next`, download with chunks, acknowledge, tracking,
 * endpoint lookup and `_ping`. It speaks to gpc-edge, MESH's sandbox or a real MESH (with
 * {@linkcode meshTlsFetch} for mutual TLS).
 *
 * Like NHS's Python client it keeps one nonce per client and counts requests from 0, sends no
 * `Mex-From` unless asked (the server takes the sender from the token; GP Connect's senders fill
 * it, GPCM-SD-062), sends `Mex-Chunk-Range` on every send, and learns a download's chunk count
 * from the first response's `Mex-Chunk-Range`.
 *
 * @module
 */
import { chunkBody, chunkRanges, type MeshPayload, payloadBlob } from "./mesh-chunks.ts";
import { createMeshHttp, MeshClientError, type MeshHttp } from "./mesh-http.ts";
import { chunkRangeOf, type MeshMessageInfo, meshMessageInfo } from "./mesh-message-info.ts";

export { MeshClientError } from "./mesh-http.ts";
export type { MeshMessageInfo } from "./mesh-message-info.ts";

/** What {@linkcode createMeshClient} needs. */
export interface MeshClientOptions {
  /** Server root, e.g. `http://127.0.0.1:8080` or `https://msg.intspineservices.nhs.uk`. */
  readonly baseUrl: string;
  readonly mailboxId: string;
  /** The mailbox password (never logged). */
  readonly password: string;
  /** The environment's shared key. */
  readonly sharedKey: string | CryptoKey;
  /** Default `globalThis.fetch`; pass `meshTlsFetch(...)` for mutual TLS. */
  readonly fetch?: typeof fetch;
  /** Bytes of uncompressed payload per chunk (default 75 MiB, NHS's Python client's). */
  readonly chunkSize?: number;
  /** Retries of 425/429/502/503/504 (default 3); never of the first `POST …/outbox`. */
  readonly maxRetries?: number;
  /** First retry backoff in ms, doubled each time (default 500). */
  readonly retryBackoffMs?: number;
  /** Longest `Retry-After` honoured, seconds (default 60). */
  readonly maxRetryAfterSeconds?: number;
  /** Injectable wait between retries. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** `mex-ClientVersion` (default `gpc-edge-mesh-client==1`). */
  readonly clientVersion?: string;
}

/** One message to send. */
export interface MeshSendRequest {
  /** Recipient mailbox id or a `GPPROVIDER_…` routing address. */
  readonly to: string;
  /** `Mex-From`: the sending mailbox (MESH checks it equals the authenticated one, code 07). */
  readonly from?: string;
  readonly workflowId: string;
  readonly body: MeshPayload;
  readonly subject?: string;
  /** Sender's reference (no patient identifiers: MESH shows it in tracking). */
  readonly localId?: string;
  readonly fileName?: string;
  /** The payload's media type (`Mex-Content-Type`). */
  readonly contentType?: string;
  readonly partnerId?: string;
  readonly checksum?: string;
  /** `Mex-Content-Encrypted: Y`. */
  readonly encrypted?: boolean;
  /** `Mex-Content-Compressed: Y` (the payload itself is compressed by the sender). */
  readonly contentCompressed?: boolean;
  /** Gzip each chunk on the wire (`Content-Encoding: gzip`). */
  readonly gzip?: boolean;
  /** Overrides the client's chunk size for this message. */
  readonly chunkSize?: number;
}

/** One inbox page. */
export interface MeshInboxPage {
  readonly messages: readonly string[];
  /** The root-relative `links.next`, when there are more. */
  readonly next: string | undefined;
  readonly approxInboxCount: number | undefined;
}

/** A downloaded message. */
export interface MeshDownload {
  readonly info: MeshMessageInfo;
  /** The payload, chunks joined (decompressed by `fetch` when served gzipped). */
  readonly body: ReadableStream<Uint8Array<ArrayBuffer>>;
}

/** Inbox listing options. */
export interface MeshInboxOptions {
  /** 10..5000 (MESH's default 500). */
  readonly maxResults?: number;
  /** MESH's filter grammar: `X`, `!X`, `X*`, `!X*`, `*X*`, `!*X*`. */
  readonly workflowFilter?: string;
}

/** The client of one mailbox. */
export interface MeshClient {
  /** `POST /messageexchange/{mailbox}` (MESH asks for one a day). */
  handshake(): Promise<void>;
  /** Sends a message (chunked when bigger than the chunk size); resolves with its id. */
  send(message: MeshSendRequest): Promise<string>;
  /** One inbox page; `continueFrom` is a page's `next` link. */
  inboxPage(options?: MeshInboxOptions & { readonly next?: string }): Promise<MeshInboxPage>;
  /** Every message id, following `links.next` for at most `maxPages` pages (default 100). */
  inbox(options?: MeshInboxOptions & { readonly maxPages?: number }): Promise<string[]>;
  /** Downloads a message, fetching chunk n+1 only when chunk n has been read. */
  download(messageId: string): Promise<MeshDownload>;
  /** Downloads a message whole. */
  downloadBytes(messageId: string): Promise<{ info: MeshMessageInfo; body: Uint8Array }>;
  /** `PUT …/status/acknowledged`. */
  acknowledge(messageId: string): Promise<void>;
  /** Tracking of a message this mailbox sent (MESH's v2 tracking object). */
  tracking(messageId: string): Promise<Record<string, unknown>>;
  /**
   * Tracking by `Mex-LocalID` (MESH's deprecated v1 lookup; the v1 body, `messageId` …): the
   * message this mailbox sent with that local id, `undefined` when there is none (404). Rejects
   * on several (300) or any other failure.
   */
  trackByLocalId(localId: string): Promise<Record<string, unknown> | undefined>;
  /** Receiving mailboxes of an ODS code for a workflow. */
  lookup(
    odsCode: string,
    workflowId: string,
  ): Promise<Array<{ mailbox_id: string; mailbox_name: string }>>;
  /** `GET /messageexchange/_ping` (no authentication). */
  ping(): Promise<Record<string, unknown>>;
}

/**
 * Creates a MESH client for one mailbox.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // gpc-edge's MESH service on a loopback port, removed again at the end (the local world's
 * // mailboxes and credentials; against `task start` the base URL is http://127.0.0.1:8080).
 * import { serveMeshOnLoopback } from "../../worker/testing/mesh-loopback.ts";
 * const service = await serveMeshOnLoopback();
 * try {
 *   const mesh = createMeshClient({
 *     baseUrl: service.url,
 *     mailboxId: "A11111OT1",
 *     password: "password",
 *     sharedKey: "TestKey",
 *   });
 *   const id = await mesh.send({
 *     to: "B82617OT1",
 *     workflowId: "GPCONNECT_SEND_DOCUMENT",
 *     body: "hello",
 *     gzip: true,
 *   });
 *   assert.match(id, /\S/);
 * } finally {
 *   await service.close();
 * }
 * ```
 */
export function createMeshClient(options: MeshClientOptions): MeshClient {
  const mailbox = encodeURIComponent(options.mailboxId);
  const http = createMeshHttp({
    baseUrl: options.baseUrl,
    mailboxId: options.mailboxId,
    password: options.password,
    sharedKey: options.sharedKey,
    fetch: options.fetch ?? globalThis.fetch,
    maxRetries: options.maxRetries ?? 3,
    retryBackoffMs: options.retryBackoffMs ?? 500,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    clientHeaders: {
      "mex-ClientVersion": options.clientVersion ?? "gpc-edge-mesh-client==1",
      "mex-OSName": osName(),
      "mex-OSVersion": "unknown",
      "mex-OSArchitecture": osArchitecture(),
    },
    nonce: crypto.randomUUID(),
  });
  const inboxPath = `/messageexchange/${mailbox}/inbox`;
  const client: MeshClient = {
    async handshake() {
      await discard(
        await http.request({
          method: "POST",
          path: `/messageexchange/${mailbox}`,
          retry: true,
          what: "handshake",
        }),
      );
    },
    send: (message) => sendMessage(http, mailbox, options.chunkSize, message),
    async inboxPage(page = {}) {
      const path = page.next ?? `${inboxPath}?${inboxQuery(page)}`;
      const response = await http.request({ method: "GET", path, retry: true, what: "inbox" });
      const json = await response.json() as {
        messages?: string[];
        links?: { next?: string };
        approx_inbox_count?: number;
      };
      return {
        messages: json.messages ?? [],
        next: json.links?.next,
        approxInboxCount: json.approx_inbox_count,
      };
    },
    async inbox(listing = {}) {
      const ids: string[] = [];
      let next: string | undefined;
      for (let page = 0; page < (listing.maxPages ?? 100); page++) {
        const answer = await client.inboxPage({ ...listing, ...(next ? { next } : {}) });
        ids.push(...answer.messages);
        next = answer.next;
        if (next === undefined || answer.messages.length === 0) break;
      }
      return ids;
    },
    download: (messageId) => downloadMessage(http, inboxPath, messageId),
    async downloadBytes(messageId) {
      const { info, body } = await client.download(messageId);
      return { info, body: new Uint8Array(await new Response(body).arrayBuffer()) };
    },
    async acknowledge(messageId) {
      await discard(
        await http.request({
          method: "PUT",
          path: `${inboxPath}/${encodeURIComponent(messageId)}/status/acknowledged`,
          retry: true,
          what: "acknowledge",
        }),
      );
    },
    async tracking(messageId) {
      const response = await http.request({
        method: "GET",
        path: `/messageexchange/${mailbox}/outbox/tracking?messageID=${
          encodeURIComponent(messageId)
        }`,
        retry: true,
        what: "tracking",
      });
      return await response.json();
    },
    async trackByLocalId(localId) {
      try {
        const response = await http.request({
          method: "GET",
          path: `/messageexchange/${mailbox}/outbox/tracking/${encodeURIComponent(localId)}`,
          retry: true,
          what: "tracking by local id",
        });
        return await response.json();
      } catch (error) {
        if (error instanceof MeshClientError && error.status === 404) return undefined;
        throw error;
      }
    },
    async lookup(odsCode, workflowId) {
      const response = await http.request({
        method: "GET",
        path: `/messageexchange/endpointlookup/${encodeURIComponent(odsCode)}/${
          encodeURIComponent(workflowId)
        }`,
        retry: true,
        what: "endpoint lookup",
      });
      return ((await response.json()) as { results?: [] }).results ?? [];
    },
    async ping() {
      const response = await http.request({
        method: "GET",
        path: "/messageexchange/_ping",
        retry: true,
        anonymous: true,
        what: "ping",
      });
      return await response.json();
    },
  };
  return client;
}

async function sendMessage(
  http: MeshHttp,
  mailbox: string,
  defaultChunkSize: number | undefined,
  message: MeshSendRequest,
): Promise<string> {
  const blob = payloadBlob(message.body);
  const ranges = chunkRanges(blob.size, message.chunkSize ?? defaultChunkSize ?? 75 * 1024 ** 2);
  const total = ranges.length;
  const gzip = message.gzip === true;
  const mex: Record<string, string> = {
    "Mex-To": message.to,
    ...(message.from ? { "Mex-From": message.from } : {}),
    "Mex-WorkflowID": message.workflowId,
    ...(message.subject ? { "Mex-Subject": message.subject } : {}),
    ...(message.localId ? { "Mex-LocalID": message.localId } : {}),
    ...(message.fileName ? { "Mex-FileName": message.fileName } : {}),
    ...(message.contentType ? { "Mex-Content-Type": message.contentType } : {}),
    ...(message.partnerId ? { "Mex-PartnerID": message.partnerId } : {}),
    ...(message.checksum ? { "Mex-Content-Checksum": message.checksum } : {}),
    "Mex-Content-Encrypted": message.encrypted ? "Y" : "N",
    "Mex-Content-Compressed": message.contentCompressed ? "Y" : "N",
  };
  // One chunk carries the payload's own type; chunks of a split payload are octet streams.
  const contentType = total === 1 && message.contentType
    ? message.contentType
    : "application/octet-stream";
  const chunkHeaders = (n: number) => ({
    ...mex,
    "Mex-Chunk-Range": `${n}:${total}`,
    "Content-Type": contentType,
    ...(gzip ? { "Content-Encoding": "gzip" } : {}),
  });
  const first = await chunkBody(blob, ranges[0]!, gzip);
  const response = await http.request({
    method: "POST",
    path: `/messageexchange/${mailbox}/outbox`,
    headers: chunkHeaders(1),
    body: () => first,
    retry: false,
    what: "send",
  });
  const json = await response.json() as { message_id?: string; messageID?: string };
  const messageId = json.message_id ?? json.messageID;
  if (typeof messageId !== "string" || messageId === "") {
    throw new MeshClientError(response.status, json, "send (no message id in the answer)");
  }
  for (let n = 2; n <= total; n++) {
    const body = await chunkBody(blob, ranges[n - 1]!, gzip);
    await discard(
      await http.request({
        method: "POST",
        path: `/messageexchange/${mailbox}/outbox/${encodeURIComponent(messageId)}/${n}`,
        headers: chunkHeaders(n),
        body: () => body,
        retry: true,
        what: `send chunk ${n}:${total}`,
      }),
    );
  }
  return messageId;
}

async function downloadMessage(
  http: MeshHttp,
  inboxPath: string,
  messageId: string,
): Promise<MeshDownload> {
  const path = `${inboxPath}/${encodeURIComponent(messageId)}`;
  const first = await http.request({ method: "GET", path, retry: true, what: "download" });
  const info = meshMessageInfo(messageId, first.headers);
  const total = info.totalChunks;
  let current: Response | undefined = first;
  let next = 2;
  let reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>> | undefined;
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      for (;;) {
        if (reader === undefined) {
          if (current === undefined) {
            if (next > total) return controller.close();
            current = await http.request({
              method: "GET",
              path: `${path}/${next}`,
              retry: true,
              what: `download chunk ${next}:${total}`,
            });
            const { chunk } = chunkRangeOf(current.headers);
            if (chunk !== next) {
              throw new RangeError(`asked for chunk ${next}, the server sent chunk ${chunk}`);
            }
            next++;
          }
          if (current.body === null) {
            current = undefined;
            continue;
          }
          reader = current.body.getReader();
        }
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
        reader = undefined;
        current = undefined;
      }
    },
    async cancel(reason) {
      await reader?.cancel(reason);
      await current?.body?.cancel(reason);
    },
  });
  return { info, body };
}

function inboxQuery(options: MeshInboxOptions): string {
  const query = new URLSearchParams();
  if (options.maxResults !== undefined) query.set("max_results", String(options.maxResults));
  if (options.workflowFilter !== undefined) query.set("workflow_filter", options.workflowFilter);
  return query.toString();
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel();
}

function osName(): string {
  return (globalThis as { Deno?: { build?: { os?: string } } }).Deno?.build?.os ?? "unknown";
}

function osArchitecture(): string {
  return (globalThis as { Deno?: { build?: { arch?: string } } }).Deno?.build?.arch ?? "unknown";
}
