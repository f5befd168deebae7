import { PublishCommand } from '@aws-sdk/client-sns';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { AthenaQueryError, MAX_QUERY_BYTES } from '../../engines/athena/athena-engine.ts';
import { hourlyEntry, hourlyInvocation } from '../../handlers/hourly.ts';
import { createRuntime, readHandlerConfig } from '../../handlers/runtime.ts';
import { dayBefore, hourBefore, scheduledTime } from '../../handlers/schedule.ts';
import { hourLabel } from '../../schema/layout.ts';
import { recordingSleep } from './support/fake-aws.ts';
import { silentLog } from './support/log.ts';
import { bruteForceFinding, detectionFolder, FakeFindingsLake, insertedPartition, isIdentityQuery, isInsert, isLedgerInsert, NOTIFIED_SQL, READ_BACK_SQL, type FakeLakeOptions } from './support/fake-lake.ts';
import type { IdentityContext } from '../../core/identity-context.ts';
import { ENV } from './support/env.ts';


const SCHEDULED = { scheduled_time: '2026-11-25T05:20:00Z' };
const NOW = () => new Date('2026-11-25T05:20:07.512Z');
const ALICE_IDENTITY: IdentityContext = {
  user_id: '00u1alice0000000000a',
  login: 'alice@example.com',
  status: 'ACTIVE',
  identity_kind: 'human',
  admin_roles: ['SUPER_ADMIN'],
  roles_collected: true,
  mfa_strength: 'low',
  factors: ['sms'],
  factors_collected: true,
  inventory_dt: '2026-11-25',
};

let lake: FakeFindingsLake | undefined;
afterEach(() => {
  lake?.aws.restore();
  lake = undefined;
});

function setup(options: FakeLakeOptions, catalog = [detectionFolder('okta-brute-force-user')]) {
  lake = new FakeFindingsLake(options);
  const { sleep } = recordingSleep();
  const log = silentLog();
  const runtime = createRuntime(readHandlerConfig(ENV), log, { clients: lake.aws, sleep, catalog });
  return { lake, aws: lake.aws, runtime, log };
}

