import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleHandlers, REPO_ROOT, type BundleResult } from '../../modules/lambda/bundle.ts';
import { FIXTURE_ENTRY } from './helpers.ts';

/** A repository-like root with run-time assets, test fixtures and files that are neither. */
function assetRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'okta-lake-assets-'));
  const files: Record<string, string> = {
    'detections/okta-x/detection.yaml': 'id: okta-x\n',
    'detections/okta-x/query.sql': 'select 1\n',
    'detections/okta-x/fixtures/positive.json': '{}\n',
    'detections/okta-x/fixtures/setup.sql': 'select 2\n',
    'detections/okta-x/README.md': '# notes\n',
    'snapshots/activity.sql': 'select 3\n',
    'investigations/user-timeline.sql': '-- x\nselect 4\n',
    'core/sql/findings-of-run.sql': 'select 5\n',
    'core/sql/helper.ts': 'export {};\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

let root: string;
let first: BundleResult;

beforeAll(() => {
  root = assetRoot();
  first = bundleHandlers({ entries: { 'refresh-user': FIXTURE_ENTRY }, outDir: mkdtempSync(join(tmpdir(), 'okta-lake-b1-')), rootDir: root })['refresh-user']!;
});

describe('Lambda bundles', () => {
  it('holds index.mjs and the SQL and YAML of detections/, snapshots/, investigations/ and core/sql/, without fixtures', () => {
    expect(first.files).toEqual([
      'core/sql/findings-of-run.sql',
      'detections/okta-x/detection.yaml',
      'detections/okta-x/query.sql',
      'index.mjs',
      'investigations/user-timeline.sql',
      'snapshots/activity.sql',
    ]);
  });

  it('is one ESM file with the AWS SDK inside it, not imported from the runtime', () => {
    const code = readFileSync(join(first.dir, 'index.mjs'), 'utf8');

    expect(code.startsWith("import{createRequire as __oktaLakeCreateRequire}from'node:module';")).toBe(true);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    // (An SDK error message quotes `[require("@aws-sdk/signature-v4-crt");]` as advice; that is text, not a call.)
    expect(code).not.toMatch(/(?<!\[)require\(["']@aws-sdk\//);
    expect(code).toContain('ListObjectsV2');
    expect(code).not.toContain(REPO_ROOT);
    expect(first.codeBytes).toBeLessThan(2_000_000);
  });

  it('loads as a module exporting handler, reading assets from LAMBDA_TASK_ROOT', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(first.dir, 'index.mjs')).href)}); console.log(typeof m.handler);`],
      { env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: first.dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );

    expect(out.trim()).toBe('function');
  });

  it('gives the same bytes, modes, times and hash when built again', () => {
    const again = bundleHandlers({ entries: { 'refresh-user': FIXTURE_ENTRY }, outDir: mkdtempSync(join(tmpdir(), 'okta-lake-b2-')), rootDir: root })['refresh-user']!;

    expect(again.sha256Hex).toBe(first.sha256Hex);
    expect(again.sha256Base64).toBe(Buffer.from(first.sha256Hex, 'hex').toString('base64'));
    for (const f of first.files) {
      expect(readFileSync(join(again.dir, f)).equals(readFileSync(join(first.dir, f)))).toBe(true);
      const [a, b] = [statSync(join(first.dir, f)), statSync(join(again.dir, f))];
      expect([b.mtimeMs, b.mode]).toEqual([a.mtimeMs, a.mode]);
      expect(new Date(a.mtimeMs).toISOString()).toBe('2000-01-01T00:00:00.000Z');
    }
  });

  it('changes the hash when an asset changes', () => {
    writeFileSync(join(root, 'snapshots/activity.sql'), 'select 33\n');
    const changed = bundleHandlers({ entries: { 'refresh-user': FIXTURE_ENTRY }, outDir: mkdtempSync(join(tmpdir(), 'okta-lake-b3-')), rootDir: root })['refresh-user']!;

    expect(changed.sha256Hex).not.toBe(first.sha256Hex);
  });

  it('builds several handlers in one run, each bundle self-contained', () => {
    const out = mkdtempSync(join(tmpdir(), 'okta-lake-b4-'));
    const built = bundleHandlers({ entries: { 'hourly-detections': FIXTURE_ENTRY, 'daily-snapshot': FIXTURE_ENTRY }, outDir: out, rootDir: root });

    expect(Object.keys(built).sort()).toEqual(['daily-snapshot', 'hourly-detections']);
    expect(built['daily-snapshot']!.files.filter((f) => f.endsWith('.mjs') || f.endsWith('.js'))).toEqual(['index.mjs']);
    expect(readFileSync(join(built['daily-snapshot']!.dir, 'index.mjs'), 'utf8')).toBe(readFileSync(join(built['hourly-detections']!.dir, 'index.mjs'), 'utf8'));
  });

  it('names a missing handler entry', () => {
    expect(() => bundleHandlers({ entries: { 'refresh-user': 'handlers/nope.ts' }, outDir: mkdtempSync(join(tmpdir(), 'okta-lake-b5-')), rootDir: root })).toThrow(
      /Lambda bundle "refresh-user": handler entry .*handlers\/nope\.ts does not exist/,
    );
  });
});

describe('the recover-gap bundle (the real entry)', () => {
  let bundle: BundleResult;

  beforeAll(() => {
    bundle = bundleHandlers({ entries: { 'recover-gap': 'handlers/recover-gap.ts' }, outDir: mkdtempSync(join(tmpdir(), 'okta-lake-rg-')) })['recover-gap']!;
  }, 60_000);

  it('holds the SDK clients it calls and its silence query, and no local engine', () => {
    const code = readFileSync(join(bundle.dir, 'index.mjs'), 'utf8');

    expect(bundle.files).toContain('core/sql/lake-minutes.sql');
    for (const operation of ['PutRecordBatch', 'GetSecretValue', 'SendMessageBatch', 'GetQueueAttributes', 'StartQueryExecution']) expect(code, operation).toContain(operation);
    expect(code).not.toContain('@duckdb/node-api');
    // Measured at 1.13 MB of code (1.32 MB with the SQL and YAML assets; a 0.43 MB zip).
    expect(bundle.codeBytes).toBeLessThan(2_000_000);
  });

  it('loads as a module exporting handler, reading no configuration until it is invoked', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(join(bundle.dir, 'index.mjs')).href)}); console.log(typeof m.handler, Math.round(performance.now() - t));`,
      ],
      // No OKTA_LAKE_* variable: the configuration is read at the first invocation, not at load.
      { env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: bundle.dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const [type, ms] = out.trim().split(' ');

    expect(type).toBe('function');
    // Measured at about 230 ms on a shared 2-core machine; the bound only catches a regression by an order of magnitude.
    expect(Number(ms)).toBeLessThan(3000);
  });
});

