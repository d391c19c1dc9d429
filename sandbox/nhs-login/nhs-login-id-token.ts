/**
 * The id_token the NHS login sandbox issues for a fixture patient: the claims NHS login's
 * patient tokens carry (reference patient-facing-and-security.md A2 step 1, A4) — `iss`, `aud`
 * (the app's NHS login client id), `sub`, `nhs_number`, `identity_proofing_level`, `vot`,
 * `vtm`, `iat`, `auth_time`, `exp`, `jti`, names and date of birth — signed RS512 (or RS256) with
 * `kid` and `typ: JWT`. A proxy login adds `act: { sub: <JWT> }`, the actor's own signed token
 * with `nhs_number`, as APIM's actor checks expect.
 *
 * @module
 */
import { SignJWT } from "jose";
import type { FixturePatient } from "../pds/fixture-patients.ts";
import type { NhsLoginAlgorithm, NhsLoginKeyRing } from "./nhs-login-keys.ts";

/** NHS login identity proofing levels the sandbox offers. */
export type ProofingLevel = "P9" | "P5";

/** Vector of trust per proofing level (PDS spec, "Patient access": P9.Cp.Cd / P9.Cp.Ck / P9.Cm). */
export const vectorsOfTrust: Readonly<Record<ProofingLevel, string>> = {
  P9: "P9.Cp.Cd",
  P5: "P5.Cm",
};

/** What {@linkcode mintIdToken} needs. */
export interface IdTokenRequest {
  readonly keys: NhsLoginKeyRing;
  readonly issuer: string;
  /** The app's NHS login client id (`aud`). */
  readonly audience: string;
  readonly patient: FixturePatient;
  readonly level: ProofingLevel;
  /** Seconds since the epoch. */
  readonly nowSeconds: number;
  /** Lifetime; NHS login id tokens live 60 minutes. */
  readonly expiresInSeconds: number;
  readonly alg: NhsLoginAlgorithm;
  /** The proxy acting for the patient, if any. */
  readonly actor?: FixturePatient | undefined;
  readonly nonce?: string | undefined;
  readonly newJti: () => string;
}

/** NHS login's lifetime of an id token, in seconds. */
export const idTokenLifetimeSeconds = 3600;

/** A stable NHS login subject for an NHS number (NHS login's `sub` is an opaque UUID). */
export async function nhsLoginSubject(nhsNumber: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`nhs-login:${nhsNumber}`)),
  );
  const hex = [...digest.slice(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${
    hex.slice(20, 32)
  }`;
}

function personClaims(patient: FixturePatient): Record<string, unknown> {
  return {
    nhs_number: patient.nhsNumber,
    ...(patient.name
      ? { family_name: patient.name.family, given_name: patient.name.given[0] }
      : {}),
    ...(patient.birthDate ? { birthdate: patient.birthDate } : {}),
  };
}

async function signed(
  request: IdTokenRequest,
  person: FixturePatient,
  extra: Record<string, unknown>,
): Promise<string> {
  const key = await request.keys.current(request.alg);
  return await new SignJWT({
    ...personClaims(person),
    identity_proofing_level: request.level,
    vot: vectorsOfTrust[request.level],
    vtm: `${request.issuer}/trustmark/${new URL(request.issuer).host}`,
    auth_time: request.nowSeconds,
    ...extra,
  })
    .setProtectedHeader({ alg: request.alg, kid: key.kid, typ: "JWT" })
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setSubject(await nhsLoginSubject(person.nhsNumber))
    .setIssuedAt(request.nowSeconds)
    .setExpirationTime(request.nowSeconds + request.expiresInSeconds)
    .setJti(request.newJti())
    .sign(key.privateKey);
}

/**
 * Mints an id_token for the patient (with the actor's token in `act.sub` for a proxy login).
 *
 * @example
 * ```ts
 * import { createNhsLoginKeyRing } from "./nhs-login-keys.ts";
 * import { patientByRole } from "../pds/fixture-patients.ts";
 * const keys = createNhsLoginKeyRing({ now: Date.now, rotateAfterSeconds: 0, newKid: crypto.randomUUID.bind(crypto) });
 * const idToken = await mintIdToken({
 *   keys, issuer: "http://127.0.0.1:8084", audience: "pfs-sandbox-app",
 *   patient: patientByRole("rich-record"), level: "P9", nowSeconds: Math.floor(Date.now() / 1000),
 *   expiresInSeconds: idTokenLifetimeSeconds, alg: "RS512", newJti: () => crypto.randomUUID(),
 * });
 * ```
 */
export async function mintIdToken(request: IdTokenRequest): Promise<string> {
  const act = request.actor ? { act: { sub: await signed(request, request.actor, {}) } } : {};
  return await signed(request, request.patient, {
    ...act,
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
}
