/**
 * Opens the target a configuration names: `local` starts the whole local world in-process on
 * free ports with an in-memory store and goes through gpc-edge's SSP route (or, with
 * `--local-direct`, straight to the reference provider), and speaks MESH to gpc-edge's MESH with
 * the local mailboxes and its test-only admin API on; `direct` and `ssp` reach any provider's
 * roots, without or with an SSP URL prefix (and a MESH server when one is configured); `mesh` is a
 * MESH server alone (and the practice mailbox behind it, for product messaging).
 *
 * @module
 */
import { startWorld } from "../../sandbox/world.ts";
import type { HarnessConfig } from "../config/harness-config.ts";
import {
  describeMeshEndpoint,
  localMeshEndpoint,
  meshEndpointFromSettings,
} from "../mesh/mesh-endpoint.ts";
import { describePfEndpoint } from "../patient-facing/pf-endpoint.ts";
import { localPfEndpoint } from "../patient-facing/pf-local-target.ts";
import { pfEndpointFromSettings } from "../patient-facing/pf-settings.ts";
import { practiceRoots, rootKinds, targetRoots } from "./service-roots.ts";
import { httpTarget, type Target } from "./target.ts";
import { createTransport } from "./transport.ts";

/** Options for {@linkcode openTarget}. */
export interface OpenTargetOptions {
  /** A fetch to use instead of the real one (tests). */
  readonly fetch?: typeof fetch;
}

/**
 * The target of a configuration; close it when done.
 *
 * @example
 * ```ts
 * import { loadHarnessConfig } from "../config/load-config.ts";
 *
 * const config = await loadHarnessConfig({
 *   flags: { target: "direct", "base-url": "https://gp.example/B82617/STU3/1/gpconnect" },
 *   env: {},
 * });
 * const target = await openTarget(config);
 * try {
 *   // send the run's requests through target
 * } finally {
 *   await target.close();
 * }
 * ```
 */
export async function openTarget(
  config: HarnessConfig,
  options: OpenTargetOptions = {},
): Promise<Target> {
  const transport = await createTransport({
    tls: config.tls,
    timeoutMs: config.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (config.target === "mesh") {
    const mesh = meshEndpointFromSettings(config.mesh);
    if (!mesh) throw new Error("target mesh without a MESH server (mesh-url)");
    return httpTarget({
      kind: "mesh",
      description: describeMeshEndpoint(mesh),
      roots: {},
      insecure: config.tls.insecure,
      mesh,
      transport,
    });
  }
  if (config.target !== "local") {
    const roots = targetRoots(config.baseUrl, config.roots);
    const mesh = meshEndpointFromSettings(config.mesh);
    const patientFacing = await pfEndpointFromSettings(config.patientFacing).catch((error) => {
      transport.close();
      throw error;
    });
    const listed = rootKinds.filter((kind) => roots[kind] !== undefined).map((kind) =>
      `${kind} ${roots[kind]}`
    ).join(", ");
    return httpTarget({
      kind: config.target,
      description: (config.target === "ssp"
        ? `provider through the SSP ${config.sspUrl}: ${listed}`
        : `provider directly: ${listed}`) +
        (mesh ? `; ${describeMeshEndpoint(mesh)}` : "") +
        (patientFacing ? `; ${describePfEndpoint(patientFacing)}` : ""),
      roots,
      ...(config.sspUrl === undefined ? {} : { sspPrefix: config.sspUrl }),
      insecure: config.tls.insecure,
      ...(mesh ? { mesh } : {}),
      ...(patientFacing ? { patientFacing } : {}),
      transport,
    });
  }
  let world;
  try {
    world = await startWorld({
      ports: { edge: 0, pds: 0, sds: 0, provider: 0 },
      dataDir: ":memory:",
      logger: { log() {} },
      meshAdminApi: config.mesh.adminApi ?? true,
    });
  } catch (error) {
    transport.close();
    throw error;
  }
  const running = world;
  const roots = practiceRoots(running.providerUrl, config.odsCode);
  // The practice's patient-facing side, found through the world's SDS as the API platform would.
  let patientFacing;
  try {
    patientFacing = await localPfEndpoint(running, config.odsCode, transport.send.bind(transport));
  } catch (error) {
    transport.close();
    await running.close();
    throw error;
  }
  // The world says which practice mailboxes its MESH receiver polls.
  const mesh = localMeshEndpoint(running.edgeUrl, config.mesh, {
    runsPractice: running.meshPractices.includes(config.mesh.practice ?? "B82617OT1"),
  });
  return httpTarget({
    kind: "local",
    description: (config.localDirect
      ? `local world, reference provider directly at ${running.providerUrl}`
      : `local world through gpc-edge's SSP ${running.edgeUrl} to the reference provider ` +
        running.providerUrl) +
      `; ${describeMeshEndpoint(mesh)}` +
      (patientFacing ? `; ${describePfEndpoint(patientFacing)}` : ""),
    roots,
    ...(config.localDirect ? {} : { sspPrefix: running.edgeUrl }),
    // Plain HTTP on loopback: no certificate goes unverified.
    insecure: false,
    mesh,
    ...(patientFacing ? { patientFacing } : {}),
    transport,
    onClose: () =>
      running.close(),
  });
}
