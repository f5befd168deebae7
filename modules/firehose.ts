/**
 * Firehose into the lake: each Okta LogEvent converted to Parquet against the Glue table, written under its hour,
 * with every source record also kept raw. Two streams use it (`partitioning`):
 *
 * - `arrival` (the partner stream, the default): the record is the event bus's `$.detail`, written under the hour
 *   Firehose received it: prefix `okta/events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`, UTC, no dynamic
 *   partitioning (which could only be turned on at creation).
 * - `published` (the api-events stream of gap recovery): the record is a LogEvent read back from the System Log API,
 *   written under the hour of its own `published`, so a recovered event lands where the partner stream would have
 *   put it had it arrived on time, and the hourly detections re-run that hour. Dynamic partitioning with inline
 *   parsing: a MetadataExtraction processor (JsonParsingEngine JQ-1.6; Firehose supports jq 1.6 only) extracts
 *   `dt` = `.published[0:10]` and `hour` = `.published[11:13]` (Okta's `published` is always UTC,
 *   `2026-11-25T04:02:11.123Z`), and the prefix is `okta/events/dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/`.
 *   What the AWS docs require of it ("Partition streaming data in Amazon Data Firehose", "Understand partitioning
 *   keys", "Buffer data for dynamic partitioning"): it can only be enabled when the stream is created and never
 *   disabled; the S3 prefix must use `partitionKeyFromQuery` expressions; an error output prefix is mandatory (records
 *   whose keys cannot be extracted go there); zero buffering is not available and delivery can take 1.5 times the
 *   buffer interval (multi-stage buffering); at most 500 active partitions per stream (a recovery spans at most a few
 *   dozen hours). The Terraform arguments are `dynamic_partitioning_configuration { enabled }` and
 *   `processing_configuration { processors { type = "MetadataExtraction" ... } }` (hashicorp/aws
 *   kinesis_firehose_delivery_stream, "Extended S3 Destination with dynamic partitioning"); only parameters without
 *   a default are set, since the provider keeps defaulted ones (BufferSizeInMBs, BufferIntervalInSeconds, ...) out of
 *   its state and would show a diff forever. Nothing in the format conversion or dynamic partitioning pages excludes
 *   the other: the processors run first, the conversion then writes each partition's buffer as Parquet.
 *
 * Both:
 * - Parquet needs `compression_format` UNCOMPRESSED on the S3 side (Parquet compresses itself, SNAPPY), a
 *   buffer of at least 64 MB, the OpenX JSON deserializer (case-insensitive: Okta's camelCase keys match the
 *   lower-case columns) and a Glue schema the role may read.
 * - Fields not in the schema are dropped by the conversion, so `s3_backup_mode` Enabled keeps every source
 *   record, gzip, under `okta/raw/` (the api stream's under `okta/raw/api/`): nothing is lost when Okta adds a field.
 * - Records that fail conversion go under `okta/errors/<error-output-type>/` (`okta/errors/api/...`). The backup
 *   destination takes no error prefix: Firehose's error output belongs to the main destination (the
 *   `ErrorOutputPrefix` of `ExtendedS3DestinationConfiguration`); the one of `S3BackupConfiguration` is not used.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream/index.js';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream/index.js';
import { lakePaths } from '../schema/layout.ts';
import type { DeployEnv } from './deploy-env.ts';
import { ServiceRole, type Grantable } from './iam.ts';
import type { LakeCatalog } from './glue-catalog.ts';
import type { LakeKey } from './kms.ts';
import type { LakeBucket } from './lake-bucket.ts';

const ARRIVAL_HOUR = 'dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';
const PUBLISHED_HOUR = 'dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/';

export const EVENTS_PREFIX = `${lakePaths.events}/${ARRIVAL_HOUR}`;
export const RAW_PREFIX = `${lakePaths.raw}/${ARRIVAL_HOUR}`;
export const ERRORS_PREFIX = `${lakePaths.errors}/!{firehose:error-output-type}/${ARRIVAL_HOUR}`;

/** The api-events stream's folder under okta/raw/ and okta/errors/. */
export const API_SUBFOLDER = 'api';
export const API_EVENTS_PREFIX = `${lakePaths.events}/${PUBLISHED_HOUR}`;
export const API_RAW_PREFIX = `${lakePaths.raw}/${API_SUBFOLDER}/${ARRIVAL_HOUR}`;
export const API_ERRORS_PREFIX = `${lakePaths.errors}/${API_SUBFOLDER}/!{firehose:error-output-type}/${ARRIVAL_HOUR}`;

