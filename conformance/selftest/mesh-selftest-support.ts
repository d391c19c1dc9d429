/**
 * What the MESH self-tests share: running the CLI quietly into a temporary report, the target
 * flags for the local world's mailboxes, the failing requirements of a report, and a messaging
 * world with the reference practice's poller running over it (optionally broken).
 *
 * @module
 */
import { main } from "../cli.ts";
import type { RunReport } from "../model.ts";
import { readFullReport } from "../report/testing/read-outputs.ts";
import {
  type MessagingWorld,
  startMessagingWorld,
} from "../../sandbox/practice-mesh/messaging-test-world.ts";
import { startPracticeMeshPoller } from "../../sandbox/practice-mesh/practice-mesh-poller.ts";

const quiet = { write() {}, writeError() {}, env: {}, cwd: Deno.cwd(), terminal: false };

/** Runs the harness with `args`; the report and the exit status. */
export async function runHarness(
  args: readonly string[],
): Promise<{ status: number; report: RunReport }> {
  const out = await Deno.makeTempDir({ prefix: "gpc-edge-mesh-selftest-" });
  try {
    // Passing tests in full (report.json keeps them in brief): the self-tests look into them.
    const status = await main(
      ["--out", out, "--format", "json,evidence", "--evidence", "all", ...args],
      { io: quiet },
    );
    return { status, report: await readFullReport(out) };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

/** Target `mesh` over the local world's mailboxes at `url`. */
export function localMeshFlags(url: string, options: { practice?: boolean } = {}): string[] {
  return [
    "--target",
    "mesh",
    "--mesh-url",
    url,
    "--mesh-mailbox",
    "A11111OT1",
    "--mesh-password",
    "password",
    "--mesh-shared-key",
    "TestKey",
    "--mesh-recipient",
    "Y88888OT1",
    "--mesh-recipient-password",
    "password",
    "--mesh-workflow",
    "GPCONNECT_SEND_DOCUMENT",
    "--mesh-reply-workflow",
    "GPCONNECT_SEND_DOCUMENT_ACK",
    ...(options.practice === false ? [] : ["--mesh-practice", "B82617OT1"]),
  ];
}

/** Requirements named by failed assertions of tests that did not pass. */
export function failedRequirements(report: RunReport): Set<string> {
  const failed = new Set<string>();
  for (const result of report.results) {
    if (result.status === "pass") continue;
    for (const assertion of result.assertions) {
      if (!assertion.passed && assertion.requirement) failed.add(assertion.requirement);
    }
  }
  return failed;
}

/** Test ids that did not pass, with why. */
export function notPassed(report: RunReport): string[] {
  return report.results.filter((r) => r.status !== "pass").map((r) =>
    `${r.id}: ${r.status} ${r.reason ?? ""}${
      r.assertions.filter((a) => !a.passed).map((a) => ` [${a.requirement}] ${a.message}`).join("")
    }`
  );
}

/**
 * Runs `body` with a messaging world whose practice B82617OT1 is the reference poller, its MESH
 * traffic through `meshFetch` when given (a broken practice).
 */
export async function withPractice<T>(
  meshFetch: typeof fetch | undefined,
  body: (world: MessagingWorld) => Promise<T>,
): Promise<T> {
  const world = await startMessagingWorld();
  const poller = startPracticeMeshPoller({
    meshUrl: world.edgeUrl,
    mailboxes: ["B82617OT1"],
    password: "password",
    sharedKey: "TestKey",
    store: world.store,
    pdsBaseUrl: world.pdsUrl,
    intervalMs: 100,
    logger: { log() {} },
    ...(meshFetch ? { meshFetch } : {}),
  });
  try {
    return await body(world);
  } finally {
    await poller.stop();
    await world.close();
  }
}
