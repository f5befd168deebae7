/**
 * (g) How fast the `okta-lake` command answers, as a new user runs it (`node bin/okta-lake.js`, a fresh process each
 * time, after one warm-up run that fills tsx's and the SQL translation's caches): `detections list`, and `detect
 * --events` on a 15-event file. Issue 10's targets: 0.5 s and 2 s.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface CliStartResult {
  readonly command: string;
  /** Median wall time of `runs` fresh processes, seconds. */
  readonly seconds: number;
  readonly runs: readonly number[];
  readonly target: number;
}

function timeRuns(args: readonly string[], runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'okta-lake.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) throw new Error(`okta-lake ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
    if (i > 0) out.push(seconds); // the first run warms the caches
  }
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function cliStartBench(workDir: string, runs = 5): CliStartResult[] {
  const events = join(workDir, 'fifteen-events.ndjson');
  const lines = readFileSync(join(ROOT, 'detections', 'okta-brute-force-user', 'fixtures', 'positive.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  writeFileSync(events, `${lines.slice(0, 15).join('\n')}\n`);
  return [
    { command: 'okta-lake detections list', args: ['detections', 'list'], target: 0.5 },
    { command: 'okta-lake detect --events (15 events)', args: ['detect', '--events', events], target: 2 },
  ].map(({ command, args, target }) => {
    const times = timeRuns(args, runs);
    return { command, seconds: median(times), runs: times, target };
  });
}
