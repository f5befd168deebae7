/**
 * `okta-lake replay`: what reached AWS goes back into the lake. A downloaded `okta/raw/` or `okta/errors/`
 * folder, or the S3 prefix itself (S3 faked with aws-sdk-client-mock), each event once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { replayCommand } from '../../cli/commands/replay.ts';
import type { Io } from '../../cli/output.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { firehoseErrorFile, firehoseRawObject, ndjson, quarantined, sampleEvents, type LogEvent } from '../ingest/fixtures.ts';

const capture = () => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
  return { io, stdout, stderr };
};

const run = async (...argv: string[]) => {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, stdout: c.stdout, stderr: c.stderr };
};

let dir: string;
let lakeDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-replay-'));
  lakeDir = join(dir, 'lake');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, content: Buffer | string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
};

/** What is in the lake: each uuid with how many rows it has. */
async function lakeUuids(): Promise<Map<string, number>> {
  const lake = await LocalLake.open(lakeDir, { catalog: [] });
  try {
    const rows = await lake.engine.select('select lower(uuid) as u, count(*) as n from okta_events group by 1', []);
    return new Map(rows.map((r) => [String(r.u), Number(r.n)]));
  } finally {
    lake.close();
  }
}

/** A downloaded okta/raw/ folder as Firehose lays it out (YYYY/MM/DD/HH/), gzip objects and one plain file. */
function rawFolder(events: readonly LogEvent[]): string {
  const root = join(dir, 'download', 'okta', 'raw');
  const third = Math.ceil(events.length / 3);
  write(join(root, '2026/11/24/10/okta-lake-raw-1-2026-11-24-10-00-00-aaaa.gz'), firehoseRawObject(events.slice(0, third), 2));
  write(join(root, '2026/11/24/11/okta-lake-raw-1-2026-11-24-11-05-00-bbbb.gz'), firehoseRawObject(events.slice(third, 2 * third)));
  // An object someone gunzipped by hand: the same records, plain.
  write(join(root, '2026/11/24/12/okta-lake-raw-1-2026-11-24-12-10-00-cccc'), events.slice(2 * third).map((e) => JSON.stringify(e)).join(''));
  write(join(root, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
  return root;
}

describe('okta-lake replay of a downloaded folder', () => {
  it('replays a raw folder made from N events into a lake that has some of them: adds exactly the missing ones', async () => {
    // Prepare: the lake already holds every third event (some with their uuid in upper case).
    const events = sampleEvents();
    const present = events.filter((_, i) => i % 3 === 0).map((e, i) => (i % 2 ? { ...e, uuid: e.uuid.toUpperCase() } : e));
    write(join(dir, 'present.ndjson'), ndjson(present));
    expect((await run('ingest', join(dir, 'present.ndjson'), '--lake', lakeDir)).code).toBe(0);
    const folder = rawFolder(events);

    // Act
    const r = await run('replay', folder, '--lake', lakeDir, '--json');

    // Assess
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout[0]!) as Record<string, unknown>;
    expect(summary).toMatchObject({ files: 3, records: events.length, ingested: events.length - present.length, duplicates: present.length, quarantined: 0 });
    const inLake = await lakeUuids();
    expect([...inLake.keys()].sort()).toEqual(events.map((e) => e.uuid.toLowerCase()).sort());
    expect([...inLake.values()].every((n) => n === 1)).toBe(true);
  });

  it('says which hours received events and prints the detect command that re-runs them', async () => {
    const events = [
      { uuid: 'r1', published: '2026-11-24T10:15:00.000Z', eventType: 'user.session.start' },
      { uuid: 'r2', published: '2026-11-24T12:40:00.000Z', eventType: 'user.session.start' },
    ];
    write(join(dir, 'raw', 'a.gz'), firehoseRawObject(events));

    const r = await run('replay', join(dir, 'raw'), '--lake', lakeDir);

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hours touched: 2026-11-24T10, 2026-11-24T12');
    expect(r.stdout).toContain(`re-run the detections over them: okta-lake detect --lake ${lakeDir} --from 2026-11-24T10 --to 2026-11-24T12`);
  });

  it('replays Firehose error records from rawData and keeps each record\'s own error in the summary', async () => {
    const events = sampleEvents().slice(0, 3);
    const errors = join(dir, 'okta', 'errors');
    write(join(errors, 'format-conversion-failed/2026/11/24/10/okta-lake-1-2026-11-24-10-00-00-dddd'), firehoseErrorFile(events.map((e) => JSON.stringify(e))));

    const r = await run('replay', errors, '--lake', lakeDir, '--json');

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout[0]!)).toMatchObject({
      files: 1,
      ingested: 3,
      firehose_errors: [{ error_code: 'DataFormatConversion.MalformedData', error_message: 'The given JSON record is malformed or does not match the schema.', count: 3 }],
    });
  });

  it('is a success when everything was already in the lake, with nothing to re-run', async () => {
    const events = sampleEvents().slice(0, 4);
    const folder = rawFolder(events);
    await run('replay', folder, '--lake', lakeDir);

    const r = await run('replay', folder, '--lake', lakeDir);

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  0 new event(s) into 0 arrival hour(s)');
    expect(r.stdout).toContain(`  ${events.length} duplicate(s) skipped: already in the lake, or earlier in the replay`);
    expect(r.stdout).toContain('no hour received new events: nothing to re-run');
  });

  it.each([
    ['a folder that does not exist', () => join(dir, 'nope'), /^okta-lake: folder .*nope does not exist$/],
    ['a folder with no files', () => (mkdirSync(join(dir, 'empty')), join(dir, 'empty')), /^okta-lake: folder .*empty holds no files to replay$/],
    ['a malformed S3 location', () => 's3://', /^okta-lake: "s3:\/\/" is not an S3 location of the form s3:\/\/BUCKET\/PREFIX/],
  ])('exits 2 for %s', async (_what, source, message) => {
    const r = await run('replay', source(), '--lake', lakeDir);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(message);
  });

  it('exits 2 when every record was rejected, naming the first reasons', async () => {
    write(join(dir, 'raw', 'x.gz'), firehoseRawObject([{ eventType: 'x' }]));
    const r = await run('replay', join(dir, 'raw'), '--lake', lakeDir);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/^okta-lake: nothing replayed from .*raw: every record was rejected \(1\); first reasons: .*x\.gz: line 1: field "uuid" is missing/);
  });
});

