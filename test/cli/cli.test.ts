/**
 * The `okta-lake` command as a user meets it: exit codes, JSON on stdout only, and one clear line naming
 * what is wrong when the input or the arguments are.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/output.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { okta_events } from '../../schema/index.ts';
import { corpusPath } from '../support/corpus.ts';
import { countPlaceholders } from '../../engines/athena/execution-parameters.ts';
import { trinoParseError } from '../../engines/duckdb/trino-parse.ts';

interface Captured extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
}

const capture = (): Captured => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
};

const run = async (...argv: string[]) => runWith({}, ...argv);

/** Runs the command with some of the terminal's traits: its width, or stderr being a terminal. */
const runWith = async (terminal: Pick<Io, 'columns' | 'progressStream'> & { interactive?: boolean }, ...argv: string[]) => {
  const io = { ...capture(), ...terminal };
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

/** A stand-in for a terminal's stderr: it says it is a TTY and keeps what is drawn on it. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

const BRUTE_FORCE = 'detections/okta-brute-force-user/fixtures/positive.ndjson'; // 45 events (25 of them mallory.target's failures), all arriving in 2026-03-02T14

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('okta-lake ingest', () => {
  it('prints only one JSON document of counts with --json, accounting for every line', async () => {
    const r = await run('ingest', corpusPath('events', 'real-samples.ndjson'), '--lake', join(dir, 'lake'), '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(1);
    const counts = JSON.parse(r.stdout[0]!) as { ingested: number; quarantined: number; duplicates?: number };
    expect(counts.quarantined).toBe(0);
    expect(counts.ingested + (counts.duplicates ?? 0)).toBe(15);
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

  it('prints the query as the hourly run sends it to Athena for an hour: values written in, runnable in the console', async () => {
    const r = await run('detections', 'show', 'okta-brute-force-user', '--athena', '--hour', '2026-11-25T04');
    const text = r.stdout.join('\n');
    const sql = text.slice(text.indexOf('\n-- okta-brute-force-user for the hour 2026-11-25T04') + 1);

    expect(r.code).toBe(0);
    expect(sql).toContain("where dt between '2026-11-25' and '2026-11-25'");
    expect(sql).toContain('having count(*) >= 20');
    expect(countPlaceholders(sql)).toBe(0);
    expect(trinoParseError(sql)).toBeUndefined();
  });

  it('prints a daily detection for a day, for every user', async () => {
    const r = await run('detections', 'show', 'okta-new-country-for-user', '--athena', '--day', '2026-11-24');
    const sql = r.stdout.slice(r.stdout.findIndex((l) => l.startsWith('-- okta-new-country-for-user for the day 2026-11-24'))).join('\n');

    expect(r.code).toBe(0);
    expect(countPlaceholders(sql)).toBe(0);
    expect(sql).toContain('cast(NULL as varchar) is null');
    expect(trinoParseError(sql)).toBeUndefined();
  });

  it('refuses --day for an hourly detection', async () => {
    const r = await run('detections', 'show', 'okta-brute-force-user', '--athena', '--day', '2026-11-24');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: okta-brute-force-user is an hourly detection: give --hour, not --day']);
  });

  it('names an unknown detection', async () => {
    const r = await run('detections', 'show', 'okta-nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: no detection "okta-nope" (run okta-lake detections list)']);
  });
});

describe('okta-lake on a lake folder that does not exist', () => {
  it.each([
    ['detect', '--hour', '2026-03-02T14'],
    ['snapshot', '--day', '2026-03-02'],
    ['refresh-user', '--user', 'jane@example.com'],
    ['query', 'select 1 as one'],
  ])('%s fails with exit code 2, names the path and creates no folder', async (command, ...args) => {
    const missing = join(dir, 'no-such-lake');
    const r = await run(command, '--lake', missing, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([`okta-lake: lake folder ${missing} does not exist (ingest something first)`]);
    expect(r.stdout).toEqual([]);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('okta-lake on hours and days the lake holds no events for', () => {
  const lake = () => join(dir, 'lake');
  beforeEach(async () => {
    expect((await run('ingest', BRUTE_FORCE, '--lake', lake())).code).toBe(0);
  });

  it('refuses a single hour without events, saying which hours the lake holds', async () => {
    const r = await run('detect', '--lake', lake(), '--hour', '2026-11-25T04');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: the lake holds no events for 2026-11-25T04 (its events are all in 2026-03-02T14)']);
    expect(r.stdout).toEqual([]);
  });

  it('refuses an empty folder as holding no events at all', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await run('detect', '--lake', empty, '--from', '2026-03-02T00', '--to', '2026-03-02T23');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: the lake holds no events for 2026-03-02T00 .. 2026-03-02T23 (it holds no events at all: ingest some first)']);
  });

  it('runs a range with empty hours and says how many hours had no events', async () => {
    const r = await run('detect', '--lake', lake(), '--from', '2026-03-02T11', '--to', '2026-03-02T15', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual(['4 of 5 hour(s) have no events in the lake: 2026-03-02T11 .. 2026-03-02T13, 2026-03-02T15']);
    const out = JSON.parse(r.stdout[0]!);
    expect(out.hours).toHaveLength(5);
    expect(out.hours_without_events).toEqual(['2026-03-02T11', '2026-03-02T12', '2026-03-02T13', '2026-03-02T15']);
    expect(out.findings.some((f: { detection: string }) => f.detection === 'okta-brute-force-user')).toBe(true);
  });

  it('refuses a snapshot of a day without events before writing anything', async () => {
    const r = await run('snapshot', '--lake', lake(), '--day', '2026-03-03');
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual(['okta-lake: the lake holds no events for 2026-03-03 (its events are all in 2026-03-02)']);
    expect(existsSync(join(lake(), 'activity', 'dt=2026-03-03'))).toBe(false);
  });

  it("says so when refresh-user's day holds no events, and still answers", async () => {
    const r = await run('refresh-user', '--lake', lake(), '--user', 'mallory.target@example.com', '--day', '2026-03-05', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toEqual(['the lake holds no events for 2026-03-05 (its events are all in 2026-03-02)', "used the lake only (pass --org to fetch the user's newest events from Okta first)"]);
    expect(JSON.parse(r.stdout[0]!)).toMatchObject({ day: '2026-03-05' });
  });
});

describe('okta-lake detect on a terminal', () => {
  it('draws a progress bar with the hour running and an ETA over a range, instead of a line per hour', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', BRUTE_FORCE, '--lake', lake);
    const terminal = new FakeTerminal();
    const r = await runWith({ interactive: true, progressStream: terminal }, 'detect', '--lake', lake, '--from', '2026-03-02T13', '--to', '2026-03-02T14');
    expect(r.code).toBe(0);
    expect(terminal.text).toMatch(/detect \[.*\] 0\/2 hours \| 2026-03-02T13 \| eta /);
    expect(terminal.text).toMatch(/detect \[.*\] 2\/2 hours \| done \| eta /);
    expect(r.stderr.filter((l) => /^2026-03-02T1\d: /.test(l))).toEqual([]);
    expect(r.stderr.filter((l) => /^2 hour\(s\): \d+ finding\(s\), \d+ new$/.test(l))).toHaveLength(1);
  });

  it('prints summaries whole when stdout is not a terminal, and fits the table to a terminal', async () => {
    const summary = '25 failed sign-ins for mallory.target@example.com from 1 IP(s)'; // 62 characters
    const piped = await run('detect', '--events', BRUTE_FORCE);
    expect(piped.stdout.some((l) => l.endsWith(summary))).toBe(true);
    const wide = await runWith({ columns: 240 }, 'detect', '--events', BRUTE_FORCE);
    expect(wide.stdout.some((l) => l.endsWith(summary))).toBe(true);
    const narrow = await runWith({ columns: 100 }, 'detect', '--events', BRUTE_FORCE);
    expect(narrow.stdout.every((l) => l.length <= 100)).toBe(true);
    expect(narrow.stdout.some((l) => l.endsWith('…'))).toBe(true);
  });
});

describe('okta-lake detections show --json', () => {
  it("prints the detection's metadata, its SQL and the Athena form as one JSON document", async () => {
    const r = await run('detections', 'show', 'okta-brute-force-user', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toHaveLength(1);
    const { detection } = JSON.parse(r.stdout[0]!);
    expect(detection).toMatchObject({ id: 'okta-brute-force-user', cadence: 'hourly', severity: 'MEDIUM' });
    expect(detection.thresholds.min_failures).toBeDefined();
    expect(detection.sql).toContain(':min_failures');
    expect(detection.parameters).toEqual(['scan_from_dt', 'scan_to_dt', 'scan_from', 'scan_to', 'min_failures']);
    expect(detection.athena.sql).toContain('having count(*) >= 20');
    expect(detection.athena.window).toMatch(/^hour \d{4}-\d{2}-\d{2}T\d{2}$/);
    expect(detection.dir).toBeUndefined();
  });
});

describe('okta-lake query --json', () => {
  it('prints arrays, structs and maps as nested JSON values', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', corpusPath('events', 'real-samples.ndjson'), '--lake', lake);
    const r = await run(
      'query', '--lake', lake, '--json',
      "select target, debugcontext.debugdata as debugdata, securitycontext.asnumber as asn, client from okta_events where uuid = '6F3A9C1E-2B7D-4E8F-A0B1-C2D3E4F5A6B7'",
    );
    expect(r.code).toBe(0);
    const [row] = JSON.parse(r.stdout[0]!).rows;
    expect(row.target).toEqual([
      expect.objectContaining({ type: 'User', alternateid: 'new.hire@example.com', detailentry: null }),
      expect.objectContaining({ type: 'UserGroup', displayname: 'Finance' }),
    ]);
    expect(row.debugdata).toMatchObject({ requestUri: '/admin/group/w7e9r1t3y5u7i9o1p3a5s7d9f1g3h5j7/addUser' });
    expect(row.asn).toBe(64505);
    expect(row.client.geographicalcontext).toMatchObject({ city: 'Seattle', geolocation: { lat: 47.6062, lon: -122.3321 } });
  });

  it('keeps the table form flat: nested values as JSON text', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', corpusPath('events', 'real-samples.ndjson'), '--lake', lake);
    const r = await run('query', '--lake', lake, "select debugcontext.debugdata as d from okta_events where uuid = '6F3A9C1E-2B7D-4E8F-A0B1-C2D3E4F5A6B7'");
    expect(r.stdout[2]).toContain('{"dtHash":"m3n5b7v9c1x3z5l7k9j1h3g5f7d9s1a3"');
  });
});

describe('okta_events_unique', () => {
  it('counts each event once where okta_events counts every delivered copy', async () => {
    const lake = join(dir, 'lake');
    await run('ingest', BRUTE_FORCE, '--lake', lake);
    // A second delivery of the hour's events (as Firehose writes Okta's redeliveries), written beside
    // the first whatever ingest does with duplicates.
    const events = readFileSync(BRUTE_FORCE, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    const local = await LocalLake.open(lake, { catalog: [] });
    try {
      await local.engine.refreshViews();
      const copy = join(local.engine.partitionDir(okta_events, { dt: '2026-03-02', hour: '14' }), 'redelivered.parquet');
      await local.engine.run(`copy (select * exclude (dt, hour) from okta_events where dt = '2026-03-02' and hour = '14') to '${copy}' (format parquet)`);
    } finally {
      local.close();
    }
    const count = async (table: string) => JSON.parse((await run('query', '--lake', lake, '--json', `select count(*) as n from ${table} where dt = '2026-03-02'`)).stdout[0]!).rows[0].n;
    expect(await count('okta_events')).toBe(2 * events);
    expect(await count('okta_events_unique')).toBe(events);
  });

  it('is named in the help of query', async () => {
    const r = await run('query', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout.join('\n')).toContain('okta_events_unique');
  });
});
