/**
 * The local world's patient-facing side for target local: the practice's roots and authorisation
 * service found through the world's SDS sandbox (`pf-discovery.ts`), the harness acting with the
 * world's API platform identity (gpc-edge's client id at the practice and the signing key the
 * practice trusts), id_tokens from the world's NHS login sandbox, and the `view-user` fixture (a
 * patient whose prescriptions level is `view`) read from the practice's permission data. Only the
 * local target reads sandbox data, here, once at the start of a run.
 *
 * @module
 */
import type { RunningWorld } from "../../sandbox/world.ts";
import { patientLevelFixtures } from "../../sandbox/provider/patient-facing/user-permissions/permission-fixtures.ts";
import { discoverLocalPfEndpoint } from "./pf-discovery.ts";
import type { PfEndpoint } from "./pf-endpoint.ts";
import type { PfSend } from "./pf-tokens.ts";

/** The local practice's fixture patient whose own prescriptions level is `view`, if any. */
export function localViewUser(): string | undefined {
  return Object.entries(patientLevelFixtures).find(([, levels]) => levels.prescriptions === "view")
    ?.[0];
}

/**
 * The patient-facing endpoint of a running local world's practice `odsCode`; undefined when the
 * world's API platform has no signing key (then no practice trusts the harness either).
 *
 * @example
 * ```ts ignore
 * const endpoint = await localPfEndpoint(world, "B82617", target.send);
 * ```
 */
export async function localPfEndpoint(
  world: Pick<RunningWorld, "sdsUrl" | "nhsLoginUrl" | "config">,
  odsCode: string,
  send: PfSend,
  viewUser: string | undefined = localViewUser(),
): Promise<PfEndpoint | undefined> {
  const platform = world.config.platform;
  if (!platform.signingKey) return undefined;
  return await discoverLocalPfEndpoint({
    send,
    sdsUrl: world.sdsUrl,
    odsCode,
    nhsLoginUrl: world.nhsLoginUrl,
    clientId: platform.providerClientIds[odsCode] ?? platform.defaultProviderClientId,
    signingKey: platform.signingKey,
    ...(viewUser === undefined ? {} : { extraRoles: { "view-user": viewUser } }),
  });
}
