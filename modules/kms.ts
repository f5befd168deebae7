/**
 * The lake's customer-managed KMS key: S3 objects, Firehose, SQS queues, SNS topics and Athena results are
 * all encrypted with it. Rotation is on.
 */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import type { DeployEnv } from './deploy-env.ts';
import { policyJson, type Conditions, type Grantable, type PolicyStatement } from './iam.ts';

/** What a principal needs to write and read data encrypted under the key (S3, SQS, SNS, Firehose, Athena). */
export const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

export interface LakeKeyProps {
  readonly env: DeployEnv;
  /** Alias name without `alias/`. */
  readonly alias: string;
  /** @default "okta-log-lake data" */
  readonly description?: string;
  /** Days a scheduled deletion waits. @default 30 */
  readonly deletionWindowInDays?: number;
}

export class LakeKey extends Construct {
  readonly key: KmsKey;
  /** The key's ARN (one token, so identical grants render identically). */
  readonly arn: string;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: LakeKeyProps) {
    super(scope, id);
    this.statements = [
      {
        // The AWS default key policy: the account (through IAM policies) administers and uses the key. Without
        // it the key can become unmanageable. A key policy's Resource is always "*" (this key).
        Sid: 'AccountAdministersKeyThroughIam',
        Effect: 'Allow',
        Principal: { AWS: `arn:${props.env.partition}:iam::${props.env.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    this.key = new KmsKey(this, 'key', {
      description: props.description ?? 'okta-log-lake data',
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: Lazy.stringValue({ produce: () => policyJson(this.statements) }),
    });
    this.arn = this.key.arn;
    new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }

  /** Lets a role encrypt and decrypt data under the key (through its IAM policy). */
  grantEncryptDecrypt(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: [...KMS_DATA_ACTIONS], Resource: this.arn });
  }

  /**
   * Lets an AWS service principal use the key for data it delivers on our behalf (EventBridge to an encrypted
   * DLQ, CloudWatch alarms to an encrypted topic). Added to the key policy, since services act without a role.
   */
  allowService(sid: string, service: string, conditions?: Conditions): void {
    if (this.statements.some((s) => s.Sid === sid)) return;
    this.statements.push({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: [...KMS_DATA_ACTIONS],
      Resource: '*',
      ...(conditions ? { Condition: conditions } : {}),
    });
  }
}
