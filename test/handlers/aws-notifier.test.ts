import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { findingFromRow, type Finding } from '../../core/findings.ts';
import { AwsNotifier, findingMessage, findingSubject, MAX_SUBJECT } from '../../notify/aws-notifier.ts';
import { FakeAws, recordingSleep } from './support/fake-aws.ts';
import { bruteForceFinding, type StoredFinding } from './support/fake-lake.ts';

const asFinding = (s: StoredFinding, run = 'hourly-04'): Finding =>
  findingFromRow({
    ...s,
    event_uuids: JSON.stringify(s.event_uuids),
    actors: JSON.stringify(s.actors),
    ips: JSON.stringify(s.ips),
    dt: '2026-11-25',
    run,
  });

let aws: FakeAws | undefined;
afterEach(() => {
  aws?.restore();
  aws = undefined;
});

function setup() {
  aws = new FakeAws(() => ({}));
  const { sleep, waits } = recordingSleep();
  const notifier = new AwsNotifier({
    sns: aws.sns,
    events: aws.events,
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:findings',
    eventBus: 'default',
    runbookFor: (id) => (id === 'okta-brute-force-user' ? '1. Look at the user timeline.\n2. Reset the password.' : undefined),
    sleep,
  });
  return { aws, notifier, waits };
}

const findings = (n: number) => Array.from({ length: n }, (_, i) => asFinding(bruteForceFinding(`user${i}@example.com`, `id-${i}`)));

describe('AWS notifier', () => {
  it('publishes each finding to SNS with a short one-line subject and a readable message', async () => {
    const { aws, notifier } = setup();
    const [f] = findings(1);

    await notifier.notify([f!]);

    const [publish] = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publish!.Subject).toBe('[MEDIUM] Brute force against one user: user0@example.com');
    expect(publish!.MessageAttributes!.severity).toEqual({ DataType: 'String', StringValue: 'MEDIUM' });
    const message = publish!.Message!;
    for (const part of [
      'Detection:  okta-brute-force-user',
      'Severity:   MEDIUM',
      'Entity:     user user0@example.com',
      'Window:     2026-11-25T04:00:00.000Z to 2026-11-25T05:00:00.000Z',
      'Events:     24',
      '24 failed sign-ins for user0@example.com',
      '  0b9e6a4c-1f2d-4c3b-9a8e-000000000019',
      'Event uuids (20 of 24; the findings table keeps more):',
      'Finding id: id-0 (findings table, dt=2026-11-25, run=hourly-04)',
      'Runbook (detections/okta-brute-force-user/detection.yaml):\n  1. Look at the user timeline.\n  2. Reset the password.',
    ]) {
      expect(message).toContain(part);
    }
    expect(message).not.toContain('0b9e6a4c-1f2d-4c3b-9a8e-000000000020');
  });

  it('keeps the SNS subject under 100 printable ASCII characters whatever the entity', () => {
    const long = asFinding({ ...bruteForceFinding(`${'x'.repeat(150)}@example.com`), title: 'Connexion réussie\ndepuis un pays refusé 🚩' });
    const subject = findingSubject(long);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT);
    expect(subject).toMatch(/^\[MEDIUM\] Connexion reussie depuis un pays refuse \?: x+\.\.\.$/);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('puts finding events in batches of 10, each detail being the finding as detect --json prints it plus its run', async () => {
    const { aws, notifier } = setup();

    await notifier.notify(findings(23));

    const batches = aws.eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    const detail = JSON.parse(batches[2]![2]!.Detail!);
    expect(Object.keys(detail)).toEqual([
      'finding_id', 'detection', 'title', 'severity', 'entity', 'window_start', 'window_end', 'first_seen', 'last_seen',
      'event_count', 'event_uuids', 'actors', 'ips', 'summary', 'run',
    ]);
    expect(detail).toMatchObject({ finding_id: 'id-22', entity: { type: 'user', id: 'user22@example.com' }, run: 'hourly-04' });
    expect(aws.count('SNS.Publish')).toBe(23);
  });

  it('retries only the failed PutEvents entries, with backoff', async () => {
    const { aws, notifier, waits } = setup();
    let call = 0;
    aws.eventsMock.on(PutEventsCommand).callsFake(({ Entries }: { Entries: unknown[] }) => {
      call++;
      if (call === 1) {
        return {
          FailedEntryCount: 2,
          Entries: Entries.map((_, i) => (i === 1 || i === 3 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `e${i}` })),
        };
      }
      return { FailedEntryCount: 0, Entries: Entries.map((_, i) => ({ EventId: `r${i}` })) };
    });

    await notifier.notify(findings(4));

    const calls = aws.eventsMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).finding_id));
    expect(calls).toEqual([['id-0', 'id-1', 'id-2', 'id-3'], ['id-1', 'id-3']]);
    expect(waits).toEqual([200]);
  });

  it('reports the entries still failing after the last attempt, once every finding was tried', async () => {
    const { aws, notifier } = setup();
    aws.eventsMock.on(PutEventsCommand).callsFake(({ Entries }: { Entries: unknown[] }) => ({
      FailedEntryCount: 1,
      Entries: Entries.map((_, i) => (i === 0 ? { ErrorCode: 'AccessDeniedException', ErrorMessage: 'not authorized' } : { EventId: 'ok' })),
    }));

    await expect(notifier.notify(findings(2))).rejects.toThrow(
      'could not notify 1 of 4 finding messages: id-0 via eventbridge (AccessDeniedException: not authorized)',
    );
    expect(aws.count('SNS.Publish')).toBe(2);
    expect(aws.eventsMock.commandCalls(PutEventsCommand)).toHaveLength(4);
  });

  it('keeps publishing after one SNS failure and reports it', async () => {
    const { aws, notifier } = setup();
    let call = 0;
    aws.snsMock.on(PublishCommand).callsFake(() => {
      call++;
      if (call === 1) {
        const e = new Error('User is not authorized to perform SNS:Publish');
        e.name = 'AuthorizationErrorException';
        throw e;
      }
      return { MessageId: 'm' };
    });

    await expect(notifier.notify(findings(3))).rejects.toThrow('id-0 via sns (AuthorizationErrorException)');
    expect(aws.count('SNS.Publish')).toBe(0); // the override above answered, not the recorder
    expect(aws.snsMock.commandCalls(PublishCommand)).toHaveLength(3);
    expect(aws.eventsMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('retries a throttled PutEvents call as a whole', async () => {
    const { aws, notifier } = setup();
    aws.throttle.set('EventBridge.PutEvents', 2);
    await notifier.notify(findings(1));
    expect(aws.count('EventBridge.PutEvents')).toBe(3);
  });

  it('makes no call when there is nothing new', async () => {
    const { aws, notifier } = setup();
    await notifier.notify([]);
    expect(aws.calls).toEqual([]);
  });

  it('writes a message without a runbook section body when the detection has none', () => {
    const f = asFinding({ ...bruteForceFinding(), detection: 'okta-other' });
    expect(findingMessage(f)).toContain('Runbook (detections/okta-other/detection.yaml):\n  see the detection folder');
  });
});
