/**
 * The NHS login sandbox's signing keys: one RS512 and one RS256 key pair at a time, rotated on
 * demand or after a set age. The JWKS publishes the current keys and the ones they replaced, so
 * a token signed just before a rotation still verifies (a verifier that meets a `kid` it does not
 * know must fetch the JWKS again: the behaviour gpc-edge's JWKS cache is tested against).
 *
 * NHS login signs with RS512 (its documentation and APIM's `VerifyJWT.SubjectToken`, which allows
 * RS256 and RS512); the sandbox signs with either so verifiers are tested with both.
 *
 * @module
 */
import { exportJWK, generateKeyPair, type JWK } from "jose";

/** The algorithms the sandbox signs with. */
export type NhsLoginAlgorithm = "RS512" | "RS256";

/** One signing key. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: NhsLoginAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** Milliseconds since the epoch when the key was made. */
  readonly createdAt: number;
}

/** The key ring. */
export interface NhsLoginKeyRing {
  /** The key that signs with `alg` now (rotating first when it is older than the rotation age). */
  current(alg: NhsLoginAlgorithm): Promise<SigningKey>;
  /** Replaces the current keys by new ones; the replaced ones stay published. */
  rotate(): Promise<void>;
  /** `{ keys: [...] }`: current and previous public keys. */
  jwks(): Promise<{ keys: JWK[] }>;
}

/** Options for {@linkcode createNhsLoginKeyRing}. */
export interface NhsLoginKeyRingOptions {
  /** Clock in milliseconds. */
  readonly now: () => number;
  /** Rotate keys older than this many seconds (0: only on demand). */
  readonly rotateAfterSeconds: number;
  /** Key id generator. */
  readonly newKid: () => string;
}

/** Previous generations kept in the JWKS after a rotation. */
const publishedGenerations = 2;

async function makeKey(alg: NhsLoginAlgorithm, options: NhsLoginKeyRingOptions) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = options.newKid();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk, createdAt: options.now() } satisfies SigningKey;
}

/**
 * Creates a key ring; keys are made on first use.
 *
 * @example
 * ```ts
 * const ring = createNhsLoginKeyRing({
 *   now: () => Date.now(), rotateAfterSeconds: 0, newKid: () => crypto.randomUUID(),
 * });
 * const key = await ring.current("RS512");
 * (await ring.jwks()).keys.some((jwk) => jwk.kid === key.kid); // true
 * ```
 */
export function createNhsLoginKeyRing(options: NhsLoginKeyRingOptions): NhsLoginKeyRing {
  // Newest generation first; each generation has one key per algorithm.
  let generations: Array<Record<NhsLoginAlgorithm, SigningKey>> = [];
  let making: Promise<void> | undefined;

  const addGeneration = () => {
    making ??= (async () => {
      const generation = {
        RS512: await makeKey("RS512", options),
        RS256: await makeKey("RS256", options),
      };
      generations = [generation, ...generations].slice(0, publishedGenerations);
    })().finally(() => (making = undefined));
    return making;
  };

  const stale = () => {
    const newest = generations[0];
    if (newest === undefined) return true;
    const ageMs = options.now() - newest.RS512.createdAt;
    return options.rotateAfterSeconds > 0 && ageMs >= options.rotateAfterSeconds * 1000;
  };

  return {
    async current(alg) {
      if (stale()) await addGeneration();
      return generations[0]![alg];
    },
    rotate: addGeneration,
    async jwks() {
      if (generations.length === 0) await addGeneration();
      return { keys: generations.flatMap((g) => [g.RS512.publicJwk, g.RS256.publicJwk]) };
    },
  };
}
