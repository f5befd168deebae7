/**
 * Findings out: an encrypted SNS topic with e-mail subscriptions, and the account's default event bus, where
 * the handlers put each finding as `source` "okta-log-lake", `detail-type` "Okta Detection Finding" so
 * teams can route findings anywhere with their own rules.
 *
 * One rule is ours: a finding about a user invokes refresh-user for that user at once (the near-time
 * escalation). Findings that refresh-user itself produces (their run is `refresh-...`) do not match, so a
 * refresh cannot trigger another refresh in a loop.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { FINDING_EVENT } from '../handlers/env.ts';
import { arn, type DeployEnv } from './deploy-env.ts';
import type { Grantable } from './iam.ts';
import type { LakeKey } from './kms.ts';
import type { LakeFunction } from './lambda/function.ts';
import { EncryptedTopic } from './topic.ts';

/** Prefix of the `run` of findings written by refresh-user (`handlers/refresh.ts`: `refresh-<user hash>`). */
export const REFRESH_RUN_PREFIX = 'refresh-';

/**
 * The pattern of the escalation rule. The event `detail` is the finding as `notify/aws-notifier.ts` puts it
 * (`entity.type`, `entity.id`, `run`, ...).
 */
export const userFindingPattern = () => ({
  source: [FINDING_EVENT.source],
  'detail-type': [FINDING_EVENT.detailType],
  detail: {
    entity: { type: ['user'] },
    run: [{ 'anything-but': { prefix: REFRESH_RUN_PREFIX } }],
  },
});

export interface FindingsOutProps {
  readonly env: DeployEnv;
  readonly namePrefix: string;
  readonly key: LakeKey;
  /** Addresses subscribed to the findings topic. @default none */
  readonly emails?: readonly string[];
}

export class FindingsOut extends Construct {
  readonly topic: EncryptedTopic;
  /** The account's default event bus, where findings are put. */
  readonly eventBusArn: string;
  private readonly key: LakeKey;
  private readonly namePrefix: string;
  private rule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: FindingsOutProps) {
    super(scope, id);
    this.key = props.key;
    this.namePrefix = props.namePrefix;
    this.eventBusArn = arn(props.env, 'events', 'event-bus/default');
    this.topic = new EncryptedTopic(this, 'topic', {
      name: `${props.namePrefix}-findings`,
      displayName: 'Okta detection findings',
      key: props.key,
      emails: props.emails,
    });
  }

  /** The escalation rule, once `escalateUserFindingsTo` made it. */
  get escalationRule(): CloudwatchEventRule | undefined {
    return this.rule;
  }

  /**
   * Each finding about a user (not itself from a refresh) invokes `refreshUser` with the finding event.
   * Failed deliveries land in the function's on-failure queue.
   */
  escalateUserFindingsTo(refreshUser: LakeFunction): CloudwatchEventRule {
    if (this.rule) throw new Error('FindingsOut: user findings already escalate to a function');
    const rule = new CloudwatchEventRule(this, 'user-finding', {
      name: `${this.namePrefix}-user-finding-refresh`,
      description: 'A finding about a user re-runs that user\'s checks at once (refresh-user)',
      eventBusName: 'default',
      eventPattern: JSON.stringify(userFindingPattern()),
    });
    new CloudwatchEventTarget(this, 'refresh-user', {
      rule: rule.name,
      eventBusName: 'default',
      targetId: 'refresh-user',
      arn: refreshUser.arn,
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
      deadLetterConfig: { arn: refreshUser.failureQueue.arn },
    });
    refreshUser.failureQueue.allowServiceToSend('events.amazonaws.com', rule.arn);
    this.key.allowService('EventBridgeUseKeyForDeadLetterQueue', 'events.amazonaws.com');
    new LambdaPermission(this, 'invoke', {
      statementId: 'EscalationRuleInvokes',
      action: 'lambda:InvokeFunction',
      functionName: refreshUser.name,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
    });
    this.rule = rule;
    return rule;
  }

  /** What a handler needs to notify: publish to the topic and put finding events on the default bus. */
  grantNotify(grantee: Grantable): void {
    this.topic.grantPublish(grantee);
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: this.eventBusArn,
      Condition: { StringEquals: { 'events:source': FINDING_EVENT.source } },
    });
  }
}
