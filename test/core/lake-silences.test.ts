/**
 * Where the lake is silent: the minutes query (core/sql/lake-minutes.sql) run on DuckDB over a real local lake, and
 * the windows gap recovery reads back, decided from those minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findLakeSilences, findSilences, lakeMinutes, windowsDurationMs, type MinuteBucket } from '../../core/lake-silences.ts';
import { LocalLake } from '../../lake/local-lake.ts';

const NOW = new Date('2026-11-25T08:00:00.000Z');
const at = (iso: string) => new Date(iso).getTime();
const event = (uuid: string, published: string) => ({ uuid, published, eventType: 'user.session.start', actor: { id: '00u1', type: 'User' } });
/** One event a minute from `from` (inclusive) to `to` (exclusive), uuids `prefix-0`, `prefix-1`, ... */
function everyMinute(prefix: string, from: string, to: string): ReturnType<typeof event>[] {
  const out = [];
  for (let t = at(from), i = 0; t < at(to); t += 60_000, i++) out.push(event(`${prefix}-${i}`, new Date(t).toISOString()));
  return out;
}
const bucket = (first: string, last = first, lastUuid = `u-${last}`): MinuteBucket => ({ minute: first.slice(0, 16), firstPublished: first, lastPublished: last, lastUuid });
const OPTIONS = { now: NOW, silenceMinutes: 60, landingLagSeconds: 600, streamOff: false };

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

describe('the minutes query, on DuckDB', () => {
  it('gives each minute holding events with its first and last event and the last one\'s uuid, oldest first, across days', async () => {
    lake = await LocalLake.temporary();
    await lake.ingestEvents([
      event('a', '2026-11-24T23:59:10.000Z'),
      event('b', '2026-11-24T23:59:50.500Z'),
      event('c', '2026-11-25T00:00:05.000Z'),
      event('d', '2026-11-25T04:10:00.000Z'),
      event('old', '2026-11-20T04:10:00.000Z'),
    ]);

    const minutes = await lakeMinutes(lake.engine, new Date('2026-11-24T12:00:00Z'), new Date('2026-11-25T12:00:00Z'));

    expect(minutes).toEqual([
      { minute: '2026-11-24T23:59', firstPublished: '2026-11-24T23:59:10.000Z', lastPublished: '2026-11-24T23:59:50.500Z', lastUuid: 'b' },
      { minute: '2026-11-25T00:00', firstPublished: '2026-11-25T00:00:05.000Z', lastPublished: '2026-11-25T00:00:05.000Z', lastUuid: 'c' },
      { minute: '2026-11-25T04:10', firstPublished: '2026-11-25T04:10:00.000Z', lastPublished: '2026-11-25T04:10:00.000Z', lastUuid: 'd' },
    ]);
  });

  it('finds a 3-hour silence at the tail of a real lake: from the newest event, with its uuid, to now', async () => {
    lake = await LocalLake.temporary();
    await lake.ingestEvents(everyMinute('before', '2026-11-25T03:00:00Z', '2026-11-25T04:56:00Z'));

    const { windows, newest } = await findLakeSilences(lake.engine, OPTIONS);

    expect(newest).toBe('2026-11-25T04:55:00.000Z');
    expect(windows).toEqual([{ since: '2026-11-25T04:55:00.000Z', until: '2026-11-25T08:00:00.000Z', skipUuid: 'before-115' }]);
    expect(windowsDurationMs(windows)).toBe((3 * 60 + 5) * 60_000);
  });
});

describe('which windows are missing', () => {
  it('reads nothing back while the newest event is younger than the silence plus the landing delay', () => {
    // 60 min of silence + 10 min for the partner stream's buffer: 69 minutes is still normal.
    expect(findSilences([bucket('2026-11-25T06:51:00.000Z')], OPTIONS)).toEqual([]);
  });

  it('reads the tail back once it is as long as the silence plus the landing delay', () => {
    expect(findSilences([bucket('2026-11-25T06:50:00.000Z')], OPTIONS)).toEqual([
      { since: '2026-11-25T06:50:00.000Z', until: '2026-11-25T08:00:00.000Z', skipUuid: 'u-2026-11-25T06:50:00.000Z' },
    ]);
  });

  it('reads even a short tail back when Okta reports the stream off', () => {
    expect(findSilences([bucket('2026-11-25T07:50:00.000Z')], { ...OPTIONS, streamOff: true })).toEqual([
      { since: '2026-11-25T07:50:00.000Z', until: '2026-11-25T08:00:00.000Z', skipUuid: 'u-2026-11-25T07:50:00.000Z' },
    ]);
  });

  it('reads back a recent hole between two events (the stream came back after the last recovery), up to the first event after it', () => {
    const minutes = [bucket('2026-11-25T05:00:00.000Z', '2026-11-25T05:00:30.000Z', 'last-before'), bucket('2026-11-25T06:30:00.000Z'), bucket('2026-11-25T07:55:00.000Z')];

    expect(findSilences(minutes, OPTIONS)).toEqual([
      { since: '2026-11-25T05:00:30.000Z', until: '2026-11-25T06:30:00.000Z', skipUuid: 'last-before' },
      // 06:30 to 07:55 is 85 minutes, over the threshold too.
      { since: '2026-11-25T06:30:00.000Z', until: '2026-11-25T07:55:00.000Z', skipUuid: 'u-2026-11-25T06:30:00.000Z' },
    ]);
  });

  it('lets an old hole age out: a quiet night is not read again every hour', () => {
    const busyAfter = ['04:30', '05:20', '06:10', '07:00', '07:50', '07:59'].map((t) => bucket(`2026-11-25T${t}:00.000Z`));
    const minutes = [bucket('2026-11-25T01:00:00.000Z'), ...busyAfter];

    // The hole ended at 04:30, more than three hours before 08:00.
    expect(findSilences(minutes, OPTIONS)).toEqual([]);
  });

  it('ignores holes shorter than the silence', () => {
    const minutes = [bucket('2026-11-25T07:00:00.000Z'), bucket('2026-11-25T07:59:00.000Z')];

    expect(findSilences(minutes, OPTIONS)).toEqual([]);
  });

  it('reads the whole lookback back, marked capped, when the lake holds no event in it', () => {
    expect(findSilences([], OPTIONS)).toEqual([{ since: '2026-11-23T08:00:00.000Z', until: '2026-11-25T08:00:00.000Z', capped: true }]);
  });
});
