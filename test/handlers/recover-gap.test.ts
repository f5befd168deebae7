/**
 * Gap recovery end to end, with a real Okta stand-in on 127.0.0.1 and AWS faked with aws-sdk-client-mock: the
 * alarm or the hourly check decides and queues a job, the queue's consumer reads the silent window back from the
 * System Log into the api-events Firehose stream, re-runs the recovered hours and tells the ops topic.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { RECOVERY_ENV } from '../../handlers/env.ts';
import { hourlyEntry } from '../../handlers/hourly.ts';
import type { RecoveryJob, RecoveryOutcome } from '../../handlers/recovery/context.ts';
import { recoverGapEntry } from '../../handlers/recovery/entry.ts';
import { STOP_MARGIN_MS } from '../../handlers/recovery/job.ts';
import { createRecoveryRuntime, readRecoveryConfig } from '../../handlers/recovery/runtime.ts';
import { createRuntime, readHandlerConfig } from '../../handlers/runtime.ts';
import { hourLabel, hourOf } from '../../schema/layout.ts';
import { sampleEvent, STAND_IN_API_TOKEN, startOktaStandIn, type OktaStandIn, type StandInLogEvent } from '../support/okta-stand-in/index.ts';
import { recordingSleep } from './support/fake-aws.ts';
import { bruteForceFinding, detectionFolder, FakeFindingsLake, type StoredFinding } from './support/fake-lake.ts';
import { FakeRecoveryAws, OPS_TOPIC_ARN, recoveryEnv, SECRET_ARN } from './support/fake-recovery.ts';
import { silentLog } from './support/log.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Two hours before the current hour, plus ten minutes: recent enough for the stand-in, hours in the past. */
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + 10 * MINUTE);
/** The lake's newest event: the silence started here, 3 h 10 min before NOW. */
const T0 = NOW.getTime() - 3 * HOUR - 10 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the lake holds: an event every 5 minutes for the two hours up to T0, the last one exactly at T0. */
const lakeEvents = (): StandInLogEvent[] => Array.from({ length: 25 }, (_, i) => ({ ...sampleEvent(10_000 + i, T0 - (24 - i) * 5 * MINUTE), uuid: `lake-${i}` }));
/** What the lake misses: an event every 30 s for three hours after T0 (the last at T0 + 2:59:30). */
const gapEvents = (): StandInLogEvent[] => Array.from({ length: 359 }, (_, i) => sampleEvent(i, T0 + (i + 1) * 30_000));
/** Events at and after NOW: the next recovery's. */
const laterEvents = (): StandInLogEvent[] => [sampleEvent(20_000, NOW.getTime()), sampleEvent(20_001, NOW.getTime() + MINUTE)];

const logStream = (status: 'ACTIVE' | 'INACTIVE', eventSourceName = 'okta_log_lake') => ({
  id: `0oa${eventSourceName.replace(/[^a-z]/g, '')}`,
  name: 'okta-log-lake',
  type: 'aws_eventbridge',
  status,
  settings: { accountId: '123456789012', eventSourceName, region: 'eu-west-1' },
});
const OTHER_STREAMS = [
  { id: '0oaSplunk', name: 'splunk', type: 'splunk_cloud_logstreaming', status: 'ACTIVE', settings: { host: 'acme.splunkcloud.com' } },
  logStream('ACTIVE', 'another_lake'),
];

const ALARM = {
  version: '0',
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:acme-lake-okta-silent'],
  detail: { alarmName: 'acme-lake-okta-silent', state: { value: 'ALARM', reason: 'Threshold Crossed' }, previousState: { value: 'OK' } },
};
const CHECK = { scheduled_time: iso(NOW.getTime() - 5 * MINUTE), check: 'log-stream' };

/** A Lambda context with plenty of time, or one the test runs down. */
const plentyOfTime = { getRemainingTimeInMillis: () => 800_000 };

