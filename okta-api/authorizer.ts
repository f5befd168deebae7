/**
 * Puts credentials on requests. An API token is one fixed header (`SSWS <token>`). A service app first gets an
 * access token from the org authorization server with a signed client assertion, caches it until shortly before
 * it expires, fetches a new one once when Okta answers 401, and, when the app requires DPoP (detected from Okta's
 * `invalid_dpop_proof` answer, or forced), adds a fresh DPoP proof to every request and follows the nonce dance.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#get-an-access-token
 * https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/ (nonce on /token, `ath` and `Authorization: DPoP`)
 * New API Services apps have "Require DPoP" on by default, and without a proof Okta answers 400
 * `invalid_dpop_proof` "The DPoP proof JWT header is missing.", which is what `auto` listens for:
 * https://devforum.okta.com/t/client-credentials-oauth-for-okta-with-dpop-enabled/30239
 * https://support.okta.com/help/s/article/the-dpop-proof-jwt-header-is-missing
 */
import { readAuthChallenge, readErrorBody, tokenErrorFrom } from './api-errors.ts';
import { signClientAssertion } from './client-assertion.ts';
import type { ApiTokenCredentials, OktaCredentials, ServiceAppCredentials } from './credentials.ts';
import { DpopProver } from './dpop.ts';
import { OktaApiError } from './errors.ts';
import { Secret } from './secret.ts';
import type { Transport, TransportResponse } from './transport.ts';

/** Whether to send DPoP proofs: `auto` starts without and switches on when Okta asks for them. */
export type DpopMode = 'auto' | 'always' | 'never';

/** What one request has already tried after a 401, so each recovery happens at most once. */
export interface RecoveryState {
  tokenGeneration: number;
  refreshedToken: boolean;
  learntNonce: boolean;
}

export interface Authorizer {
  /** Headers that authorise one attempt (a DPoP proof is single-use, so this is called per attempt). */
  headers(method: string, url: URL, state: RecoveryState, signal?: AbortSignal): Promise<Record<string, string>>;
  /** After a 401: true when sending the request again may succeed (a new token, or a DPoP nonce learnt). */
  recover(response: TransportResponse, state: RecoveryState): boolean;
  /** Credential values to scrub from any message. */
  secrets(): Secret[];
  /** Token requests made (each may have taken several HTTP attempts). */
  readonly tokenRequests: number;
}

export function createAuthorizer(credentials: OktaCredentials, transport: Transport, orgUrl: URL, dpop: DpopMode): Authorizer {
  return credentials.kind === 'api-token' ? new ApiTokenAuthorizer(credentials) : new ServiceAppAuthorizer(credentials, transport, orgUrl, dpop);
}

class ApiTokenAuthorizer implements Authorizer {
  readonly tokenRequests = 0;
  readonly #credentials: ApiTokenCredentials;

  constructor(credentials: ApiTokenCredentials) {
    this.#credentials = credentials;
  }

  async headers(): Promise<Record<string, string>> {
    return { authorization: `SSWS ${this.#credentials.token.reveal()}` };
  }

  recover(): boolean {
    return false; // a refused API token stays refused
  }

  secrets(): Secret[] {
    return [this.#credentials.token];
  }
}

interface AccessToken {
  readonly value: Secret;
  readonly type: 'Bearer' | 'DPoP';
  readonly expiresAtMs: number;
  readonly refreshAtMs: number;
}

/** Fetch a new token this long before the old one expires (at most half its life). @default 60000 */
const REFRESH_MARGIN_MS = 60_000;
/** Nonce answers (`use_dpop_nonce`) followed per token request. */
const MAX_NONCE_RETRIES = 2;

class ServiceAppAuthorizer implements Authorizer {
  tokenRequests = 0;
  readonly #credentials: ServiceAppCredentials;
  readonly #transport: Transport;
  readonly #tokenUrl: URL;
  readonly #orgUrl: URL;
  readonly #dpopMode: DpopMode;
  #dpopRequired = false;
  #prover: Promise<DpopProver> | undefined;
  #tokenNonce: string | undefined;
  #resourceNonce: string | undefined;
  #token: AccessToken | undefined;
  #pending: Promise<AccessToken> | undefined;
  #generation = 0;
  readonly #pastTokens: Secret[] = [];

  constructor(credentials: ServiceAppCredentials, transport: Transport, orgUrl: URL, dpopMode: DpopMode) {
    this.#credentials = credentials;
    this.#transport = transport;
    this.#orgUrl = orgUrl;
    this.#tokenUrl = new URL('/oauth2/v1/token', orgUrl);
    this.#dpopMode = dpopMode;
  }

