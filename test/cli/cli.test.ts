/**
 * The `okta-lake` command as a user meets it: exit codes, JSON on stdout only, and one clear line naming
 * what is wrong when the input or the arguments are.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/output.ts';
import { corpusPath } from '../support/corpus.ts';

interface Captured extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
}

const capture = (): Captured => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
};

const run = async (...argv: string[]) => {
  const io = capture();
  const code = await main(argv, io);
  return { code, ...io };
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('okta-lake ingest', () => {
  it('prints only {"ingested","quarantined"} with --json', async () => {
    const r = await run('ingest', corpusPath('events', 'real-samples.ndjson'), '--lake', join(dir, 'lake'), '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toEqual(['{"ingested":15,"quarantined":0}']);
  });

  it('names the file, line and field of each rejected line', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify({ uuid: 'a', published: '2026-01-01T00:00:00Z', eventType: 'x' })}\n{"published":"2026-01-01T00:00:00Z","eventType":"x"}\n`);
    const r = await run('ingest', file, '--lake', join(dir, 'lake'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ${file}:2: field "uuid" is missing, expected a non-empty string`);
    expect(r.stdout[0]).toMatch(/^ingested 1 event\(s\) into 1 arrival hour\(s\)/);
  });

  it('fails with exit code 2 and one line when the file does not exist', async () => {
    const r = await run('ingest', join(dir, 'nope.ndjson'), '--lake', join(dir, 'lake'));
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`okta-lake: input file ${join(dir, 'nope.ndjson')} does not exist`]);
  });
});

describe('okta-lake detect', () => {
  it('runs every hour an events file covers and prints findings as JSON', async () => {
    const r = await run('detect', '--events', 'detections/okta-brute-force-user/fixtures/positive.ndjson', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(1);
    const out = JSON.parse(r.stdout[0]!);
    const finding = out.findings.find((f: { detection: string }) => f.detection === 'okta-brute-force-user');
    expect(finding).toMatchObject({
      severity: 'MEDIUM',
      entity: { type: 'user', id: 'mallory.target@example.com' },
      window_start: '2026-03-02T14:00:00.000Z',
      window_end: '2026-03-02T15:00:00.000Z',
      event_count: 25,
    });
    expect(finding.finding_id).toMatch(/^[0-9a-f]{64}$/);
    expect(finding.event_uuids.length).toBeGreaterThanOrEqual(20);
  });

  it('writes findings and yields the same ids when an hour is run again', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', 'detections/okta-brute-force-user/fixtures/positive.ndjson', '--lake', lake);
    const first = await run('detect', '--lake', lake, '--hour', '2026-03-02T14', '--json');
    const second = await run('detect', '--lake', lake, '--hour', '2026-03-02T14', '--json');
    const ids = (r: { stdout: string[] }) => JSON.parse(r.stdout[0]!).findings.map((f: { finding_id: string }) => f.finding_id);
    expect(ids(first).length).toBeGreaterThan(0);
    expect(ids(second)).toEqual(ids(first));
    const stored = await run('query', '--lake', lake, '--json', "select count(*) as n from findings where run = 'hourly-14'");
    expect(JSON.parse(stored.stdout[0]!).rows).toEqual([{ n: ids(first).length }]);
  });

  it.each([
    [['--lake', 'x', '--hour', '2026-3-2T14'], '--hour "2026-3-2T14" is not a UTC hour of the form YYYY-MM-DDTHH (e.g. 2026-11-25T04)'],
    [['--lake', 'x', '--hour', '2026-02-30T01'], '--hour "2026-02-30T01" is not a UTC hour of the form YYYY-MM-DDTHH (e.g. 2026-11-25T04)'],
    [['--lake', 'x'], 'detect needs exactly one of --hour, --from/--to, or --events'],
    [['--lake', 'x', '--from', '2026-03-02T14'], '--from and --to go together'],
    [['--lake', 'x', '--from', '2026-03-02T14', '--to', '2026-03-02T10'], '--from 2026-03-02T14 is after --to 2026-03-02T10'],
  ])('rejects %j with a message naming the problem', async (args, message) => {
    const r = await run('detect', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`okta-lake: ${message}`]);
  });
});

describe('okta-lake query', () => {
  it('runs a saved investigation with its parameters', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', corpusPath('events', 'admin-takeover-scenario.ndjson'), '--lake', lake);
    const r = await run('query', '--lake', lake, '--file', 'investigations/failed-sign-ins-by-ip.sql', '--param', 'from_dt=2021-01-01', '--param', 'to_dt=2021-12-31', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout[0]!).rows.length).toBeGreaterThan(0);
  });

  it('names a missing parameter', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', corpusPath('events', 'real-samples.ndjson'), '--lake', lake);
    const r = await run('query', '--lake', lake, 'select * from okta_events where dt = :day');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: query: no value for parameter(s) :day (pass them as --param name=value)']);
  });
});

describe('okta-lake refresh-user', () => {
  it("refuses a user that is neither a login nor an Okta id, before any SQL", async () => {
    const lake = join(dir, 'lake');
    await run('ingest', corpusPath('events', 'real-samples.ndjson'), '--lake', lake);
    const r = await run('refresh-user', '--lake', lake, '--user', "x' OR '1'='1");
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/^okta-lake: --user: /);
  });
});

describe('okta-lake detections', () => {
  it('lists the catalog as JSON', async () => {
    const r = await run('detections', 'list', '--json');
    expect(r.code).toBe(0);
    const ids = JSON.parse(r.stdout[0]!).detections.map((d: { id: string }) => d.id);
    expect(ids).toContain('okta-password-spray');
    expect(ids.length).toBeGreaterThanOrEqual(36);
  });

  it('prints the Athena form of a query with its parameter order', async () => {
    const r = await run('detections', 'show', 'okta-brute-force-user', '--athena');
    expect(r.stdout.join('\n')).toContain('-- execution parameters, in order: scan_from_dt, scan_to_dt, scan_from, scan_to, min_failures');
  });

  it('names an unknown detection', async () => {
    const r = await run('detections', 'show', 'okta-nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: no detection "okta-nope" (run okta-lake detections list)']);
  });
});
