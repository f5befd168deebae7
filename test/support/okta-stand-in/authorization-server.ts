/**
 * The stand-in's credentials: the API token it accepts (`SSWS`), and an org authorization server for one service
 * app (`POST /oauth2/v1/token`, client credentials with a `private_key_jwt` assertion verified against the app's
 * registered public key, optionally requiring DPoP with a nonce), and the checks on access tokens presented to the
 * API: expiry, scope (403 `insufficient_scope`), and for DPoP-bound tokens the proof (`htm`, `htu`, `ath`, key).
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/
 */
import { createHash, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { INVALID_TOKEN, NO_PERMISSION } from './okta-errors.ts';
import type { StandInReply, StandInRequest } from './routes.ts';

export interface ServiceAppRegistration {
  readonly clientId: string;
  /** The key registered on the app: a public (or private, its public half is used) JWK, PEM, or key object. */
  readonly publicKey: JWK | string | KeyObject;
  /** The scopes granted to the app (Okta API Scopes tab). */
  readonly grantedScopes: readonly string[];
  /** "Require Demonstrating Proof of Possession (DPoP) header in token requests". @default false */
  readonly requireDpop?: boolean;
  /** Also require a nonce in DPoP proofs sent to the API (Okta does not today; RFC 9449 allows it). @default false */
  readonly requireResourceNonce?: boolean;
  /** @default 3600 */
  readonly tokenLifetimeSeconds?: number;
}

/** One token the server issued, for assertions. */
export interface IssuedToken {
  readonly scopes: readonly string[];
  readonly type: 'Bearer' | 'DPoP';
  /** The algorithm the client assertion was signed with. */
  readonly assertionAlg: string;
}

interface TokenRecord {
  readonly scopes: readonly string[];
  expiresAtMs: number;
  readonly jkt: string | undefined;
}

export type AuthCheck = { readonly ok: true; readonly scheme: 'SSWS' | 'Bearer' | 'DPoP' } | { readonly ok: false; readonly reply: StandInReply };

const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): StandInReply => ({
  status,
  json: { error, error_description: description },
  ...(headers ? { headers } : {}),
});

export class AuthorizationServer {
  readonly issued: IssuedToken[] = [];
  readonly #apiToken: string;
  readonly #app: ServiceAppRegistration | undefined;
  readonly #appKey: KeyObject | undefined;
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #seenJti = new Set<string>();
  readonly #now: () => number;
  readonly #dpopNonce = randomBytes(16).toString('base64url');

  constructor(options: { apiToken: string; serviceApp: ServiceAppRegistration | undefined; now: () => number }) {
    this.#apiToken = options.apiToken;
    this.#app = options.serviceApp;
    this.#now = options.now;
    const key = options.serviceApp?.publicKey;
    if (key !== undefined) {
      if (typeof key === 'string') this.#appKey = createPublicKey(key);
      else if ('kty' in key) this.#appKey = createPublicKey({ key: stripPrivate(key as JWK), format: 'jwk' });
      else this.#appKey = (key as KeyObject).type === 'public' ? (key as KeyObject) : createPublicKey(key as KeyObject);
    }
  }

