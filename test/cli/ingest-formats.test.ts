/**
 * `okta-lake ingest` on the files people actually have: read whatever form they are in, told from the
 * content, and when nothing comes of a file, exit 2 saying what the file looked like.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/output.ts';
import { firehoseRawObject, ndjson, sampleEvents } from '../ingest/fixtures.ts';

const run = async (...argv: string[]) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-ingest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('okta-lake ingest reads the form a file is in, not its name', () => {
  it('reads a gzip of JSON objects back to back named .json, and prints duplicates in --json', async () => {
    // Prepare
    const events = sampleEvents();
    const path = file('export.json', firehoseRawObject(events));

    // Act
    const r = await run('ingest', path, '--lake', join(dir, 'lake'), '--json');

    // Assess
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([JSON.stringify({ ingested: events.length, duplicates: 0, quarantined: 0 })]);
  });

  it('succeeds when every event was already in the lake: 0 new, N already in the lake', async () => {
    const events = sampleEvents().slice(0, 5);
    const path = file('events.ndjson', ndjson(events));
    await run('ingest', path, '--lake', join(dir, 'lake'));

    const r = await run('ingest', path, '--lake', join(dir, 'lake'));

    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe('ingested 0 event(s): 0 new, 5 already in the lake');
  });

  it('names the record, line and byte of a rejected record in a JSON array', async () => {
    const [a] = sampleEvents();
    const path = file('page.json', `[${JSON.stringify(a)},{"eventType":"x"}]`);

    const r = await run('ingest', path, '--lake', join(dir, 'lake'));

    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ${path}: record 2 (line 1, byte ${JSON.stringify(a).length + 2}): field "uuid" is missing, expected a non-empty string`);
  });
});

describe('okta-lake ingest of a file that gives nothing', () => {
  it('exits 2 and says the file is empty', async () => {
    const path = file('empty.ndjson', '');

    const r = await run('ingest', path, '--lake', join(dir, 'lake'));

    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`okta-lake: nothing ingested from ${path}: it is empty (0 bytes)`]);
  });

  it('exits 2 for a gzip of nothing', async () => {
    const r = await run('ingest', file('empty.gz', gzipSync('')), '--lake', join(dir, 'lake'));
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/: it is empty \(gzip of nothing\)$/);
  });

  it('exits 2 and says the file looks like CSV, with its first bytes', async () => {
    const path = file('users.csv', 'uuid,published,eventType\n1,2026-01-01,x\n');

    const r = await run('ingest', path, '--lake', join(dir, 'lake'));

    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      `okta-lake: nothing ingested from ${path}: it looks like CSV (first bytes: "uuid,published,eventType\\n1,2026-01-01,x\\n"); ` +
        'ingest reads Okta LogEvents as NDJSON, a JSON array or JSON objects back to back, gzipped or not',
    ]);
    // Every line is still accounted for in the quarantine.
    expect(r.stdout).toContain('quarantined 2 record(s)');
  });

  it('exits 2 and says the file looks like HTML', async () => {
    const r = await run('ingest', file('logs.json', '<!DOCTYPE html>\n<html><body>Sign in</body></html>\n'), '--lake', join(dir, 'lake'));
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/: it looks like HTML \(a web page, not an export: was a sign-in or error page saved\?\) \(first bytes: "<!DOCTYPE html>\\n<html>/);
  });

  it('exits 2 and says the file is binary data', async () => {
    const r = await run('ingest', file('blob.bin', Buffer.from([0x00, 0x01, 0x02, 0x7b, 0xff, 0x0a])), '--lake', join(dir, 'lake'));
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/: it looks like binary data \(first bytes: "\\x00\\x01\\x02\{\\xff\\n"\)/);
  });

  it('exits 2 when every record was rejected, naming the first reasons', async () => {
    const path = file('bad.ndjson', '{"published":"2026-01-01T00:00:00Z","eventType":"x"}\n{"uuid":"u","eventType":"x"}\n');

    const r = await run('ingest', path, '--lake', join(dir, 'lake'), '--json');

    expect(r.code).toBe(2);
    expect(r.stdout).toEqual(['{"ingested":0,"duplicates":0,"quarantined":2}']);
    expect(r.stderr).toEqual([
      `okta-lake: nothing ingested from ${path}: every record was rejected (2); first reasons: ` +
        'line 1: field "uuid" is missing, expected a non-empty string; line 2: field "published" is missing, expected an ISO-8601 instant like 2024-08-13T15:58:20.353Z',
    ]);
  });
});
