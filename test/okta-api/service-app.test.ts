/**
 * A service app signs in with private_key_jwt (RSA PEM or EC JWK), caches its access token, fetches a new one when
 * Okta says it expired, follows DPoP with its nonce when the app requires it, and explains refusals: which scope to
 * grant, which credential to check.
 */
import type { KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFromEnv, credentialsFromSecretJson, OktaApiError, systemLogPages, type OktaCredentials } from '../../okta-api/index.ts';
import { startOktaStandIn, type OktaStandIn, type ServiceAppRegistration } from '../support/okta-stand-in/index.ts';
import { clientOf, collect, ecKeyPair, recentEvents, rsaKeyPair, sinceBefore } from './support.ts';

const CLIENT_ID = '0oa1serviceApp2LogLake';

let standIn: OktaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function app(publicKey: KeyObject, options: Partial<ServiceAppRegistration> = {}): ServiceAppRegistration {
  return { clientId: CLIENT_ID, publicKey, grantedScopes: ['okta.logs.read', 'okta.users.read', 'okta.logStreams.read'], ...options };
}

function rsaEnvCredentials(scopes = 'okta.logs.read'): OktaCredentials {
  const pem = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return credentialsFromEnv({ OKTA_CLIENT_ID: CLIENT_ID, OKTA_PRIVATE_KEY: pem, OKTA_PRIVATE_KEY_ID: 'rsa-1', OKTA_SCOPES: scopes });
}

async function failureOf(promise: Promise<unknown>): Promise<OktaApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OktaApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const query = (events: ReturnType<typeof recentEvents>, limit = 10) => ({ since: sinceBefore(events), until: new Date().toISOString(), limit });

describe('service app sign-in', () => {
  it('signs the client assertion with an RSA PEM key (RS256) and uses one Bearer token for every page', async () => {
    const events = recentEvents(50);
    standIn = await startOktaStandIn({ events, serviceApp: app(rsaKeyPair().publicKey) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials() });

    const pages = await collect(systemLogPages(client, query(events)));

    expect(pages.flatMap((p) => p.events)).toHaveLength(50);
    expect(standIn.issuedTokens).toEqual([{ scopes: ['okta.logs.read'], type: 'Bearer', assertionAlg: 'RS256' }]);
    expect(standIn.requestCount('/oauth2/v1/token')).toBe(1);
    expect(standIn.requests.filter((r) => r.path === '/api/v1/logs').map((r) => r.scheme)).toEqual(Array(5).fill('Bearer'));
    expect(client.stats.tokenRequests).toBe(1);
  });

  it('signs with an EC P-256 JWK from the Secrets Manager secret (ES256)', async () => {
    const events = recentEvents(5);
    const keys = ecKeyPair();
    standIn = await startOktaStandIn({ events, serviceApp: app(keys.publicKey) });
    const secret = JSON.stringify({ clientId: CLIENT_ID, privateKey: JSON.stringify(keys.privateKey.export({ format: 'jwk' })), scopes: 'okta.logs.read' });
    const client = clientOf(standIn, { credentials: credentialsFromSecretJson(secret, 'okta-lake/okta') });

    const pages = await collect(systemLogPages(client, query(events)));

    expect(pages.flatMap((p) => p.events)).toHaveLength(5);
    expect(standIn.issuedTokens).toEqual([{ scopes: ['okta.logs.read'], type: 'Bearer', assertionAlg: 'ES256' }]);
  });

  it('shares one token request among concurrent calls', async () => {
    standIn = await startOktaStandIn({ serviceApp: app(rsaKeyPair().publicKey) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials('okta.logStreams.read') });

    await Promise.all(Array.from({ length: 5 }, () => client.get('/api/v1/logStreams')));

    expect(standIn.requestCount('/oauth2/v1/token')).toBe(1);
  });

  it('fetches a new token once when Okta says the cached one expired, and carries on', async () => {
    const events = recentEvents(30);
    standIn = await startOktaStandIn({ events, serviceApp: app(rsaKeyPair().publicKey) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials() });

    const seen: string[] = [];
    for await (const page of systemLogPages(client, query(events))) {
      seen.push(...page.events.map((e) => e.uuid));
      if (seen.length === 10) standIn.expireAccessTokens();
    }

    expect(seen).toEqual(events.map((e) => e.uuid));
    expect(standIn.requestCount('/oauth2/v1/token')).toBe(2);
    expect(standIn.requests.filter((r) => r.path === '/api/v1/logs').map((r) => r.status)).toEqual([200, 401, 200, 200]);
  });

  it('gives up after one new token if Okta still says 401', async () => {
    standIn = await startOktaStandIn({ serviceApp: app(rsaKeyPair().publicKey) });
    standIn.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'invalid-token' }, times: 5 });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials() });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(error.message).toMatch(/rejected the service app's access token on GET \/api\/v1\/logs \(401 E0000011: Invalid token provided\) even after fetching a new one: check that OKTA_CLIENT_ID/);
    expect(standIn.requestCount('/oauth2/v1/token')).toBe(2);
    expect(standIn.requestCount('/api/v1/logs')).toBe(2);
  });
});

