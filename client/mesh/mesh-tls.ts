/**
 * TLS for a real MESH (shared/reference/mesh.md §2.2): INT and LIVE require mutual TLS with a
 * client certificate whose CN is `{local_id}.{ods_code}.api.mesh-client.nhs.uk`, and the server is
 * verified against the environment's CA bundle (hostname checked, TLS ≥ 1.2). Deno only: it
 * builds a `fetch` over `Deno.createHttpClient`; the rest of the client is runtime-neutral.
 *
 * @module
 */

/** PEM text of the client certificate, its key and the CAs to trust. */
export interface MeshTlsOptions {
  /** Client certificate chain (PEM), for mutual TLS. */
  readonly cert?: string;
  /** The client certificate's private key (PEM). */
  readonly key?: string;
  /** CA certificates (PEM) that sign the MESH server's certificate; the system roots otherwise. */
  readonly caCerts?: readonly string[];
}

/** A `fetch` bound to a TLS client, and how to release it. */
export interface MeshTlsFetch {
  readonly fetch: typeof fetch;
  /** Closes the underlying HTTP client (its connection pool). */
  close(): void;
}

/**
 * A `fetch` presenting the client certificate and trusting `caCerts`. Throws `TypeError` when
 * only one of `cert` and `key` is given.
 *
 * @example
 * ```ts
 * const tls = meshTlsFetch({ caCerts: [] });
 * // createMeshClient({ ..., fetch: tls.fetch }); later: tls.close();
 * tls.close();
 * ```
 */
export function meshTlsFetch(options: MeshTlsOptions): MeshTlsFetch {
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw new TypeError("mutual TLS needs both the client certificate and its key");
  }
  const client = Deno.createHttpClient({
    ...(options.caCerts && options.caCerts.length > 0 ? { caCerts: [...options.caCerts] } : {}),
    ...(options.cert !== undefined && options.key !== undefined
      ? { cert: options.cert, key: options.key }
      : {}),
  });
  return {
    fetch: (input, init) => fetch(input, { ...init, client }),
    close: () => client.close(),
  };
}
