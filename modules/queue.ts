/** An SQS queue encrypted with the lake key: dead-letter and on-failure queues, and the escalation queue. */
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
  /**
   * A FIFO queue with content-based deduplication (the name must end in `.fifo`): messages of one group are
   * handed to a consumer one at a time, in order. @default false
   */
  readonly fifo?: boolean;
  /** Seconds a received message stays hidden before it is delivered again. @default 30 (SQS's default) */
  readonly visibilityTimeoutSeconds?: number;
  /** Seconds every message waits before it can be received (0-900). @default 0 */
  readonly delaySeconds?: number;
  /** Where a message goes after `maxReceiveCount` failed receives (a FIFO queue needs a FIFO DLQ). @default none */
  readonly deadLetter?: { readonly queue: EncryptedQueue; readonly maxReceiveCount: number };
}

export class EncryptedQueue extends Construct {
  readonly queue: SqsQueue;
  readonly arn: string;
  readonly name: string;
  readonly fifo: boolean;
  private readonly key: LakeKey;
  private readonly policyStatements: PolicyStatement[] = [];
  private policy?: SqsQueuePolicy;

  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    super(scope, id);
    this.key = props.key;
    if (props.fifo !== undefined && props.fifo !== props.name.endsWith('.fifo')) {
      throw new Error(`EncryptedQueue ${props.name}: a FIFO queue's name ends in .fifo, and only a FIFO queue's does`);
    }
    if (props.deadLetter && Boolean(props.deadLetter.queue.fifo) !== Boolean(props.fifo)) {
      throw new Error(`EncryptedQueue ${props.name}: the dead-letter queue of a ${props.fifo ? 'FIFO' : 'standard'} queue must be ${props.fifo ? 'FIFO' : 'standard'} too`);
    }
    this.fifo = props.fifo ?? false;
    this.queue = new SqsQueue(this, 'queue', {
      name: props.name,
      kmsMasterKeyId: props.key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: props.messageRetentionSeconds ?? 1_209_600,
      ...(this.fifo ? { fifoQueue: true, contentBasedDeduplication: true } : {}),
      ...(props.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: props.visibilityTimeoutSeconds } : {}),
      ...(props.delaySeconds !== undefined ? { delaySeconds: props.delaySeconds } : {}),
      ...(props.deadLetter
        ? { redrivePolicy: JSON.stringify({ deadLetterTargetArn: props.deadLetter.queue.arn, maxReceiveCount: props.deadLetter.maxReceiveCount }) }
        : {}),
    });
    this.arn = this.queue.arn;
    this.name = this.queue.name;
  }

  /** A role that sends to the queue (Lambda on-failure destination, Scheduler DLQ): SQS and the key. */
  grantSendMessages(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.arn });
    this.key.grantEncryptDecrypt(grantee);
  }

  /** A Lambda event source mapping's role: receive, delete and inspect messages, and decrypt them. */
  grantConsumeMessages(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: this.arn });
    this.key.grantEncryptDecrypt(grantee);
  }

  /**
   * A service that sends without a role (an EventBridge rule's target or DLQ): a queue policy admitting only
   * that source ARN. The service's use of the key is the key policy's business (`LakeKey.allowService`).
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
