/**
 * When Okta says no, or cannot be reached, the caller gets one typed error whose single line says what to do,
 * and which never contains a credential.
 */
import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { apiTokenCredentials, OktaApiError, OktaClient, OktaNetworkError } from '../../okta-api/index.ts';
import { startOktaStandIn, type OktaStandIn } from '../support/okta-stand-in/index.ts';
import { clientOf, recentEvents } from './support.ts';

let standIn: OktaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const WRONG_TOKEN = '00wrongTokenValue0000000000000000000000000';

describe('errors from Okta', () => {
  it('says which variable to check when Okta rejects the API token, without quoting it, and does not retry', async () => {
    standIn = await startOktaStandIn({ events: recentEvents(5) });
    const client = clientOf(standIn, { credentials: apiTokenCredentials(WRONG_TOKEN, 'OKTA_API_TOKEN') });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toBeInstanceOf(OktaApiError);
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, errorCode: 'E0000011', path: '/api/v1/logs', attempts: 1 });
    expect(error.message).toBe(
      `Okta rejected the API token on GET /api/v1/logs (401 E0000011: Invalid token provided): check OKTA_API_TOKEN; the token may be revoked, unused for 30 days, owned by a deactivated admin, or from another org than ${new URL(standIn.url).host}.`,
    );
    expect(error.message).not.toContain(WRONG_TOKEN);
    expect(JSON.stringify(error)).not.toContain(WRONG_TOKEN);
    expect(standIn.requestCount()).toBe(1);
  });

  it('says the API token\'s admin lacks a role on a 403', async () => {
    standIn = await startOktaStandIn();
    standIn.inject({ on: { path: '/api/v1/logStreams' }, action: { kind: 'missing-scope', scope: 'okta.logStreams.read' } });
    const client = clientOf(standIn);

    const error = await failureOf(client.get('/api/v1/logStreams'));

    expect(error).toMatchObject({ kind: 'forbidden', status: 403, errorCode: 'E0000006' });
    expect(error.message).toMatch(/^Okta refused GET \/api\/v1\/logStreams \(403 E0000006: You do not have permission to perform the requested action\): the admin who created OKTA_API_TOKEN lacks a role/);
  });

  it('asks whether the org URL is right when the host answers 404 without an Okta error', async () => {
    standIn = await startOktaStandIn();
    standIn.inject({ on: { request: 1 }, action: { kind: 'not-an-org' } });
    const client = clientOf(standIn);

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toMatchObject({ kind: 'not-found', status: 404 });
    expect(error.message).toBe(`${standIn.url} answered 404 to GET /api/v1/logs without an Okta error: is the org URL right? (e.g. https://acme.okta.com)`);
  });

  it('quotes Okta on a 404 of its own', async () => {
    standIn = await startOktaStandIn();
    const error = await failureOf(clientOf(standIn).get('/api/v1/users/00unknown000000000000'));
    expect(error.message).toBe('Okta found nothing at GET /api/v1/users/00unknown000000000000 (404 E0000007: Not found: Resource not found: /api/v1/users/00unknown000000000000 (GenericResource)).');
  });

  it('refuses to follow a redirect, and says why', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', '/api/v1/users', () => ({ status: 302, headers: { location: 'https://acme.okta.com/login/default' } }));
    const error = await failureOf(clientOf(standIn).get('/api/v1/users'));
    expect(error.message).toMatch(/redirected GET \/api\/v1\/users \(302 to https:\/\/acme\.okta\.com\) instead of answering: is the org URL right\?/);
    expect(standIn.requestCount()).toBe(1);
  });

  it('asks whether the org URL is right when a 200 is not JSON (a web page, not the API)', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', '/api/v1/users', () => ({ text: '<html>Sign in</html>', headers: { 'content-type': 'text/html' } }));
    const error = await failureOf(clientOf(standIn).get('/api/v1/users'));
    expect(error).toMatchObject({ kind: 'unexpected-response', status: 200 });
    expect(error.message).toBe(`${standIn.url} answered GET /api/v1/users with a body that is not Okta JSON: is the org URL right?`);
  });

  it('quotes Okta on a refused query, e.g. a since it considers too old', async () => {
    standIn = await startOktaStandIn();
    const since = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const error = await failureOf(clientOf(standIn).get('/api/v1/logs', { query: { since } }));
    expect(error).toMatchObject({ kind: 'bad-request', errorCode: 'E0000053' });
    expect(error.message).toBe('Okta refused GET /api/v1/logs (400 E0000053: Invalid parameter: The since parameter is over 180 days prior to the current day.).');
  });
});

describe('errors reaching Okta', () => {
  it('names the URL when nothing listens there, without retrying', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    server.close();
    await once(server, 'close');
    const client = new OktaClient({ orgUrl: `http://127.0.0.1:${port}`, credentials: apiTokenCredentials(WRONG_TOKEN) });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toBeInstanceOf(OktaNetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 1, url: `http://127.0.0.1:${port}/api/v1/logs` });
    expect(error.message).toBe(
      `GET http://127.0.0.1:${port}/api/v1/logs failed: ECONNREFUSED, nothing accepts connections there: is the org URL http://127.0.0.1:${port} right and reachable from here?`,
    );
    expect(client.stats.retries).toBe(0);
  });

  it('names the host when it does not resolve (fetch failing as undici does, no network needed)', async () => {
    const dnsFailure = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND acme.okta.com'), { code: 'ENOTFOUND' }) });
    const client = new OktaClient({ orgUrl: 'https://acme.okta.com', credentials: apiTokenCredentials(WRONG_TOKEN), fetch: async () => Promise.reject(dnsFailure) });

    const error = await failureOf(client.get('/api/v1/logs'));

    expect(error).toMatchObject({ code: 'ENOTFOUND', attempts: 1 });
    expect(error.message).toBe('GET https://acme.okta.com/api/v1/logs failed: ENOTFOUND, the host name does not resolve: is the org URL https://acme.okta.com right and reachable from here?');
  });
});
