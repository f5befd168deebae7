import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { INVENTORY_OFF, refreshOkta } from '../../handlers/refresh-okta.ts';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from '../../inventory/identity-kind.ts';
import { sampleEvent, STAND_IN_API_TOKEN, startOktaStandIn, type OktaStandIn, type StandInIdentityOrg } from '../support/okta-stand-in/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshRunName } from '../../core/refresh-user.ts';
import { compileNamedParams } from '../../core/sql-params.ts';
import { readSql } from '../../core/sql-files.ts';
import { FINDING_EVENT } from '../../core/findings.ts';
import { REFRESH_RUN_PREFIX, refreshEntry, refreshInvocation, refreshRequest } from '../../handlers/refresh.ts';
import { createRuntime, readHandlerConfig } from '../../handlers/runtime.ts';
import { recordingSleep, type Outcome, type StartedQuery } from './support/fake-aws.ts';
import { bruteForceFinding, detectionFolder, FakeFindingsLake, insertedPartition, isInsert, type StoredFinding } from './support/fake-lake.ts';
import { silentLog } from './support/log.ts';
import { ENV } from './support/env.ts';
import type { IdentityContext } from '../../core/identity-context.ts';

const RESOLVE_SQL = compileNamedParams(readSql('snapshots/resolve-user.sql')).text;
const CURRENT_SQL = compileNamedParams(readSql('snapshots/activity-current.sql')).text;
const NOW = () => new Date('2026-11-25T04:31:00Z');

/** A finding event as EventBridge delivers it to the rule's target. */
const findingEvent = (detail: Record<string, unknown>) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': FINDING_EVENT.detailType,
  source: FINDING_EVENT.source,
  account: '123456789012',
  time: '2026-11-25T04:30:12Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});

const newCountry = (): StoredFinding => ({
  ...bruteForceFinding('alice@example.com', 'nc-alice'),
  detection: 'okta-new-country-for-user',
  title: 'Sign-in from a country new for the user',
  severity: 'HIGH',
  window_start: '2026-11-25 00:00:00.000',
  window_end: '2026-11-26 00:00:00.000',
});

let lake: FakeFindingsLake | undefined;
afterEach(() => {
  lake?.aws.restore();
  lake = undefined;
});

function setup(
  known = true,
  extra?: (q: StartedQuery) => Outcome | undefined,
  options: { detect?: () => readonly StoredFinding[]; catalog?: string[]; identities?: ReadonlyMap<string, IdentityContext> } = {},
) {
  lake = new FakeFindingsLake({
    detect: options.detect ?? (() => [newCountry()]),
    ...(options.identities ? { identities: options.identities } : {}),
    other: (q: StartedQuery) => {
      const answered = extra?.(q);
      if (answered) return answered;
      if (q.sql === RESOLVE_SQL) {
        return {
          columns: [{ name: 'user_id', type: 'varchar' }, { name: 'login', type: 'varchar' }, { name: 'last_seen', type: 'timestamp' }],
          rows: known ? [['00u1a2b3c4d5e6f7g8h9', 'alice@example.com', '2026-11-25 04:09:57.000']] : [],
        };
      }
      if (q.sql.startsWith('insert into "activity"')) {
        const [dt, batch] = insertedPartition(q, ['dt', 'batch']);
        lake!.aws.objects.set(`activity/dt=${dt}/batch=${batch}/${q.id}.parquet`, []);
        return {};
      }
      if (q.sql === CURRENT_SQL) {
        return { columns: [{ name: 'user_id', type: 'varchar' }, { name: 'login', type: 'varchar' }], rows: [['00u1a2b3c4d5e6f7g8h9', 'alice@example.com']] };
      }
      return undefined;
    },
  });
  const catalog = (options.catalog ?? ['okta-new-country-for-user']).map(detectionFolder);
  const log = silentLog();
  const runtime = createRuntime(readHandlerConfig(ENV), log, { clients: lake.aws, sleep: recordingSleep().sleep, catalog });
  return { lake, aws: lake.aws, runtime, log };
}

