/**
 * `deno task test`: `deno test` (dot reporter, in parallel, JSDoc examples included) printing only
 * what needs reading: failures and the summary. The dot reporter writes one line per test when its
 * output is not a terminal, as here (it is piped); those lines are dropped, or drawn as one row of
 * dots when this process writes to a terminal. Before the run it says, in one
 * line, when the GP Connect profile tests will be skipped and how to get the profile package.
 * Extra arguments go to `deno test` (`deno task test worker/store/`). Exit status: `deno test`'s.
 *
 * @module
 */
import {
  isProfilesDir,
  profilesDirFromEnv,
  profilesHowTo,
} from "../conformance/config/profiles-dir.ts";

/**
 * Flags of every run: quiet, the JSDoc and Markdown examples run as tests too (`--doc`), dot
 * reporter, all permissions, one worker per core.
 */
export const testFlags: readonly string[] = [
  "test",
  "--quiet",
  "--doc",
  "--node-modules-dir=auto",
  "--reporter=dot",
  "--allow-all",
  "--parallel",
];

/** A line of the dot reporter's progress only (dots, commas, bangs), colours stripped. */
export function isProgressLine(line: string): boolean {
  // deno-lint-ignore no-control-regex
  const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
  return plain !== "" && /^[.,!]+$/.test(plain);
}

/**
 * The line to print before the run about the GP Connect profile package, or `undefined` when the
 * profile tests run (the package is there, or `GPC_EDGE_REQUIRE_PROFILES=1`).
 *
 * @example
 * ```ts
 * await profilesNotice({ GPC_EDGE_PROFILES: "/nonexistent" }, "/"); // "GP Connect profile tests skipped: …"
 * ```
 */
export async function profilesNotice(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<string | undefined> {
  const dir = profilesDirFromEnv(env, cwd);
  if (await isProfilesDir(dir)) return undefined;
  if (env.GPC_EDGE_REQUIRE_PROFILES === "1") {
    return `GPC_EDGE_REQUIRE_PROFILES=1 and no GP Connect profile package at ${dir}: the profile tests will fail; ${profilesHowTo}`;
  }
  return `GP Connect profile tests skipped: no profile package at ${dir}; ${profilesHowTo}`;
}

/**
 * Copies `stream` to `write` line by line; the dot reporter's progress lines are left out, or, when
 * `dots`, written as one row of dots ended before the next other line.
 */
async function copyWithoutProgress(
  stream: ReadableStream<Uint8Array>,
  write: (text: string) => void,
  dots: boolean,
): Promise<void> {
  let pending = "";
  let inRow = false;
  const line = (text: string) => {
    if (isProgressLine(text)) {
      if (dots) write(text);
      inRow = dots;
      return;
    }
    write(`${inRow ? "\n" : ""}${text}\n`);
    inRow = false;
  };
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(line);
  }
  if (pending !== "") line(pending);
}

async function main(args: readonly string[]): Promise<number> {
  const notice = await profilesNotice(Deno.env.toObject(), Deno.cwd());
  if (notice) console.error(notice);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...testFlags, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const encoder = new TextEncoder();
  await copyWithoutProgress(
    child.stdout,
    (text) => Deno.stdout.writeSync(encoder.encode(text)),
    Deno.stdout.isTerminal(),
  );
  return (await child.status).code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