let standIn: OktaStandIn | undefined;
let fake: FakeRecoveryAws | undefined;
let lake: FakeFindingsLake | undefined;
afterEach(async () => {
  await standIn?.close();
  fake?.restore();
  lake?.aws.restore();
  standIn = undefined;
  fake = undefined;
  lake = undefined;
});

interface Setup {
  readonly events?: StandInLogEvent[];
  readonly streams?: Record<string, unknown>[];
  readonly secret?: string | undefined;
  readonly pageSize?: number;
  readonly batchEvents?: number;
  /** The minute the hourly detections run. @default the fake environment's (5) */
  readonly hourlyMinute?: number;
}

async function setup(options: Setup = {}) {
  const events = options.events ?? [...lakeEvents(), ...gapEvents(), ...laterEvents()];
  standIn = await startOktaStandIn({ events, logStreams: options.streams ?? [...OTHER_STREAMS, logStream('INACTIVE')] });
  fake = new FakeRecoveryAws();
  fake.lakeEvents = lakeEvents();
  fake.secretValue = 'secret' in options ? options.secret : JSON.stringify({ apiToken: STAND_IN_API_TOKEN });
  const log = silentLog();
  const env = { ...recoveryEnv(standIn.url), ...(options.hourlyMinute === undefined ? {} : { [RECOVERY_ENV.hourlyMinute]: String(options.hourlyMinute) }) };
  const rt = createRecoveryRuntime(readRecoveryConfig(env), log, {
    clients: fake.clients,
    sleep: recordingSleep().sleep,
    random: () => 0,
    // No backoff and no waiting out a 429's window: retries are immediate, so no test waits for real time.
    okta: { random: () => 0, sleep: async () => {} },
    newId: () => 'job-1',
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.batchEvents ? { batchEvents: options.batchEvents } : {}),
  });
  return { rt, fake, standIn, log };
}

const now = () => NOW;
const single = (o: RecoveryOutcome | RecoveryOutcome[]): RecoveryOutcome => (Array.isArray(o) ? o[0]! : o);
const jobOf = (body: string) => JSON.parse(body) as RecoveryJob;
/** The hours of `events`, `YYYY-MM-DDTHH`, sorted. */
const hoursOf = (events: readonly { published: string }[]) => [...new Set(events.map((e) => hourLabel(hourOf(new Date(e.published)))))].sort();
const rerunTimes = (bodies: readonly string[]) => bodies.map((b) => (JSON.parse(b) as { scheduled_time: string }).scheduled_time);

