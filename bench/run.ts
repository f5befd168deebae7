/**
 * `npm run bench`: three ratios measured in one run, each against its target.
 *
 *   (a) ingest throughput of our `ingest()` / a bare DuckDB `COPY (select * from read_json_auto(file, sample_size = -1))
 *       TO parquet` of the same NDJSON file (events/s; target >= 0.5)
 *   (b) one hourly run (every hourly detection) on a lake holding 30 days / on a lake holding only the last day,
 *       for the same final hour (median of several runs; target <= 1.3: cost must not grow with history)
 *   (c) Parquet bytes / raw NDJSON bytes of the ingested events (target <= 0.10, issue 10)
 *   (d) a 90-day backfill of 200,000 events from the stand-in Okta (a real HTTP server on 127.0.0.1, 20 requests a
 *       second, a 429 and a 500 on the way): events/s, and a check that every event landed exactly once
 *   (e) each Lambda bundle: its size, and its module load time in a fresh Node process (the cold start's init)
 *   (g) the CLI's answer time in a fresh process: `detections list` and `detect --events` on 15 events (bench/cli-start.ts)
 *   (f) the identity inventory of a 10,000-user org from the stand-in Okta: duration, API calls per 1,000 users,
 *       rate-limit violations (target 0) and every user, factor and device written once (bench/inventory.ts)
 *
 * Inputs come from the demo generator (30 days of Acme Robotics, attacks on the last day), written under
 * bench/.work/ (gitignored, cleared on every run). Environment: BENCH_DAYS, BENCH_USERS, BENCH_REPEATS.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildOrg } from '../demo/org.ts';
import { DEFAULT_SEED, writeDay, writeHistory } from '../demo/generate.ts';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { backfill } from '../lake/backfill.ts';
import { lakePaths, type Hour } from '../schema/layout.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { bundleHandlers } from '../modules/lambda/bundle.ts';
import { HANDLER_ENTRIES } from '../modules/stack.ts';
import { apiTokenCredentials, OktaClient } from '../okta-api/index.ts';
import { generatedEvents, STAND_IN_API_TOKEN, startOktaStandIn } from '../test/support/okta-stand-in/index.ts';
import { inventoryBench } from './inventory.ts';
import { cliStartBench } from './cli-start.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const WORK = resolve(here, '.work');

const env = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}="${v}" is not a positive whole number`);
  return n;
};

const DAYS = env('BENCH_DAYS', 30);
const USERS = env('BENCH_USERS', 600);
const REPEATS = env('BENCH_REPEATS', 5);
/** A fixed last day, so every run measures the same data. A Tuesday. */
const LAST_DAY = '2026-11-24';
const FINAL_HOUR: Hour = { dt: LAST_DAY, hour: '23' };