  async headers(method: string, url: URL, state: RecoveryState, signal?: AbortSignal): Promise<Record<string, string>> {
    const token = await this.#accessToken(signal);
    state.tokenGeneration = this.#generation;
    const value = token.value.reveal();
    if (token.type === 'Bearer') return { authorization: `Bearer ${value}` };
    const proof = await (await this.#dpopProver()).proof({ method, url, nowMs: this.#transport.clock.serverNow(), nonce: this.#resourceNonce, accessToken: value });
    return { authorization: `DPoP ${value}`, dpop: proof };
  }

  recover(response: TransportResponse, state: RecoveryState): boolean {
    const challenge = readAuthChallenge(response.headers.get('www-authenticate'));
    const nonce = response.headers.get('dpop-nonce');
    if (challenge?.params.error === 'use_dpop_nonce' && nonce && !state.learntNonce) {
      this.#resourceNonce = nonce;
      state.learntNonce = true;
      return true;
    }
    if (state.refreshedToken) return false;
    state.refreshedToken = true;
    // Only drop the token this request used; a concurrent request may already have fetched a newer one.
    if (state.tokenGeneration === this.#generation) this.#token = undefined;
    return true;
  }

  secrets(): Secret[] {
    return [...this.#pastTokens];
  }

  async #accessToken(signal?: AbortSignal): Promise<AccessToken> {
    const token = this.#token;
    if (token && this.#transport.now() < token.refreshAtMs) return token;
    // One token request at a time: concurrent callers share it (and the first caller's cancel signal).
    this.#pending ??= this.#fetchToken(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  #dpopProver(): Promise<DpopProver> {
    this.#prover ??= DpopProver.create();
    return this.#prover;
  }

  async #fetchToken(signal?: AbortSignal): Promise<AccessToken> {
    const { clientId, signingKey, scopes } = this.#credentials;
    let useDpop = this.#dpopMode === 'always' || (this.#dpopMode === 'auto' && this.#dpopRequired);
    let nonceRetries = 0;
    for (;;) {
      this.tokenRequests++;
      const response = await this.#transport.send({
        method: 'POST',
        url: this.#tokenUrl,
        signal,
        build: async () => {
          const nowMs = this.#transport.clock.serverNow();
          const form = new URLSearchParams({
            grant_type: 'client_credentials',
            scope: scopes.join(' '),
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: await signClientAssertion({ clientId, signingKey, tokenUrl: this.#tokenUrl.href, nowMs }),
          });
          const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
          if (useDpop) headers.dpop = await (await this.#dpopProver()).proof({ method: 'POST', url: this.#tokenUrl, nowMs, nonce: this.#tokenNonce });
          return { headers, body: form.toString() };
        },
      });
      const nonce = response.headers.get('dpop-nonce');
      if (nonce) this.#tokenNonce = nonce;
      if (response.status === 200) return this.#accept(response);
      const error = readErrorBody(response.text)?.errorCode;
      if (response.status === 400 && error === 'use_dpop_nonce' && nonce && nonceRetries < MAX_NONCE_RETRIES && this.#dpopMode !== 'never') {
        nonceRetries++;
        useDpop = true;
        this.#dpopRequired = true;
        continue;
      }
      if (response.status === 400 && error === 'invalid_dpop_proof' && !useDpop && this.#dpopMode === 'auto') {
        useDpop = true;
        this.#dpopRequired = true;
        continue;
      }
      throw tokenErrorFrom(response, {
        method: 'POST',
        url: this.#tokenUrl,
        orgUrl: this.#orgUrl,
        credentials: this.#credentials,
        secrets: this.secrets(),
        scopes,
      });
    }
  }

  #accept(response: TransportResponse): AccessToken {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      // fall through to the shape check
    }
    const value = body.access_token;
    const type = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : '';
    if (typeof value !== 'string' || !value || (type !== 'bearer' && type !== 'dpop')) {
      throw new OktaApiError(`${this.#orgUrl.origin} answered the token request with no usable access token: is the org URL right?`, {
        kind: 'unexpected-response',
        status: response.status,
        method: 'POST',
        path: this.#tokenUrl.pathname,
        attempts: response.attempts,
      });
    }
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
    const now = this.#transport.now();
    const secret = new Secret(value);
    this.#pastTokens.push(secret);
    if (this.#pastTokens.length > 3) this.#pastTokens.shift();
    this.#generation++;
    this.#token = {
      value: secret,
      type: type === 'dpop' ? 'DPoP' : 'Bearer',
      expiresAtMs: now + lifetimeMs,
      refreshAtMs: now + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
    };
    return this.#token;
  }
}
