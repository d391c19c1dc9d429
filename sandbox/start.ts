/**
 * `deno task start`: starts gpc-edge and the sandboxes on loopback ports (`GPC_EDGE_PORT`,
 * `GPC_EDGE_PDS_PORT`, `GPC_EDGE_SDS_PORT`, `GPC_EDGE_PROVIDER_PORT`, `GPC_EDGE_NHS_LOGIN_PORT`,
 * `GPC_EDGE_VRS_PORT`)
 * and the reference practice's MESH receiver, with the embedded Deno KV
 * store under `./data` (or `GPC_EDGE_DATA_DIR`), prints what runs and requests a newcomer can
 * paste, and serves until interrupted. `--help` lists every variable. A bad value, a port in use
 * or an unusable data directory ends start-up with one line and exit status 2, never a stack trace.
 *
 * @module
 */
import { parseCommandLine, problemLine } from "../client/command-line.ts";
import { startBanner } from "./start-banner.ts";
import { portVariable, startHelp, startSettings } from "./start-settings.ts";
import { localWorldConsole } from "./quiet-poll-logger.ts";
import { practiceMailboxes, type RunningWorld, startWorld, type WorldPorts } from "./world.ts";

/** Which of the configured ports is taken (the world's error does not say). */
function busyPort(ports: Required<WorldPorts>, hostname: string): keyof WorldPorts | undefined {
  for (const name of Object.keys(ports) as Array<keyof WorldPorts>) {
    if (ports[name] === 0) continue;
    try {
      Deno.listen({ hostname: name === "edge" ? hostname : "127.0.0.1", port: ports[name] })
        .close();
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) return name;
    }
  }
  return undefined;
}

/** The one line for an error that stopped start-up. */
function startProblem(
  error: unknown,
  ports: Required<WorldPorts>,
  hostname: string,
  dataDir: string,
) {
  if (error instanceof Deno.errors.AddrInUse) {
    const name = busyPort(ports, hostname);
    return name
      ? `port ${ports[name]} is in use (${portVariable[name]}): stop what listens there or set ${
        portVariable[name]
      } (0 picks a free port)`
      : `a port is in use: set ${Object.values(portVariable).join(", ")}`;
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return `GPC_EDGE_HOSTNAME: cannot listen on ${hostname} (not an address of this machine)`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // Creating the data directory or opening a store in it: the error names the path.
  if (dataDir !== ":memory:" && message.includes(dataDir.replace(/\/+$/, ""))) {
    return `GPC_EDGE_DATA_DIR: cannot use ${dataDir}: ${message}`;
  }
  return `start-up failed: ${message}`;
}

async function main(args: readonly string[]): Promise<number> {
  let settings;
  try {
    if (parseCommandLine(args, { options: {} }).help) {
      console.log(startHelp());
      return 0;
    }
    settings = startSettings(Deno.env.toObject());
  } catch (error) {
    console.error(problemLine("gpc-edge", error));
    return 2;
  }
  const { config, ports, dataDir, meshAdminApi } = settings;
  let world: RunningWorld;
  try {
    world = await startWorld({
      ports,
      dataDir,
      config,
      logger: localWorldConsole(practiceMailboxes),
      ...(meshAdminApi === undefined ? {} : { meshAdminApi }),
    });
  } catch (error) {
    console.error(`gpc-edge: ${startProblem(error, ports, config.server.host, dataDir)}`);
    return 2;
  }
  console.error(startBanner(world));
  const stop = async () => {
    await world.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return 0;
}

if (import.meta.main) {
  const status = await main(Deno.args);
  if (status !== 0) Deno.exit(status);
}
