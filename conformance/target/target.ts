/**
 * A target: the service roots under test, how a request URL is formed (directly, or after an SSP
 * URL prefix) and the transport that sends it. The runner sees only this.
 *
 * @module
 */
import type { RootKind } from "../../gpconnect/specs.ts";
import type { TargetKind } from "../config/harness-config.ts";
import type { MeshEndpoint } from "../mesh/mesh-endpoint.ts";
import type { PfEndpoint } from "../patient-facing/pf-endpoint.ts";
import type { Roots } from "./service-roots.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";

/** A target under test. */
export interface Target {
  readonly kind: TargetKind;
  /** One line for people and the report (says loudly when certificates are not verified). */
  readonly description: string;
  /** Provider service roots (as SDS would hold them). */
  readonly roots: Roots;
  /** SSP URL prefix when requests go through an SSP. */
  readonly sspPrefix?: string;
  /** Server certificate verification is off. */
  readonly insecure: boolean;
  /** The MESH server and mailboxes (products mesh and messaging), when the target has them. */
  readonly mesh?: MeshEndpoint;
  /** The practice's patient-facing side (product patient-facing), when the target has one. */
  readonly patientFacing?: PfEndpoint;
  /** The request URL for a path under a root, or undefined when the target lacks that root. */
  urlFor(root: RootKind, path: string): string | undefined;
  /** Sends a request (see {@linkcode Transport.send}). */
  send(url: string, request: TransportRequest): Promise<TransportResponse>;
  /** Releases the transport and stops anything the target started. */
  close(): Promise<void>;
}

/** Options for {@linkcode httpTarget}. */
export interface HttpTargetOptions {
  readonly kind: TargetKind;
  readonly description: string;
  readonly roots: Roots;
  readonly sspPrefix?: string;
  readonly insecure: boolean;
  readonly mesh?: MeshEndpoint;
  readonly patientFacing?: PfEndpoint;
  readonly transport: Transport;
  /** Runs after the transport is closed. */
  readonly onClose?: () => Promise<void>;
}

/**
 * A target over HTTP. With an SSP prefix the URL is `${ssp}/${root}${path}` (the provider root
 * verbatim, gpconnect-ssp.md §1.1), else `${root}${path}`.
 */
export function httpTarget(options: HttpTargetOptions): Target {
  const ssp = options.sspPrefix?.replace(/\/+$/, "");
  const warning = options.insecure
    ? " — WARNING: SERVER CERTIFICATES NOT VERIFIED (--insecure); not valid as certification evidence"
    : "";
  return {
    kind: options.kind,
    description: `${options.description}${warning}`,
    roots: options.roots,
    ...(ssp === undefined ? {} : { sspPrefix: ssp }),
    insecure: options.insecure,
    ...(options.mesh === undefined ? {} : { mesh: options.mesh }),
    ...(options.patientFacing === undefined ? {} : { patientFacing: options.patientFacing }),
    urlFor(root, path) {
      const base = options.roots[root];
      if (base === undefined) return undefined;
      return ssp === undefined ? `${base}${path}` : `${ssp}/${base}${path}`;
    },
    send: (url, request) => options.transport.send(url, request),
    async close() {
      options.transport.close();
      await options.onClose?.();
    },
  };
}
