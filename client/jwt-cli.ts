/**
 * `deno task jwt [interaction URN] [NHS number]`: prints a fresh GP Connect JWT for the
 * interaction (default: Foundations metadata), for pasting into `Authorization: Bearer …`.
 * Tokens are valid for 300 seconds from now. `--help` prints the usage; `--list` the interactions.
 *
 * @module
 */
import { isValidNhsNumber } from "../gpconnect/nhs-number.ts";
import { findInteraction, interactions } from "../gpconnect/specs.ts";
import { gpConnectJwt } from "../gpconnect/jwt/gpc-jwt.ts";
import { parseCommandLine, problemLine } from "./command-line.ts";

const defaultInteraction = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";

/** The `--help` text. */
export const jwtHelp =
  `Prints a fresh GP Connect JWT (alg none, valid for 300 s) for an interaction.

Usage: deno task jwt [INTERACTION] [NHS_NUMBER]

Arguments:
  INTERACTION   interaction ID (default ${defaultInteraction})
  NHS_NUMBER    the patient of a DSTU2 (Access Record HTML) requested_record

Flags:
  --list        print the interaction IDs this knows (specs/interactions.json)
  -h, --help    this text

Environment variables: none.

Example:
  curl -H "Authorization: Bearer $(npx -y deno@2.9.6 task -q jwt)" …`;

/** Where the CLI writes. */
export interface JwtCliIo {
  /** Standard output, one line at a time. */
  readonly out: (line: string) => void;
  /** Standard error, one line at a time. */
  readonly error: (line: string) => void;
}

/**
 * Runs the CLI; returns the exit status (0, or 2 for a usage problem).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const status = jwtCli([], { out: (line) => lines.push(line), error: () => {} });
 * ```
 */
export function jwtCli(args: readonly string[], io: JwtCliIo): number {
  try {
    const line = parseCommandLine(args, {
      options: { list: { type: "boolean" } },
      maxPositionals: 2,
    });
    if (line.help) {
      io.out(jwtHelp);
      return 0;
    }
    if (line.values.list) {
      for (const interaction of interactions) io.out(interaction.id);
      return 0;
    }
    const [interactionId = defaultInteraction, nhsNumber] = line.positionals;
    const interaction = findInteraction(interactionId);
    if (!interaction) {
      throw new Error(
        `unknown interaction ${JSON.stringify(interactionId)} (see --list)`,
      );
    }
    if (nhsNumber !== undefined && !isValidNhsNumber(nhsNumber)) {
      throw new Error(`not a valid NHS number: ${JSON.stringify(nhsNumber)}`);
    }
    io.out(gpConnectJwt({
      requestedScope: interaction.requestedScope,
      fhirVersion: interaction.fhirVersion,
      reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
      ...(nhsNumber ? { nhsNumber } : {}),
    }));
    return 0;
  } catch (error) {
    io.error(problemLine("gpc-edge jwt", error));
    return 2;
  }
}

if (import.meta.main) {
  Deno.exit(jwtCli(Deno.args, { out: console.log, error: console.error }));
}