describe('what a refresh-user invocation asks for', () => {
  it('a finding about a user asks to refresh that user', () => {
    expect(refreshRequest(findingEvent({ finding_id: 'f1', run: 'hourly-04', entity: { type: 'user', id: 'alice@example.com' } }))).toEqual({
      kind: 'refresh',
      user: 'alice@example.com',
      via: 'event',
      finding_id: 'f1',
      trigger: { finding_id: 'f1', run: 'hourly-04', entity: { type: 'user', id: 'alice@example.com' } },
    });
  });

  it("refreshes the day of the finding's window, not the clock's, when the run straddles midnight", () => {
    // The hourly run of 23:00 fires at 00:20 the next day; the user's activity of interest is the day before.
    const event = findingEvent({ finding_id: 'f2', run: 'hourly-23', window_start: '2026-11-24T23:00:00.000Z', entity: { type: 'user', id: 'alice@example.com' } });
    expect(refreshRequest(event)).toMatchObject({ kind: 'refresh', user: 'alice@example.com', via: 'event', day: '2026-11-24', finding_id: 'f2' });
  });

  it('a direct invocation may name the day', () => {
    expect(refreshRequest({ user: 'alice@example.com', day: '2026-11-24' })).toEqual({ kind: 'refresh', user: 'alice@example.com', via: 'direct', day: '2026-11-24' });
  });

  it('a direct invocation names the user', () => {
    expect(refreshRequest({ user: ' 00u1a2b3c4d5e6f7g8h9 ' })).toEqual({ kind: 'refresh', user: '00u1a2b3c4d5e6f7g8h9', via: 'direct' });
  });

  it('a finding about an IP or a session refreshes nobody', () => {
    expect(refreshRequest(findingEvent({ run: 'hourly-04', entity: { type: 'ip', id: '203.0.113.9' } }))).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/about "ip", not a user/) });
  });

  it('a finding written by a refresh does not escalate again: the loop ends after one hop', () => {
    const run = refreshRunName('00u1a2b3c4d5e6f7g8h9');
    expect(run.startsWith(REFRESH_RUN_PREFIX)).toBe(true);
    expect(refreshRequest(findingEvent({ run, entity: { type: 'user', id: 'alice@example.com' } }))).toMatchObject({
      kind: 'skip',
      reason: expect.stringMatching(/comes from a refresh/),
    });
  });

  it.each([
    [{ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, /expected a finding event .* or \{"user"/],
    [{ user: 42 }, /"user" must be a non-empty string/],
    ['alice@example.com', /expected a finding event/],
  ])('refuses an input it does not understand (%j)', (event, message) => {
    expect(() => refreshRequest(event)).toThrow(message);
  });
});

