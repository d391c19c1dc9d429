/**
 * The one error of configuration: it names the variable and says what is wrong with its value,
 * in one line (`Invalid GPC_EDGE_PORT: expected an integer from 0 to 65535, got "abc"`), so an
 * entry can print it and exit without a stack trace (Deno) or answer it as an OperationOutcome
 * naming the variable (Workers). A secret's value never appears in the reason.
 *
 * @module
 */

/**
 * An invalid configuration variable.
 *
 * @example
 * ```ts
 * const error = new ConfigError("GPC_EDGE_PORT", 'expected an integer from 0 to 65535, got "abc"');
 * error.message; // 'Invalid GPC_EDGE_PORT: expected an integer from 0 to 65535, got "abc"'
 * ```
 */
export class ConfigError extends Error {
  /** The variable, e.g. `GPC_EDGE_PORT`. */
  readonly variable: string;
  /** What is wrong with its value. */
  readonly reason: string;

  /** An error naming `variable` and saying what is wrong with its value (`reason`). */
  constructor(variable: string, reason: string, options: { cause?: unknown } = {}) {
    super(`Invalid ${variable}: ${reason}`, options);
    this.name = "ConfigError";
    this.variable = variable;
    this.reason = reason;
  }
}