  /** Makes every access token issued so far expired, as an hour passing would. */
  expireAccessTokens(): void {
    for (const record of this.#tokens.values()) record.expiresAtMs = 0;
  }

  /** `POST /oauth2/v1/token`. */
  async token(request: StandInRequest): Promise<StandInReply> {
    const app = this.#app;
    const form = new URLSearchParams(request.body);
    const tokenUrl = `${request.url.origin}${request.url.pathname}`;
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    if (!app || !this.#appKey) return oauthError(401, 'invalid_client', 'The client is not registered.');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return oauthError(401, 'invalid_client', 'client_assertion_type is missing or not supported.');
    }
    const assertion = form.get('client_assertion') ?? '';
    let assertionAlg: string;
    try {
      assertionAlg = decodeProtectedHeader(assertion).alg ?? '';
      const { payload } = await jwtVerify(assertion, this.#appKey, {
        issuer: app.clientId,
        subject: app.clientId,
        audience: tokenUrl,
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
        currentDate: new Date(this.#now()),
        clockTolerance: 60,
      });
      if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number' || payload.exp - payload.iat > 3600) {
        return oauthError(401, 'invalid_client', 'The client_assertion token has an expiration too far in the future.');
      }
      if (!payload.jti || this.#seenJti.has(payload.jti)) return oauthError(401, 'invalid_client', 'The client_assertion token has already been used.');
      this.#seenJti.add(payload.jti);
    } catch {
      return oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
    }

    let jkt: string | undefined;
    if (app.requireDpop) {
      const proof = header(request, 'dpop');
      if (!proof) return oauthError(400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
      const checked = await this.#checkProof(proof, 'POST', tokenUrl, undefined);
      if (typeof checked !== 'string') return checked;
      jkt = checked;
      const { payload } = await jwtVerify(proof, EmbeddedJWK);
      if (payload.nonce !== this.#dpopNonce) {
        return oauthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'dpop-nonce': this.#dpopNonce });
      }
    }

    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.length || scopes.some((s) => !app.grantedScopes.includes(s))) {
      return oauthError(400, 'invalid_scope', 'One or more scopes are not configured for the authorization server resource.');
    }
    const accessToken = randomBytes(32).toString('base64url');
    const lifetime = app.tokenLifetimeSeconds ?? 3600;
    this.#tokens.set(accessToken, { scopes, expiresAtMs: this.#now() + lifetime * 1000, jkt });
    this.issued.push({ scopes, type: jkt ? 'DPoP' : 'Bearer', assertionAlg });
    return { json: { token_type: jkt ? 'DPoP' : 'Bearer', expires_in: lifetime, access_token: accessToken, scope: scopes.join(' ') } };
  }

  /** Checks the credentials of an API request that needs `scope`. */
  async check(request: StandInRequest, scope: string | undefined): Promise<AuthCheck> {
    const authorization = header(request, 'authorization') ?? '';
    const [scheme = '', value = ''] = authorization.split(/\s+/, 2);
    const realm = request.url.origin;
    const invalid = (challenge: string, description = 'The access token is invalid.'): AuthCheck => ({
      ok: false,
      reply: {
        status: 401,
        json: INVALID_TOKEN(),
        headers: { 'www-authenticate': `${challenge} authorization_uri="${realm}/oauth2/v1/authorize", realm="${realm}", error="invalid_token", error_description="${description}", resource="${request.url.pathname}"` },
      },
    });
    if (scheme === 'SSWS') {
      return value === this.#apiToken ? { ok: true, scheme: 'SSWS' } : { ok: false, reply: { status: 401, json: INVALID_TOKEN() } };
    }
    if (scheme !== 'Bearer' && scheme !== 'DPoP') return { ok: false, reply: { status: 401, json: INVALID_TOKEN() } };
    const record = this.#tokens.get(value);
    if (!record || record.expiresAtMs <= this.#now()) return invalid(scheme);
    if (scheme === 'Bearer' && record.jkt) return invalid('Bearer', 'The DPoP-bound access token must be presented with the DPoP scheme.');
    if (scheme === 'DPoP') {
      const proof = header(request, 'dpop');
      if (!record.jkt || !proof) return invalid('DPoP', 'The DPoP proof is missing.');
      const checked = await this.#checkProof(proof, request.method, `${request.url.origin}${request.url.pathname}`, value);
      if (typeof checked !== 'string' || checked !== record.jkt) return invalid('DPoP', 'The DPoP proof is invalid.');
      if (this.#app?.requireResourceNonce) {
        const { payload } = await jwtVerify(proof, EmbeddedJWK);
        if (payload.nonce !== this.#dpopNonce) {
          return {
            ok: false,
            reply: {
              status: 401,
              json: INVALID_TOKEN(),
              headers: { 'www-authenticate': `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`, 'dpop-nonce': this.#dpopNonce },
            },
          };
        }
      }
    }
    if (scope && !record.scopes.includes(scope)) return { ok: false, reply: insufficientScope(request, scope) };
    return { ok: true, scheme: scheme === 'DPoP' ? 'DPoP' : 'Bearer' };
  }

  /** Verifies a DPoP proof; returns the key's thumbprint, or the error reply. */
  async #checkProof(proof: string, method: string, htu: string, accessToken: string | undefined): Promise<string | StandInReply> {
    const refuse = (description: string) => oauthError(400, 'invalid_dpop_proof', description);
    try {
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256'],
        currentDate: new Date(this.#now()),
      });
      if (payload.htm !== method) return refuse(`The DPoP proof htm claim does not match the request method ${method}.`);
      if (payload.htu !== htu) return refuse('The DPoP proof htu claim does not match the request URL.');
      if (typeof payload.iat !== 'number' || Math.abs(payload.iat * 1000 - this.#now()) > 300_000) return refuse('The DPoP proof iat is not recent.');
      if (!payload.jti || this.#seenJti.has(payload.jti)) return refuse('The DPoP proof jti has already been used.');
      this.#seenJti.add(payload.jti);
      if (accessToken !== undefined && payload.ath !== createHash('sha256').update(accessToken).digest('base64url')) {
        return refuse('The DPoP proof ath claim does not match the access token.');
      }
      return await calculateJwkThumbprint(protectedHeader.jwk as JWK);
    } catch {
      return refuse('The DPoP proof JWT is invalid.');
    }
  }
}

/** Okta's 403 for a token without the scope a resource needs. */
export function insufficientScope(request: StandInRequest, scope: string): StandInReply {
  const realm = request.url.origin;
  return {
    status: 403,
    json: NO_PERMISSION(),
    headers: {
      'www-authenticate': `Bearer authorization_uri="${realm}/oauth2/v1/authorize", realm="${realm}", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${request.url.pathname}"`,
    },
  };
}

function header(request: StandInRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stripPrivate(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
  return publicPart;
}