const log = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (b: number) => `${fmt(b / 1_000_000, 1)} MB`;
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Total bytes of the files under `dir` whose name ends with `suffix`. */
function bytesUnder(dir: string, suffix: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  if (!existsSync(dir)) return { bytes, files };
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith(suffix)) continue;
    bytes += statSync(join(e.parentPath, e.name)).size;
    files++;
  }
  return { bytes, files };
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = process.hrtime.bigint();
  const value = await f();
  return { value, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

interface Verdict {
  readonly name: string;
  readonly ratio: number;
  readonly target: string;
  readonly pass: boolean;
  readonly detail: string;
}

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  log(`okta-log-lake benchmark (${DAYS} days of Acme Robotics with ${USERS} users, last day ${LAST_DAY}; work dir bench/.work)`);

  // Inputs ------------------------------------------------------------------------------------------------
  const historyFile = join(WORK, `history-${DAYS}d.ndjson`);
  const lastDayFile = join(WORK, `day-${LAST_DAY}.ndjson`);
  const gen = await timed(async () => {
    const history = await writeHistory(historyFile, { lastDay: LAST_DAY, days: DAYS, users: USERS, seed: DEFAULT_SEED, attacksOnLastDay: true });
    const org = buildOrg(DEFAULT_SEED, { users: USERS });
    const day = await writeDay(lastDayFile, { day: LAST_DAY, seed: DEFAULT_SEED, org, attacks: true });
    return { history, day };
  });
  const { history, day } = gen.value;
  log(`inputs: ${fmt(history.deliveries)} lines (${fmt(history.events)} events) over ${DAYS} days, ${mb(history.bytes)}; last day alone ${fmt(day.deliveries)} lines; generated in ${fmt(gen.seconds, 1)} s`);
  log('');

  const verdicts: Verdict[] = [];

  // (a) Ingest throughput ----------------------------------------------------------------------------------
  log('(a) ingest throughput');
  const lake30Dir = join(WORK, 'lake-30d');
  const lake30 = await LocalLake.open(lake30Dir);
  const ours = await timed(() => lake30.ingest(createReadStream(historyFile), { source: historyFile }));
  // Every line read is work done: a redelivered copy is read, checked and skipped, as bare DuckDB reads it.
  const linesRead = ours.value.ingested + ours.value.duplicates;
  const oursRate = linesRead / ours.seconds;
  log(`    ingest():         ${fmt(linesRead)} lines in ${fmt(ours.seconds, 2)} s = ${fmt(oursRate)} events/s (${ours.value.duplicates} redelivered copies skipped, ${ours.value.quarantined} quarantined)`);

  const bareOut = join(WORK, 'bare-copy.parquet');
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await instance.connect();
  // sample_size = -1: with the default sample (20,480 rows) read_json_auto fails on this file, because rarer
  // debugData keys (privilegeGranted...) first appear after the sample ("unknown key"); Okta data is like that.
  const bare = await timed(() =>
    conn.run(`copy (select * from read_json_auto(${quote(historyFile)}, sample_size = -1)) to ${quote(bareOut)} (format parquet, compression zstd)`),
  );
  const bareRows = Number((await conn.runAndReadAll(`select count(*) as n from read_parquet(${quote(bareOut)})`)).getRows()[0]![0]);
  const bareBytes = statSync(bareOut).size;
  conn.closeSync();
  instance.closeSync();
  const bareRate = bareRows / bare.seconds;
  log(`    bare DuckDB COPY: ${fmt(bareRows)} rows in ${fmt(bare.seconds, 2)} s = ${fmt(bareRate)} events/s (one ${mb(bareBytes)} Parquet file)`);
  verdicts.push({
    name: '(a) ingest events/s, ours / bare DuckDB COPY',
    ratio: oursRate / bareRate,
    target: '>= 0.5',
    pass: oursRate / bareRate >= 0.5,
    detail: `${fmt(oursRate)} / ${fmt(bareRate)} events/s`,
  });
  log('');

  // (c) Storage --------------------------------------------------------------------------------------------
  log('(c) storage');
  const parquet = bytesUnder(join(lake30Dir, lakePaths.events), '.parquet');
  const raw = bytesUnder(join(lake30Dir, lakePaths.raw), '.ndjson.gz');
  const ndjsonBytes = statSync(historyFile).size;
  log(`    raw NDJSON ${mb(ndjsonBytes)}; Parquet ${mb(parquet.bytes)} in ${fmt(parquet.files)} files (${fmt(parquet.bytes / Math.max(parquet.files, 1) / 1000, 1)} kB each); gzip raw archive ${mb(raw.bytes)}`);
  verdicts.push({
    name: '(c) Parquet bytes / raw NDJSON bytes',
    ratio: parquet.bytes / ndjsonBytes,
    target: '<= 0.10',
    pass: parquet.bytes / ndjsonBytes <= 0.1,
    detail: `${mb(parquet.bytes)} / ${mb(ndjsonBytes)}`,
  });
  log('');

  // (b) Hourly detection cost against history ------------------------------------------------------------
  log(`(b) hourly run of ${FINAL_HOUR.dt}T${FINAL_HOUR.hour} (${lake30.catalog.filter((d) => d.cadence === 'hourly').length} hourly detections)`);
  const lake1Dir = join(WORK, 'lake-1d');
  const lake1 = await LocalLake.open(lake1Dir);
  await lake1.ingest(createReadStream(lastDayFile), { source: lastDayFile });
  const files30 = bytesUnder(join(lake30Dir, lakePaths.events), '.parquet').files;
  const files1 = bytesUnder(join(lake1Dir, lakePaths.events), '.parquet').files;
  // One warm-up run each (catalog SQL translation, views, OS file cache), then alternate.
  const warm30 = await lake30.detectHour(FINAL_HOUR);
  const warm1 = await lake1.detectHour(FINAL_HOUR);
  const t30: number[] = [];
  const t1: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    t30.push((await timed(() => lake30.detectHour(FINAL_HOUR))).seconds);
    t1.push((await timed(() => lake1.detectHour(FINAL_HOUR))).seconds);
  }
  const m30 = median(t30);
  const m1 = median(t1);
  log(`    ${DAYS}-day lake (${fmt(files30)} event files): median ${fmt(m30, 3)} s of ${t30.map((x) => fmt(x, 2)).join(', ')}; ${warm30.findings.length} findings`);
  log(`    1-day lake (${fmt(files1)} event files):  median ${fmt(m1, 3)} s of ${t1.map((x) => fmt(x, 2)).join(', ')}; ${warm1.findings.length} findings`);
  verdicts.push({
    name: `(b) hourly run time, ${DAYS}-day lake / 1-day lake`,
    ratio: m30 / m1,
    target: '<= 1.3',
    pass: m30 / m1 <= 1.3,
    detail: `${fmt(m30, 3)} s / ${fmt(m1, 3)} s`,
  });

  lake1.close();
  lake30.close();

  // Where does the time go? The same one-hour count(*), with the detections' partition predicate bound as
  // parameters, on each lake, through views like the engine's with and without union_by_name.
  const probes = await partitionProbe([
    [`${DAYS}-day`, lake30Dir],
    ['1-day', lake1Dir],
  ], FINAL_HOUR);
  for (const p of probes) {
    log(`    probe: ${p.lake.padEnd(7)} lake, union_by_name=${String(p.unionByName).padEnd(5)}: ${fmt(p.ms, 1).padStart(6)} ms per one-hour query (median of 5), Parquet files scanned ${p.scanned}`);
  }
  log('');

  await backfillBench(verdicts);

  log('(f) identity inventory of a 10,000-user org from the Okta API (stand-in on 127.0.0.1)');
  const inv = await inventoryBench(WORK, env('BENCH_INVENTORY_USERS', 10_000));
  log(`    ${fmt(inv.users)} users, ${fmt(inv.rows.factors)} factors, ${fmt(inv.rows.devices)} devices, ${fmt(inv.rows.roles)} admin roles in ${fmt(inv.seconds, 1)} s`);
  log(`    ${fmt(inv.calls)} API calls = ${fmt(inv.callsPerThousandUsers)} per 1,000 users; at Okta's limit for a user's factors (1,200 a minute) about ${fmt(inv.minutesAtOktaLimit, 1)} min`);
  log(`    ${inv.violations} rate-limit violations; ${inv.complete ? 'every user, factor and device written once' : 'NOT every user, factor and device written once'}`);
  verdicts.push({
    name: '(f) inventory: complete, limit kept',
    ratio: inv.complete && inv.violations === 0 ? 1 : 0,
    target: '= 1',
    pass: inv.complete && inv.violations === 0,
    detail: `${fmt(inv.seconds, 1)} s, ${fmt(inv.callsPerThousandUsers)} calls per 1,000 users`,
  });
  log('');

  bundleBench();

  log('(g) the okta-lake command in a fresh process (median of 5, after a warm-up run)');
  for (const c of cliStartBench(WORK)) {
    log(`    ${c.command.padEnd(40)} ${fmt(c.seconds, 2)} s  (runs ${c.runs.map((x) => fmt(x, 2)).join(', ')})`);
    verdicts.push({ name: `(g) ${c.command}, seconds`, ratio: c.seconds, target: `<= ${c.target}`, pass: c.seconds <= c.target, detail: 'issue 10' });
  }
  log('');

  log('Results');
  for (const v of verdicts) log(`  ${v.pass ? 'PASS' : 'MISS'}  ${v.name.padEnd(48)} ${fmt(v.ratio, 3).padStart(7)}  (target ${v.target}; ${v.detail})`);
  log(`bench finished in ${fmt((Date.now() - started) / 1000, 1)} s`);
}

