/**
 * `createPlatformApp(deps)`: the patient-facing API platform (issue 12; ARCHITECTURE.md §1,
 * third pattern) as one Hono sub-app with its own `Env` and one error renderer (APIM's
 * OperationOutcome, A6; the identity service's JSON on the token endpoint). Routes, all
 * absolute, to mount at `/`:
 *
 * - `POST /oauth2/token`: token exchange and refresh (oauth/token-endpoint.ts);
 * - `/gp-connect/patient-facing/access-record-fhir/FHIR/STU3/…` and
 *   `/gp-connect/patient-facing/appointments-management-fhir/FHIR/STU3/…`: the documented
 *   routes of specs/platform-products.json; anything else under `/gp-connect/patient-facing/`
 *   is 404, a known path with another method 405.
 *
 * The chain per request (A2, done better): headers and `X-Request-ID` (R7, R9) → route and
 * method (R34) → access token, scope, P9 (R1, R4) → rate limits (R20) → path parameters (R33,
 * R6) → body under its cap (R11) → patient binding (R5) → a delegated session confirmed by VRS
 * (R5, A4) → PDS current GP (R22) → SDS endpoint and authorisation service (R23) → the practice's
 * token for the session (A2 step 8) → the user's levels from the practice's User Permissions
 * (R29) → a write claimed once per app, patient and X-Request-ID (R28) → forward with
 * gateway-owned headers (R8) → response cap and mapping (R12, R27). Every response is
 * `no-store` with the ids mirrored (R31), and each request writes one audit line (R30).
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import {
  type Clock,
  consoleLogger,
  type Logger,
  systemClock,
  type UpstreamFetch,
} from "../app-deps.ts";
import type { DirectoryConfig } from "../config/directory-config.ts";
import { createDirectoryResolver } from "../directory/directory-resolver.ts";
import type { DirectoryResolver } from "../directory/directory-types.ts";
import { type DeadlineScheduler, perRequestTimers } from "../gateway/deadline-scheduler.ts";
import { requestBindings, type RequestBindingsEnv } from "../request-bindings.ts";
import type { CacheStore } from "../store/cache-store.ts";
import type { RecordsStore } from "../store/records-store.ts";
import { createConcurrencyLimiter } from "./chain/concurrency-limit.ts";
import { applyCors, isPreflight, preflightResponse } from "./chain/cors.ts";
import { confirmDelegation, vrsAuthorisedFetch } from "./chain/delegation.ts";
import { checkJsonPatch } from "./chain/json-patch-allow.ts";
import { bindPatient } from "./chain/patient-binding.ts";
import { gateRequest } from "./chain/permission-gate.ts";
import { pdsAuthorisedFetch } from "./chain/pds-app-token.ts";
import { resolvePractice } from "./chain/practice-routing.ts";
import { type MatchedRoute, matchProductRoute } from "./chain/product-route.ts";
import { forwardToPractice, isPracticeFailure } from "./chain/provider-forward.ts";
import { providerAccessToken } from "./chain/provider-token.ts";
import { readCappedBody } from "./chain/request-body.ts";
import { type RequestBudget, startRequestBudget } from "./chain/request-budget.ts";
import type { RetryPolicy } from "./chain/upstream-retry.ts";
import { checkRequestHeaders, finishResponse, type RequestIds } from "./chain/request-headers.ts";
import { claimWrite } from "./chain/write-dedupe.ts";
import { createJwksCache } from "./oauth/jwks-cache.ts";
import { createJtiReplayCache } from "./oauth/jti-replay.ts";
import { createPlatformTokens, type StoredToken } from "./oauth/platform-tokens.ts";
import { tokenEndpoint } from "./oauth/token-endpoint.ts";
import { type AuditFacts, platformAuditRecord } from "./platform-audit.ts";
import type { PlatformConfig } from "./platform-config.ts";
import { productById } from "./platform-specs.ts";
import { OAuthError, PlatformError } from "./platform-error.ts";
import {
  asPlatformError,
  oauthErrorResponse,
  platformErrorResponse,
} from "./platform-error-response.ts";
import {
  createPlatformBreaker,
  createPlatformRateLimiter,
  type PlatformGateway,
} from "./platform-gateway.ts";
import { createAssertionSigner } from "./platform-signing.ts";

/** Everything {@linkcode createPlatformApp} needs (ARCHITECTURE.md §3.2 seams). */
export interface PlatformDeps {
  /** The `platform` configuration section. */
  readonly config: PlatformConfig;
  /** The `directory` section: PDS and SDS URLs, timeouts and cache TTLs. */
  readonly directoryConfig: DirectoryConfig;
  /** Tokens, `jti` replay cache, provider tokens, rate-limit counters. */
  readonly records: RecordsStore;
  /** The directory cache's store (shared with the SSP's directory). */
  readonly cache: CacheStore;
  readonly fetch?: UpstreamFetch;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly randomUUID?: () => string;
  /** A ready directory (tests); default: PDS (with gpc-edge's PDS token) and SDS behind `cache`. */
  readonly directory?: DirectoryResolver;
  /** Gateway services; default: the shared rate limiter and circuit breaker over `records`. */
  readonly gateway?: Partial<PlatformGateway>;
  /** Where deadlines wait (the app's: Deno's timer wheel); default one timer per deadline. */
  readonly scheduler?: DeadlineScheduler;
  /** Retry jitter, a number in [0, 1); default `Math.random`. Back-off waits on `clock.sleep`. */
  readonly random?: () => number;
}