describe('refresh-user handler', () => {
  it('refreshes the user a finding names, notifies the refresh\'s new findings, and those do not escalate again', async () => {
    const { aws, runtime } = setup();

    const result = await refreshInvocation(
      runtime,
      findingEvent({ finding_id: 'bf-alice', run: 'hourly-04', entity: { type: 'user', id: 'alice@example.com' } }),
      NOW,
    );

    const run = refreshRunName('00u1a2b3c4d5e6f7g8h9');
    expect(result).toEqual({
      refreshed: true,
      user: 'alice@example.com',
      day: '2026-11-25',
      found: true,
      run,
      findings: 1,
      notified: ['nc-alice'],
      okta: { lakeOnly: 'no Okta API access configured for this function: the refresh used the lake only' },
      inventory: { notRead: 'no Okta API access configured for this function: the refresh used the lake only' },
    });
    expect(aws.queries[0]!.sql).toBe(RESOLVE_SQL);
    expect(aws.queries[0]!.params).toContain("'alice@example.com'");
    expect(insertedPartition(aws.queries.filter(isInsert)[0]!, ['dt', 'run'])).toEqual(['2026-11-25', run]);

    // The refresh's finding event comes back to the function through the rule, and stops there.
    const detail = JSON.parse(aws.eventsMock.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!);
    expect(detail.run).toBe(run);
    const queriesBefore = aws.queries.length;
    const again = await refreshInvocation(runtime, findingEvent(detail), NOW);
    expect(again).toMatchObject({ refreshed: false });
    expect(aws.queries).toHaveLength(queriesBefore);
    expect(aws.eventsMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('a user the lake does not know writes and notifies nothing', async () => {
    const { aws, runtime } = setup(false);
    const result = await refreshInvocation(runtime, { user: 'nobody@example.com' }, NOW);
    expect(result).toMatchObject({ refreshed: true, found: false, notified: [] });
    expect(aws.queries).toHaveLength(1);
    expect(aws.count('SNS.Publish') + aws.count('EventBridge.PutEvents')).toBe(0);
  });

  it('an injection attempt as a user finds nobody and runs no SQL', async () => {
    const { aws, runtime, log } = setup();

    await expect(refreshInvocation(runtime, { user: "x' OR '1'='1" }, NOW)).rejects.toThrow(/is neither an Okta user id .* nor a login/);
    const viaEvent = await refreshInvocation(runtime, findingEvent({ run: 'hourly-04', entity: { type: 'user', id: "x' OR '1'='1" } }), NOW);

    expect(viaEvent).toMatchObject({ refreshed: false });
    expect(log.lines.some((l) => l.message.startsWith('refresh refused'))).toBe(true);
    expect(aws.calls).toEqual([]);
  });

  it('takes the finding event from the escalation queue: one SQS record, its body the EventBridge event', async () => {
    const { runtime } = setup();
    const sqs = {
      Records: [
        {
          messageId: 'm-1',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:okta-lake-refresh-requests.fifo',
          attributes: { MessageGroupId: 'refresh-user' },
          body: JSON.stringify(findingEvent({ finding_id: 'bf-alice', run: 'hourly-04', entity: { type: 'user', id: 'alice@example.com' } })),
        },
      ],
    };

    const results = await refreshEntry(runtime, sqs, NOW);

    expect(results).toEqual([expect.objectContaining({ refreshed: true, user: 'alice@example.com', notified: ['nc-alice'] })]);
  });

  it('fails (so SQS retries, then dead-letters) on a queue message that is not JSON, naming the message', async () => {
    const { runtime, aws } = setup();

    await expect(refreshEntry(runtime, { Records: [{ messageId: 'm-2', eventSource: 'aws:sqs', body: '{not json' }] }, NOW)).rejects.toThrow(
      /SQS message m-2 is not JSON/,
    );
    expect(aws.calls).toEqual([]);
  });

  it('still takes a direct invocation through the same entry', async () => {
    const { runtime } = setup(false);

    expect(await refreshEntry(runtime, { user: 'nobody@example.com' }, NOW)).toMatchObject({ refreshed: true, found: false });
  });
});

describe('refresh-user with the Okta API (in AWS)', () => {
  const NEWEST_SQL = compileNamedParams(readSql('core/sql/newest-hour-of-day.sql')).text;
  const USER_ID = '00u1a2b3c4d5e6f7g8h9';
  const oktaEvent = (i: number, at: string) => ({ ...sampleEvent(i, Date.parse(at)), actor: { id: USER_ID, type: 'User', alternateId: 'alice@example.com', displayName: 'Alice' } });
  let standIn: OktaStandIn | undefined;
  const secrets = mockClient(SecretsManagerClient);
  const firehose = mockClient(FirehoseClient);
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
    secrets.reset();
    firehose.reset();
  });

  const KNOWN_SQL_FIRST_LINE = readSql('core/sql/known-uuids.sql').split('\n', 1)[0]!;
  /** A clock that waiting moves on (the landing wait polls until a bound). */
  let clock: { now: () => Date; sleep: (ms: number) => Promise<void> };

  /** The lake's newest hour of the day is 04; Okta holds two of alice's events of that hour, not yet in the lake. */
  async function withOkta(secretValue: string | undefined, delivers = true, inventory?: { identities: StandInIdentityOrg; rules: IdentityRules }) {
    let t = NOW().getTime();
    clock = { now: () => new Date(t), sleep: async (ms) => void (t += ms) };
    // The newest-hour query, its day written in as a literal.
    const base = setup(true, (q) => {
      if (q.sql.startsWith(NEWEST_SQL.split('\n', 1)[0]!)) return { columns: [{ name: 'newest', type: 'varchar' }], rows: [['2026-11-25-04']] };
      // The lake holds none of the fetched uuids yet.
      if (q.sql.startsWith(KNOWN_SQL_FIRST_LINE)) return { columns: [{ name: 'uuid', type: 'varchar' }], rows: [] };
      // The registration of an inventory partition the refresh wrote.
      if (q.sql.startsWith('ALTER TABLE')) return {};
      return undefined;
    });
    const answer = base.lake.aws;
    const objectsPut: string[] = [];
    answer.s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      answer.calls.push('S3.PutObject');
      objectsPut.push(input.Key!);
      answer.objects.set(input.Key!, []);
      return { ETag: '"etag"' };
    });
    standIn = await startOktaStandIn({
      events: [oktaEvent(1, '2026-11-25T04:10:00Z'), oktaEvent(2, '2026-11-25T04:20:00Z'), sampleEvent(3, Date.parse('2026-11-25T04:21:00Z'))],
      ...(inventory ? { identities: inventory.identities } : {}),
    });
    if (secretValue === undefined) secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('no value'), { name: 'ResourceNotFoundException' }));
    else secrets.on(GetSecretValueCommand).resolves({ SecretString: secretValue });
    const put: string[] = [];
    // The partner stream writes the same hour's prefix on its own: its files must not end the wait.
    answer.objects.set('okta/events/dt=2026-11-25/hour=04/okta-lake-okta-events-1-2026-11-25-04-30-00-aaaa.parquet', []);
    answer.modifiedAt.set('okta/events/dt=2026-11-25/hour=04/okta-lake-okta-events-1-2026-11-25-04-30-00-aaaa.parquet', new Date(NOW().getTime() + 60_000));
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      for (const r of input.Records ?? []) put.push(JSON.parse(Buffer.from(r.Data as Uint8Array).toString('utf8')).uuid);
      if (!delivers) return { FailedPutCount: 0, RequestResponses: (input.Records ?? []).map((_, i) => ({ RecordId: `r${i}` })) };
      // Firehose delivers the batch to S3 under its published hour, named after the stream.
      const key = 'okta/events/dt=2026-11-25/hour=04/okta-lake-okta-api-events-1-2026-11-25-04-31-20-0c3e.parquet';
      answer.objects.set(key, []);
      answer.modifiedAt.set(key, clock.now());
      return { FailedPutCount: 0, RequestResponses: (input.Records ?? []).map((_, i) => ({ RecordId: `r${i}` })) };
    });
    const okta = refreshOkta(
      {
        secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-lake/okta-api',
        orgUrl: new URL(standIn.url),
        apiStreamName: 'okta-lake-okta-api-events',
        apiStreamDelaySeconds: 90,
        bucket: ENV.OKTA_LAKE_BUCKET,
        ...(inventory ? { identityRules: inventory.rules } : {}),
      },
      base.log,
      { clients: { secrets: new SecretsManagerClient({ region: 'eu-west-1' }), firehose: new FirehoseClient({ region: 'eu-west-1' }), s3: answer.s3 }, sleep: clock.sleep, now: clock.now, okta: { random: () => 0 } },
    );
    return { ...base, okta, put, objectsPut };
  }

  /** Alice in Okta: one SMS factor, one laptop, no admin role. */
  const aliceOrg = (): StandInIdentityOrg => ({
    users: [
      {
        id: USER_ID,
        status: 'ACTIVE',
        created: '2025-02-01T09:00:00.000Z',
        activated: '2025-02-01T09:00:00.000Z',
        lastLogin: '2026-11-25T04:09:57.000Z',
        type: { id: 'oty1standIn2type3xyz' },
        profile: { login: 'alice@example.com', email: 'alice@example.com', firstName: 'Alice', lastName: 'Smith', userType: 'Employee' },
      },
    ],
    factors: new Map([[USER_ID, [{ id: 'sms1alice', factorType: 'sms', provider: 'OKTA', status: 'ACTIVE', created: '2025-02-01T09:05:00.000Z', profile: { phoneNumber: '+1-555-010-0199' } }]]]),
    roles: new Map(),
    devices: [
      {
        device: { id: 'guo1alice2laptop3xyz', status: 'ACTIVE', created: '2025-02-02T10:00:00.000Z', profile: { displayName: "Alice's MacBook Pro", platform: 'MACOS', registered: true } },
        users: [{ userId: USER_ID, managementStatus: 'MANAGED' }],
      },
    ],
  });

  it("re-reads the user's factors, devices and roles from Okta before their checks, and the one message says what was read", async () => {
    const { runtime, okta, aws, objectsPut } = await withOkta(JSON.stringify({ apiToken: STAND_IN_API_TOKEN }), true, { identities: aliceOrg(), rules: DEFAULT_IDENTITY_RULES });
    const event = findingEvent({ finding_id: 'bf-alice', detection: 'okta-brute-force-user', title: 'Brute force against one user', severity: 'MEDIUM', run: 'hourly-04', entity: { type: 'user', id: 'alice@example.com' } });

    const result = await refreshInvocation(runtime, event, NOW, okta);

    const batch = refreshRunName(USER_ID);
    expect(result).toMatchObject({ refreshed: true, found: true, inventory: { batch, users: 1, factors: 1, devices: 1, roles: 0, skipped: [] } });
    expect(standIn!.requests.filter((r) => r.path.startsWith('/api/v1/users/')).map((r) => r.path).sort()).toEqual(
      [`/api/v1/users/${USER_ID}`, `/api/v1/users/${USER_ID}/devices`, `/api/v1/users/${USER_ID}/factors`, `/api/v1/users/${USER_ID}/roles`].sort(),
    );
    // The user's own batch of each inventory table, under the day refreshed.
    expect(objectsPut.map((k) => k.replace(/part-[0-9a-f-]{36}\.parquet$/, '*')).sort()).toEqual(
      ['users', 'factors', 'devices', 'admin-roles'].map((t) => `inventory/${t}/dt=2026-11-25/batch=${batch}/*`).sort(),
    );
    // Read before the checks ran: the partitions are registered before the refresh's findings are written.
    const registered = aws.queries.findIndex((q) => q.sql.startsWith('ALTER TABLE'));
    expect(registered).toBeGreaterThanOrEqual(0);
    expect(registered).toBeLessThan(aws.queries.findIndex(isInsert));
    const [publish] = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publish!.Message).toContain(`Identity re-read from Okta (${standIn!.url}, inventory batch ${batch}): 1 factor(s), 1 device(s), 0 admin role(s)`);
  });

  it("fetches the user's events since the lake's newest hour into the api-events stream, waits for them to land, then rebuilds the day", async () => {
    const { runtime, okta, put } = await withOkta(JSON.stringify({ apiToken: STAND_IN_API_TOKEN }));

    const result = await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW, okta);

    expect(result).toMatchObject({ refreshed: true, found: true, okta: { since: '2026-11-25T04:00:00.000Z', events: 2, written: 2, notYetReadable: [] } });
    expect(put.sort()).toEqual([oktaEvent(1, '2026-11-25T04:10:00Z').uuid, oktaEvent(2, '2026-11-25T04:20:00Z').uuid].sort());
    expect(standIn!.requests.filter((r) => r.path === '/api/v1/logs').map((r) => r.query.get('filter'))).toEqual([`actor.id eq "${USER_ID}" or target.id eq "${USER_ID}"`]);
  });

  it("rebuilds with what is there, and says which hours were not readable yet, when the stream's files do not land in time", async () => {
    const { runtime, okta } = await withOkta(JSON.stringify({ apiToken: STAND_IN_API_TOKEN }), false);

    const result = await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW, okta);

    // The partner stream's newer file of that hour does not count: only the api-events stream's own objects do.
    expect(result).toMatchObject({ refreshed: true, found: true, okta: { written: 2, notYetReadable: ['2026-11-25T04'] } });
  });

  it('falls back to the lake, and says why, when Okta refuses (a refresh must not hold the escalation queue)', async () => {
    const { runtime, okta, put, log } = await withOkta(JSON.stringify({ apiToken: STAND_IN_API_TOKEN }));
    standIn!.inject({ on: { path: '/api/v1/logs' }, action: { kind: 'invalid-token' }, times: 10 });

    const result = await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW, okta);

    expect(result).toMatchObject({ refreshed: true, found: true, okta: { lakeOnly: expect.stringMatching(/^fetching from Okta failed \(.+\): the refresh used the lake only$/) } });
    expect(put).toEqual([]);
    expect(log.lines.some((l) => l.message === 'refresh without the Okta API')).toBe(true);
  });

  it('leaves the inventory alone, and says why, while the deployment has it switched off', async () => {
    const { runtime, okta, objectsPut } = await withOkta(JSON.stringify({ apiToken: STAND_IN_API_TOKEN }), true, undefined);

    const result = await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW, okta);

    expect(result).toMatchObject({ refreshed: true, found: true, inventory: { notRead: INVENTORY_OFF } });
    expect(objectsPut).toEqual([]);
    expect(standIn!.requests.filter((r) => r.path.startsWith('/api/v1/users'))).toEqual([]);
  });

  it('works on the lake alone, and says why, while the secret has no value', async () => {
    const { runtime, okta, put } = await withOkta(undefined);

    const result = await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW, okta);

    expect(result).toMatchObject({ refreshed: true, found: true, okta: { lakeOnly: expect.stringMatching(/has no value yet: the refresh used the lake only/) } });
    expect(put).toEqual([]);
    expect(standIn!.requestCount()).toBe(0);
  });
});