describe('a 3-hour gap', () => {
  it('is recovered: every event of the window lands once, the recovered hours are re-run, the ops topic hears how long and how many', async () => {
    const { rt, fake } = await setup();
    const missing = gapEvents();

    const decided = single(await recoverGapEntry(rt, ALARM, plentyOfTime, now));
    const done = single(await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now));

    expect(decided.action).toBe('queued');
    expect(fake.jobs[0]).toMatchObject({ groupId: 'recover-gap', deduplicationId: expect.stringMatching(/^start-[0-9a-f]{32}$/) });
    expect(jobOf(fake.jobs[0]!.body).windows).toEqual([{ since: iso(T0), until: NOW.toISOString(), skipUuid: 'lake-24' }]);
    expect(done.action).toBe('completed');
    // Every event of the window once, in Okta's order; not the lake's newest (at `since`), not those at or after `until`.
    expect(fake.records.map((r) => r.uuid)).toEqual(missing.map((e) => e.uuid));
    // The recovered hours, each once, each as the Scheduler would have asked for it: the hour after, exactly.
    const hours = hoursOf(missing);
    expect(hours).toHaveLength(3);
    expect(rerunTimes(fake.reruns)).toEqual(hours.map((h) => new Date(Date.parse(`${h}:00:00Z`) + HOUR).toISOString()));
    const [message, ...others] = fake.published();
    expect(others).toEqual([]);
    expect(message!.TopicArn).toBe(OPS_TOPIC_ARN);
    expect(message!.Subject).toBe('okta-log-lake: 359 Okta events recovered from a 3 h 10 min gap; log stream still off');
    expect(message!.Message).toContain(`${iso(T0)} to ${NOW.toISOString()} (3 h 10 min)`);
    expect(message!.Message).toContain('Events read from Okta: 360; written to the lake: 359');
    expect(message!.Message).toContain(`Hourly detections re-run in about 6 min for: ${hours.join(', ')}.`);
  });

  it('leaves out of the re-runs the hour whose scheduled run is still to come: that run reads what was recovered', async () => {
    // NOW is HH:10; with the hourly detections at :20, the hour before NOW's hour runs at HH:20, after the recovery.
    const { rt, fake } = await setup({ hourlyMinute: 20 });
    const hours = hoursOf(gapEvents());

    await recoverGapEntry(rt, ALARM, plentyOfTime, now);
    await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now);

    expect(rerunTimes(fake.reruns)).toEqual(hours.slice(0, -1).map((h) => new Date(Date.parse(`${h}:00:00Z`) + HOUR).toISOString()));
  });

  it('re-run through the hourly handler, notifies only the findings the recovered events made new', async () => {
    const recovery = await setup();
    await recoverGapEntry(recovery.rt, ALARM, plentyOfTime, now);
    await recoverGapEntry(recovery.rt, recovery.fake.jobEvent(0), plentyOfTime, now);
    const reruns = [...recovery.fake.reruns];
    recovery.fake.restore();
    fake = undefined;
    // The middle hour had been run (and its finding notified) before the gap was noticed; recovered events add one.
    const hour = hoursOf(gapEvents())[1]!;
    const [dt, hh] = hour.split('T') as [string, string];
    const window = (f: StoredFinding): StoredFinding => ({ ...f, window_start: `${dt} ${hh}:00:00.000`, window_end: `${dt} ${hh}:59:59.999` });
    const known = window(bruteForceFinding('alice@example.com', 'known-1'));
    // Made of recovered events: uuids the ledger has never seen.
    const recovered = { ...window(bruteForceFinding('bob@example.com', 'new-1')), event_uuids: gapEvents().slice(140, 164).map((e) => e.uuid) };
    let recoveredLanded = false;
    lake = new FakeFindingsLake({ detect: ({ run }) => (run !== `hourly-${hh}` ? [] : recoveredLanded ? [known, recovered] : [known]) });
    const runtime = createRuntime(readHandlerConfig({
      OKTA_LAKE_ATHENA_WORKGROUP: 'acme-lake',
      OKTA_LAKE_GLUE_DATABASE: 'acme_lake',
      OKTA_LAKE_BUCKET: 'acme-lake-123456789012-eu-west-1',
      OKTA_LAKE_FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:acme-lake-findings',
      OKTA_LAKE_FINDINGS_EVENT_BUS: 'default',
    }), silentLog(), { clients: lake.aws, sleep: recordingSleep().sleep, catalog: [detectionFolder('okta-brute-force-user')] });
    const scheduled = rerunTimes(reruns)[1]!;
    const first = await hourlyEntry(runtime, { scheduled_time: scheduled }, () => new Date(Date.parse(scheduled) + 20 * MINUTE));
    lake.aws.snsMock.resetHistory();
    recoveredLanded = true;

    const results = await hourlyEntry(
      runtime,
      { Records: reruns.map((body, i) => ({ eventSource: 'aws:sqs', messageId: `rerun-${i}`, body })) },
      () => NOW,
    );

    expect(first).toMatchObject({ hour, notified: ['known-1'] });
    expect((results as { hour: string; notified: readonly string[] }[]).map((r) => [r.hour, r.notified])).toEqual(
      hoursOf(gapEvents()).map((h) => [h, h === hour ? ['new-1'] : []]),
    );
    const published = lake.aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(published).toEqual(['[MEDIUM] Brute force against one user: bob@example.com']);
    expect(lake.notifiedIds().sort()).toEqual(['known-1', 'new-1']);
  });

  it('continues from its checkpoint when the invocation runs out of time: no gap, no duplicate', async () => {
    const { rt, fake, standIn } = await setup({ pageSize: 50, batchEvents: 50 });
    let remaining = 800_000;
    // After the third batch the invocation is close to its end.
    fake.onPut = (call) => void (call === 3 && (remaining = STOP_MARGIN_MS - 1));
    const running = { getRemainingTimeInMillis: () => remaining };
    await recoverGapEntry(rt, ALARM, plentyOfTime, now);

    const first = single(await recoverGapEntry(rt, fake.jobEvent(0), running, now));
    const continuation = jobOf(fake.jobs[1]!.body);
    const logRequests = () => standIn.requests.filter((r) => r.path === '/api/v1/logs');
    const requestsBefore = logRequests().length;
    const second = single(await recoverGapEntry(rt, fake.jobEvent(1), plentyOfTime, now));

    expect(first).toMatchObject({ action: 'continued', reason: 'deadline' });
    expect(fake.jobs[1]).toMatchObject({ groupId: 'recover-gap', deduplicationId: 'job-1-1' });
    expect(continuation).toMatchObject({ id: 'job-1', current: 0, read: 150, written: 149, invocations: 1, hours: hoursOf(gapEvents().slice(0, 149)) });
    expect(continuation.resumeFrom).toMatch(new RegExp(`^${standIn.url}/api/v1/logs\\?.*after=`));
    // The next invocation starts at the saved cursor, not at the window's start.
    expect(logRequests()[requestsBefore]!.query.get('after')).toBe(new URL(continuation.resumeFrom!).searchParams.get('after'));
    expect(second).toMatchObject({ action: 'completed', job: { read: 360, written: 359, invocations: 2 } });
    const uuids = fake.records.map((r) => r.uuid);
    expect(uuids).toEqual(gapEvents().map((e) => e.uuid));
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(fake.published()[0]!.Message).toContain('The recovery took 2 function invocations');
  });

  it('retries Okta\'s 429 and 500 answers in the middle of the window and still lands every event once', async () => {
    const { rt, fake, standIn } = await setup({ pageSize: 100 });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'rate-limited' } });
    standIn.inject({ on: { path: '/api/v1/logs', nth: 4 }, action: { kind: 'server-error', status: 503 } });
    await recoverGapEntry(rt, ALARM, plentyOfTime, now);

    const done = single(await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now));

    expect(done.action).toBe('completed');
    expect(standIn.requests.filter((r) => r.path === '/api/v1/logs').map((r) => r.status)).toEqual([200, 429, 200, 503, 200, 200]);
    expect(fake.records.map((r) => r.uuid)).toEqual(gapEvents().map((e) => e.uuid));
  });

  it('keeps going from its checkpoint when Okta stays down past the client\'s retries, then gives up with one ops message', async () => {
    const { rt, fake, standIn } = await setup({ pageSize: 100, batchEvents: 100 });
    // The second page fails for good (every attempt of three invocations).
    standIn.inject({ on: { path: '/api/v1/logs', nth: 2 }, action: { kind: 'server-error' }, times: 100 });
    await recoverGapEntry(rt, ALARM, plentyOfTime, now);

    const outcomes = [];
    for (let n = 0; n < 3; n++) outcomes.push(single(await recoverGapEntry(rt, fake.jobEvent(n), plentyOfTime, now)).action);

    expect(outcomes).toEqual(['continued', 'continued', 'failed']);
    // The first page (the lake's newest event, then 99 missing ones) was written before the failure.
    expect(jobOf(fake.jobs[1]!.body)).toMatchObject({ failures: 1, read: 100, written: 99 });
    expect(jobOf(fake.jobs[1]!.body).resumeFrom).toContain('after=');
    // The first page once: each attempt resumed after it.
    expect(fake.records.map((r) => r.uuid)).toEqual(gapEvents().slice(0, 99).map((e) => e.uuid));
    const [failed, ...others] = fake.published();
    expect(others).toEqual([]);
    expect(failed!.Subject).toBe('okta-log-lake: Okta gap recovery failed');
    expect(failed!.Message).toContain('Gap recovery stopped after 3 attempt(s): OktaApiError');
    expect(failed!.Message).toContain(`aws lambda invoke --function-name acme-lake-recover-gap --cli-binary-format raw-in-base64-out --payload '{"since":"${gapEvents()[98]!.published}","until":"${NOW.toISOString()}"}'`);
  });
});

