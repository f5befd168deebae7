/**
 * The identity line of a user finding's notification: in the SNS message (e-mail) and as `identity` in the
 * EventBridge detail, only for user findings whose user the identities map holds.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { findingFromRow, type Finding } from '../../core/findings.ts';
import type { IdentityContext } from '../../core/identity-context.ts';
import { AwsNotifier, findingDetail, findingMessage } from '../../notify/aws-notifier.ts';
import { FakeAws, recordingSleep } from './support/fake-aws.ts';
import { bruteForceFinding } from './support/fake-lake.ts';

const finding = (user: string, id: string, entityType = 'user'): Finding =>
  findingFromRow({
    ...bruteForceFinding(user, id),
    entity_type: entityType,
    event_uuids: '[]',
    actors: JSON.stringify([user]),
    ips: '[]',
    dt: '2026-11-25',
    run: 'hourly-04',
  });

const alice: IdentityContext = {
  user_id: '00u1alice0000000000a',
  login: 'Alice@example.com',
  status: 'ACTIVE',
  identity_kind: 'human',
  admin_roles: ['SUPER_ADMIN'],
  roles_collected: true,
  mfa_strength: 'low',
  factors: ['sms'],
  factors_collected: true,
  inventory_dt: '2026-11-25',
};
const identities = new Map([['alice@example.com', alice]]);
const LINE = 'Identity:   ACTIVE human, admin roles SUPER_ADMIN, strongest MFA low (sms)';

let aws: FakeAws | undefined;
afterEach(() => {
  aws?.restore();
  aws = undefined;
});

describe('identity context in finding notifications', () => {
  it('adds the identity line under the entity of a user finding, matching the login whatever its case', () => {
    const message = findingMessage(finding('alice@example.com', 'f1'), undefined, alice);
    const lines = message.split('\n');

    expect(lines).toContain(LINE);
    expect(lines.indexOf(LINE)).toBe(lines.indexOf('Entity:     user alice@example.com') + 1);
    expect(findingMessage(finding('alice@example.com', 'f1'))).not.toContain('Identity:');
  });

  it('puts the identity in the EventBridge detail of a known user only, not of an unknown user or a non-user entity', () => {
    expect(findingDetail(finding('ALICE@example.com', 'f1'), identities)).toMatchObject({ entity: { type: 'user', id: 'ALICE@example.com' }, identity: alice, run: 'hourly-04' });
    expect(findingDetail(finding('bob@example.com', 'f2'), identities)).not.toHaveProperty('identity');
    expect(findingDetail(finding('alice@example.com', 'f3', 'ip'), identities)).not.toHaveProperty('identity');
    expect(findingDetail(finding('alice@example.com', 'f1'))).not.toHaveProperty('identity');
  });

  it('AwsNotifier.notify sends the line by SNS and the identity on the bus when given the identities', async () => {
    aws = new FakeAws(() => ({}));
    const notifier = new AwsNotifier({ sns: aws.sns, events: aws.events, topicArn: 'arn:aws:sns:eu-west-1:123456789012:findings', eventBus: 'default', sleep: recordingSleep().sleep });

    await notifier.notify([finding('alice@example.com', 'f1'), finding('bob@example.com', 'f2')], { identities });

    const messages = aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Message!);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain(LINE);
    expect(messages[1]).not.toContain('Identity:');
    const details = aws.eventsMock.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!)));
    expect(details.map((d) => d.identity?.mfa_strength ?? null)).toEqual(['low', null]);
  });
});
