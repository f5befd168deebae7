import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lake/local-lake.ts';
import type { QuarantineRecord } from '../../ingest/ingest.ts';
import { corpusPath } from '../support/corpus.ts';

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

const open = async (now = new Date('2026-11-25T09:00:00Z')) => (lake = await LocalLake.temporary({ now: () => now, catalog: [] }));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

const nonBlankLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('ingest of the real corpus samples', () => {
  it.each(['real-samples.ndjson', 'eventbridge-envelopes.ndjson', 'admin-takeover-scenario.ndjson'])(
    'takes every line of %s, losing nothing: each uuid once in the lake, every line in the raw archive',
    async (file) => {
      const l = await open();
      const path = corpusPath('events', file);
      const summary = await l.ingest(Readable.from([readFileSync(path)]), { source: file });
      const lines = nonBlankLines(path);
      const uuids = new Set(lines.map((line) => {
        const o = JSON.parse(line) as { uuid?: string; detail?: { uuid: string } };
        return (o.detail?.uuid ?? o.uuid)!.toLowerCase();
      }));

      expect(summary.quarantined).toBe(0);
      expect(summary.ingested).toBe(uuids.size);
      expect(summary.ingested + summary.duplicates).toBe(lines.length);
      const [{ n }] = (await l.engine.select('select count(*) as n from okta_events', [])) as [{ n: number }];
      expect(n).toBe(uuids.size);
      // The raw archive holds every input line exactly as it came.
      const archived = filesUnder(join(l.root, 'okta/raw')).flatMap((f) => gunzipSync(readFileSync(f)).toString('utf8').split('\n').filter(Boolean));
      expect(archived.sort()).toEqual([...lines].sort());
    },
  );

  it('keeps the drift of real data as it is: "null" strings, numeric postal codes, upper-case uuids, integer coordinates', async () => {
    const l = await open();
    await l.ingest(Readable.from([readFileSync(corpusPath('events', 'real-samples.ndjson'))]), { source: 'real-samples' });
    const rows = await l.engine.select(
      `select uuid, client.zone as zone, client.geographicalcontext.postalcode as postal, version,
              client.geographicalcontext.geolocation.lat as lat
       from okta_events where uuid in ('6F3A9C1E-2B7D-4E8F-A0B1-C2D3E4F5A6B7', 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a')`,
      [],
    );
    const upper = rows.find((r) => r.uuid === '6F3A9C1E-2B7D-4E8F-A0B1-C2D3E4F5A6B7');
    const spec = rows.find((r) => r.uuid === 'dc9fd3c0-598c-11ef-8478-2b7584bf8d5a');
    expect(upper).toBeDefined();
    expect(spec).toMatchObject({ postal: '10013', version: '0', lat: 40.3157 });
    const zones = await l.engine.select(`select count(*) as n from okta_events where client.zone = 'null'`, []);
    expect(Number(zones[0]!.n)).toBeGreaterThan(0);
  });

  it('takes an envelope from the Okta partner source whatever its detail-type, as the partner rule does', async () => {
    const l = await open();
    const event = { uuid: 'b1', published: '2026-03-01T10:00:00.000Z', eventType: 'user.session.start' };
    const envelope = { version: '0', id: 'y', 'detail-type': 'Okta System Log Event', source: 'aws.partner/okta.com/acme/lake', time: '2026-03-01T10:00:02Z', detail: event };

    const summary = await l.ingestEvents([envelope]);

    expect(summary).toMatchObject({ ingested: 1, quarantined: 0 });
  });

  it('partitions by arrival time: the envelope time when there is one, else published', async () => {
    const l = await open();
    const event = { uuid: 'a1', published: '2026-03-01T23:59:58.000Z', eventType: 'user.session.start' };
    const envelope = { version: '0', id: 'x', 'detail-type': 'SystemLog', source: 'aws.partner/okta.com/acme/lake', time: '2026-03-02T00:00:03Z', detail: { ...event, uuid: 'a2' } };
    const summary = await l.ingestEvents([event, envelope]);
    expect(summary.hours).toEqual([
      { dt: '2026-03-01', hour: '23' },
      { dt: '2026-03-02', hour: '00' },
    ]);
    const rows = await l.engine.select('select uuid, dt, hour from okta_events order by uuid', []);
    expect(rows).toEqual([
      { uuid: 'a1', dt: '2026-03-01', hour: '23' },
      { uuid: 'a2', dt: '2026-03-02', hour: '00' },
    ]);
  });

  it('drops fields the schema does not know from Parquet and keeps them in the raw archive', async () => {
    const l = await open();
    const line = JSON.stringify({ uuid: 'u1', published: '2026-03-01T10:00:00.000Z', eventType: 'x.y', brandNewField: { a: 1 } });
    await l.ingestEvents([line]);
    const columns = await l.engine.select("select column_name from (describe okta_events) where column_name like 'brand%'", []);
    expect(columns).toEqual([]);
    const raw = filesUnder(join(l.root, 'okta/raw')).map((f) => gunzipSync(readFileSync(f)).toString('utf8'));
    expect(raw.join('')).toContain('"brandNewField":{"a":1}');
  });
});

