import { PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { compileNamedParams } from '../../core/sql-params.ts';
import { readSql } from '../../core/sql-files.ts';
import { dailyInvocation } from '../../handlers/daily.ts';
import { createRuntime, readHandlerConfig } from '../../handlers/runtime.ts';
import { recordingSleep, type StartedQuery } from './support/fake-aws.ts';
import { bruteForceFinding, detectionFolder, FakeFindingsLake, insertedPartition, isInsert, type StoredFinding } from './support/fake-lake.ts';
import { silentLog } from './support/log.ts';
import { ENV } from './support/env.ts';

const USERS_SQL = compileNamedParams(readSql('snapshots/activity-users.sql')).text;
const isActivityInsert = (q: StartedQuery) => q.sql.startsWith('insert into "activity"');

const newCountry = (): StoredFinding => ({
  ...bruteForceFinding('carol@example.com', 'nc-carol'),
  detection: 'okta-new-country-for-user',
  title: 'Sign-in from a country new for the user',
  severity: 'HIGH',
  window_start: '2026-11-24 00:00:00.000',
  window_end: '2026-11-25 00:00:00.000',
  summary: 'carol@example.com signed in from BR, not seen in the previous 30 days',
});

let lake: FakeFindingsLake | undefined;
afterEach(() => {
  lake?.aws.restore();
  lake = undefined;
});

function setup(fail?: (q: StartedQuery) => string | undefined) {
  lake = new FakeFindingsLake({
    detect: () => [newCountry()],
    fail,
    other: (q) => {
      if (isActivityInsert(q)) {
        const [dt, batch] = insertedPartition(q, ['dt', 'batch']);
        lake!.aws.objects.set(`activity/dt=${dt}/batch=${batch}/${q.id}.parquet`, []);
        return {};
      }
      if (q.sql === USERS_SQL) return { columns: [{ name: 'users', type: 'bigint' }], rows: [['412']] };
      return undefined;
    },
  });
  const catalog = [detectionFolder('okta-new-country-for-user')];
  const runtime = createRuntime(readHandlerConfig(ENV), silentLog(), { clients: lake.aws, sleep: recordingSleep().sleep, catalog });
  return { lake, aws: lake.aws, runtime };
}

describe('daily snapshot handler', () => {
  it('snapshots the day before the scheduled time, drops that day\'s refresh batches and notifies new findings', async () => {
    const { aws, runtime } = setup();
    aws.objects.set('activity/dt=2026-11-24/batch=refresh-0123456789abcdef/part-0.parquet', []);
    aws.objects.set('activity/dt=2026-11-25/batch=refresh-0123456789abcdef/part-0.parquet', []);

    const result = await dailyInvocation(runtime, { scheduled_time: '2026-11-25T00:30:00Z' }, () => new Date('2026-11-25T00:30:04Z'));

    expect(result).toEqual({ day: '2026-11-24', users: 412, findings: 1, notified: ['nc-carol'] });
    const activityInsert = aws.queries.find(isActivityInsert)!;
    expect(insertedPartition(activityInsert, ['dt', 'batch'])).toEqual(['2026-11-24', 'daily']);
    // :user_id null = every user: the one bound value (in the WHERE clause), sent as a typed-by-context NULL.
    expect(activityInsert.params.length).toBeGreaterThan(0);
    expect(new Set(activityInsert.params)).toEqual(new Set(['NULL']));
    expect(insertedPartition(aws.queries.filter(isInsert)[0]!, ['dt', 'run'])).toEqual(['2026-11-24', 'daily']);
    expect([...aws.objects.keys()].filter((k) => k.startsWith('activity/')).sort()).toEqual([
      `activity/dt=2026-11-24/batch=daily/${activityInsert.id}.parquet`,
      'activity/dt=2026-11-25/batch=refresh-0123456789abcdef/part-0.parquet',
    ]);
    const [publish] = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publish!.Subject).toBe('[HIGH] Sign-in from a country new for the user: carol@example.com');
  });

  it('a rerun of the day notifies nothing', async () => {
    const { aws, runtime } = setup();
    await dailyInvocation(runtime, { scheduled_time: '2026-11-25T00:30:00Z' }, () => new Date('2026-11-25T00:30:04Z'));
    const rerun = await dailyInvocation(runtime, { scheduled_time: '2026-11-25T00:30:00Z' }, () => new Date('2026-11-25T02:00:00Z'));
    expect(rerun.notified).toEqual([]);
    expect(aws.snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('a failed snapshot query fails the invocation and notifies nothing', async () => {
    const { aws, runtime } = setup((q) => (isActivityInsert(q) ? 'HIVE_PARTITION_SCHEMA_MISMATCH' : undefined));
    await expect(dailyInvocation(runtime, { scheduled_time: '2026-11-25T00:30:00Z' }, () => new Date())).rejects.toThrow(
      /FAILED .*HIVE_PARTITION_SCHEMA_MISMATCH/,
    );
    expect(aws.count('SNS.Publish') + aws.count('EventBridge.PutEvents')).toBe(0);
  });
});
