/**
 * DPoP proofs (RFC 9449) for a service app that has "Require Demonstrating Proof of Possession (DPoP) header in
 * token requests" on. Each client makes one ephemeral P-256 key pair; the token Okta issues is bound to it, so a
 * leaked access token is useless without the key, which never leaves the process.
 *
 * A proof is a JWT with header `typ: dpop+jwt`, `alg`, and the public `jwk`, and claims `htm` (method), `htu`
 * (URL without query and fragment), `iat`, a unique `jti`, `nonce` when the server gave one (Okta's token endpoint
 * answers the first request with 400 `use_dpop_nonce` and a `DPoP-Nonce` header), and `ath` (base64url SHA-256
 * of the access token) on resource requests, which then carry `Authorization: DPoP <token>`.
 * https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/ (token request, nonce, resource request)
 * https://datatracker.ietf.org/doc/html/rfc9449#section-4.2 (proof syntax, htu without query)
 */
import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface DpopProofInput {
  readonly method: string;
  readonly url: URL;
  /** Okta's clock, ms since the epoch. */
  readonly nowMs: number;
  readonly nonce?: string | undefined;
  /** On resource requests: the access token the proof accompanies (goes in as `ath`). */
  readonly accessToken?: string | undefined;
}

export class DpopProver {
  readonly #privateKey: CryptoKey;
  readonly #publicJwk: JWK;

  private constructor(privateKey: CryptoKey, publicJwk: JWK) {
    this.#privateKey = privateKey;
    this.#publicJwk = publicJwk;
  }

  /** Makes a fresh ephemeral key pair (the private key is not extractable). */
  static async create(): Promise<DpopProver> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { kty, crv, x, y } = await exportJWK(publicKey);
    return new DpopProver(privateKey, { kty, crv, x, y });
  }

  async proof(input: DpopProofInput): Promise<string> {
    const claims: Record<string, string> = { htm: input.method.toUpperCase(), htu: `${input.url.origin}${input.url.pathname}` };
    if (input.nonce) claims.nonce = input.nonce;
    if (input.accessToken) claims.ath = createHash('sha256').update(input.accessToken).digest('base64url');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: this.#publicJwk })
      .setIssuedAt(Math.floor(input.nowMs / 1000))
      .setJti(randomUUID())
      .sign(this.#privateKey);
  }
}
