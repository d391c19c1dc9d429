/**
 * Access Record HTML 0.7 (DSTU2 root): Conformance metadata, $gpc.getcarerecord.
 * Routes are relative to their service root and run behind the provider duties.
 *
 * @module
 */
import { Hono } from "hono";
import type { ProviderEnv } from "../provider-duties.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";

/** The routes, to mount at their service root. */
export function htmlRoutes(_options: ProviderRoutesOptions): Hono<ProviderEnv> {
  return new Hono<ProviderEnv>();
}
