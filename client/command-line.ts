/**
 * The command line of the project's small programs (`task start`, `task jwt`, `task bench`): flags
 * parsed strictly with `node:util`'s `parseArgs`, `--help`, and a usage problem turned into one
 * line naming the program, so a mistyped flag never ends in a stack trace.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** A flag or argument the user got wrong; the message is one line, without the program name. */
export class UsageError extends Error {
  /** `UsageError`. */
  override name = "UsageError";
}

/** What {@linkcode parseCommandLine} found. */
export interface CommandLine {
  /** The flags given, by name (without `help`). */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** The arguments that are not flags, in order. */
  readonly positionals: readonly string[];
  /** `--help` or `-h` was given. */
  readonly help: boolean;
}

/** Options for {@linkcode parseCommandLine}. */
export interface CommandLineSpec {
  /** Flags besides `--help`. */
  readonly options: ParseArgsOptionsConfig;
  /** The most positional arguments accepted; default 0. */
  readonly maxPositionals?: number;
}

/**
 * A `parseArgs` error in a few words (its own messages are long and suggest `--`).
 *
 * @example
 * ```ts
 * import { parseArgs } from "node:util";
 *
 * try {
 *   parseArgs({ args: ["--nope"], options: {}, strict: true });
 * } catch (error) {
 *   usageMessage(error as Error); // "unknown option --nope"
 * }
 * ```
 */
export function usageMessage(error: Error & { code?: string }): string {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${flag ?? error.message}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return flag && /argument missing/.test(error.message)
        ? `option ${flag.split(" ")[0]} needs a value`
        : error.message.replaceAll("'", "");
    default:
      return error.message.split("\n")[0] ?? error.message;
  }
}

/**
 * Parses `args` strictly; throws a {@linkcode UsageError} for an unknown flag, a flag without its
 * value or too many positional arguments.
 *
 * @example
 * ```ts
 * const line = parseCommandLine(["--quick"], { options: { quick: { type: "boolean" } } });
 * line.values.quick; // true
 * ```
 */
export function parseCommandLine(args: readonly string[], spec: CommandLineSpec): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }));
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | string[]>;
  const max = spec.maxPositionals ?? 0;
  if (help !== true && parsed.positionals.length > max) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[max])}`);
  }
  return { values, positionals: parsed.positionals, help: help === true };
}

/** The one line a program prints for a usage problem or a bad setting: `name: message`. */
export function problemLine(program: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${program}: ${message.split("\n")[0]}`;
}