describe('the log stream', () => {
  it('reported INACTIVE is named in the ops message, with how to activate it again', async () => {
    const { rt, fake } = await setup();
    await recoverGapEntry(rt, ALARM, plentyOfTime, now);

    await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now);

    const message = fake.published()[0]!.Message!;
    expect(message).toContain('The Okta log stream "okta-log-lake" (okta_log_lake) is still INACTIVE');
    expect(message).toContain('Okta Admin Console > Reports > Log Streaming > "okta-log-lake" > Activate');
    expect(message).toContain('re-apply the plan (npx cdktf deploy, or terraform apply in cdktf.out/stacks/okta-log-lake)');
  });

  it('reported ACTIVE gets no instructions', async () => {
    const { rt, fake } = await setup({ streams: [...OTHER_STREAMS, logStream('ACTIVE')] });
    await recoverGapEntry(rt, ALARM, plentyOfTime, now);

    await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now);

    const message = fake.published()[0]!;
    expect(message.Subject).not.toContain('still off');
    expect(message.Message).toContain('Okta reports the log stream "okta-log-lake" (okta_log_lake) ACTIVE.');
    expect(message.Message).not.toContain('Activate');
  });

  it('off makes the hourly check read even a short tail back', async () => {
    const tail = [sampleEvent(1, NOW.getTime() - 20 * MINUTE), sampleEvent(2, NOW.getTime() - 10 * MINUTE)];
    const { rt, fake } = await setup({ events: [...lakeEvents(), ...tail] });
    // The lake is 20 minutes behind: no silence by the clock, but Okta says the stream is off.
    fake.lakeEvents = [{ uuid: 'fresh', published: iso(NOW.getTime() - 25 * MINUTE) }];

    const decided = single(await recoverGapEntry(rt, CHECK, plentyOfTime, now));
    await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now);

    expect(decided.action).toBe('queued');
    expect(fake.records.map((r) => r.uuid)).toEqual(tail.map((e) => e.uuid));
    expect(fake.published()).toHaveLength(1);
  });
});

