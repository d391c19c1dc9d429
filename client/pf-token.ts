/**
 * `task pf-token <nhs number> [--p5] [--act <proxy nhs number>]`: prints an access token for the
 * patient-facing platform, ready to use as `Authorization: Bearer …`. It runs the whole exchange
 * a consumer app runs (A2 steps 1–3): an NHS login id_token for the fixture patient from the NHS
 * login sandbox, the sandbox app's RS512 client assertion (the sandbox holds the test app's key),
 * then `POST /oauth2/token` on gpc-edge. A refusal prints the token endpoint's error and exits 1;
 * a usage problem is one line and exit 2.
 *
 * Environment: `GPC_EDGE_URL` (gpc-edge, default http://127.0.0.1:8080), `GPC_EDGE_NHS_LOGIN_URL`
 * (default http://127.0.0.1:8084), `GPC_EDGE_PLATFORM_CLIENT_ID` (default pfs-sandbox-app).
 *
 * @module
 */
import { isValidNhsNumber } from "../gpconnect/nhs-number.ts";
import { parseCommandLine, problemLine, UsageError } from "./command-line.ts";

/** What {@linkcode requestPatientToken} needs. */
export interface PatientTokenRequest {
  /** The patient's NHS number (the id_token's `nhs_number`). */
  readonly nhsNumber: string;
  /** NHS login's identity proofing level. */
  readonly level: "P9" | "P5";
  /** Who acts for the patient (the id_token's `act`), if not the patient. */
  readonly actor?: string | undefined;
  /** gpc-edge's base URL; its token endpoint is `/oauth2/token`. */
  readonly edgeUrl: string;
  /** The NHS login sandbox's base URL. */
  readonly nhsLoginUrl: string;
  /** The consumer app's client id. */
  readonly clientId: string;
  /** The `fetch` to use; default the global one. */
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/** The token endpoint's answer. */
export type PatientTokenResult =
  | { readonly ok: true; readonly accessToken: string; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly status: number; readonly body: string };

/**
 * Runs the exchange.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startWorld } from "../sandbox/world.ts";
 * // The local world on free ports (`task start` serves gpc-edge on 8080, NHS login on 8084).
 * const world = await startWorld({
 *   ports: { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 },
 *   dataDir: ":memory:",
 *   logger: { log() {} },
 * });
 * try {
 *   const result = await requestPatientToken({
 *     nhsNumber: "9690937286",
 *     level: "P9",
 *     edgeUrl: world.edgeUrl,
 *     nhsLoginUrl: world.nhsLoginUrl,
 *     clientId: "pfs-sandbox-app",
 *   });
 *   assert.ok(result.ok);
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function requestPatientToken(
  request: PatientTokenRequest,
): Promise<PatientTokenResult> {
  const send = request.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const edge = request.edgeUrl.replace(/\/+$/, "");
  const nhsLogin = request.nhsLoginUrl.replace(/\/+$/, "");
  const tokenUrl = `${edge}/oauth2/token`;
  const json = async (url: string, body: unknown) => {
    const res = await send(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) return { ok: false as const, status: res.status, body: text };
    return { ok: true as const, value: JSON.parse(text) as Record<string, string> };
  };
  const idToken = await json(`${nhsLogin}/test/id-token`, {
    nhs_number: request.nhsNumber,
    identity_proofing_level: request.level,
    aud: request.clientId,
    ...(request.actor ? { act: request.actor } : {}),
  });
  if (!idToken.ok) return idToken;
  const assertion = await json(
    `${nhsLogin}/test/apps/${encodeURIComponent(request.clientId)}/client-assertion`,
    { aud: tokenUrl },
  );
  if (!assertion.ok) return assertion;
  const res = await send(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: idToken.value.id_token!,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion.value.client_assertion!,
    }).toString(),
  });
  const text = await res.text();
  if (res.status !== 200) return { ok: false, status: res.status, body: text };
  const body = JSON.parse(text) as Record<string, unknown>;
  return { ok: true, accessToken: String(body.access_token), body };
}

const usage = `Usage: deno task pf-token <nhs number> [--p5] [--act <proxy nhs number>]

Prints an access token for gpc-edge's patient-facing API (Authorization: Bearer <token>).
  --p5     log in at identity proofing level P5 (the API then answers 401)
  --act    log in as a proxy acting for the patient
Environment: GPC_EDGE_URL, GPC_EDGE_NHS_LOGIN_URL, GPC_EDGE_PLATFORM_CLIENT_ID`;

if (import.meta.main) {
  try {
    const line = parseCommandLine(Deno.args, {
      options: { p5: { type: "boolean" }, act: { type: "string" } },
      maxPositionals: 1,
    });
    if (line.help) {
      console.log(usage);
      Deno.exit(0);
    }
    const nhsNumber = line.positionals[0];
    if (nhsNumber === undefined) throw new UsageError("give the patient's NHS number");
    if (!isValidNhsNumber(nhsNumber)) {
      throw new UsageError(`${nhsNumber} is not a valid NHS number`);
    }
    const actor = line.values.act as string | undefined;
    if (actor !== undefined && !isValidNhsNumber(actor)) {
      throw new UsageError(`--act ${actor} is not a valid NHS number`);
    }
    const env = Deno.env.toObject();
    const result = await requestPatientToken({
      nhsNumber,
      level: line.values.p5 === true ? "P5" : "P9",
      actor,
      edgeUrl: env.GPC_EDGE_URL ?? "http://127.0.0.1:8080",
      nhsLoginUrl: env.GPC_EDGE_NHS_LOGIN_URL ?? "http://127.0.0.1:8084",
      clientId: env.GPC_EDGE_PLATFORM_CLIENT_ID ?? "pfs-sandbox-app",
    });
    if (!result.ok) {
      console.error(`pf-token: HTTP ${result.status}: ${result.body}`);
      Deno.exit(1);
    }
    console.log(result.accessToken);
  } catch (error) {
    console.error(problemLine("pf-token", error));
    Deno.exit(error instanceof UsageError ? 2 : 1);
  }
}