describe('DPoP', () => {
  it('turns DPoP on when the app requires it, follows the nonce, and proves each request with the token hash', async () => {
    const events = recentEvents(30);
    standIn = await startOktaStandIn({ events, serviceApp: app(rsaKeyPair().publicKey, { requireDpop: true }) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials() });

    const pages = await collect(systemLogPages(client, query(events)));

    expect(pages.flatMap((p) => p.events)).toHaveLength(30);
    // 1: no proof -> invalid_dpop_proof; 2: proof without nonce -> use_dpop_nonce; 3: proof with nonce -> token.
    expect(standIn.requests.filter((r) => r.path === '/oauth2/v1/token').map((r) => r.status)).toEqual([400, 400, 200]);
    expect(standIn.issuedTokens).toEqual([{ scopes: ['okta.logs.read'], type: 'DPoP', assertionAlg: 'RS256' }]);
    expect(standIn.requests.filter((r) => r.path === '/api/v1/logs').map((r) => `${r.scheme} ${r.status}`)).toEqual(Array(3).fill('DPoP 200'));
  });

  it('sends proofs from the first request when told to, and learns a nonce the API asks for', async () => {
    const events = recentEvents(10);
    standIn = await startOktaStandIn({ events, serviceApp: app(rsaKeyPair().publicKey, { requireDpop: true, requireResourceNonce: true }) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials(), dpop: 'always' });

    const pages = await collect(systemLogPages(client, query(events)));

    expect(pages.flatMap((p) => p.events)).toHaveLength(10);
    expect(standIn.requests.filter((r) => r.path === '/oauth2/v1/token').map((r) => r.status)).toEqual([400, 200]);
    expect(standIn.requests.filter((r) => r.path === '/api/v1/logs').map((r) => r.status)).toEqual([401, 200]);
  });

  it('explains a refusal when DPoP is turned off but the app requires it', async () => {
    standIn = await startOktaStandIn({ serviceApp: app(rsaKeyPair().publicKey, { requireDpop: true }) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials(), dpop: 'never' });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error.message).toBe(
      'Okta refused the token request\'s DPoP proof (400 invalid_dpop_proof: The DPoP proof JWT header is missing.): the service app requires DPoP; check the machine\'s clock, or turn off "Require Demonstrating Proof of Possession" on the app.',
    );
  });
});

describe('service app refusals', () => {
  it('names the missing scope on a 403 and says to grant it to the service app', async () => {
    standIn = await startOktaStandIn({ serviceApp: app(rsaKeyPair().publicKey) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials('okta.users.read') });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toMatchObject({ kind: 'forbidden', status: 403, requiredScope: 'okta.logs.read' });
    expect(error.message).toBe(
      'Okta refused GET /api/v1/logs (403 E0000006: You do not have permission to perform the requested action): the access token lacks scope okta.logs.read. Grant scope okta.logs.read to the service app (Admin Console > Applications > the service app > Okta API Scopes) and request it (OKTA_SCOPES).',
    );
  });

  it('says to grant the scopes or request fewer when Okta refuses the token request\'s scopes', async () => {
    standIn = await startOktaStandIn({ serviceApp: app(rsaKeyPair().publicKey) });
    const client = clientOf(standIn, { credentials: rsaEnvCredentials('okta.logs.read okta.devices.read') });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error.message).toBe(
      'Okta refused the scopes okta.logs.read okta.devices.read (400 invalid_scope: One or more scopes are not configured for the authorization server resource.): grant each to the service app (Admin Console > Applications > the service app > Okta API Scopes), or set OKTA_SCOPES to the scopes it has.',
    );
  });

  it('says which client ID and key to check when Okta refuses the assertion, without quoting the key', async () => {
    standIn = await startOktaStandIn({ serviceApp: app(ecKeyPair().publicKey) }); // registered: another key
    const credentials = rsaEnvCredentials();
    const client = clientOf(standIn, { credentials });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, errorCode: 'invalid_client' });
    expect(error.message).toBe(
      `Okta refused the service app's credentials (401 invalid_client: The client_assertion signature is invalid.): check that OKTA_CLIENT_ID is the client ID of a service app in ${new URL(standIn.url).host} using "Public key / Private key" authentication, and that the public half of OKTA_PRIVATE_KEY (kid rsa-1) is registered on it.`,
    );
    const pemBody = (rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).split('\n')[1]!;
    expect(error.message).not.toContain(pemBody);
  });
});
