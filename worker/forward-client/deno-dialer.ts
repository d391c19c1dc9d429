/**
 * Sockets for the pooled client on Deno: `Deno.connect` for `http`, `Deno.connectTls` for
 * `https` with the configured trust anchors (`caCerts`, PEM; none: the system's roots) and
 * client certificate for mutual TLS (`cert` and `key`, PEM), offering only `http/1.1` in ALPN.
 * Nagle is off on plain TCP: a request head is one small write that must not wait for an ACK
 * (`Deno.TlsConn` has no switch for it).
 *
 * @module
 */
import type { Dialer } from "./connection-pool.ts";
import type { UpstreamSocket } from "./upstream-connection.ts";

/** TLS settings of the dialer (PEM text, as read from the configured files). */
export interface DialerTls {
  /** Trust anchors for the provider's certificate; none: the system's roots. */
  readonly caCerts?: readonly string[];
  /** Client certificate chain for mutual TLS (with `key`). */
  readonly cert?: string;
  /** Client private key for mutual TLS (with `cert`). */
  readonly key?: string;
}

/**
 * A dialer over Deno's sockets.
 *
 * @example
 * ```ts
 * import { createPooledClient } from "./pooled-client.ts";
 * const client = createPooledClient({ dial: denoDialer({ caCerts: [] }) });
 * client.close();
 * ```
 */
export function denoDialer(tls: DialerTls = {}): Dialer {
  const tlsOptions = {
    ...(tls.caCerts && tls.caCerts.length > 0 ? { caCerts: [...tls.caCerts] } : {}),
    ...(tls.cert !== undefined && tls.key !== undefined ? { cert: tls.cert, key: tls.key } : {}),
    alpnProtocols: ["http/1.1"],
  };
  return async (origin): Promise<UpstreamSocket> => {
    if (!origin.tls) {
      const conn = await Deno.connect({ hostname: origin.hostname, port: origin.port });
      conn.setNoDelay(true);
      return conn;
    }
    const conn = await Deno.connectTls({
      hostname: origin.hostname,
      port: origin.port,
      ...tlsOptions,
    });
    try {
      await conn.handshake();
    } catch (error) {
      // A refused certificate (either side) must not leave the socket open.
      conn.close();
      throw error;
    }
    return conn;
  };
}