describe('the cascade: one message about the identity', () => {
  const dormant = (): StoredFinding => ({
    ...bruteForceFinding('alice@example.com', 'dormant-alice'),
    detection: 'okta-dormant-account-active',
    title: 'Dormant account active again',
    severity: 'HIGH',
    window_start: '2026-11-25 00:00:00.000',
    window_end: '2026-11-26 00:00:00.000',
    summary: 'alice@example.com signed in after 120 days without a sign-in',
  });
  /** The hourly finding that escalates: its event, as the notifier put it on the bus. */
  const trigger = findingEvent({
    finding_id: 'bf-alice',
    detection: 'okta-brute-force-user',
    title: 'Brute force against one user',
    severity: 'MEDIUM',
    summary: '24 failed sign-ins for alice@example.com from 1 IP (203.0.113.9, NL) between 04:02 and 04:09',
    window_start: '2026-11-25T04:00:00.000Z',
    window_end: '2026-11-25T05:00:00.000Z',
    run: 'hourly-04',
    entity: { type: 'user', id: 'alice@example.com' },
  });
  const alice: IdentityContext = {
    user_id: '00u1a2b3c4d5e6f7g8h9',
    login: 'alice@example.com',
    status: 'ACTIVE',
    identity_kind: 'human',
    admin_roles: [],
    roles_collected: true,
    mfa_strength: 'low',
    factors: ['sms'],
    factors_collected: true,
    inventory_dt: '2026-11-25',
  };

  /** Alice already has the new-country finding notified today; the refresh finds it again, and the dormant one. */
  async function twoFailing() {
    let rows: StoredFinding[] = [newCountry()];
    const base = setup(true, undefined, { detect: () => rows, catalog: ['okta-new-country-for-user', 'okta-dormant-account-active'], identities: new Map([['alice@example.com', alice]]) });
    await refreshInvocation(base.runtime, { user: 'alice@example.com' }, NOW);
    expect(base.lake.notifiedIds()).toEqual(['nc-alice']);
    base.aws.snsMock.resetHistory();
    base.aws.eventsMock.resetHistory();
    rows = [newCountry(), dormant()];
    return base;
  }

  it('publishes ONE message: the triggering finding, then every check the user fails now with the new ones marked', async () => {
    const { aws, runtime, lake } = await twoFailing();

    const result = await refreshInvocation(runtime, trigger, NOW);

    expect(result).toMatchObject({ refreshed: true, findings: 2, notified: ['dormant-alice'] });
    const publishes = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publishes).toHaveLength(1);
    const [{ Subject, Message, MessageAttributes }] = publishes as [NonNullable<(typeof publishes)[number]>];
    expect(Subject).toBe('[HIGH] alice@example.com: 2 failing checks (1 new) after Brute force against one user');
    expect(MessageAttributes).toMatchObject({ severity: { StringValue: 'HIGH' }, entity_type: { StringValue: 'user' }, detection: { StringValue: 'okta-brute-force-user' } });
    const body = Message!;
    // The trigger, from the event's detail.
    expect(body).toContain('Triggering finding:\n  MEDIUM: Brute force against one user (okta-brute-force-user)');
    expect(body).toContain('24 failed sign-ins for alice@example.com from 1 IP (203.0.113.9, NL)');
    expect(body).toContain('Finding id: bf-alice (run hourly-04)');
    // Every failing check, the new one marked, the known one repeated for context without the mark.
    expect(body).toContain('Failing checks now: 2 (1 new)');
    expect(body).toContain('  [NEW] HIGH: Dormant account active again (okta-dormant-account-active)');
    expect(body).toContain('  HIGH: Sign-in from a country new for the user (okta-new-country-for-user)');
    expect(body).not.toContain('[NEW] HIGH: Sign-in from a country new');
    expect(body).toContain(`Finding id: dormant-alice (findings table, dt=2026-11-25, run=${refreshRunName('00u1a2b3c4d5e6f7g8h9')})`);
    expect(body).toContain('Finding id: nc-alice');
    // Who: the identity line from the inventory; and what was (not) re-read from Okta.
    expect(body).toContain('Identity: ACTIVE human, no admin role, strongest MFA low (sms)');
    expect(body).toContain('Identity: not re-read from Okta (no Okta API access configured for this function');
    // The runbook of the new check only.
    expect(body).toContain('Runbook of okta-dormant-account-active');
    expect(body).not.toContain('Runbook of okta-new-country-for-user');
    // The bus still gets one event per NEW finding, and the ledger records it after the message went out.
    const entries = aws.eventsMock.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries.map((e) => JSON.parse(e.Detail!).finding_id)).toEqual(['dormant-alice']);
    expect(lake.notifiedIds().sort()).toEqual(['dormant-alice', 'nc-alice']);
  });

  it('tells a new trigger with the checks the user already failed, and puts nothing new on the bus', async () => {
    const { aws, runtime, lake } = await twoFailing();
    await refreshInvocation(runtime, trigger, NOW);
    aws.snsMock.resetHistory();
    aws.eventsMock.resetHistory();

    const again = await refreshInvocation(runtime, trigger, NOW);

    expect(again).toMatchObject({ refreshed: true, findings: 2, notified: [] });
    const publishes = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.Subject).toBe('[HIGH] alice@example.com: 2 failing checks (0 new) after Brute force against one user');
    expect(publishes[0]!.Message).toContain('Failing checks now: 2 (0 new)');
    expect(publishes[0]!.Message).not.toContain('[NEW]');
    expect(aws.eventsMock.commandCalls(PutEventsCommand)).toEqual([]);
    expect(lake.notifiedIds().sort()).toEqual(['dormant-alice', 'nc-alice']);
  });

  it('sends nothing when a refresh asked for directly finds nothing new', async () => {
    const { aws, runtime } = await twoFailing();
    await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW);
    aws.snsMock.resetHistory();
    aws.eventsMock.resetHistory();

    const again = await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW);

    expect(again).toMatchObject({ refreshed: true, findings: 2, notified: [] });
    expect(aws.snsMock.commandCalls(PublishCommand)).toEqual([]);
    expect(aws.eventsMock.commandCalls(PutEventsCommand)).toEqual([]);
  });

  it('records nothing in the ledger when the message could not go out, so a retry sends it again', async () => {
    const { aws, runtime, lake } = await twoFailing();
    aws.snsMock.on(PublishCommand).rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));

    await expect(refreshInvocation(runtime, trigger, NOW)).rejects.toThrow(/could not notify 1 of 2 cascade messages: cascade of alice@example.com \(dormant-alice\) via sns/);
    expect(lake.notifiedIds()).toEqual(['nc-alice']);
  });

  it('tells a refresh asked for directly without a trigger', async () => {
    const { aws, runtime } = await twoFailing();

    await refreshInvocation(runtime, { user: 'alice@example.com' }, NOW);

    const [publish] = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publish!.Subject).toBe('[HIGH] alice@example.com: 2 failing checks (1 new)');
    expect(publish!.Message).toContain('A refresh of this user was asked for directly');
    expect(publish!.Message).not.toContain('Triggering finding:');
  });
});
