/**
 * Configuration variables as data: each has a name, what it sets (for `--help` and the README),
 * and a parser from its text. Every section parser reads its variables through
 * {@linkcode readVariable}, so the list a user is shown ({@linkcode ConfigVariable}s of every
 * section, `configVariables` in config.ts) is the list that is read. An unset or empty variable
 * takes the default; a parser's complaint becomes a {@linkcode ConfigError} naming the variable.
 *
 * @module
 */
import { ConfigError } from "./config-error.ts";

/** One `GPC_EDGE_*` variable. */
export interface ConfigVariable<T> {
  /** The variable's name. */
  readonly name: string;
  /** What it sets, and its form when that is not obvious. */
  readonly description: string;
  /** Whether the value is a secret (never shown in a message). */
  readonly secret?: boolean;
  /** The value of `text` (never empty); throws an `Error` whose message is the reason. */
  parse(text: string): T;
}

/** Environment-style variables: `Deno.env.toObject()` or a Worker's string bindings. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/**
 * The value of `variable` in `env`, or `fallback` when unset or empty.
 *
 * @example
 * ```ts
 * const port: ConfigVariable<number> = {
 *   name: "GPC_EDGE_PORT", description: "port", parse: (text) => Number(text),
 * };
 * readVariable({ GPC_EDGE_PORT: "8080" }, port, 0); // 8080
 * ```
 */
export function readVariable<T>(env: ConfigEnv, variable: ConfigVariable<T>, fallback: T): T {
  const text = env[variable.name];
  if (text === undefined || text === "") return fallback;
  try {
    return variable.parse(text);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(variable.name, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/** `got "…"` for a reason, or nothing for a secret. */
export function got(text: string, secret = false): string {
  return secret ? "" : `, got ${JSON.stringify(text)}`;
}

/**
 * A parser of a decimal integer from `min` to `max` (no sign, no exponent, no hex: `Number()`
 * would also take " " as 0, "0x10", "1e3" and "2.0").
 */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const value = /^\s*[0-9]+\s*$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new Error(`expected an integer ${range}${got(text)}`);
    }
    return value;
  };
}

/**
 * A parser of an absolute http(s) URL, trailing slashes removed. `URL.canParse` alone would
 * accept "localhost:8081" (scheme "localhost:"), which fails only later.
 */
export function httpUrl(text: string): string {
  const protocol = URL.canParse(text) ? new URL(text).protocol : undefined;
  if (protocol !== "http:" && protocol !== "https:") {
    throw new Error(`not an http(s) URL${got(text)}`);
  }
  return text.replace(/\/+$/, "");
}

/** A parser that accepts exactly one of `values`. */
export function oneOf<T extends string>(values: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(values as readonly string[]).includes(text)) {
      throw new Error(`expected ${values.map((v) => JSON.stringify(v)).join(" or ")}${got(text)}`);
    }
    return text as T;
  };
}

/** A parser of a secret or free text: any non-empty value, as given. */
export function text(value: string): string {
  return value;
}