/** (d) A 90-day backfill of 200,000 events from the stand-in Okta: throughput, and every event exactly once. */
async function backfillBench(verdicts: Verdict[]): Promise<void> {
  log('(d) backfill from the Okta API (stand-in on 127.0.0.1, 20 requests/s, a 429 and a 500 on the way)');
  const count = 200_000;
  const end = Date.now() - 3_600_000;
  const start = end - 89 * 86_400_000;
  const standIn = await startOktaStandIn({ events: generatedEvents({ count, start, stepMs: Math.floor((end - start) / count), detail: 'minimal' }), rateLimit: { limit: 20 } });
  standIn.inject({ on: { path: '/api/v1/logs', nth: 50 }, action: { kind: 'rate-limited' } });
  standIn.inject({ on: { path: '/api/v1/logs', nth: 120 }, action: { kind: 'server-error' } });
  const client = new OktaClient({ orgUrl: standIn.url, credentials: apiTokenCredentials(STAND_IN_API_TOKEN) });
  const dir = join(WORK, 'lake-backfill');
  const lake = await LocalLake.open(dir, { catalog: [] });
  try {
    const run = await timed(() => backfill({ lake, client, since: new Date(start - 60_000), until: new Date(end + 60_000) }));
    const [row] = await lake.engine.select('select count(*) as n, count(distinct lower(uuid)) as u from okta_events', []);
    const once = Number(row!.n) === count && Number(row!.u) === count;
    const kept = once && standIn.violations === 0;
    log(`    ${fmt(run.value.events)} events in ${fmt(run.value.pages)} pages, ${fmt(run.seconds, 1)} s = ${fmt(run.value.events / run.seconds)} events/s`);
    log(`    ${client.stats.requests} requests, ${client.stats.retries} retried, ${client.stats.rateLimitWaits} rate-limit waits, ${standIn.violations} rate-limit violations`);
    log(`    lake: ${fmt(Number(row!.n))} rows, ${fmt(Number(row!.u))} distinct uuids: ${once ? 'every event exactly once' : 'NOT every event exactly once'}`);
    verdicts.push({ name: '(d) backfill: each event once, limit kept', ratio: kept ? 1 : 0, target: '= 1', pass: kept, detail: `${fmt(run.value.events / run.seconds)} events/s` });
  } finally {
    lake.close();
    await standIn.close();
  }
  log('');
}

