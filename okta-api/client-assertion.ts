/**
 * The `client_assertion` of a `private_key_jwt` token request: a JWT the service app signs with its private key,
 * `iss` = `sub` = the client ID, `aud` = the token endpoint URL, a short life and a unique `jti` (Okta refuses a
 * replayed one, so each attempt signs a new one).
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key.ts';

/** How long an assertion is valid. Okta allows up to an hour; it is used within seconds. @default 300 */
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

export interface ClientAssertionInput {
  readonly clientId: string;
  readonly signingKey: SigningKey;
  /** The token endpoint, `https://acme.okta.com/oauth2/v1/token`. */
  readonly tokenUrl: string;
  /** Okta's clock, ms since the epoch. */
  readonly nowMs: number;
  /** @default CLIENT_ASSERTION_LIFETIME_SECONDS */
  readonly lifetimeSeconds?: number;
}

export async function signClientAssertion(input: ClientAssertionInput): Promise<string> {
  const issuedAt = Math.floor(input.nowMs / 1000);
  const { alg, kid, key } = input.signingKey;
  return new SignJWT({})
    .setProtectedHeader(kid ? { alg, typ: 'JWT', kid } : { alg, typ: 'JWT' })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.tokenUrl)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (input.lifetimeSeconds ?? CLIENT_ASSERTION_LIFETIME_SECONDS))
    .setJti(randomUUID())
    .sign(key);
}