describe('the inventory bundle (the real entry)', () => {
  let bundle: BundleResult;

  beforeAll(() => {
    bundle = bundleHandlers({ entries: { inventory: 'handlers/inventory-collect.ts' }, outDir: mkdtempSync(join(tmpdir(), 'okta-lake-inv-')) })['inventory']!;
  }, 60_000);

  it('holds the calls it makes (Okta secret and identity endpoints, S3 put and delete, Athena DDL), and no local engine', () => {
    const code = readFileSync(join(bundle.dir, 'index.mjs'), 'utf8');

    // (includes(), not toContain: a failure would print the whole bundle.)
    for (const operation of ['GetSecretValue', 'PutObject', 'DeleteObjects', 'ListObjectsV2', 'StartQueryExecution', 'ADD IF NOT EXISTS PARTITION', '/api/v1/devices', '/api/v1/iam/assignees/users']) {
      expect(code.includes(operation), operation).toBe(true);
    }
    expect(code.includes('@duckdb/node-api')).toBe(false);
    // Measured at 1.13 MB of code (1.38 MB with the SQL and YAML assets; a 0.47 MB zip).
    expect(bundle.codeBytes).toBeLessThan(2_000_000);
  });

  it('loads as a module exporting handler, reading no configuration until it is invoked', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(bundle.dir, 'index.mjs')).href)}); console.log(typeof m.handler);`],
      // No OKTA_LAKE_* variable: the configuration is read at the first invocation, not at load.
      { env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: bundle.dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );

    expect(out.trim()).toBe('function');
  });
});