/** (e) Each Lambda bundle's size and its module load time in a fresh Node process (median of 5). */
function bundleBench(): void {
  log('(e) Lambda bundles (esbuild, minified, AWS SDK inside): size and module load time (the init of a cold start)');
  const out = join(tmpdir(), `okta-lake-bench-bundles-${process.pid}`);
  const entries = {
    'hourly-detections': HANDLER_ENTRIES.hourlyDetections,
    'daily-snapshot': HANDLER_ENTRIES.dailySnapshot,
    'refresh-user': HANDLER_ENTRIES.refreshUser,
    'recover-gap': HANDLER_ENTRIES.recoverGap,
    inventory: HANDLER_ENTRIES.inventory,
    'near-real-time': HANDLER_ENTRIES.nearRealTime,
  };
  const built = bundleHandlers({ entries, outDir: out });
  for (const [id, bundle] of Object.entries(built)) {
    const file = join(bundle.dir, 'index.mjs');
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: bundle.dir, AWS_REGION: 'us-east-1' },
      });
      // A bundle that fails to load must not read as a fast one.
      const ms = Number(r.stdout.trim());
      if (r.status !== 0 || !Number.isFinite(ms) || ms <= 0) {
        throw new Error(`(e) bundle ${id} did not load (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').slice(0, 5).join(' | ')}`);
      }
      times.push(ms);
    }
    log(`    ${id.padEnd(18)} ${fmt(bundle.codeBytes)} bytes; module load median ${fmt(median(times), 0)} ms of ${times.map((t) => fmt(t, 0)).join(', ')}`);
  }
  rmSync(out, { recursive: true, force: true });
  log('');
}

/**
 * Times `select count(*)` of one hour with the detections' partition predicate (`dt between ? and ?` and
 * `concat(dt, '-', hour) between ? and ?`, bound as parameters) on each lake, through a view defined as the
 * engine defines `okta_events` (hive partitioning over a glob of every file), with and without union_by_name,
 * and reads from EXPLAIN ANALYZE how many files the scan opened.
 */
async function partitionProbe(
  lakes: readonly (readonly [string, string])[],
  hour: Hour,
): Promise<{ lake: string; unionByName: boolean; ms: number; scanned: string }[]> {
  const key = `${hour.dt}-${hour.hour}`;
  const params = [hour.dt, hour.dt, key, key];
  const query = `select count(*) from probe_events where dt between ? and ? and concat(dt, '-', hour) between ? and ?`;
  const out: { lake: string; unionByName: boolean; ms: number; scanned: string }[] = [];
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await instance.connect();
  try {
    for (const [name, dir] of lakes) {
      for (const unionByName of [true, false]) {
        const glob = join(dir, lakePaths.events, '*', '*', '*.parquet');
        await conn.run(`create or replace view probe_events as select * from read_parquet(${quote(glob)},
          hive_partitioning = true, hive_types = {'dt': 'VARCHAR', 'hour': 'VARCHAR'}, hive_types_autocast = false, union_by_name = ${unionByName})`);
        const run = async (sql: string) => {
          const prepared = await conn.prepare(sql);
          prepared.bind(params);
          return prepared.runAndReadAll();
        };
        await run(query);
        const times: number[] = [];
        for (let i = 0; i < 5; i++) times.push((await timed(() => run(query))).seconds * 1000);
        const plan = (await run(`explain analyze ${query}`)).getRows().map((r) => r.map(String).join('\n')).join('\n');
        out.push({ lake: name, unionByName, ms: median(times), scanned: /Scanning Files:\s*([\d/]+)/.exec(plan)?.[1] ?? '?' });
      }
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return out;
}

await main();
