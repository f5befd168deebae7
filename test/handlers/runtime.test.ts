import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureCatalog, HandlerConfigError, once, readHandlerConfig } from '../../handlers/runtime.ts';
import { bruteForceFinding, detectionFolder, FakeFindingsLake, insertedPartition, isInsert } from './support/fake-lake.ts';
import { ENV } from './support/env.ts';


describe('handler configuration from the environment', () => {
  it('reads every variable of the contract', () => {
    const config = readHandlerConfig({
      ...ENV,
      OKTA_LAKE_THRESHOLDS: '{"okta-brute-force-user": {"min_failures": 30}}',
      OKTA_LAKE_DISABLED_DETECTIONS: '["okta-session-roaming"]',
      OKTA_LAKE_EXCLUSIONS: '{"*": {"ips": ["203.0.113.0/24"]}}',
    });
    expect(config).toEqual({
      workgroup: 'okta-lake',
      database: 'okta_lake',
      bucket: 'okta-lake-123456789012',
      findingsTopicArn: ENV.OKTA_LAKE_FINDINGS_TOPIC_ARN,
      findingsEventBus: 'default',
      thresholds: { 'okta-brute-force-user': { min_failures: 30 } },
      disabledDetections: ['okta-session-roaming'],
      exclusions: { '*': { ips: ['203.0.113.0/24'] } },
    });
  });

  it('names a missing variable and what it must hold', () => {
    const { OKTA_LAKE_BUCKET: _bucket, ...rest } = ENV;
    expect(() => readHandlerConfig(rest)).toThrow('environment variable OKTA_LAKE_BUCKET is not set; it must hold the lake bucket name');
  });

  it.each([
    ['OKTA_LAKE_THRESHOLDS', '{min_failures: 30}', /OKTA_LAKE_THRESHOLDS is not valid JSON .*; expected e\.g\. \{"okta-brute-force-user"/],
    ['OKTA_LAKE_THRESHOLDS', '[30]', /OKTA_LAKE_THRESHOLDS: .*got \[30\]/],
    ['OKTA_LAKE_THRESHOLDS', '{"okta-brute-force-user": {"min_failures": true}}', /OKTA_LAKE_THRESHOLDS at okta-brute-force-user\.min_failures/],
    ['OKTA_LAKE_DISABLED_DETECTIONS', 'okta-session-roaming', /OKTA_LAKE_DISABLED_DETECTIONS is not valid JSON/],
    ['OKTA_LAKE_DISABLED_DETECTIONS', '{"okta-session-roaming": true}', /OKTA_LAKE_DISABLED_DETECTIONS: .*expected e\.g\. \["okta-session-roaming"\]/],
  ])('refuses %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => readHandlerConfig({ ...ENV, [name]: value })).toThrow(message);
    expect(() => readHandlerConfig({ ...ENV, [name]: value })).toThrow(HandlerConfigError);
  });

  it('checks thresholds and switched-off detections against the catalog, naming the variable', () => {
    const catalog = [detectionFolder('okta-brute-force-user')];
    expect(() => configureCatalog(catalog, { thresholds: { 'okta-nope': { x: 1 } }, disabledDetections: [], exclusions: {} })).toThrow(
      /^environment variable OKTA_LAKE_THRESHOLDS: thresholds: no detection "okta-nope"/,
    );
    expect(() => configureCatalog(catalog, { thresholds: { 'okta-brute-force-user': { min_failures: 1 } }, disabledDetections: [], exclusions: {} })).toThrow(
      /OKTA_LAKE_THRESHOLDS: thresholds\.okta-brute-force-user\.min_failures: value 1 is below the minimum 2/,
    );
    expect(() => configureCatalog(catalog, { thresholds: {}, disabledDetections: ['okta-nope'], exclusions: {} })).toThrow(
      /^environment variable OKTA_LAKE_DISABLED_DETECTIONS: disabled detections: no detection "okta-nope"/,
    );
    expect(() => configureCatalog(catalog, { thresholds: {}, disabledDetections: [], exclusions: { 'okta-brute-force-user': { ips: ['10.0.0.0/33'] } } })).toThrow(
      /^environment variable OKTA_LAKE_EXCLUSIONS: exclusions\.okta-brute-force-user\.ips\[0\]: "10\.0\.0\.0\/33": the prefix length must be 0 to 32/,
    );
  });

  it('builds a value once and reuses it', () => {
    let built = 0;
    const get = once(() => ++built);
    expect([get(), get(), get()]).toEqual([1, 1, 1]);
  });
});

describe('the hourly Lambda entry', () => {
  const saved = { ...process.env };
  let root: string | undefined;
  let lake: FakeFindingsLake | undefined;
  afterEach(() => {
    process.env = { ...saved };
    lake?.aws.restore();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('reads its environment and builds its clients once per container, then runs the scheduled hour', async () => {
    // The bundle layout: detections/ and core/sql/ beside the entry, found through the asset root.
    root = mkdtempSync(join(tmpdir(), 'okta-lake-bundle-'));
    mkdirSync(join(root, 'detections'));
    cpSync(join(import.meta.dirname, '../../detections/okta-brute-force-user'), join(root, 'detections/okta-brute-force-user'), { recursive: true });
    cpSync(join(import.meta.dirname, '../../core/sql'), join(root, 'core/sql'), { recursive: true });
    Object.assign(process.env, ENV, { OKTA_LAKE_ASSET_ROOT: root, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' });
    lake = new FakeFindingsLake({ detect: () => [bruteForceFinding()], runningPolls: 0 });

    const { handler } = await import('../../handlers/hourly-detections.ts');
    const first = await handler({ scheduled_time: '2026-11-25T05:20:00Z' });
    process.env.OKTA_LAKE_ATHENA_WORKGROUP = 'changed-after-start';
    const second = await handler({ scheduled_time: '2026-11-25T06:20:00Z' });

    expect(first).toEqual({ hour: '2026-11-25T04', findings: 1, notified: ['a3f1c0de'] });
    expect(second).toMatchObject({ hour: '2026-11-25T05' });
    expect(new Set(lake.aws.queries.map((q) => q.input.WorkGroup))).toEqual(new Set(['okta-lake']));
    expect(lake.aws.queries.filter(isInsert).map((q) => insertedPartition(q, ['run'])[0])).toEqual(['hourly-04', 'hourly-05']);
  });
});
