/**
 * The client against a stand-in Okta having a bad day: it keeps under the rate limit (even with a wrong local
 * clock), waits out a 429, retries 5xx, resets and timeouts a bounded number of times, caps requests in flight,
 * and stops at once when its caller cancels.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OktaApiError, OktaNetworkError, systemLogPages, type TransportEvent } from '../../okta-api/index.ts';
import { startOktaStandIn, type OktaStandIn } from '../support/okta-stand-in/index.ts';
import { clientOf, collect, recentEvents, sinceBefore } from './support.ts';

let standIn: OktaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const boundedQuery = (events: ReturnType<typeof recentEvents>, limit: number) => ({ since: sinceBefore(events), until: new Date().toISOString(), limit });
const uuidsOf = (pages: Array<{ events: Array<{ uuid: string }> }>) => pages.flatMap((p) => p.events.map((e) => e.uuid));

describe('rate limits', () => {
  it('paces requests to stay inside a small window: zero violations, every event once', async () => {
    const events = recentEvents(36);
    standIn = await startOktaStandIn({ events, rateLimit: { limit: 4, windowSeconds: 1 } });
    const client = clientOf(standIn);

    const pages = await collect(systemLogPages(client, boundedQuery(events, 3)));

    expect(uuidsOf(pages)).toEqual(events.map((e) => e.uuid));
    expect(standIn.violations).toBe(0);
    expect(client.stats.rateLimited).toBe(0);
    expect(client.stats.rateLimitWaits).toBeGreaterThanOrEqual(1); // 12 requests at 4 a second
    expect(client.stats.rateLimitWaitMs).toBeGreaterThan(0);
  });

  it('paces by Okta\'s clock, read from the Date header, when the local clock is two minutes fast', async () => {
    const events = recentEvents(30);
    standIn = await startOktaStandIn({ events, rateLimit: { limit: 3, windowSeconds: 1 } });
    const client = clientOf(standIn, { now: () => Date.now() + 120_000 });

    const pages = await collect(systemLogPages(client, boundedQuery(events, 3)));

    expect(uuidsOf(pages)).toEqual(events.map((e) => e.uuid));
    expect(standIn.violations).toBe(0);
    expect(client.stats.rateLimited).toBe(0);
  });

  it('waits out a 429 in the middle until the window resets, then carries on without loss', async () => {
    const events = recentEvents(50);
    standIn = await startOktaStandIn({ events, rateLimit: { limit: 100, windowSeconds: 1 } });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 3 }, action: { kind: 'rate-limited' } });
    const seen: TransportEvent[] = [];
    const client = clientOf(standIn, { onEvent: (event) => seen.push(event) });

    const pages = await collect(systemLogPages(client, boundedQuery(events, 10)));

    expect(uuidsOf(pages)).toEqual(events.map((e) => e.uuid));
    expect(client.stats).toMatchObject({ rateLimited: 1, retries: 1, requests: 6 });
    expect(seen).toContainEqual(expect.objectContaining({ type: 'retry', reason: 'HTTP 429', path: '/api/v1/logs', attempt: 1 }));
    expect(standIn.requests.map((r) => r.status)).toEqual([200, 200, 429, 200, 200, 200]);
  });
});

describe('retries', () => {
  it('retries 500s in the middle and lands every event once', async () => {
    const events = recentEvents(60);
    standIn = await startOktaStandIn({ events });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'server-error' } });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 4 }, action: { kind: 'server-error', status: 503 } });
    const client = clientOf(standIn);

    const pages = await collect(systemLogPages(client, boundedQuery(events, 20)));

    expect(uuidsOf(pages)).toEqual(events.map((e) => e.uuid));
    expect(client.stats.retries).toBe(2);
    expect(standIn.requests.map((r) => r.status)).toEqual([200, 500, 200, 503, 200]); // pages 1, 2 (second try), 3 (second try)
  });

  it('gives up after maxAttempts with one error that says what failed and how often', async () => {
    const events = recentEvents(5);
    standIn = await startOktaStandIn({ events });
    standIn.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'server-error' }, times: 10 });
    const client = clientOf(standIn, { maxAttempts: 3 });

    const failure = collect(systemLogPages(client, boundedQuery(events, 10)));

    await expect(failure).rejects.toThrow(OktaApiError);
    await expect(failure).rejects.toMatchObject({ kind: 'server-error', status: 500, attempts: 3, errorCode: 'E0000009' });
    await expect(failure).rejects.toThrow('Okta failed GET /api/v1/logs (500 E0000009: Internal Server Error) 3 times: try again later (https://status.okta.com).');
    expect(standIn.requestCount('/api/v1/logs')).toBe(3);
  });

  it('times out a response that never comes and retries it', async () => {
    const events = recentEvents(40);
    standIn = await startOktaStandIn({ events });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'hang' } });
    const retries: TransportEvent[] = [];
    // The hung request never gets an answer, so the timeout can be short; any other request that a loaded
    // machine makes slower than this is simply retried too, which the assertions allow.
    const client = clientOf(standIn, { requestTimeoutMs: 1000, onEvent: (event) => retries.push(event) });

    const pages = await collect(systemLogPages(client, boundedQuery(events, 10)));

    expect(uuidsOf(pages)).toEqual(events.map((e) => e.uuid));
    expect(retries).toContainEqual(expect.objectContaining({ type: 'retry', reason: 'TIMEOUT', path: '/api/v1/logs' }));
    const hung = standIn.requests[1]!;
    expect(hung.fault).toBe('hang');
    await vi.waitFor(() => expect(hung.aborted).toBe(true)); // the client closed it; the server never answered
  });

  it('names the URL and the timeout when every attempt times out', async () => {
    standIn = await startOktaStandIn({ events: recentEvents(3) });
    standIn.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'hang' }, times: 2 });
    const client = clientOf(standIn, { requestTimeoutMs: 200, maxAttempts: 2 });

    const failure = client.get('/api/v1/logs');

    await expect(failure).rejects.toThrow(OktaNetworkError);
    await expect(failure).rejects.toMatchObject({ code: 'TIMEOUT', attempts: 2 });
    await expect(failure).rejects.toThrow(`GET ${standIn.url}/api/v1/logs timed out after 0.2 s (2 attempts): check the network and try again`);
  });

  it('retries a connection reset', async () => {
    const events = recentEvents(30);
    standIn = await startOktaStandIn({ events });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'connection-reset' } });
    const client = clientOf(standIn);

    const pages = await collect(systemLogPages(client, boundedQuery(events, 10)));

    expect(uuidsOf(pages)).toEqual(events.map((e) => e.uuid));
    expect(client.stats.retries).toBe(1);
  });

  it('backs off with full jitter: each retry waits a random share of a doubling ceiling', async () => {
    standIn = await startOktaStandIn({ events: recentEvents(3) });
    standIn.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'server-error' }, times: 3 });
    const waits: number[] = [];
    const client = clientOf(standIn, { random: () => 0.5, retryBaseDelayMs: 100, retryMaxDelayMs: 300, sleep: async (ms) => void waits.push(ms) });

    await client.get('/api/v1/logs');

    expect(waits).toEqual([50, 100, 150]); // 0.5 × 100, 0.5 × 200, 0.5 × min(400, 300)
  });
});

describe('concurrency and cancellation', () => {
  it('keeps at most maxConcurrentRequests requests in flight', async () => {
    standIn = await startOktaStandIn();
    // The stand-in holds every request until the test answers it, one at a time: what is held is what is in flight.
    const held: Array<() => void> = [];
    let most = 0;
    standIn.route('GET', '/api/v1/users', () =>
      new Promise((resolve) => {
        held.push(() => resolve({ json: [] }));
        most = Math.max(most, held.length);
      }),
    );
    const client = clientOf(standIn, { maxConcurrentRequests: 2 });
    const total = 8;

    const all = Promise.all(Array.from({ length: total }, () => client.get('/api/v1/users')));
    for (let answered = 0; answered < total; answered++) {
      // The cap is reached (two held, or all that are left), and the client has sent no more than that: its
      // request count goes up before a request leaves, so one still on its way would show here.
      await vi.waitFor(() => expect(held.length).toBe(Math.min(2, total - answered)));
      expect(client.stats.requests).toBe(answered + held.length);
      held.shift()!();
    }
    await all;

    expect(most).toBe(2);
    expect(standIn.requestCount('/api/v1/users')).toBe(total);
  });

  it('stops at once, without retrying, when the caller cancels', async () => {
    standIn = await startOktaStandIn({ events: recentEvents(3) });
    standIn.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'hang' } });
    const client = clientOf(standIn);
    const controller = new AbortController();

    const reading = client.get('/api/v1/logs', { signal: controller.signal });
    await vi.waitFor(() => expect(standIn!.requestCount('/api/v1/logs')).toBe(1));
    controller.abort(new Error('lambda is out of time'));

    await expect(reading).rejects.toThrow('lambda is out of time');
    expect(client.stats.retries).toBe(0);
  });
});
