/**
 * Access Record Structured 1.6 (structured root): metadata, $gpc.getstructuredrecord, $gpc.migratestructuredrecord.
 * Routes are relative to their service root and run behind the provider duties.
 *
 * @module
 */
import { Hono } from "hono";
import type { ProviderEnv } from "../provider-duties.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";

/** The routes, to mount at their service root. */
export function structuredRoutes(_options: ProviderRoutesOptions): Hono<ProviderEnv> {
  return new Hono<ProviderEnv>();
}
