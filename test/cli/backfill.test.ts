/**
 * `okta-lake backfill` against the stand-in Okta (a real HTTP server on 127.0.0.1): the System Log lands in the
 * lake once per event, paced by the rate limit, through Okta's bad days, and resumes after a kill.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/output.ts';
import { backfill, checkpointPath, readCheckpoint } from '../../lake/backfill.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { apiTokenCredentials, OktaClient } from '../../okta-api/index.ts';
import { generatedEvents, sampleEvent, STAND_IN_API_TOKEN, startOktaStandIn, type OktaStandIn } from '../support/okta-stand-in/index.ts';

const DAY_MS = 86_400_000;
const REPO = join(import.meta.dirname, '../..');

let dir: string;
let standIn: OktaStandIn | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-backfill-'));
});
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const capture = () => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
  return { io, stdout, stderr };
};

async function run(env: Record<string, string | undefined>, ...argv: string[]) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    const c = capture();
    const code = await main(argv, c.io);
    return { code, ...c };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const TOKEN_ENV = { OKTA_API_TOKEN: STAND_IN_API_TOKEN, OKTA_CLIENT_ID: undefined, OKTA_PRIVATE_KEY: undefined };

async function counts(root: string): Promise<{ rows: number; uuids: number }> {
  const lake = await LocalLake.open(root, { catalog: [] });
  try {
    const [row] = await lake.engine.select('select count(*) as n, count(distinct lower(uuid)) as u from okta_events', []);
    return { rows: Number(row!.n), uuids: Number(row!.u) };
  } finally {
    lake.close();
  }
}

describe('a backfill over many pages', () => {
  // A week of 50,000 events here; `npm run bench` runs the same backfill over 89 days with 200,000 events and checks
  // it lands each once (most of its time is writing one Parquet file per hour, 2,136 of them).
  it('lands 50,000 events over 50 pages exactly once, through a 429 and a 500, without breaking the rate limit', async () => {
    // Prepare: a week of events ending an hour ago; 20 requests a second; Okta refuses two pages on the way.
    const count = 50_000;
    const end = Date.now() - 3_600_000;
    const start = end - 7 * DAY_MS;
    standIn = await startOktaStandIn({
      events: generatedEvents({ count, start, stepMs: Math.floor((end - start) / count), detail: 'minimal' }),
      rateLimit: { limit: 20 },
    });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 15 }, action: { kind: 'rate-limited' } });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 30 }, action: { kind: 'server-error' } });
    const client = new OktaClient({ orgUrl: standIn.url, credentials: apiTokenCredentials(STAND_IN_API_TOKEN), random: () => 0 });
    const lake = await LocalLake.open(join(dir, 'lake'), { catalog: [] });

    // Act
    let result;
    try {
      result = await backfill({ lake, client, since: new Date(start - 60_000), until: new Date(end + 60_000) });
    } finally {
      lake.close();
    }

    // Assess
    expect(result).toMatchObject({ events: count, written: count, duplicates: 0, quarantined: 0, resumed: false });
    expect(result.pages).toBeGreaterThanOrEqual(50);
    expect(await counts(join(dir, 'lake'))).toEqual({ rows: count, uuids: count });
    expect(standIn.violations).toBe(0);
    expect(client.stats.retries).toBeGreaterThanOrEqual(2);
    expect(result.hours.length).toBeGreaterThan(7 * 24 - 2);
    expect(existsSync(checkpointPath(join(dir, 'lake'), client.orgUrl))).toBe(false);
  }, 300_000);
});

describe('okta-lake backfill', () => {
  it('resumes after being killed halfway when the same command runs again: every event once, none lost', async () => {
    // Prepare: 12,000 events; the CLI writes and checkpoints every 2,000; the 9th page never answers, so the
    // process is still running, with checkpoints behind it, when it is killed.
    const count = 12_000;
    const end = Date.now() - 3_600_000;
    const start = end - 2 * DAY_MS;
    standIn = await startOktaStandIn({ events: generatedEvents({ count, start, stepMs: Math.floor((end - start) / count), detail: 'minimal' }) });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 9 }, action: { kind: 'hang' } });
    const lakeDir = join(dir, 'lake');
    // As the README shows it: relative to now and without --until, so the second run's clock differs from the first's.
    const args = ['backfill', '--lake', lakeDir, '--org', standIn.url, '--since', '3d', '--batch', '2000', '--no-snapshots', '--json'];
    const checkpoint = checkpointPath(lakeDir, new URL(standIn.url));

    // Act 1: the command runs until it has checkpointed, then is killed (no chance to clean up).
    const child = spawn(process.execPath, [join(REPO, 'bin/okta-lake.js'), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, OKTA_API_TOKEN: STAND_IN_API_TOKEN },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Killed once it has checkpointed 4 batches and is stuck on the 9th page (so the fault is used up).
    await until(() => standIn!.requestCount('/api/v1/logs') >= 9 && checkpointed(checkpoint) >= 8000, join(lakeDir, '.checkpoints'));
    child.kill('SIGKILL');
    await exited;
    const halfway = await counts(lakeDir);

    // Act 2: the same command again.
    const again = await run(TOKEN_ENV, ...args);

    // Assess
    expect(halfway.rows).toBeGreaterThanOrEqual(8000);
    expect(halfway.rows).toBeLessThan(count);
    expect(again.code, again.stderr.join('\n')).toBe(0);
    const summary = JSON.parse(again.stdout[0]!);
    // The totals span both runs; the batch read again after the kill counts as duplicates the second time.
    expect(summary.resumed).toBe(true);
    expect(summary.ingested + summary.duplicates).toBeGreaterThanOrEqual(count);
    expect(await counts(lakeDir)).toEqual({ rows: count, uuids: count });
    expect(existsSync(checkpoint)).toBe(false);
  }, 120_000);

  it('counts once an event the stream delivered too, and builds the daily snapshots of the days it covered', async () => {
    // Prepare: 300 events over two days; the stream already delivered the first 50 (as EventBridge envelopes).
    const end = Date.now() - 3_600_000;
    const events = Array.from({ length: 300 }, (_, i) => sampleEvent(i, end - (300 - i) * 600_000));
    standIn = await startOktaStandIn({ events });
    const lakeDir = join(dir, 'lake');
    const lake = await LocalLake.open(lakeDir, { catalog: [] });
    try {
      const delivered = events.slice(0, 50).map((e) => ({ version: '0', id: `env-${e.uuid}`, 'detail-type': 'SystemLog', source: 'aws.partner/okta.com/acme/lake', time: e.published, detail: e }));
      await lake.ingestEvents(delivered);
    } finally {
      lake.close();
    }

    // Act
    const r = await run(TOKEN_ENV, 'backfill', '--lake', lakeDir, '--org', standIn.url, '--since', '3d', '--json');

    // Assess
    expect(r.code, r.stderr.join('\n')).toBe(0);
    const summary = JSON.parse(r.stdout[0]!);
    expect(summary).toMatchObject({ events: 300, ingested: 250, duplicates: 50, quarantined: 0 });
    expect(summary.snapshots).toBe(summary.days.length);
    expect(await counts(lakeDir)).toEqual({ rows: 300, uuids: 300 });
    const check = await LocalLake.open(lakeDir, { catalog: [] });
    try {
      const days = await check.engine.select('select distinct dt from activity order by dt', []);
      expect(days.map((d) => d.dt)).toEqual(summary.days);
    } finally {
      check.close();
    }
  });

  it('refuses a --since beyond what Okta keeps, with one line and exit code 2', async () => {
    const r = await run(TOKEN_ENV, 'backfill', '--lake', join(dir, 'lake'), '--org', 'https://acme.okta.com', '--since', '200d');

    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([expect.stringMatching(/^okta-lake: --since \S+ is more than 180 days ago, which Okta refuses/)]);
  });

  it('says which credentials are missing', async () => {
    const r = await run({ OKTA_API_TOKEN: undefined, OKTA_CLIENT_ID: undefined, OKTA_PRIVATE_KEY: undefined }, 'backfill', '--lake', join(dir, 'lake'), '--org', 'https://acme.okta.com', '--since', '1d');

    expect(r.code).toBe(2);
    expect(r.stderr.join('\n')).toMatch(/OKTA_API_TOKEN/);
  });

  it('fails with one line naming the token when Okta refuses it, and writes nothing', async () => {
    standIn = await startOktaStandIn({ events: [sampleEvent(0, Date.now() - 7_200_000)] });
    standIn.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'invalid-token' }, times: 10 });

    const r = await run(TOKEN_ENV, 'backfill', '--lake', join(dir, 'lake'), '--org', standIn.url, '--since', '1d');

    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/OKTA_API_TOKEN/);
    expect(r.stderr[0]).not.toContain(STAND_IN_API_TOKEN);
    expect((await counts(join(dir, 'lake'))).rows).toBe(0);
  });
});

/** Events the checkpoint file says were written (0 while there is none, or while it is being replaced). */
function checkpointed(path: string): number {
  try {
    return readCheckpoint(path)?.progress.written ?? 0;
  } catch {
    return 0;
  }
}

/** Resolves once `condition` holds: looked at on every change in `folder` (once it exists) and, as a backstop, every 50 ms. */
async function until(condition: () => boolean, folder: string): Promise<void> {
  await new Promise<void>((resolve) => {
    let watcher: ReturnType<typeof watch> | undefined;
    const check = () => {
      if (!condition()) return;
      watcher?.close();
      clearInterval(backstop);
      resolve();
    };
    const backstop = setInterval(() => {
      if (!watcher && existsSync(folder)) watcher = watch(folder, check);
      check();
    }, 50);
  });
}
