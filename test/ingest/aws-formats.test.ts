/**
 * Ingest of what AWS and Okta actually write: Firehose's raw backup (gzip of LogEvents back to back),
 * Firehose error records (the LogEvent base64 in `rawData`), a System Log API page (a JSON array). Every
 * record is ingested or quarantined with its bytes, position and reason, and kept in the raw archive.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lake/local-lake.ts';
import { firehoseErrorFile, firehoseErrorRecord, firehoseRawObject, quarantined, rawArchive, sampleEvents } from './fixtures.ts';

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

const open = async () => (lake = await LocalLake.temporary({ now: () => new Date('2026-11-25T09:00:00Z'), catalog: [] }));
const uuids = async (l: LocalLake) => (await l.engine.select('select uuid from okta_events order by uuid', [])).map((r) => String(r.uuid));
const sorted = (xs: readonly string[]) => [...xs].sort();

describe("Firehose's raw backup", () => {
  it('reads a Firehose raw backup: gzip of JSON objects back to back, in several gzip members', async () => {
    // Prepare
    const l = await open();
    const events = sampleEvents();
    const object = firehoseRawObject(events, 3);

    // Act
    const summary = await l.ingest(Readable.from([object]), { source: 'okta/raw/2026/11/24/10/okta-lake-1-2026-11-24-10-00-00-abc.gz' });

    // Assess
    expect(summary).toMatchObject({ records: events.length, ingested: events.length, duplicates: 0, quarantined: 0 });
    expect(summary.firstInput?.shape).toMatchObject({ gzip: true, format: 'json-values' });
    expect(sorted(await uuids(l))).toEqual(sorted(events.map((e) => e.uuid)));
    expect(rawArchive(l.root)).toEqual(sorted(events.map((e) => JSON.stringify(e))));
  });

  it('quarantines a damaged record between good ones with its record index and byte offset, byte for byte', async () => {
    const l = await open();
    const [a, b] = sampleEvents();
    const broken = '{"uuid":"x","published":"2026-11-24T10:00:00Z","eventType":tru}';
    const text = `${JSON.stringify(a)}${broken}${JSON.stringify(b)}`;

    const summary = await l.ingest(Readable.from([gzipSync(text)]), { source: 'raw.gz' });

    expect(summary).toMatchObject({ ingested: 2, quarantined: 1 });
    const [q] = quarantined(l.root);
    expect(q).toMatchObject({ source: 'raw.gz', record: 2, offset: JSON.stringify(a).length, line: 1 });
    expect(q!.reason).toMatch(/^not valid JSON/);
    expect(Buffer.from(q!.bytes_base64, 'base64').toString()).toBe(broken);
    expect(summary.firstRejections[0]!.position).toBe(`record 2 (line 1, byte ${JSON.stringify(a).length})`);
    expect(rawArchive(l.root)).toEqual(sorted([JSON.stringify(a), broken, JSON.stringify(b)]));
  });
});

describe('Firehose error records', () => {
  it('ingests the LogEvent in each rawData, in the hour of its published time, and keeps Firehose\'s reason in the summary', async () => {
    const l = await open();
    const events = sampleEvents().slice(0, 4);
    const file = firehoseErrorFile(events.map((e) => JSON.stringify(e)));

    const summary = await l.ingest(Readable.from([file]), { source: 'okta/errors/format-conversion-failed/2026/11/24/10/x' });

    expect(summary).toMatchObject({ ingested: 4, quarantined: 0 });
    expect(summary.firehoseErrors).toEqual([
      { errorCode: 'DataFormatConversion.MalformedData', errorMessage: 'The given JSON record is malformed or does not match the schema.', count: 4 },
    ]);
    const rows = await l.engine.select('select uuid, dt, hour from okta_events', []);
    for (const e of events) {
      const published = new Date(e.published);
      expect(rows).toContainEqual({ uuid: e.uuid, dt: published.toISOString().slice(0, 10), hour: published.toISOString().slice(11, 13) });
    }
    // The raw archive keeps the original records, not Firehose's wrapping.
    expect(rawArchive(l.root)).toEqual(sorted(events.map((e) => JSON.stringify(e))));
  });

  it('quarantines an error record whose rawData is not a LogEvent, with Firehose\'s reason and ours, byte for byte', async () => {
    const l = await open();
    const [good] = sampleEvents();
    const notAnEvent = '{"hello":"world"}';
    const lines = [firehoseErrorRecord(JSON.stringify(good)), firehoseErrorRecord(notAnEvent, { errorCode: 'DataFormatConversion.InvalidSchema', errorMessage: 'no uuid' })];
    const file = Buffer.from(`${lines.join('\n')}\n`);

    const summary = await l.ingest(Readable.from([file]), { source: 'errors.ndjson' });

    expect(summary).toMatchObject({ ingested: 1, quarantined: 1 });
    const [q] = quarantined(l.root);
    expect(q).toMatchObject({ line: 2, firehose_error: { errorCode: 'DataFormatConversion.InvalidSchema', errorMessage: 'no uuid' } });
    expect(q!.reason).toBe('Firehose error record (DataFormatConversion.InvalidSchema: no uuid): in its rawData, field "uuid" is missing, expected a non-empty string');
    expect(Buffer.from(q!.bytes_base64, 'base64').toString()).toBe(lines[1]);
    expect(rawArchive(l.root)).toEqual(sorted([JSON.stringify(good), notAnEvent]));
  });
});

describe('a System Log API page', () => {
  it('reads a JSON array as GET /api/v1/logs returns it', async () => {
    const l = await open();
    const events = sampleEvents();

    const summary = await l.ingest(Readable.from([Buffer.from(JSON.stringify(events))]), { source: 'logs-page-1.json' });

    expect(summary).toMatchObject({ ingested: events.length, quarantined: 0 });
    expect(summary.firstInput?.shape).toMatchObject({ gzip: false, format: 'json-values' });
    expect(sorted(await uuids(l))).toEqual(sorted(events.map((e) => e.uuid)));
    expect(rawArchive(l.root)).toEqual(sorted(events.map((e) => JSON.stringify(e))));
  });

  it('quarantines an element of a pretty-printed array with its record index and starting line, and ingests the others', async () => {
    const l = await open();
    const [a, b] = sampleEvents();
    const text = `[\n${JSON.stringify(a, null, 2)},\n{"eventType": "x",\n "published": "2026-11-24T10:00:00Z"},\n${JSON.stringify(b, null, 2)}\n]\n`;
    const line = text.slice(0, text.indexOf('{"eventType"')).split('\n').length;

    const summary = await l.ingest(Readable.from([Buffer.from(text)]), { source: 'page.json' });

    expect(summary).toMatchObject({ ingested: 2, quarantined: 1 });
    expect(quarantined(l.root)).toEqual([
      expect.objectContaining({ record: 2, line, offset: Buffer.byteLength(text.slice(0, text.indexOf('{"eventType"'))), reason: 'field "uuid" is missing, expected a non-empty string' }),
    ]);
  });
});