describe('okta-lake replay of an S3 prefix', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  /** A bucket held in memory, listed two keys a page, read as streams. */
  function bucket(objects: Record<string, Buffer>) {
    const keys = Object.keys(objects).sort();
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; ContinuationToken?: string }) => {
      const matching = keys.filter((k) => k.startsWith(input.Prefix ?? ''));
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const page = matching.slice(start, start + 2);
      const more = start + 2 < matching.length;
      return { Contents: page.map((Key) => ({ Key, Size: objects[Key]!.length })), IsTruncated: more, ...(more ? { NextContinuationToken: String(start + 2) } : {}) };
    });
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({ Body: Readable.from([objects[input.Key]!]) as never }));
  }

  it('lists every page of the prefix and reads each object, skipping folder markers', async () => {
    // Prepare
    const events = sampleEvents();
    const half = Math.ceil(events.length / 2);
    bucket({
      'okta/raw/': Buffer.alloc(0),
      'okta/raw/2026/11/24/10/a.gz': firehoseRawObject(events.slice(0, 5)),
      'okta/raw/2026/11/24/10/b.gz': firehoseRawObject(events.slice(5, half)),
      'okta/raw/2026/11/24/11/c.gz': firehoseRawObject(events.slice(half)),
      'okta/events/dt=2026-11-24/hour=10/x.parquet': Buffer.from('PAR1'),
    });
    const { io, stdout } = capture();

    // Act
    await replayCommand(io, { source: 's3://acme-okta-lake/okta/raw/', lake: lakeDir, json: true }, { s3: new S3Client({ region: 'eu-west-1' }) });

    // Assess
    expect(JSON.parse(stdout[0]!)).toMatchObject({ files: 3, records: events.length, ingested: events.length, duplicates: 0, quarantined: 0 });
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'okta/raw/2026/11/24/10/a.gz',
      'okta/raw/2026/11/24/10/b.gz',
      'okta/raw/2026/11/24/11/c.gz',
    ]);
    expect(s3.commandCalls(ListObjectsV2Command).every((c) => c.args[0].input.Bucket === 'acme-okta-lake')).toBe(true);
    expect((await lakeUuids()).size).toBe(events.length);
  });

  it('records the S3 location of each quarantined record', async () => {
    bucket({ 'okta/raw/2026/11/24/10/a.gz': firehoseRawObject([{ uuid: 'ok', published: '2026-11-24T10:00:00Z', eventType: 'x' }, { uuid: 'no-time', eventType: 'x' }]) });
    const { io } = capture();

    await replayCommand(io, { source: 's3://acme-okta-lake/okta/raw', lake: lakeDir }, { s3: new S3Client({ region: 'eu-west-1' }) });

    expect(quarantined(lakeDir)).toEqual([expect.objectContaining({ source: 's3://acme-okta-lake/okta/raw/2026/11/24/10/a.gz', record: 2 })]);
  });

  it('exits 2 with what to do when AWS refuses access', async () => {
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    const r = await run('replay', 's3://acme-okta-lake/okta/raw/', '--lake', lakeDir);

    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      'okta-lake: listing s3://acme-okta-lake/okta/raw/: AccessDenied: Access Denied (your AWS identity needs s3:ListBucket on the bucket and s3:GetObject on the prefix (and kms:Decrypt on the lake key))',
    ]);
  });
});
