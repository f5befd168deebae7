/**
 * Each event once: Okta delivers at least once and a replay re-reads what the lake may hold already, so
 * ingest skips an event whose uuid (any case) is in the lake or earlier in the same input, counts it, and
 * still keeps the record in the raw archive.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lake/local-lake.ts';
import { ndjson, rawArchive, sampleEvents } from './fixtures.ts';

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

const open = async () => (lake = await LocalLake.temporary({ now: () => new Date('2026-11-25T09:00:00Z'), catalog: [] }));
const count = async (l: LocalLake, where = 'true') => Number((await l.engine.select(`select count(*) as n from okta_events where ${where}`, []))[0]!.n);
const event = (uuid: string, published = '2026-11-24T10:15:00.000Z') => ({ uuid, published, eventType: 'user.session.start' });

describe('duplicates', () => {
  it('skips events whose uuid is already in the lake, whatever its case, and counts them', async () => {
    // Prepare
    const l = await open();
    const events = sampleEvents();
    await l.ingest(Readable.from([ndjson(events.slice(0, 10))]), { source: 'first' });
    const again = events.map((e, i) => (i % 2 ? { ...e, uuid: e.uuid.toUpperCase() } : e));

    // Act
    const summary = await l.ingest(Readable.from([ndjson(again)]), { source: 'second' });

    // Assess
    expect(summary).toMatchObject({ records: events.length, ingested: events.length - 10, duplicates: 10, quarantined: 0 });
    expect(await count(l)).toBe(events.length);
    expect(Number((await l.engine.select('select count(distinct lower(uuid)) as n from okta_events', []))[0]!.n)).toBe(events.length);
  });

  it('keeps the first of a uuid repeated later in the same input, across conversion batches too', async () => {
    const l = await open();
    const input = [
      { ...event('a'), eventType: 'first.delivery' },
      event('b'),
      event('c'),
      { ...event('A'), eventType: 'second.delivery' },
      event('d'),
      { ...event('b'), eventType: 'later.batch' },
    ];

    const summary = await l.ingest(Readable.from([ndjson(input)]), { source: 'redelivered', batchLines: 3 });

    expect(summary).toMatchObject({ ingested: 4, duplicates: 2 });
    const rows = await l.engine.select('select uuid, eventtype from okta_events order by uuid', []);
    expect(rows).toEqual([
      { uuid: 'a', eventtype: 'first.delivery' },
      { uuid: 'b', eventtype: 'user.session.start' },
      { uuid: 'c', eventtype: 'user.session.start' },
      { uuid: 'd', eventtype: 'user.session.start' },
    ]);
  });

  it('finds a copy that arrived the day before, in another partition', async () => {
    const l = await open();
    await l.ingestEvents([event('late', '2026-11-23T23:59:59.000Z')]);
    const envelope = { version: '0', id: 'e', 'detail-type': 'SystemLog', source: 'aws.partner/okta.com/acme/lake', time: '2026-11-24T00:00:04Z', detail: event('late', '2026-11-23T23:59:59.000Z') };

    const summary = await l.ingestEvents([envelope]);

    expect(summary).toMatchObject({ ingested: 0, duplicates: 1, hours: [] });
    expect(await count(l)).toBe(1);
  });

  it('keeps every record in the raw archive, duplicates included', async () => {
    const l = await open();
    const lines = [event('x'), event('x'), event('y')];

    await l.ingest(Readable.from([ndjson(lines)]), { source: 'dups' });

    expect(rawArchive(l.root)).toEqual(lines.map((e) => JSON.stringify(e)).sort());
  });

  it('reports as hours only those that received new events', async () => {
    const l = await open();
    await l.ingestEvents([event('old', '2026-11-24T10:00:00.000Z')]);

    const summary = await l.ingestEvents([event('old', '2026-11-24T10:00:00.000Z'), event('new', '2026-11-24T12:00:00.000Z')]);

    expect(summary.hours).toEqual([{ dt: '2026-11-24', hour: '12' }]);
  });
});
