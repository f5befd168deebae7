/** An SQS queue encrypted with the lake key: dead-letter and on-failure queues. */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { policyJson, type Grantable, type PolicyStatement } from './iam.ts';
import type { LakeKey } from './kms.ts';

export interface EncryptedQueueProps {
  readonly name: string;
  readonly key: LakeKey;
  /** Seconds a message is kept: long enough for someone to look after an alarm. @default 1209600 (14 days, the maximum) */
  readonly messageRetentionSeconds?: number;
}

export class EncryptedQueue extends Construct {
  readonly queue: SqsQueue;
  readonly arn: string;
  readonly name: string;
  private readonly key: LakeKey;
  private readonly policyStatements: PolicyStatement[] = [];
  private policy?: SqsQueuePolicy;

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    this.key = props.key;
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 1_209_600,
    });
    this.arn = this.queue.arn;
    this.name = this.queue.name;
  }

  /** A role that sends to the queue (Lambda on-failure destination, Scheduler DLQ): SQS and the key. */
  grantSendMessages(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.arn });
    this.key.grantEncryptDecrypt(grantee);
  }

  /**
   * A service that sends without a role (EventBridge rule DLQ): a queue policy admitting only that source
   * ARN, and the service's use of the key.
   */
  allowServiceToSend(service: string, sourceArn: string): void {
    this.policyStatements.push({
      Sid: `Allow${this.policyStatements.length}`,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sqs:SendMessage',
      Resource: this.arn,
      Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } },
    });
    this.policy ??= new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: Lazy.stringValue({ produce: () => policyJson(this.policyStatements) }),
    });
  }
}
