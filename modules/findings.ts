/**
 * Findings out: an encrypted SNS topic with e-mail subscriptions, and the account's default event bus, where
 * the handlers put each finding as `source` "okta-log-lake", `detail-type` "Okta Detection Finding" so
 * teams can route findings anywhere with their own rules.
 *
 * One rule is ours: a finding about a user refreshes that user at once (the near-time escalation). The rule
 * puts the finding event on a FIFO queue, one message group for all, which refresh-user consumes one message at
 * a time: two refreshes never run at once, so two refreshes of one user cannot both see a finding as new and
 * both notify it. That was reserved concurrency 1 before, which AWS refuses on an account whose concurrency
 * quota is still the default of 10 (a reservation must leave 100 unreserved). Findings that refresh-user itself
 * produces (their run is `refresh-...`) do not match, so a refresh cannot trigger another refresh in a loop.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { FINDING_EVENT } from '../core/findings.ts';
import { arn, type DeployEnv } from './deploy-env.ts';
import type { Grantable } from './iam.ts';
import type { LakeKey } from './kms.ts';
import type { LakeFunction } from './lambda/function.ts';
import { EncryptedQueue } from './queue.ts';
import { EncryptedTopic } from './topic.ts';

/** The one message group of the escalation queue: every refresh waits for the one before. */
export const ESCALATION_MESSAGE_GROUP = 'refresh-user';

/** Receives of one escalation before it goes to the escalation DLQ. */
export const ESCALATION_MAX_RECEIVES = 5;

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
  private queues?: { readonly requests: EncryptedQueue; readonly deadLetters: EncryptedQueue };

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

  /** The escalation queue and its DLQ, once `escalateUserFindingsTo` made them. */
  get escalationQueues(): { readonly requests: EncryptedQueue; readonly deadLetters: EncryptedQueue } | undefined {
    return this.queues;
  }

  /**
   * Each finding about a user (not itself from a refresh) goes, as its finding event, to a FIFO queue that
   * `refreshUser` consumes one message at a time. Events EventBridge cannot put on the queue land in the function's
   * on-failure queue (EventBridge refuses a FIFO DLQ); refreshes that keep failing land in the FIFO DLQ.
   */
  escalateUserFindingsTo(refreshUser: LakeFunction): CloudwatchEventRule {
    if (this.rule) throw new Error('FindingsOut: user findings already escalate to a function');
    const rule = new CloudwatchEventRule(this, 'user-finding', {
      name: `${this.namePrefix}-user-finding-refresh`,
      description: 'A finding about a user re-runs that user\'s checks at once (refresh-user, one at a time)',
      eventBusName: 'default',
      eventPattern: JSON.stringify(userFindingPattern()),
    });
    const deadLetters = new EncryptedQueue(this, 'refresh-requests-dlq', {
      name: `${this.namePrefix}-refresh-requests-dlq.fifo`,
      key: this.key,
      fifo: true,
    });
    const requests = new EncryptedQueue(this, 'refresh-requests', {
      name: `${this.namePrefix}-refresh-requests.fifo`,
      key: this.key,
      fifo: true,
      // AWS: at least six times the function's timeout for a queue a Lambda event source mapping reads.
      visibilityTimeoutSeconds: 6 * refreshUser.timeoutSeconds,
      deadLetter: { queue: deadLetters, maxReceiveCount: ESCALATION_MAX_RECEIVES },
    });
    new CloudwatchEventTarget(this, 'refresh-user', {
      rule: rule.name,
      eventBusName: 'default',
      targetId: 'refresh-user',
      arn: requests.arn,
      sqsTarget: { messageGroupId: ESCALATION_MESSAGE_GROUP },
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
      deadLetterConfig: { arn: refreshUser.failureQueue.arn },
    });
    requests.allowServiceToSend('events.amazonaws.com', rule.arn);
    refreshUser.failureQueue.allowServiceToSend('events.amazonaws.com', rule.arn);
    this.key.allowService('EventBridgeUseKeyForQueues', 'events.amazonaws.com');
    requests.grantConsumeMessages(refreshUser);
    new LambdaEventSourceMapping(this, 'refresh-requests-to-function', {
      eventSourceArn: requests.arn,
      functionName: refreshUser.arn,
      // One refresh per invocation: a failure retries that refresh alone.
      batchSize: 1,
      enabled: true,
      dependsOn: [refreshUser.role.policy],
    });
    this.rule = rule;
    this.queues = { requests, deadLetters };
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