describe('ingest of malformed input', () => {
  const good = (i: number) => JSON.stringify({ uuid: `g-${i}`, published: '2026-03-01T10:00:00.000Z', eventType: 'user.session.start' });
  const invalidUtf8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d]);
  const input = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]), // BOM
    Buffer.from(`${good(1)}\r\n`), // 1: CRLF
    Buffer.from('\n'), // 2: blank
    Buffer.from('{"uuid": "x", "published": \n'), // 3: truncated JSON
    Buffer.from('[1,2,3]\n'), // 4: not an object
    Buffer.from(`${JSON.stringify({ published: '2026-03-01T10:00:00.000Z', eventType: 'a.b' })}\n`), // 5: no uuid
    Buffer.from(`${JSON.stringify({ uuid: 'p', published: '2022-06-22 18:18:29.015', eventType: 'a.b' })}\n`), // 6: Panther-style time
    Buffer.from(`${JSON.stringify({ uuid: 'q', published: '2026-03-01T10:00:00.000Z', eventType: 7 })}\n`), // 7: eventType not a string
    invalidUtf8, // 8: invalid UTF-8
    Buffer.from('\n   \t\n'), // 9: blank with spaces
    Buffer.from(`${JSON.stringify({ 'detail-type': 'Scheduled Event', time: '2026-03-01T10:00:00Z', detail: {} })}\n`), // 10: other envelope
    Buffer.from(good(2)), // 11: last line without newline
  ]);

  it('accounts for every line: ingested or quarantined with its exact bytes, line number and reason', async () => {
    const l = await open();
    const summary = await l.ingest(Readable.from([input]), { source: 'bad.ndjson' });

    expect(summary).toMatchObject({ ingested: 2, quarantined: 7, blank: 2 });
    const [errorFile] = summary.errorFiles;
    expect(errorFile).toBe('okta/errors/dt=2026-11-25/' + errorFile!.split('/').pop());
    const records = readFileSync(join(l.root, errorFile!), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((r) => JSON.parse(r) as QuarantineRecord);
    expect(records.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 10]);
    expect(records.every((r) => r.source === 'bad.ndjson')).toBe(true);
    expect(records.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^not valid JSON/),
      'not a JSON object (got an array)',
      'field "uuid" is missing, expected a non-empty string',
      expect.stringMatching(/^field "published" is "2022-06-22 18:18:29.015", expected an ISO-8601 instant/),
      'field "eventType" is 7, expected a non-empty string',
      expect.stringMatching(/^not valid JSON/),
      'EventBridge envelope from source missing (detail-type "Scheduled Event") is not an Okta event: expected source aws.partner/okta.com/<org>/<name>',
    ]);
    // Byte for byte: the invalid UTF-8 line survives the round trip.
    expect(Buffer.from(records[5]!.bytes_base64, 'base64').equals(invalidUtf8)).toBe(true);
    expect(Buffer.from(records[0]!.bytes_base64, 'base64').toString('utf8')).toBe('{"uuid": "x", "published": ');
    const rows = await l.engine.select('select uuid from okta_events order by uuid', []);
    expect(rows.map((r) => r.uuid)).toEqual(['g-1', 'g-2']);
  });

  it('quarantines a calendar date that does not exist instead of letting it break every query of its hour', async () => {
    const l = await open();
    const summary = await l.ingestEvents([{ uuid: 'feb30', published: '2024-02-30T10:00:00.000Z', eventType: 'user.session.start' }]);
    expect(summary).toMatchObject({ ingested: 0, quarantined: 1 });
    expect(summary.firstRejections[0]!.reason).toMatch(/^field "published" is "2024-02-30T10:00:00.000Z", expected an ISO-8601 instant/);
  });

  it('reads an integer too large for its column as null rather than failing the whole file', async () => {
    const l = await open();
    const summary = await l.ingestEvents([
      { uuid: 'big', published: '2026-03-01T10:00:00.000Z', eventType: 'x', securityContext: { asNumber: 1e30 }, authenticationContext: { authenticationStep: 2 ** 40 } },
    ]);
    expect(summary).toMatchObject({ ingested: 1, quarantined: 0 });
    const rows = await l.engine.select('select securitycontext.asnumber as asn, authenticationcontext.authenticationstep as step from okta_events', []);
    expect(rows).toEqual([{ asn: null, step: null }]);
  });

  it('fails with the path when the lake cannot be written, and leaves no staging behind', async () => {
    const l = await open();
    const { writeFileSync, existsSync } = await import('node:fs');
    // A file where the raw archive's folder must go.
    writeFileSync(join(l.root, 'okta'), 'not a folder');
    await expect(l.ingestEvents([good(1)])).rejects.toThrow(/okta/);
    expect(existsSync(join(l.root, '.staging'))).toBe(false);
  });

  it('streams a file much larger than one read chunk without splitting lines wrongly', async () => {
    const l = await open();
    const lines = Array.from({ length: 5000 }, (_, i) => good(i));
    // Deliver in awkward 1000-byte chunks that cut lines and multi-byte characters anywhere.
    const all = Buffer.from(`${lines.join('\n')}\n`);
    const chunks = Array.from({ length: Math.ceil(all.length / 1000) }, (_, i) => all.subarray(i * 1000, (i + 1) * 1000));
    const summary = await l.ingest(Readable.from(chunks), { source: 'big', batchLines: 1500 });
    expect(summary).toMatchObject({ ingested: 5000, quarantined: 0 });
    const [{ n }] = (await l.engine.select('select count(distinct uuid) as n from okta_events', [])) as [{ n: number }];
    expect(n).toBe(5000);
  });
});
