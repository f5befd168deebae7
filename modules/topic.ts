/** An SNS topic encrypted with the lake key, with e-mail subscriptions. */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { policyJson, type Grantable, type PolicyStatement } from './iam.ts';
import type { LakeKey } from './kms.ts';

export interface EncryptedTopicProps {
  readonly name: string;
  readonly key: LakeKey;
  /** @default the name */
  readonly displayName?: string;
  /** Addresses subscribed by e-mail; each receives a confirmation mail first. @default none */
  readonly emails?: readonly string[];
}

export class EncryptedTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;
  readonly name: string;
  private readonly key: LakeKey;
  private readonly policyStatements: PolicyStatement[] = [];
  private policy?: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    this.key = props.key;
    this.topic = new SnsTopic(this, 'topic', {
      name: props.name,
      displayName: props.displayName ?? props.name,
      kmsMasterKeyId: props.key.arn,
    });
    this.arn = this.topic.arn;
    this.name = this.topic.name;
    // Subscriptions are keyed by address, not position, so removing one address does not replace the others.
    for (const email of props.emails ?? []) {
      new SnsTopicSubscription(this, `email-${email.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
      });
    }
  }

  grantPublish(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: 'sns:Publish', Resource: this.arn });
    this.key.grantEncryptDecrypt(grantee);
  }

  /**
   * Lets CloudWatch alarms of this account whose ARN matches `alarmArnPattern` publish: a topic policy
   * statement and the CloudWatch service's use of the key, both limited to this account and those alarms.
   */
  allowCloudWatchAlarms(accountId: string, alarmArnPattern: string): void {
    const conditions = {
      StringEquals: { 'aws:SourceAccount': accountId },
      ArnLike: { 'aws:SourceArn': alarmArnPattern },
    };
    this.policyStatements.push({
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: this.arn,
      Condition: conditions,
    });
    this.key.allowService('CloudWatchAlarmsUseKeyForEncryptedTopics', 'cloudwatch.amazonaws.com', conditions);
    this.policy ??= new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: Lazy.stringValue({ produce: () => policyJson(this.policyStatements) }),
    });
  }
}
