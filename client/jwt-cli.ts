/**
 * `deno task jwt [interaction URN] [nhs number]`: prints a fresh GP Connect JWT for the
 * interaction (default: Foundations metadata), for pasting into `Authorization: Bearer …`.
 * Tokens are valid for 300 seconds from now.
 *
 * @module
 */
import { findInteraction } from "../gpconnect/specs.ts";
import { gpConnectJwt } from "../gpconnect/jwt/gpc-jwt.ts";

const interactionId = Deno.args[0] ?? "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const interaction = findInteraction(interactionId);
if (!interaction) {
  console.error(
    `Unknown interaction ${JSON.stringify(interactionId)}; see specs/interactions.json`,
  );
  Deno.exit(2);
}
console.log(gpConnectJwt({
  requestedScope: interaction.requestedScope,
  fhirVersion: interaction.fhirVersion,
  reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
  ...(Deno.args[1] ? { nhsNumber: Deno.args[1] } : {}),
}));
