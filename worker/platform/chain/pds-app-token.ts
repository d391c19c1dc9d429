/**
 * gpc-edge's application-restricted access to PDS (A2 step 4; R2, R24): a `client_credentials`
 * token from PDS's token endpoint, obtained with an RS512 client assertion, cached until 30 s
 * before it expires and shared by concurrent requests. It rides on a `fetch` wrapper given to the
 * directory's PDS client, which then needs no change: requests to the PDS base URL get
 * `Authorization: Bearer …`; nothing else is touched. Without a token URL (the sandbox) PDS is
 * called as it is.
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../../app-deps.ts";
import type { AssertionSigner } from "../platform-signing.ts";
import { tokenExchangeUrns } from "../platform-specs.ts";
import { callTokenEndpoint } from "./token-call.ts";

/** Options of {@linkcode pdsAuthorisedFetch}. */
export interface PdsAuthOptions {
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  readonly pdsBaseUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly signer: AssertionSigner;
  readonly timeoutMs: number;
}

/**
 * A fetch that authorises PDS calls with gpc-edge's application-restricted token.
 *
 * @example
 * ```ts
 * // const fetchForDirectory = pdsAuthorisedFetch({ fetch, clock, pdsBaseUrl, tokenUrl, clientId, signer, timeoutMs: 20_000 });
 * ```
 */
export function pdsAuthorisedFetch(options: PdsAuthOptions): UpstreamFetch {
  const base = options.pdsBaseUrl.replace(/\/+$/, "");
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const token = (): Promise<string> => {
    if (cached && cached.expiresAt > options.clock.now()) return Promise.resolve(cached.token);
    pending ??= (async () => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: tokenExchangeUrns.clientAssertionType,
        client_assertion: await options.signer.sign(
          options.clientId,
          options.tokenUrl,
          options.clock.now(),
        ),
      });
      const result = await callTokenEndpoint(
        options.fetch,
        options.tokenUrl,
        form,
        options.timeoutMs,
      );
      if (!result.ok) throw new Error(`PDS token endpoint: ${result.reason}`);
      cached = {
        token: result.accessToken,
        expiresAt: options.clock.now() + Math.max(0, result.expiresInSeconds - 30) * 1000,
      };
      return result.accessToken;
    })().finally(() => (pending = undefined));
    return pending;
  };

  return async (input, init) => {
    const request = new Request(input, init);
    if (request.url !== base && !request.url.startsWith(`${base}/`)) return options.fetch(request);
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${await token()}`);
    return options.fetch(new Request(request, { headers }));
  };
}
