/**
 * Builds one MESH request of a scenario step: the URL under the server's `/messageexchange`, the
 * headers NHS's clients send (`Accept: application/vnd.mesh.v2+json`, `mex-ClientVersion`,
 * `mex-OSName`, `mex-OSVersion`), the body (text, or deterministic bytes, gzipped on its own when
 * asked) and the `Authorization` the step's `auth` asks for — a valid NHSMESH token, or one with
 * exactly one rule of mesh.md §2.1 broken. Tokens come from the shared builder
 * (`gpconnect/mesh/nhsmesh-token.ts`): request builders are shared, judgements are not.
 *
 * @module
 */
import {
  buildNhsmeshAuthorization,
  meshHmac,
  meshTimestamp,
  nhsmeshScheme,
} from "../../gpconnect/mesh/nhsmesh-token.ts";
import { TemplateError } from "../runner/placeholders.ts";
import type { MeshEndpoint } from "./mesh-endpoint.ts";
import { meshBodyBytes } from "./mesh-bytes.ts";
import { fillMeshTemplate, type MeshPlaceholderValues } from "./mesh-placeholders.ts";
import type { MeshAuth, MeshRequestTemplate, MeshRole } from "./mesh-scenario.ts";

/** A request ready to send. */
export interface BuiltMeshRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body?: Uint8Array<ArrayBuffer>;
  /** The `Authorization` sent (kept in memory for a later replay; reports redact it). */
  readonly authorization?: string;
}

/** What building needs besides the template. */
export interface MeshBuildContext {
  readonly endpoint: MeshEndpoint;
  /** Placeholder values; `mailbox` is set per request. */
  readonly values: Omit<MeshPlaceholderValues, "mailbox">;
  /** The last `Authorization` each earlier step sent. */
  readonly tokens: ReadonlyMap<string, string>;
}

/** A mailbox id no MESH holds (for the unknown-mailbox token). */
export const unknownMailboxId = "GPCEDGEUNKNOWNOT9";

/** The headers every request carries unless the step removes them. */
export const defaultMeshHeaders: Readonly<Record<string, string>> = {
  "Accept": "application/vnd.mesh.v2+json",
  "mex-ClientVersion": "gpc-edge-conformance==1",
  "mex-OSName": "Linux",
  "mex-OSVersion": "unknown",
};

function credentials(endpoint: MeshEndpoint, role: Exclude<MeshRole, "anonymous">) {
  const mailbox = role === "sender" ? endpoint.sender : endpoint.recipient;
  if (!mailbox) throw new TemplateError(`the target has no ${role} mailbox`);
  return mailbox;
}

async function authorization(
  auth: MeshAuth,
  role: MeshRole,
  context: MeshBuildContext,
): Promise<string | undefined> {
  const { endpoint } = context;
  if (auth.kind === "none") return undefined;
  if (auth.kind === "replay") {
    const token = context.tokens.get(auth.step);
    if (token === undefined) throw new TemplateError(`step ${auth.step} sent no token to replay`);
    return token;
  }
  if (auth.kind === "unknown-mailbox") {
    return await buildNhsmeshAuthorization({
      mailboxId: unknownMailboxId,
      password: "password",
      sharedKey: endpoint.sharedKey,
    });
  }
  if (role === "anonymous") throw new TemplateError("an anonymous request has no mailbox to sign");
  const own = credentials(endpoint, auth.kind === "token-of" ? auth.role : role);
  const base = { mailboxId: own.id, password: own.password, sharedKey: endpoint.sharedKey };
  const nonce = crypto.randomUUID();
  const now = context.values.now;
  switch (auth.kind) {
    case "valid":
    case "token-of":
      return await buildNhsmeshAuthorization(base);
    case "wrong-password":
      return await buildNhsmeshAuthorization({ ...base, password: `${own.password}-wrong` });
    case "wrong-key":
      return await buildNhsmeshAuthorization({ ...base, sharedKey: `${endpoint.sharedKey}-wrong` });
    case "wrong-hmac": {
      const token = await buildNhsmeshAuthorization(base);
      // Flip the last hex digit: well-formed, wrong.
      const last = token.at(-1) === "0" ? "1" : "0";
      return `${token.slice(0, -1)}${last}`;
    }
    case "four-parts": {
      const ts = meshTimestamp(now);
      const hmac = await meshHmac(endpoint.sharedKey, {
        ...base,
        nonce,
        nonceCount: 0,
        timestamp: ts,
      });
      return `${nhsmeshScheme}${own.id}:${nonce}:${ts}:${hmac}`;
    }
    case "count-not-numeric": {
      const ts = meshTimestamp(now);
      const count = "1a";
      const hmac = await meshHmac(endpoint.sharedKey, {
        ...base,
        nonce,
        nonceCount: count,
        timestamp: ts,
      });
      return `${nhsmeshScheme}${own.id}:${nonce}:${count}:${ts}:${hmac}`;
    }
    case "scheme": {
      const token = await buildNhsmeshAuthorization(base);
      return `${auth.scheme}${token.slice(nhsmeshScheme.length)}`;
    }
    case "timestamp-offset":
      return await buildNhsmeshAuthorization({
        ...base,
        timestamp: meshTimestamp(now + auth.minutes * 60_000),
      });
    case "timestamp-text":
      return await buildNhsmeshAuthorization({ ...base, timestamp: auth.text });
  }
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Builds a step's request. Throws {@linkcode TemplateError} when it cannot be built as written.
 *
 * @example
 * ```ts ignore
 * const built = await buildMeshRequest({ as: "sender", method: "POST", path: "/{mailbox}" }, context);
 * ```
 */
export async function buildMeshRequest(
  template: MeshRequestTemplate,
  context: MeshBuildContext,
): Promise<BuiltMeshRequest> {
  const auth = template.auth ?? { kind: "valid" };
  const mailbox = auth.kind === "unknown-mailbox"
    ? unknownMailboxId
    : template.as === "anonymous"
    ? ""
    : credentials(context.endpoint, template.as).id;
  const values = { ...context.values, mailbox };
  const fill = (text: string) => fillMeshTemplate(text, values);
  const path = fill(template.path);
  if (template.link && !path.startsWith("/")) {
    throw new TemplateError(`link ${path} is not root-relative`);
  }
  const url = template.link
    ? `${context.endpoint.url}${path}`
    : `${context.endpoint.url}/messageexchange${path}`;
  const headers = new Headers(defaultMeshHeaders);
  for (const [name, value] of Object.entries(template.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, fill(value));
  }
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (template.body) {
    body = template.body.kind === "text"
      ? new TextEncoder().encode(fill(template.body.text))
      : meshBodyBytes(template.body, context.values.caseId);
    if (template.gzip) {
      body = await gzip(body);
      if (!headers.has("Content-Encoding")) headers.set("Content-Encoding", "gzip");
    }
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/octet-stream");
  }
  const token = await authorization(auth, template.as, context);
  if (token !== undefined) headers.set("Authorization", token);
  return {
    url,
    method: template.method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(token === undefined ? {} : { authorization: token }),
  };
}
