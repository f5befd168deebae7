/**
 * Log streams for gap recovery, and the generic paged list later used for users, factors, devices and role
 * assignments, read from the stand-in with Okta's `after`/`limit` paging.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listLogStreams } from '../../okta-api/index.ts';
import { startOktaStandIn, type OktaStandIn } from '../support/okta-stand-in/index.ts';
import { clientOf, collect } from './support.ts';

let standIn: OktaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const stream = (id: string, status: 'ACTIVE' | 'INACTIVE', type = 'aws_eventbridge') => ({
  id,
  name: `lake ${id}`,
  type,
  status,
  settings: { accountId: '123456789012', eventSourceName: 'okta-log-lake', region: 'eu-west-1' },
  created: '2026-10-01T00:00:00.000Z',
  lastUpdated: '2026-11-01T00:00:00.000Z',
});

describe('log streams', () => {
  it('lists every log stream with its status, type and settings', async () => {
    const streams = [stream('0oa1active', 'ACTIVE'), stream('0oa2off', 'INACTIVE', 'splunk_cloud_logstreaming')];
    standIn = await startOktaStandIn({ logStreams: streams });

    const listed = await listLogStreams(clientOf(standIn));

    expect(listed).toEqual(streams);
  });

  it('passes a filter, e.g. only the inactive ones', async () => {
    standIn = await startOktaStandIn({ logStreams: [stream('0oa1active', 'ACTIVE'), stream('0oa2off', 'INACTIVE')] });
    const listed = await listLogStreams(clientOf(standIn), { filter: 'status eq "INACTIVE"' });
    expect(listed.map((s) => s.id)).toEqual(['0oa2off']);
  });
});

describe('paged lists', () => {
  it('follows next links over every page of a collection', async () => {
    const users = Array.from({ length: 450 }, (_, i) => ({ id: `00u${String(i).padStart(17, '0')}`, status: 'ACTIVE', profile: { login: `user${i}@example.com` } }));
    standIn = await startOktaStandIn({ collections: { '/api/v1/users': users } });
    const client = clientOf(standIn);

    const pages = await collect(client.pages('/api/v1/users', { query: { limit: 200 } }));
    const items = await collect(client.list<{ id: string }>('/api/v1/users'));

    expect(pages.map((p) => p.items.length)).toEqual([200, 200, 50]);
    expect(pages.at(-1)!.nextUrl).toBeUndefined();
    expect(items.map((u) => u.id)).toEqual(users.map((u) => u.id));
  });

  it('refuses to follow a next link to another host, so credentials never leave the org', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', '/api/v1/devices', () => ({ json: [{ id: 'guv1' }], headers: { link: '<https://collector.example/api/v1/devices?after=guv1>; rel="next"' } }));

    const reading = collect(clientOf(standIn).list('/api/v1/devices'));

    await expect(reading).rejects.toThrow(/^Refusing to send Okta credentials to https:\/\/collector\.example: it is not the org/);
    expect(standIn.requestCount()).toBe(1);
  });

  it('reads one resource with get, and a nested path such as a user\'s factors', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', /^\/api\/v1\/users\/([^/]+)\/factors$/, (request) => ({ json: [{ id: 'mbl1', factorType: 'push', userId: request.params[0] }] }));

    const factors = await collect(clientOf(standIn).list<{ userId: string }>('/api/v1/users/00u1a2b3c4d5e6f7g8h9/factors'));

    expect(factors).toEqual([{ id: 'mbl1', factorType: 'push', userId: '00u1a2b3c4d5e6f7g8h9' }]);
  });
});
