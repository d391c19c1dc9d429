/**
 * The harness version written into every report (`RunReport.tool.version`).
 *
 * @module
 */

/** The harness version. */
export const harnessVersion = "0.1.0";