describe('the hourly check', () => {
  it('starts nothing while the stream is ACTIVE and the lake is current', async () => {
    const { rt, fake, standIn } = await setup({ streams: [logStream('ACTIVE')] });
    fake.lakeEvents = [{ uuid: 'fresh', published: iso(NOW.getTime() - 5 * MINUTE) }];

    const decided = single(await recoverGapEntry(rt, CHECK, plentyOfTime, now));

    expect(decided).toMatchObject({ action: 'nothing-missing', stream: { state: 'ACTIVE' } });
    expect(fake.jobs).toEqual([]);
    expect(fake.published()).toEqual([]);
    expect(standIn.requestCount('/api/v1/logs')).toBe(0);
  });

  it('starts nothing while a recovery waits or runs on the queue', async () => {
    const { rt, fake, standIn } = await setup();
    fake.queueDepth.inFlight = 1;

    const decided = single(await recoverGapEntry(rt, CHECK, plentyOfTime, now));

    expect(decided.action).toBe('already-running');
    expect(fake.jobs).toEqual([]);
    expect(standIn.requestCount()).toBe(0);
  });

  it('ignores the state changes of other alarms, and the okta-silent alarm going back to OK', async () => {
    const { rt, fake } = await setup();

    const other = single(await recoverGapEntry(rt, { ...ALARM, detail: { ...ALARM.detail, alarmName: 'acme-lake-refresh-user-errors' } }, plentyOfTime, now));
    const ok = single(await recoverGapEntry(rt, { ...ALARM, detail: { ...ALARM.detail, state: { value: 'OK' } } }, plentyOfTime, now));

    expect([other.action, ok.action]).toEqual(['ignored', 'ignored']);
    expect(fake.jobs).toEqual([]);
  });
});

