/**
 * `npm run synth` end to end: main.ts with the real handlers, run twice into two output folders.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../modules/lambda/bundle.ts';
import { checkPlan, formatViolations } from '../../modules/policy/index.ts';
import type { Plan } from '../../modules/policy/plan.ts';

const TSX = import.meta.resolve('tsx');
const MAIN = join(REPO_ROOT, 'main.ts');

interface Run {
  readonly out: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/** Runs main.ts in an empty working directory (no config file there) with a clean environment. */
function synth(extraEnv: Record<string, string> = {}, cwd = mkdtempSync(join(tmpdir(), 'okta-lake-cwd-'))): Run {
  const out = mkdtempSync(join(tmpdir(), 'okta-lake-out-'));
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: out, ...extraEnv },
    encoding: 'utf8',
  });
  return { out, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function files(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n), base) : [relative(base, join(dir, n))]));
}

let a: Run;
let b: Run;

beforeAll(() => {
  a = synth();
  b = synth();
}, 120_000);

describe('npm run synth', () => {
  it('writes one stack to the output folder, with a note that it used the example values', () => {
    expect(a.status, a.stderr).toBe(0);
    expect(files(a.out).filter((f) => !f.includes('/assets/'))).toEqual(['manifest.json', 'stacks/okta-log-lake/cdk.tf.json']);
    expect(a.stderr).toContain('synthesizing with the documented example values');
  });

  it('says what the plan declares: resources by type, the partner source, the schedules, the e-mail subscriptions', () => {
    expect(a.stdout).toMatch(/^stack okta-log-lake: \d+ resources$/m);
    expect(a.stdout).toMatch(/^ {2}aws_lambda_function +6$/m);
    expect(a.stdout).toContain('Okta events arrive from the partner event source aws.partner/okta.com/example/okta_log_lake');
    expect(a.stdout).toMatch(/^ {2}okta-lake-hourly-detections {2}cron\(20 \* \* \* \? \*\) {2}ENABLED$/m);
    // The inventory, 20 minutes before the daily snapshot (00:30).
    expect(a.stdout).toMatch(/^ {2}okta-lake-inventory {2}cron\(10 0 \* \* \? \*\) {2}ENABLED$/m);
    expect(a.stdout).toMatch(/^ {2}okta-lake-findings {2}security@example\.com$/m);
  });

  it('refuses a misspelt threshold name with the message the functions would give, before anything is deployed', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'okta-lake-cwd-'));
    const config = { okta: { orgName: 'acme' }, aws: { region: 'eu-west-1' }, detections: { thresholds: { 'okta-brute-force-user': { min_failure: 30 } } } };
    writeFileSync(join(cwd, 'okta-lake.config.json'), JSON.stringify(config));
    const bad = synth({}, cwd);

    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('config field "detections.thresholds": thresholds.okta-brute-force-user: no threshold "min_failure" (known: min_failures)');
    expect(files(bad.out)).toEqual([]);
  });

  it('is deterministic: two runs give the same files, byte for byte', () => {
    const fa = files(a.out);

    expect(files(b.out)).toEqual(fa);
    for (const f of fa) expect(readFileSync(join(b.out, f)).equals(readFileSync(join(a.out, f))), f).toBe(true);
  });

  it('zips each real handler into a small bundle the plan points at', () => {
    const plan = JSON.parse(readFileSync(join(a.out, 'stacks/okta-log-lake/cdk.tf.json'), 'utf8')) as Plan;
    const functions = Object.values(plan.resource!.aws_lambda_function!);

    expect(functions).toHaveLength(6);
    for (const fn of functions) {
      const zip = join(a.out, 'stacks/okta-log-lake', String(fn.filename));
      expect(statSync(zip).size).toBeGreaterThan(10_000);
      expect(statSync(zip).size).toBeLessThan(5 * 1024 * 1024);
    }
  });

  it('synthesizes a plan that passes every policy rule', () => {
    const plan = JSON.parse(readFileSync(join(a.out, 'stacks/okta-log-lake/cdk.tf.json'), 'utf8')) as Plan;

    expect(formatViolations(checkPlan(plan))).toBe('');
  });

  it('puts no path of this machine into the output', () => {
    for (const f of ['manifest.json', 'stacks/okta-log-lake/cdk.tf.json']) {
      const text = readFileSync(join(a.out, f), 'utf8');
      expect(text).not.toContain(REPO_ROOT);
      expect(text).not.toContain(tmpdir());
    }
  });

  it('fails with the field, the value and the rule when the config file is wrong', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'okta-lake-cwd-'));
    writeFileSync(join(cwd, 'okta-lake.config.json'), JSON.stringify({ okta: { orgName: 'acme', eventSourceName: 'bad name!' }, aws: { region: 'eu-west-1' } }));
    const bad = synth({}, cwd);

    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('config field "okta.eventSourceName": value "bad name!" must be 1-75 characters of [A-Za-z0-9._] with no "-"');
  });

  it('reads the config file of the working directory and the environment overrides', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'okta-lake-cwd-'));
    writeFileSync(join(cwd, 'okta-lake.config.json'), JSON.stringify({ okta: { orgName: 'acme' }, aws: { region: 'eu-west-1' } }));
    const run = synth({ OKTA_LAKE_EVENT_SOURCE_NAME: 'from_env', OKTA_API_TOKEN: 'tok-123-secret' }, cwd);
    const text = readFileSync(join(run.out, 'stacks/okta-log-lake/cdk.tf.json'), 'utf8');

    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(text).toContain('"name": "aws.partner/okta.com/acme/from_env"');
    expect(text).not.toContain('tok-123-secret');
  });
});

describe('npx cdktf synth', () => {
  it('gives the same plan, byte for byte, as npm run synth (cdktf-cli is a pinned dev dependency)', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const configDir = mkdtempSync(join(tmpdir(), 'okta-lake-config-'));
    const config = join(configDir, 'okta-lake.config.json');
    writeFileSync(config, JSON.stringify({ okta: { orgName: 'acme' }, aws: { region: 'eu-west-1' } }));
    const direct = synth({ OKTA_LAKE_CONFIG: config });
    const out = mkdtempSync(join(tmpdir(), 'okta-lake-cdktf-out-'));

    const viaCli = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', out], {
      cwd: REPO_ROOT,
      // CHECKPOINT_DISABLE: no version check over the network.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, OKTA_LAKE_CONFIG: config, CHECKPOINT_DISABLE: '1', CI: '1' },
      encoding: 'utf8',
    });

    expect(pkg.devDependencies['cdktf-cli']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(direct.status, direct.stderr).toBe(0);
    expect(viaCli.status, `${viaCli.stdout}\n${viaCli.stderr}`).toBe(0);
    const plan = 'stacks/okta-log-lake/cdk.tf.json';
    expect(readFileSync(join(out, plan)).equals(readFileSync(join(direct.out, plan)))).toBe(true);
  }, 120_000);
});

// The CLI entry used by cdktf.json is the same script.
it('is what cdktf.json runs', () => {
  const cdktf = JSON.parse(readFileSync(join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string; output: string };

  expect(cdktf.app).toBe('npx tsx main.ts');
  expect(cdktf.output).toBe('cdktf.out');
  expect(execFileSync('git', ['check-ignore', 'cdktf.out/'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()).toBe('cdktf.out/');
});
