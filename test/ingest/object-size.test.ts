/**
 * One record over DuckDB's JSON object size limit (read_json `maximum_object_size`, 16 MiB by default)
 * used to abort the whole ingest, losing the good records of its batch and leaving a truncated raw
 * archive: DuckDB reads in buffers of twice the limit, so a row between 16 and 32 MiB failed or not
 * depending on where it fell, and a longer one always failed. The limit is now explicit and checked before
 * staging: a longer record is quarantined, and everything else goes in.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_OBJECT_BYTES } from '../../ingest/convert.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { quarantined, rawArchive } from './fixtures.ts';

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

describe('a record over the JSON object size limit', () => {
  it('is quarantined byte for byte with its size and the limit, while the rest of its batch is ingested and the raw archive stays whole', async () => {
    // Prepare: a real line of 17 MB (a huge debugData value, which the lake keeps), between two good ones.
    const l = (lake = await LocalLake.temporary({ now: () => new Date('2026-11-25T09:00:00Z'), catalog: [] }));
    const event = (uuid: string, extra = {}) => ({ uuid, published: '2026-11-24T10:00:00.000Z', eventType: 'user.session.start', ...extra });
    const huge = JSON.stringify(event('huge', { debugContext: { debugData: { blob: 'x'.repeat(17 * 1024 * 1024) } } }));
    const lines = [JSON.stringify(event('before')), huge, JSON.stringify(event('after'))];
    expect(huge.length).toBeGreaterThan(DEFAULT_MAX_OBJECT_BYTES);

    // Act
    const summary = await l.ingest(Readable.from([Buffer.from(lines.join('\n'))]), { source: 'big.ndjson' });

    // Assess
    expect(summary).toMatchObject({ ingested: 2, quarantined: 1 });
    const rows = await l.engine.select('select uuid from okta_events order by uuid', []);
    expect(rows).toEqual([{ uuid: 'after' }, { uuid: 'before' }]);
    const [q] = quarantined(l.root);
    expect(q!.line).toBe(2);
    expect(q!.reason).toMatch(/^its row for the lake is \d+ bytes, over the 16777216-byte limit of one JSON object .*maximum_object_size/);
    expect(Buffer.from(q!.bytes_base64, 'base64').equals(Buffer.from(huge))).toBe(true);
    const archived = rawArchive(l.root);
    expect(archived).toHaveLength(3);
    expect(archived.includes(huge)).toBe(true);
  });
});