describe('no secret value', () => {
  it('tells the ops topic once that API access is not configured and how to set it, and fails nothing', async () => {
    const { rt, fake, standIn } = await setup({ secret: undefined });

    const alarm = single(await recoverGapEntry(rt, ALARM, plentyOfTime, now));
    const check = single(await recoverGapEntry(rt, CHECK, plentyOfTime, now));

    expect([alarm.action, check.action]).toEqual(['not-configured', 'not-configured']);
    const [message, ...others] = fake.published();
    expect(others).toEqual([]);
    expect(message!.Subject).toBe('okta-log-lake: Okta events missing, gap recovery not configured');
    expect(message!.Message).toContain(`aws secretsmanager put-secret-value --secret-id '${SECRET_ARN}' --secret-string '{"apiToken":"00a..."}'`);
    expect(message!.Message).toContain(`--payload '{"since":"${iso(T0)}"`);
    expect(fake.jobs).toEqual([]);
    expect(standIn.requestCount()).toBe(0);
  });

  it('is looked up again at the next invocation: a value put after the alarm is used at once', async () => {
    const { rt, fake } = await setup({ secret: undefined });
    await recoverGapEntry(rt, ALARM, plentyOfTime, now);
    fake.secretValue = JSON.stringify({ apiToken: STAND_IN_API_TOKEN });

    const check = single(await recoverGapEntry(rt, CHECK, plentyOfTime, now));

    expect(check.action).toBe('queued');
  });

  it('says what is wrong with a value it cannot use, without quoting it', async () => {
    const { rt, fake } = await setup({ secret: '{"apiToken": "00abc", "password": "hunter2"}' });

    await recoverGapEntry(rt, ALARM, plentyOfTime, now);

    const [message] = fake.published();
    expect(message!.Subject).toBe('okta-log-lake: gap recovery cannot use the Okta API secret');
    expect(message!.Message).toContain('has unknown field(s) password');
    expect(message!.Message).not.toContain('hunter2');
    expect(message!.Message).not.toContain('00abc');
  });
});

describe('by hand', () => {
  it('recovers the window it is given, waiting its turn on the queue', async () => {
    const { rt, fake } = await setup();
    fake.queueDepth.visible = 1;
    const since = iso(T0 + HOUR);
    const until = iso(T0 + 2 * HOUR);

    const decided = single(await recoverGapEntry(rt, { since, until }, plentyOfTime, now));
    await recoverGapEntry(rt, fake.jobEvent(0), plentyOfTime, now);

    expect(decided.action).toBe('queued');
    expect(fake.jobs[0]!.deduplicationId).toBe('manual-job-1');
    expect(fake.records.map((r) => r.uuid)).toEqual(gapEvents().filter((e) => e.published >= since && e.published < until).map((e) => e.uuid));
  });

  it('refuses a window that is not one, naming the field', async () => {
    const { rt } = await setup();

    await expect(recoverGapEntry(rt, { since: 'yesterday' }, plentyOfTime, now)).rejects.toThrow('since "yesterday" is not an ISO-8601 instant');
    await expect(recoverGapEntry(rt, { since: iso(T0), until: iso(T0 - 1) }, plentyOfTime, now)).rejects.toThrow(/is not before until/);
  });
});
