/**
 * The Athena workgroup every query of the lake runs in: engine v3, its configuration enforced (clients cannot
 * override the result location, encryption or scan cutoff), results SSE-KMS under their own prefix, a
 * per-query scan cutoff ($5/TB scanned, 10 MB minimum billed per query), CloudWatch metrics on.
 */
import { Construct } from 'constructs';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup/index.js';
import { arn, type DeployEnv } from './deploy-env.ts';
import type { Grantable } from './iam.ts';
import type { LakeKey } from './kms.ts';
import type { LakeBucket } from './lake-bucket.ts';

export const ATHENA_ENGINE_V3 = 'Athena engine version 3';
/** Query results live beside the lake, under their own prefix and lifecycle rule. */
export const ATHENA_RESULTS_PREFIX = 'athena-results';

export interface LakeWorkgroupProps {
  readonly env: DeployEnv;
  readonly name: string;
  readonly bucket: LakeBucket;
  readonly key: LakeKey;
  /** Athena cancels a query that scans more than this. Minimum 10 MB. */
  readonly bytesScannedCutoffPerQuery: number;
  /** Let terraform delete the workgroup with its saved queries and history. @default false */
  readonly forceDestroy?: boolean;
}

export class LakeWorkgroup extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly name: string;
  /** Built from the name: Athena workgroup ARNs are `arn:aws:athena:<region>:<account>:workgroup/<name>`. */
  readonly arn: string;
  private readonly bucket: LakeBucket;
  private readonly key: LakeKey;

  constructor(scope: Construct, id: string, props: LakeWorkgroupProps) {
    super(scope, id);
    if (props.bytesScannedCutoffPerQuery < 10 * 1024 * 1024) {
      throw new Error(`LakeWorkgroup: bytesScannedCutoffPerQuery ${props.bytesScannedCutoffPerQuery} is below Athena's 10 MB minimum`);
    }
    this.bucket = props.bucket;
    this.key = props.key;
    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: props.name,
      description: 'okta-log-lake detections, snapshots and investigations',
      state: 'ENABLED',
      forceDestroy: props.forceDestroy ?? false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_V3 },
        resultConfiguration: {
          outputLocation: props.bucket.url(ATHENA_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: props.key.arn },
        },
      },
    });
    this.name = this.workgroup.name;
    this.arn = arn(props.env, 'athena', `workgroup/${props.name}`);
  }

  /**
   * Run queries in this workgroup: start, poll, page results, cancel; read and write the results prefix
   * (Athena writes results with the caller's credentials) and use the key.
   */
  grantQuery(grantee: Grantable): void {
    grantee.addToPolicy({
      Effect: 'Allow',
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
      Resource: this.arn,
    });
    this.bucket.grant(grantee, 'read-write', [ATHENA_RESULTS_PREFIX]);
    this.key.grantEncryptDecrypt(grantee);
  }
}