/** Per-request values. */
export interface PlatformVariables {
  audit: AuditFacts;
}

/** The platform's Hono environment. */
export type PlatformEnv = RequestBindingsEnv & { Variables: PlatformVariables };

/** Largest token request form, bytes. */
const maxTokenFormBytes = 64 * 1024;

/**
 * Builds the platform app.
 *
 * @example
 * ```ts
 * import { defaultPlatformConfig } from "./platform-config.ts";
 * import { defaultDirectoryConfig } from "../config/directory-config.ts";
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
 * const platform = createPlatformApp({
 *   config: defaultPlatformConfig, directoryConfig: defaultDirectoryConfig,
 *   records: createMemoryRecordsStore(), cache: createMemoryCacheStore(),
 * });
 * // app.route("/", platform);
 * ```
 */
export function createPlatformApp(deps: PlatformDeps): Hono<PlatformEnv> {
  const { config, records } = deps;
  const fetchUpstream: UpstreamFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? consoleLogger;
  const randomUUID = deps.randomUUID ?? (() => crypto.randomUUID());
  const signer = config.signingKey
    ? createAssertionSigner(config.signingKey, randomUUID)
    : undefined;
  const directory = deps.directory ?? createDirectoryResolver({
    config: config.pdsTokenUrl
      ? { ...deps.directoryConfig, pdsAccessToken: undefined }
      : deps.directoryConfig,
    store: deps.cache,
    fetch: config.pdsTokenUrl && signer
      ? pdsAuthorisedFetch({
        fetch: fetchUpstream,
        clock,
        pdsBaseUrl: deps.directoryConfig.pdsBaseUrl,
        tokenUrl: config.pdsTokenUrl,
        clientId: config.pdsClientId,
        signer,
        timeoutMs: config.tokenTimeoutMs,
      })
      : fetchUpstream,
    clock,
    randomUUID,
    logger,
  });
  const gateway: PlatformGateway = {
    rateLimiter: deps.gateway?.rateLimiter ?? createPlatformRateLimiter(records, clock),
    breaker: deps.gateway?.breaker ??
      createPlatformBreaker(records, clock, config.providerTimeoutMs),
  };
  const jwks = createJwksCache({
    fetch: fetchUpstream,
    clock,
    maxAgeSeconds: config.jwksMaxAgeSeconds,
  });
  const tokens = createPlatformTokens({
    records,
    clock,
    accessTokenSeconds: config.accessTokenSeconds,
    refreshTokenSeconds: config.refreshTokenSeconds,
    randomUUID,
  });
  const tokenUrl = `${config.publicBaseUrl.replace(/\/+$/, "")}/oauth2/token`;
  const vrsFetch = vrsAuthorisedFetch({
    fetch: fetchUpstream,
    clock,
    vrsBaseUrl: config.vrsBaseUrl,
    tokenUrl: config.pdsTokenUrl,
    clientId: config.pdsClientId,
    signer,
    timeoutMs: config.tokenTimeoutMs,
  });
  const endpointPolicy = { allowHttp: config.allowHttpProviders, hosts: config.providerHosts };
  const scheduler = deps.scheduler ?? perRequestTimers;
  const slots = createConcurrencyLimiter({
    maxInFlight: config.providerMaxInFlight,
    maxQueued: config.providerMaxQueued,
  });
  const retry: RetryPolicy = {
    maxRetries: config.maxRetries,
    baseMs: config.retryBaseMs,
    capMs: config.retryBaseMs * 10,
    random: deps.random ?? Math.random,
    sleep: (ms, signal) => clock.sleep(ms, signal),
  };

  const pathOf = (c: Context) => new URL(c.req.url).pathname;
  const audit = (c: Context<PlatformEnv>, status: number) =>
    logger.log(
      platformAuditRecord(c.get("audit") ?? {}, c.req.method, pathOf(c), status, clock.now()),
    );
  const renderError = (c: Context<PlatformEnv>, thrown: unknown): Response => {
    const error = thrown instanceof OAuthError ? thrown : asPlatformError(thrown);
    // One error line per exception; an unexpected one logs its class and message, never a stack.
    logger.log({
      type: "error",
      time: new Date(clock.now()).toISOString(),
      audience: "platform",
      requestId: c.get("audit")?.requestId ?? "none",
      method: c.req.method,
      path: pathOf(c),
      status: error.status,
      code: error instanceof OAuthError ? error.error : error.code,
      expected: thrown instanceof OAuthError || thrown instanceof PlatformError,
      message: thrown instanceof OAuthError || thrown instanceof PlatformError
        ? thrown.message
        : thrown instanceof Error
        ? `${thrown.name}: ${thrown.message}`
        : String(thrown),
    });
    return error instanceof OAuthError
      ? oauthErrorResponse(error, randomUUID())
      : platformErrorResponse(error);
  };

  const app = new Hono<PlatformEnv>();
  app.onError((error, c) => renderError(c, error));

  app.use("/oauth2/token", async (c, next) => {
    c.set("audit", { route: "token" });
    // Per source before anything is read (the app is not known yet, and an unknown caller must
    // not be able to spend a real app's quota); per app once its client assertion verified.
    const source = requestBindings(c).clientAddress;
    try {
      if (c.req.method === "POST" && source !== undefined) {
        await takeTokenLimit(`token-source:${source}`, config.tokenSourcePerMinute);
      }
    } catch (error) {
      // A refusal here is audited like every other token request (R30).
      const refused = renderError(c, error);
      audit(c, refused.status);
      return refused;
    }
    await next();
    audit(c, c.res.status);
  });
  app.post(
    "/oauth2/token",
    tokenEndpoint({
      assertion: {
        apps: config.apps,
        tokenUrl,
        jwks,
        replay: createJtiReplayCache(records, clock),
        clock,
      },
      onClientAuthenticated: (clientId) =>
        takeTokenLimit(`token-app:${clientId}`, config.tokenClientPerMinute),
      subject: { issuer: config.nhsLoginIssuer, jwksUrl: config.nhsLoginJwksUrl, jwks, clock },
      tokens,
      maxFormBytes: maxTokenFormBytes,
    }),
  );
  app.all("/oauth2/token", () => {
    throw new OAuthError(405, "invalid_request", "The token endpoint accepts POST only");
  });

  // The envelope of every patient-facing request: preflight, ids, no-store, CORS, audit.
  app.use("/gp-connect/patient-facing/*", async (c, next) => {
    const facts: AuditFacts = {};
    c.set("audit", facts);
    const origin = c.req.header("Origin") ?? null;
    let ids: Partial<RequestIds> = {};
    if (isPreflight(c.req.raw)) {
      c.res = preflightResponse(origin, config.corsOrigins);
    } else {
      try {
        const checked = checkRequestHeaders(c.req.raw.headers);
        ids = checked;
        facts.requestId = checked.requestId;
      } catch (error) {
        c.res = renderError(c, error);
      }
      if (ids.requestId) await next();
    }
    finishResponse(c.res, ids);
    applyCors(c.res, origin, config.corsOrigins);
    audit(c, c.res.status);
  });

  /** The token endpoint's limits (B2: APIM counts /oauth2 too), refused in its JSON shape. */
  async function takeTokenLimit(scope: string, perMinute: number): Promise<void> {
    const verdict = await gateway.rateLimiter.take(scope, [
      { limit: perMinute, windowSeconds: 60 },
    ]);
    if (!verdict.allowed) {
      throw new OAuthError(
        429,
        "rate_limit_exceeded",
        "You have exceeded your application's rate limit",
        { headers: { "Retry-After": String(verdict.retryAfterSeconds) } },
      );
    }
  }

  const handle = async (c: Context<PlatformEnv>): Promise<Response> => {
    // One deadline for the whole chain (R15); each upstream call's own is cut short by it.
    const budget = startRequestBudget(scheduler, config.deadlineMs);
    try {
      return await chain(c, budget);
    } finally {
      budget.cancel();
    }
  };

  const chain = async (c: Context<PlatformEnv>, budget: RequestBudget): Promise<Response> => {
    const facts = c.get("audit");
    const url = new URL(c.req.url);
    const matched = matchProductRoute(c.req.method, url.pathname);
    facts.product = matched.product.id;
    facts.route = matched.route.name;
    const stored = await authorise(c.req.header("Authorization"), matched);
    const session = stored.session;
    facts.app = session.clientId;
    facts.patient = session.nhsNumber;
    if (session.actorNhsNumber) facts.actor = session.actorNhsNumber;
    await applyRateLimits(session.clientId, session.nhsNumber, matched);
    const body = await budget.race(readCappedBody(c.req.raw, config.maxRequestBytes));
    const parsedBody = parseJsonBody(body, c.req.header("Content-Type"));
    bindPatient({
      route: matched.route,
      params: matched.params,
      query: url.searchParams,
      body: parsedBody,
      tokenNhsNumber: session.nhsNumber,
      actorNhsNumber: session.actorNhsNumber,
    });
    checkJsonPatch(matched.route, parsedBody);
    // Delegated access (R5): VRS must confirm the proxy before PDS or the practice hear of it.
    await budget.race(confirmDelegation(
      {
        records,
        fetch: vrsFetch,
        clock,
        vrsBaseUrl: config.vrsBaseUrl,
        timeoutMs: Math.min(config.vrsTimeoutMs, budget.remainingMs()),
      },
      session,
      facts.requestId!,
    ));
    // PDS and SDS keep their own 10 s deadlines (the directory's); the request's ends the wait.
    const practice = await budget.race(resolvePractice(
      directory,
      matched.product,
      session.nhsNumber,
      facts.requestId!,
      endpointPolicy,
    ));
    facts.ods = practice.odsCode;
    const providerToken = await providerAccessToken(
      {
        records,
        fetch: fetchUpstream,
        clock,
        signer,
        clientIdFor: (ods) => config.providerClientIds[ods] ?? config.defaultProviderClientId,
        timeoutMs: Math.min(config.tokenTimeoutMs, budget.remainingMs()),
        scheduler,
        signal: budget.signal,
      },
      session,
      practice.odsCode,
      practice.authorisationService,
    );
    // Permission gating (R29): the practice's levels for this user, before the forward.
    await budget.race(gateRequest({
      records,
      fetch: fetchUpstream,
      clock,
      timeoutMs: Math.min(config.providerTimeoutMs, budget.remainingMs()),
    }, {
      product: matched.product.id,
      route: matched.route,
      body: parsedBody,
      session,
      odsCode: practice.odsCode,
      providerToken,
      requestId: facts.requestId!,
      permissionsEndpoint: async () =>
        (await resolvePractice(
          directory,
          productById("user-permissions"),
          session.nhsNumber,
          facts.requestId!,
          endpointPolicy,
        )).endpoint,
    }));
    // Write safety (R28): one forward per app, patient and X-Request-ID; retries get its answer.
    const claim = matched.route.safe ? undefined : await claimWrite(
      { records, clock, inFlightMs: config.deadlineMs + 5_000 },
      {
        clientId: session.clientId,
        nhsNumber: session.nhsNumber,
        requestId: facts.requestId!,
        method: c.req.method,
        target: `${url.pathname}${url.search}`,
        body,
      },
    );
    if (claim?.kind === "replay") {
      facts.replayed = true;
      return claim.response;
    }
    // Admitted only now, so every admission is paired with its record (a half-open probe is
    // never left open by a refusal or a replay above).
    let admission;
    try {
      admission = await gateway.breaker.admit(practice.endpoint);
    } catch (error) {
      await claim?.release();
      throw error;
    }
    if (!admission.allowed) {
      await claim?.release();
      throw new PlatformError("SERVICE_UNAVAILABLE", {
        diagnostics: "The practice's endpoint is failing; try again later",
        headers: { "Retry-After": String(admission.retryAfterSeconds) },
      });
    }
    let response: Response;
    try {
      response = await forwardToPractice({
        fetch: fetchUpstream,
        timeoutMs: config.providerTimeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        budget,
        retry,
        safe: matched.route.safe,
        slots,
        endpoint: practice.endpoint,
        now: () => clock.now(),
      }, {
        method: c.req.method,
        url: `${practice.endpoint.replace(/\/+$/, "")}${matched.relativePath}${url.search}`,
        providerToken,
        requestId: facts.requestId!,
        correlationId: c.req.header("X-Correlation-ID"),
        interactionId: matched.product.sdsInteraction,
        clientHeaders: c.req.raw.headers,
        body: body.byteLength > 0 ? body : undefined,
      });
    } catch (error) {
      await claim?.release();
      // gpc-edge's own refusals (no slot for the practice) are not the practice's failures.
      if (isPracticeFailure(error)) {
        await gateway.breaker.record(practice.endpoint, false, admission);
      }
      throw error;
    }
    // The practice answered: from here a store failure must not release the claim (the write
    // happened; a released claim would let the retry write twice). The answer is kept first.
    const answer = claim ? await claim.complete(response) : response;
    await gateway.breaker.record(practice.endpoint, response.status < 500, admission);
    return answer;
  };

  async function authorise(
    header: string | undefined,
    matched: MatchedRoute,
  ): Promise<StoredToken> {
    const token = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? "")?.[1];
    if (!token) {
      throw new PlatformError("ACCESS_DENIED", {
        display: "Missing or malformed Authorization header",
      });
    }
    const stored = await tokens.lookup(token);
    if (!stored) throw new PlatformError("ACCESS_DENIED", { display: "Invalid Access Token" });
    if (!stored.session.scopes.includes(matched.product.scope)) {
      throw new PlatformError("ACCESS_DENIED", {
        display: `Required scope: ${matched.product.scope}`,
      });
    }
    if (stored.session.proofingLevel !== "P9") {
      throw new PlatformError("ACCESS_DENIED", {
        display: `Identity proofing level ${stored.session.proofingLevel} is not P9`,
      });
    }
    return stored;
  }

  async function applyRateLimits(clientId: string, nhsNumber: string, matched: MatchedRoute) {
    const app = config.apps.find((candidate) => candidate.clientId === clientId);
    const limits = app?.rateLimits ?? { perSecond: 10, perMinute: 300 };
    const verdicts = [
      await gateway.rateLimiter.take(`app:${clientId}`, [
        { limit: limits.perSecond, windowSeconds: 1 },
        { limit: limits.perMinute, windowSeconds: 60 },
      ]),
    ];
    if (!matched.route.safe) {
      verdicts.push(
        await gateway.rateLimiter.take(`patient-writes:${nhsNumber}`, [
          { limit: config.patientWritesPerMinute, windowSeconds: 60 },
        ]),
      );
    }
    for (const verdict of verdicts) {
      if (!verdict.allowed) {
        throw new PlatformError("THROTTLED", {
          headers: { "Retry-After": String(verdict.retryAfterSeconds) },
        });
      }
    }
  }

  app.all("/gp-connect/patient-facing/*", handle);
  return app;
}

function parseJsonBody(body: Uint8Array, contentType: string | undefined): unknown {
  if (body.byteLength === 0) return undefined;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  // JSON Patch (Prescriptions' PATCH /Task/{id}) is JSON too.
  const json = ["application/fhir+json", "application/json", "application/json-patch+json", ""];
  if (!json.includes(type)) {
    throw new PlatformError("UNSUPPORTED_MEDIA_TYPE", {
      diagnostics: `Content-Type ${type} is not FHIR JSON`,
    });
  }
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new PlatformError("INVALID_RESOURCE", { diagnostics: "The request body is not JSON" });
  }
}
