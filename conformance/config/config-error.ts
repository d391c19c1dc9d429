/**
 * The error of an invalid harness configuration: it names the field and where the value came
 * from (flag, environment variable or config file), so the fix is obvious.
 *
 * @module
 */

/** An invalid or missing setting. */
export class ConfigError extends Error {
  /** The setting at fault, as its user wrote it (e.g. `--from-asid`, `asid.from`). */
  readonly field: string;

  constructor(field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.name = "ConfigError";
    this.field = field;
  }
}
