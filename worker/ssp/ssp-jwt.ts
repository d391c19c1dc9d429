/**
 * The SSP's JWT step (reference gpconnect-ssp.md §1.3 "SHOULD validate and SHALL log", §2): the
 * bearer token is decoded and checked against the interaction. In `log` mode (the default, like
 * the SSP) findings only reach the audit line; in `enforce` mode the first finding rejects the
 * request with 400 BAD_REQUEST or 422 INVALID_RESOURCE in GP Connect's error shape.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Clock } from "../app-deps.ts";
import type { JwtMode } from "../config.ts";
import { GpcEdgeError } from "../errors.ts";
import { checkGpConnectJwt, type JwtCheckResult } from "../../gpconnect/jwt/jwt-claims-check.ts";
import { established, type SspEnv } from "./ssp-state.ts";
import { receivedFields } from "../../gpconnect/header-pairs.ts";

/**
 * Middleware: decodes and checks the JWT; rejects on findings in `enforce` mode. In `log` mode
 * the check is deferred (`sspJwtLater`) until the audit line asks for its findings, after the
 * forward (issue 15): the token is judged as of the request's arrival all the same.
 */
export function sspJwtCheck(
  options: { mode: JwtMode; clock: Clock; leewaySeconds: number },
): MiddlewareHandler<SspEnv> {
  return function sspJwt(c, next) {
    const settings = {
      interaction: established(c, "sspInteraction"),
      nowSeconds: Math.floor(options.clock.now() / 1000),
      leewaySeconds: options.leewaySeconds,
    };
    const check = () =>
      checkGpConnectJwt(receivedFields(c.req.raw.headers).get("authorization") ?? "", settings);
    if (options.mode === "log") {
      let later: JwtCheckResult | undefined;
      c.set("sspJwtLater", () => later ??= check());
      return next();
    }
    const result = check();
    c.set("sspJwt", result);
    const first = result.findings[0];
    if (options.mode === "enforce" && first) {
      throw GpcEdgeError.gpconnect(first.spineCode, {
        diagnostics: `JWT ${first.claim}: ${first.problem}`,
        status: first.status,
      });
    }
    return next();
  };
}
