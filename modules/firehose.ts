/**
 * Firehose from the partner bus to the lake: each Okta LogEvent (`$.detail`) converted to Parquet against
 * the Glue table, written under its arrival hour, with every source record also kept raw.
 *
 * - Prefix `okta/events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`: arrival time, UTC, no dynamic
 *   partitioning (which could only be turned on at creation).
 * - Parquet needs `compression_format` UNCOMPRESSED on the S3 side (Parquet compresses itself, SNAPPY), a
 *   buffer of at least 64 MB, the OpenX JSON deserializer (case-insensitive: Okta's camelCase keys match the
 *   lower-case columns) and a Glue schema the role may read.
 * - Fields not in the schema are dropped by the conversion, so `s3_backup_mode` Enabled keeps every source
 *   record, gzip, under `okta/raw/`: nothing is lost when Okta adds a field.
 * - Records that fail conversion go under `okta/errors/<error-output-type>/`. The backup destination takes no
 *   error prefix: Firehose's error output belongs to the main destination (the `ErrorOutputPrefix` of
 *   `ExtendedS3DestinationConfiguration`); the one of `S3BackupConfiguration` is not used.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream/index.js';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream/index.js';
import { lakePaths } from '../lake/layout.ts';
import type { DeployEnv } from './deploy-env.ts';
import { ServiceRole, type Grantable } from './iam.ts';
import type { LakeCatalog } from './glue-catalog.ts';
import type { LakeKey } from './kms.ts';
import type { LakeBucket } from './lake-bucket.ts';

const ARRIVAL_HOUR = 'dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';

export const EVENTS_PREFIX = `${lakePaths.events}/${ARRIVAL_HOUR}`;
export const RAW_PREFIX = `${lakePaths.raw}/${ARRIVAL_HOUR}`;
export const ERRORS_PREFIX = `${lakePaths.errors}/!{firehose:error-output-type}/${ARRIVAL_HOUR}`;

export interface EventsDeliveryStreamProps {
  readonly env: DeployEnv;
  readonly name: string;
  readonly bucket: LakeBucket;
  readonly key: LakeKey;
  readonly catalog: LakeCatalog;
  /** Glue table whose columns define the Parquet schema. */
  readonly tableName: string;
  /** Seconds before a buffer is written (60-900). @default 300 */
  readonly bufferingIntervalSeconds?: number;
  /** MB before a buffer is written (64-128 with Parquet). @default 128 */
  readonly bufferingSizeMb?: number;
  /** Days the delivery error log is kept. @default 30 */
  readonly logRetentionDays?: number;
}

export class EventsDeliveryStream extends Construct {
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly arn: string;
  readonly name: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: EventsDeliveryStreamProps) {
    super(scope, id);
    const interval = props.bufferingIntervalSeconds ?? 300;
    const size = props.bufferingSizeMb ?? 128;
    if (size < 64) throw new Error(`EventsDeliveryStream: bufferingSizeMb ${size} is below the 64 MB Parquet conversion needs`);

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/kinesisfirehose/${props.name}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    const destinationLog = new CloudwatchLogStream(this, 'destination-log', { logGroupName: this.logGroup.name, name: 'DestinationDelivery' });
    const backupLog = new CloudwatchLogStream(this, 'backup-log', { logGroupName: this.logGroup.name, name: 'BackupDelivery' });

    this.role = new ServiceRole(this, 'role', {
      name: `${props.name}-firehose`,
      service: 'firehose.amazonaws.com',
      description: 'Firehose writes Okta events to the lake as Parquet, raw backups beside them',
      trustConditions: { StringEquals: { 'sts:ExternalId': props.env.accountId } },
    });
    props.bucket.grant(this.role, 'read-write', [lakePaths.events, lakePaths.raw, lakePaths.errors]);
    props.catalog.grantRead(this.role, [props.tableName], ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions']);
    this.role.addToPolicy({
      Effect: 'Allow',
      Action: 'logs:PutLogEvents',
      Resource: `${this.logGroup.arn}:log-stream:*`,
    });

    const logging = (streamName: string) => ({ enabled: true, logGroupName: this.logGroup.name, logStreamName: streamName });
    this.stream = new KinesisFirehoseDeliveryStream(this, 'stream', {
      name: props.name,
      destination: 'extended_s3',
      serverSideEncryption: { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn: props.key.arn },
      extendedS3Configuration: {
        bucketArn: props.bucket.arn,
        roleArn: this.role.arn,
        prefix: EVENTS_PREFIX,
        errorOutputPrefix: ERRORS_PREFIX,
        bufferingInterval: interval,
        bufferingSize: size,
        compressionFormat: 'UNCOMPRESSED',
        kmsKeyArn: props.key.arn,
        cloudwatchLoggingOptions: logging(destinationLog.name),
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: { deserializer: { openXJsonSerDe: { caseInsensitive: true } } },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: {
            catalogId: props.env.accountId,
            region: props.env.region,
            databaseName: props.catalog.name,
            tableName: props.catalog.table(props.tableName).name,
            roleArn: this.role.arn,
            versionId: 'LATEST',
          },
        },
        s3BackupMode: 'Enabled',
        s3BackupConfiguration: {
          bucketArn: props.bucket.arn,
          roleArn: this.role.arn,
          prefix: RAW_PREFIX,
          bufferingInterval: interval,
          bufferingSize: 64,
          compressionFormat: 'GZIP',
          kmsKeyArn: props.key.arn,
          cloudwatchLoggingOptions: logging(backupLog.name),
        },
      },
      // The role's policy must exist before Firehose first validates its access to the bucket and Glue.
      dependsOn: [this.role.role, this.role.policy],
    });
    this.arn = this.stream.arn;
    this.name = this.stream.name;
  }

  /** What an EventBridge target role needs to deliver into the stream. */
  grantPutRecords(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: this.arn });
  }
}