describe('hourly detections handler', () => {
  it('runs the hour before the scheduled time on Athena, writes its findings partition and notifies each new finding', async () => {
    const finding = bruteForceFinding();
    const { lake, aws, runtime } = setup({ detect: () => [finding], identities: new Map([['alice@example.com', ALICE_IDENTITY]]) });
    aws.objects.set('findings/dt=2026-11-25/run=hourly-04/stale-from-a-failed-run.parquet', []);

    const result = await hourlyInvocation(runtime, SCHEDULED, NOW);

    expect(result).toEqual({ hour: '2026-11-25T04', findings: 1, notified: ['a3f1c0de'] });
    // The notified ledger of the days around the run, the INSERT, the read-back of the run's partition, the
    // identity of the finding's user, and (after notifying) the ledger rows of what was notified.
    const [known, insert, readBack, identity, ledger] = aws.queries;
    expect(aws.queries).toHaveLength(5);
    expect(isIdentityQuery(identity!)).toBe(true);
    expect(identity!.params).toEqual(["'alice@example.com'"]);
    expect(known!.sql).toBe(NOTIFIED_SQL);
    expect(known!.params).toEqual(["'2026-11-24'", "'2026-11-26'"]);
    expect(isInsert(insert!)).toBe(true);
    expect(insertedPartition(insert!, ['dt', 'run'])).toEqual(['2026-11-25', 'hourly-04']);
    // Generated values (the window, the partitions read) and catalog values (the threshold) are literals, which
    // Athena takes anywhere; an hourly run binds nothing from outside.
    expect(insert!.sql).toContain("cast('2026-11-25 04:00:00.000' as timestamp) as window_start");
    expect(insert!.sql).toContain('having count(*) >= 20');
    expect(insert!.params).toEqual([]);
    expect(readBack!.sql).toBe(READ_BACK_SQL);
    expect(readBack!.params).toEqual(["'2026-11-25'", "'hourly-04'"]);
    // The stale object was cleared before the INSERT; the partition now holds the run's rows only.
    expect([...aws.objects.keys()].filter((k) => k.startsWith('findings/'))).toEqual(['findings/dt=2026-11-25/run=hourly-04/q-2.parquet']);
    expect(lake.stored('2026-11-25', 'hourly-04')).toEqual([finding]);
    expect(isLedgerInsert(ledger!)).toBe(true);
    expect(lake.notifiedIds()).toEqual(['a3f1c0de']);

    const [publish] = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(aws.snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    expect(publish!.TopicArn).toBe(ENV.OKTA_LAKE_FINDINGS_TOPIC_ARN);
    expect(publish!.Subject).toBe('[MEDIUM] Brute force against one user: alice@example.com');
    expect(publish!.Message).toContain('24 failed sign-ins for alice@example.com');
    expect(publish!.Message).toContain('Runbook (detections/okta-brute-force-user/detection.yaml):');
    expect(publish!.Message).toContain('Identity:   ACTIVE human, admin roles SUPER_ADMIN, strongest MFA low (sms)');
    const [put] = aws.eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input);
    const entry = put!.Entries![0]!;
    expect(entry).toMatchObject({ Source: 'okta-log-lake', DetailType: 'Okta Detection Finding', EventBusName: 'default' });
    expect(JSON.parse(entry.Detail!)).toMatchObject({
      finding_id: 'a3f1c0de',
      detection: 'okta-brute-force-user',
      severity: 'MEDIUM',
      entity: { type: 'user', id: 'alice@example.com' },
      window_start: '2026-11-25T04:00:00.000Z',
      window_end: '2026-11-25T05:00:00.000Z',
      first_seen: '2026-11-25T04:02:11.000Z',
      last_seen: '2026-11-25T04:09:57.000Z',
      event_count: 24,
      run: 'hourly-04',
      identity: { user_id: ALICE_IDENTITY.user_id, admin_roles: ['SUPER_ADMIN'], mfa_strength: 'low' },
    });
    expect(JSON.parse(entry.Detail!).event_uuids).toHaveLength(24);
  });

  it('a rerun of the same hour yields the same finding ids and notifies nothing', async () => {
    const { lake, aws, runtime } = setup({ detect: () => [bruteForceFinding('alice@example.com', 'id-alice'), bruteForceFinding('bob@example.com', 'id-bob')] });

    const first = await hourlyInvocation(runtime, SCHEDULED, NOW);
    const second = await hourlyInvocation(runtime, SCHEDULED, () => new Date('2026-11-25T05:24:00Z'));

    expect(first.notified).toEqual(['id-alice', 'id-bob']);
    expect(second).toEqual({ hour: '2026-11-25T04', findings: 2, notified: [] });
    expect(lake.stored('2026-11-25', 'hourly-04').map((f) => f.finding_id)).toEqual(['id-alice', 'id-bob']);
    expect([...aws.objects.keys()].filter((k) => k.startsWith('findings/'))).toHaveLength(1); // replaced, not added to
    expect(aws.snsMock.commandCalls(PublishCommand)).toHaveLength(2);
    expect(aws.eventsMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('a failed query fails the invocation with Athena\'s reason and notifies nothing', async () => {
    const { aws, runtime } = setup({
      detect: () => [bruteForceFinding()],
      fail: (q) => (isInsert(q) ? 'HIVE_BAD_DATA: Error parsing field value' : undefined),
    });

    const error = await hourlyInvocation(runtime, SCHEDULED, NOW).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as Error).message).toMatch(/^Athena query q-2 FAILED .*: HIVE_BAD_DATA: Error parsing field value$/);
    expect(aws.count('SNS.Publish')).toBe(0);
    expect(aws.count('EventBridge.PutEvents')).toBe(0);
    expect(aws.queries).toHaveLength(2); // no read-back after the failure
  });

  it('a notification that failed is sent again by the retry, not forgotten', async () => {
    const { lake, aws, runtime } = setup({ detect: () => [bruteForceFinding()] });
    aws.throttle.set('SNS.Publish', 1000);

    await expect(hourlyInvocation(runtime, SCHEDULED, NOW)).rejects.toThrow();
    expect(lake.notifiedIds()).toEqual([]);
    aws.throttle.set('SNS.Publish', 0);
    const retry = await hourlyInvocation(runtime, SCHEDULED, NOW);

    expect(retry.notified).toEqual(['a3f1c0de']);
    expect(lake.notifiedIds()).toEqual(['a3f1c0de']);
  });

  it('a failed read-back also fails the invocation without notifying', async () => {
    const { aws, runtime } = setup({
      detect: () => [bruteForceFinding()],
      fail: (q) => (q.sql === READ_BACK_SQL ? 'Access denied when writing output to url' : undefined),
    });
    await expect(hourlyInvocation(runtime, SCHEDULED, NOW)).rejects.toThrow(/Access denied when writing output/);
    expect(aws.count('SNS.Publish') + aws.count('EventBridge.PutEvents')).toBe(0);
  });

  it('notifies without the identity line, and logs why, when reading the inventory fails', async () => {
    const { lake, aws, runtime, log } = setup({ detect: () => [bruteForceFinding()], fail: (q) => (isIdentityQuery(q) ? 'TABLE_NOT_FOUND: okta_users' : undefined) });

    const result = await hourlyInvocation(runtime, SCHEDULED, NOW);

    expect(result.notified).toEqual(['a3f1c0de']);
    expect(lake.notifiedIds()).toEqual(['a3f1c0de']);
    const [publish] = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publish!.Message).not.toContain('Identity:');
    expect(log.lines.find((l) => /identity context/.test(l.message))?.fields.error).toMatch(/TABLE_NOT_FOUND/);
  });

  it('completes the run when Athena and S3 throttle along the way', async () => {
    const { aws, runtime } = setup({ detect: () => [bruteForceFinding()] });
    aws.throttle.set('Athena.StartQueryExecution', 3);
    aws.throttle.set('Athena.GetQueryExecution', 2);
    aws.throttle.set('Athena.GetQueryResults', 1);
    aws.throttle.set('S3.ListObjectsV2', 1);
    aws.throttle.set('SNS.Publish', 1);
    aws.throttle.set('EventBridge.PutEvents', 1);

    const result = await hourlyInvocation(runtime, SCHEDULED, NOW);

    expect(result.notified).toEqual(['a3f1c0de']);
    expect(aws.queries).toHaveLength(5);
    expect(aws.snsMock.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('reads a threshold override and a switched-off detection from the environment', async () => {
    lake = new FakeFindingsLake({ detect: () => [] });
    const catalog = [detectionFolder('okta-brute-force-user')];
    const config = readHandlerConfig({ ...ENV, OKTA_LAKE_THRESHOLDS: '{"okta-brute-force-user": {"min_failures": 35}}' });
    const runtime = createRuntime(config, silentLog(), { clients: lake.aws, sleep: recordingSleep().sleep, catalog });

    await hourlyInvocation(runtime, SCHEDULED, NOW);
    expect(lake.aws.queries.find(isInsert)!.sql).toContain('having count(*) >= 35');
    const insertsBefore = lake.aws.queries.filter(isInsert).length;

    const off = createRuntime(readHandlerConfig({ ...ENV, OKTA_LAKE_DISABLED_DETECTIONS: '["okta-brute-force-user"]' }), silentLog(), {
      clients: lake.aws,
      sleep: recordingSleep().sleep,
      catalog,
    });
    lake.aws.objects.set('findings/dt=2026-11-25/run=hourly-04/stale.parquet', []);
    await hourlyInvocation(off, SCHEDULED, NOW);
    // No detection enabled: the hour's partition is emptied, and no INSERT is needed.
    expect(lake.aws.queries.filter(isInsert)).toHaveLength(insertsBefore);
    expect(lake.stored('2026-11-25', 'hourly-04')).toEqual([]);
  });

  it('sends the whole catalog\'s hourly run to Athena within its query-size and parameter limits', async () => {
    const catalog = loadCatalog(`${import.meta.dirname}/../../detections`);
    const { aws, runtime } = setup({ detect: () => [] }, catalog);

    await hourlyInvocation(runtime, SCHEDULED, NOW);

    const insert = aws.queries.find(isInsert)!;
    expect(Buffer.byteLength(insert.sql)).toBeLessThan(MAX_QUERY_BYTES);
    expect(insert.params.every((p) => p.length >= 1 && p.length <= 1024)).toBe(true);
  });
});

describe('re-runs from the re-run queue (gap recovery)', () => {
  const sqs = (...bodies: string[]) => ({ Records: bodies.map((body, i) => ({ eventSource: 'aws:sqs', messageId: `m-${i}`, body })) });

  it('runs the hour each message names, as the Scheduler\'s input would', async () => {
    const { lake, runtime } = setup({ detect: ({ run }) => (run === 'hourly-04' ? [bruteForceFinding()] : []) });

    const results = await hourlyEntry(runtime, sqs('{"scheduled_time":"2026-11-25T05:00:00.000Z"}', '{"scheduled_time":"2026-11-25T06:00:00.000Z"}'), NOW);

    expect(results).toEqual([
      { hour: '2026-11-25T04', findings: 1, notified: ['a3f1c0de'] },
      { hour: '2026-11-25T05', findings: 0, notified: [] },
    ]);
    expect(lake.stored('2026-11-25', 'hourly-04')).toHaveLength(1);
  });

  it('still takes a Scheduler event directly', async () => {
    const { runtime } = setup({ detect: () => [] });

    expect(await hourlyEntry(runtime, SCHEDULED, NOW)).toEqual({ hour: '2026-11-25T04', findings: 0, notified: [] });
  });

  it('fails on a message that is not JSON, naming it, so SQS delivers it again and then dead-letters it', async () => {
    const { runtime, aws } = setup({ detect: () => [] });

    await expect(hourlyEntry(runtime, sqs('scheduled_time=2026-11-25T05:00:00Z'), NOW)).rejects.toThrow(/^hourly-detections: SQS message m-0 is not JSON/);
    expect(aws.queries).toEqual([]);
  });
});

describe('the window comes from the scheduled time, never from the clock', () => {
  it.each([
    ['2026-11-25T05:20:00Z', '2026-11-25T04'],
    ['2026-11-25T00:20:00Z', '2026-11-24T23'],
    ['2026-03-01T00:20:00.000Z', '2026-02-28T23'],
    ['2026-11-25T06:20:00+01:00', '2026-11-25T04'],
  ])('an hourly run scheduled at %s covers arrival hour %s', (at, hour) => {
    expect(hourLabel(hourBefore(scheduledTime({ scheduled_time: at }, 'test')))).toBe(hour);
  });

  it.each([
    ['2026-11-25T00:30:00Z', '2026-11-24'],
    ['2026-03-01T00:30:00Z', '2026-02-28'],
    ['2028-03-01T00:30:00Z', '2028-02-29'],
  ])('a daily run scheduled at %s covers day %s', (at, day) => {
    expect(dayBefore(scheduledTime({ scheduled_time: at }, 'test'))).toBe(day);
  });

  it('a retry hours later reruns the same hour', async () => {
    const { aws, runtime } = setup({ detect: () => [] });
    await hourlyInvocation(runtime, SCHEDULED, () => new Date('2026-11-25T09:02:00Z'));
    expect(insertedPartition(aws.queries.find(isInsert)!, ['dt', 'run'])).toEqual(['2026-11-25', 'hourly-04']);
  });

  it.each([
    [{}, /the event has no scheduled_time; expected \{"scheduled_time"/],
    [{ scheduled_time: 'yesterday' }, /scheduled_time "yesterday" is not an ISO-8601 instant/],
    [{ scheduled_time: '2026-11-25T05:20:00' }, /is not an ISO-8601 instant with a zone/],
    [null, /the event has no scheduled_time/],
  ])('refuses an event without a usable scheduled_time (%j), before any query', async (event, message) => {
    const { aws, runtime } = setup({ detect: () => [] });
    await expect(hourlyInvocation(runtime, event, NOW)).rejects.toThrow(message);
    expect(aws.calls).toEqual([]);
  });
});
