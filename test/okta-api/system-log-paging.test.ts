/**
 * Reading the System Log from the stand-in Okta over HTTP: every event exactly once over many pages, polling
 * queries stop at their first empty page, bounded ones carry on to their last page, and a saved cursor resumes
 * with no gap and no duplicate, including events stored after the first read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemLogPages, type OktaLogEvent, type SystemLogPage } from '../../okta-api/index.ts';
import { actorId, generatedEvents, sampleEvent, startOktaStandIn, type OktaStandIn } from '../support/okta-stand-in/index.ts';
import { clientOf, collect, recentEvents, sinceBefore } from './support.ts';

let standIn: OktaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const uuids = (pages: readonly SystemLogPage[]) => pages.flatMap((p) => p.events.map((e: OktaLogEvent) => e.uuid));

describe('System Log paging', () => {
  it('lands every event of a bounded query exactly once over many pages, in published order', async () => {
    const events = recentEvents(2_345);
    standIn = await startOktaStandIn({ events });
    const client = clientOf(standIn);

    const pages = await collect(systemLogPages(client, { since: sinceBefore(events), until: new Date().toISOString(), limit: 100 }));

    expect(pages).toHaveLength(24);
    expect(uuids(pages)).toEqual(events.map((e) => e.uuid));
    expect(pages.at(-1)!.nextUrl).toBeUndefined();
    expect(pages.every((p) => !p.polling)).toBe(true);
    expect(standIn.requestCount('/api/v1/logs')).toBe(24);
  });

  it('reads 200,000 events generated on the fly in pages of 1000, each exactly once', async () => {
    const count = 200_000;
    const start = Date.now() - 3 * 86_400_000;
    standIn = await startOktaStandIn({ events: generatedEvents({ count, start, stepMs: 1000, detail: 'minimal' }) });
    const client = clientOf(standIn);

    let total = 0;
    let pages = 0;
    const seen = new Set<string>();
    let previous = '';
    let outOfOrder = 0;
    for await (const page of systemLogPages(client, { since: new Date(start).toISOString(), until: new Date().toISOString() })) {
      pages++;
      for (const event of page.events) {
        total++;
        seen.add(event.uuid);
        if (event.published < previous) outOfOrder++;
        previous = event.published;
      }
    }

    expect(outOfOrder).toBe(0);
    expect(total).toBe(count);
    expect(seen.size).toBe(count);
    expect(pages).toBe(200);
  });

  it('stops a polling query at its first empty page, whose next link is where the next poll starts', async () => {
    const events = recentEvents(250);
    standIn = await startOktaStandIn({ events });
    const client = clientOf(standIn);

    const pages = await collect(systemLogPages(client, { since: sinceBefore(events), limit: 100 }));

    expect(pages.map((p) => p.events.length)).toEqual([100, 100, 50, 0]);
    expect(pages.every((p) => p.polling && p.nextUrl)).toBe(true);
    expect(uuids(pages)).toEqual(events.map((e) => e.uuid));
    expect(standIn.requestCount('/api/v1/logs')).toBe(4);
  });

  it('stops a polling query at an empty page Okta sends early, and the next poll picks up the rest', async () => {
    const events = recentEvents(300);
    standIn = await startOktaStandIn({ events });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'empty-page' } });
    const client = clientOf(standIn);

    const first = await collect(systemLogPages(client, { since: sinceBefore(events), limit: 100 }));
    const second = await collect(systemLogPages(client, { resumeFrom: first.at(-1)!.nextUrl! }));

    expect(first.map((p) => p.events.length)).toEqual([100, 0]);
    expect(second.map((p) => p.events.length)).toEqual([100, 100, 0]);
    expect([...uuids(first), ...uuids(second)]).toEqual(events.map((e) => e.uuid));
  });

  it('carries a bounded query on past an empty page that has a next link', async () => {
    const events = recentEvents(300);
    standIn = await startOktaStandIn({ events });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'empty-page' } });
    const client = clientOf(standIn);

    const pages = await collect(systemLogPages(client, { since: sinceBefore(events), until: new Date().toISOString(), limit: 100 }));

    expect(pages.map((p) => p.events.length)).toEqual([100, 0, 100, 100]);
    expect(uuids(pages)).toEqual(events.map((e) => e.uuid));
  });

  it('resumes from a saved next URL with no gap and no duplicate', async () => {
    const events = recentEvents(1_000);
    standIn = await startOktaStandIn({ events });
    const query = { since: sinceBefore(events), until: new Date().toISOString(), limit: 150 };

    const before: SystemLogPage[] = [];
    for await (const page of systemLogPages(clientOf(standIn), query)) {
      before.push(page);
      if (before.length === 3) break; // e.g. the Lambda ran out of time; page 3's nextUrl is the checkpoint
    }
    const checkpoint = before.at(-1)!.nextUrl!;
    const after = await collect(systemLogPages(clientOf(standIn), { resumeFrom: checkpoint }));

    const all = [...uuids(before), ...uuids(after)];
    expect(all).toEqual(events.map((e) => e.uuid));
    expect(new Set(all).size).toBe(events.length);
  });

  it('resumes from an after cursor with the same until', async () => {
    const events = recentEvents(600);
    standIn = await startOktaStandIn({ events });
    const until = new Date().toISOString();
    const client = clientOf(standIn);

    const iterator = systemLogPages(client, { since: sinceBefore(events), until, limit: 200 });
    const first = (await iterator.next()).value as SystemLogPage;
    await iterator.return(undefined);
    const after = new URL(first.nextUrl!).searchParams.get('after')!;
    const rest = await collect(systemLogPages(client, { after, until, limit: 200 }));

    expect([...uuids([first]), ...uuids(rest)]).toEqual(events.map((e) => e.uuid));
  });

  it('finds an event Okta stored after the lake was last read, from the saved polling cursor', async () => {
    const events = recentEvents(120);
    standIn = await startOktaStandIn({ events });
    const client = clientOf(standIn);
    const firstPoll = await collect(systemLogPages(client, { since: sinceBefore(events), limit: 100 }));
    // Published before the last event read, but stored only now: a polling cursor still finds it.
    const late = sampleEvent(10_000, Date.parse(events[50]!.published));
    standIn.addEvents([late]);

    const nextPoll = await collect(systemLogPages(client, { resumeFrom: firstPoll.at(-1)!.nextUrl! }));

    expect(uuids(firstPoll)).toHaveLength(120);
    expect(uuids(nextPoll)).toEqual([late.uuid]);
  });

  it('places a late-stored event by its published time in bounded queries, ascending and descending', async () => {
    const events = recentEvents(40);
    standIn = await startOktaStandIn({ events });
    const late = sampleEvent(10_000, Date.parse(events[20]!.published) + 1);
    standIn.addEvents([late]);
    const expected = [...events.slice(0, 21), late, ...events.slice(21)].map((e) => e.uuid);
    const bounds = { since: sinceBefore(events), until: new Date().toISOString(), limit: 7 };

    const ascending = await collect(systemLogPages(clientOf(standIn), bounds));
    const descending = await collect(systemLogPages(clientOf(standIn), { ...bounds, sortOrder: 'DESCENDING' }));

    expect(uuids(ascending)).toEqual(expected);
    expect(uuids(descending)).toEqual([...expected].reverse());
    expect(descending.every((p) => !p.polling)).toBe(true);
  });

  it('passes a filter through: the events of one user as actor or target', async () => {
    const events = recentEvents(500);
    standIn = await startOktaStandIn({ events });
    const user = actorId(7);
    const target = (events[3]!.target as Array<{ id: string }>)[0]!.id;

    const pages = await collect(
      systemLogPages(clientOf(standIn), { since: sinceBefore(events), until: new Date().toISOString(), filter: `actor.id eq "${user}" or target.id eq "${target}"` }),
    );

    const expected = events.filter((e) => (e.actor as { id: string }).id === user || (e.target as Array<{ id: string }>)[0]!.id === target);
    expect(expected.length).toBeGreaterThan(5);
    expect(uuids(pages)).toEqual(expected.map((e) => e.uuid));
  });

  it('refuses to resume from a URL that is not the org System Log, before sending anything', async () => {
    standIn = await startOktaStandIn();
    const client = clientOf(standIn);

    await expect(collect(systemLogPages(client, { resumeFrom: 'https://evil.example/api/v1/logs?after=x' }))).rejects.toThrow(
      /Refusing to send Okta credentials to https:\/\/evil\.example: it is not the org http:\/\/127\.0\.0\.1:\d+\./,
    );
    await expect(collect(systemLogPages(client, { resumeFrom: `${standIn.url}/api/v1/users?after=x` }))).rejects.toThrow(/not a System Log URL/);
    expect(standIn.requestCount()).toBe(0);
  });
});