/** The JQ 1.6 query that extracts the partition keys from a LogEvent (UTC `published`). */
export const PUBLISHED_PARTITION_QUERY = '{dt:.published[0:10],hour:.published[11:13]}';

/** Where a stream writes an event: under the hour it arrived, or the hour of its `published`. */
export type EventPartitioning = 'arrival' | 'published';

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
  /**
   * `arrival`: under the hour Firehose received the record (no dynamic partitioning). `published`: under the hour of
   * the event's `published`, by dynamic partitioning (can only be chosen when the stream is created). @default 'arrival'
   */
  readonly partitioning?: EventPartitioning;
  /** Seconds Firehose retries delivery to an S3 prefix with dynamic partitioning (0-7200). @default 300 */
  readonly dynamicPartitioningRetrySeconds?: number;
}

export class EventsDeliveryStream extends Construct {
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly arn: string;
  readonly name: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: ServiceRole;
  readonly partitioning: EventPartitioning;
  /** Seconds the buffer waits before a file is written. */
  readonly bufferingIntervalSeconds: number;

  constructor(scope: Construct, id: string, props: EventsDeliveryStreamProps) {
    super(scope, id);
    const interval = props.bufferingIntervalSeconds ?? 300;
    const size = props.bufferingSizeMb ?? 128;
    this.partitioning = props.partitioning ?? 'arrival';
    this.bufferingIntervalSeconds = interval;
    if (size < 64) throw new Error(`EventsDeliveryStream: bufferingSizeMb ${size} is below the 64 MB Parquet conversion needs`);
    if (interval < 60 || interval > 900) throw new Error(`EventsDeliveryStream: bufferingIntervalSeconds ${interval} must be 60-900 (Firehose's range for S3; dynamic partitioning has no zero buffering)`);
    const byPublished = this.partitioning === 'published';
    const prefixes = byPublished
      ? { events: API_EVENTS_PREFIX, raw: API_RAW_PREFIX, errors: API_ERRORS_PREFIX, folders: [lakePaths.events, `${lakePaths.raw}/${API_SUBFOLDER}`, `${lakePaths.errors}/${API_SUBFOLDER}`] }
      : { events: EVENTS_PREFIX, raw: RAW_PREFIX, errors: ERRORS_PREFIX, folders: [lakePaths.events, lakePaths.raw, lakePaths.errors] };

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/kinesisfirehose/${props.name}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    const destinationLog = new CloudwatchLogStream(this, 'destination-log', { logGroupName: this.logGroup.name, name: 'DestinationDelivery' });
    const backupLog = new CloudwatchLogStream(this, 'backup-log', { logGroupName: this.logGroup.name, name: 'BackupDelivery' });

    this.role = new ServiceRole(this, 'role', {
      name: `${props.name}-firehose`,
      service: 'firehose.amazonaws.com',
      description: byPublished
        ? 'Firehose writes Okta events read back from the API to the lake as Parquet, under their published hour'
        : 'Firehose writes Okta events to the lake as Parquet, raw backups beside them',
      trustConditions: { StringEquals: { 'sts:ExternalId': props.env.accountId } },
    });
    props.bucket.grant(this.role, 'read-write', prefixes.folders);
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
        prefix: prefixes.events,
        errorOutputPrefix: prefixes.errors,
        bufferingInterval: interval,
        bufferingSize: size,
        compressionFormat: 'UNCOMPRESSED',
        kmsKeyArn: props.key.arn,
        cloudwatchLoggingOptions: logging(destinationLog.name),
        ...(byPublished
          ? {
              dynamicPartitioningConfiguration: { enabled: true, retryDuration: props.dynamicPartitioningRetrySeconds ?? 300 },
              processingConfiguration: {
                enabled: true,
                processors: [
                  {
                    type: 'MetadataExtraction',
                    parameters: [
                      { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
                      { parameterName: 'MetadataExtractionQuery', parameterValue: PUBLISHED_PARTITION_QUERY },
                    ],
                  },
                ],
              },
            }
          : {}),
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
          prefix: prefixes.raw,
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
