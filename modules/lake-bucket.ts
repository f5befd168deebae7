/**
 * The lake bucket: Parquet events, raw backups, Firehose errors, findings, activity and Athena results, each
 * under its own prefix (`schema/layout.ts`), with a lifecycle rule per prefix.
 *
 * Public access is blocked, ownership is enforced (no ACLs), every object is SSE-KMS with the lake key (and an
 * S3 bucket key, so KMS is called per bucket-key period rather than per object), versioning is on (a rerun that
 * clears a partition can be undone for `noncurrentVersions` days), and the policy refuses plain HTTP and TLS
 * older than 1.2.
 */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { policyJson, type Grantable, type PolicyStatement } from './iam.ts';
import type { LakeKey } from './kms.ts';

/** One lifecycle rule: objects under `prefix` expire after `expireAfterDays`. */
export interface PrefixExpiry {
  /** Lifecycle rule id. */
  readonly id: string;
  /** Key prefix, without a trailing slash (`okta/events`). */
  readonly prefix: string;
  readonly expireAfterDays: number;
}

export interface LakeBucketProps {
  readonly bucketName: string;
  readonly key: LakeKey;
  /** Expiry per prefix. Prefixes not listed (findings, activity) are kept. */
  readonly expiries: readonly PrefixExpiry[];
  /** Days an overwritten or deleted version is kept. @default 7 */
  readonly noncurrentVersionDays?: number;
  /** Let terraform delete the bucket with its objects. @default false */
  readonly forceDestroy?: boolean;
}

/** The access a grant gives on a prefix. */
export type PrefixAccess = 'read' | 'read-write';

const READ_OBJECT = ['s3:GetObject'];
const WRITE_OBJECT = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const BUCKET_LEVEL = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'];

export class LakeBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly arn: string;
  readonly name: string;
  private readonly key: LakeKey;
  private readonly extraPolicy: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: LakeBucketProps) {
    super(scope, id);
    this.key = props.key;
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ bucketKeyEnabled: true, applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.key.arn } }],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      dependsOn: [versioning],
      rule: [
        ...props.expiries.map((e) => ({
          id: e.id,
          status: 'Enabled',
          filter: [{ prefix: `${e.prefix}/` }],
          expiration: [{ days: e.expireAfterDays }],
        })),
        {
          id: 'noncurrent-versions-and-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 7 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      dependsOn: [publicAccess],
      policy: Lazy.stringValue({
        produce: () =>
          policyJson([
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [this.arn, `${this.arn}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'DenyTlsOlderThan12',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [this.arn, `${this.arn}/*`],
              Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
            },
            ...this.extraPolicy,
          ]),
      }),
    });
  }

  /** `s3://bucket/prefix/` */
  url(prefix: string): string {
    return `s3://${this.name}/${prefix}/`;
  }

  /**
   * Object access under the given prefixes (no trailing slash) plus listing limited to them, and the key.
   * `read-write` adds put and delete: a handler clears a partition before rewriting it.
   */
  grant(grantee: Grantable, access: PrefixAccess, prefixes: readonly string[]): void {
    const objects = prefixes.map((p) => `${this.arn}/${p}/*`);
    grantee.addToPolicy(
      { Effect: 'Allow', Action: access === 'read' ? READ_OBJECT : [...READ_OBJECT, ...WRITE_OBJECT], Resource: objects },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: this.arn,
        Condition: { StringLike: { 's3:prefix': prefixes.flatMap((p) => [p, `${p}/*`]) } },
      },
      { Effect: 'Allow', Action: BUCKET_LEVEL, Resource: this.arn },
    );
    this.key.grantEncryptDecrypt(grantee);
  }
}
