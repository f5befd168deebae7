/**
 * Synth assertions for gap recovery (modules/gap-recovery.ts): the Okta API secret, the api-events Firehose stream
 * partitioned by `published`, the recover-gap function with its triggers, queues, IAM and alarms, and the hourly
 * detections reading the re-run queue. One synthesis of the whole stack from TEST_CONFIG.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ENV, RECOVERY_ENV } from '../../handlers/env.ts';
import { readRecoveryConfig } from '../../handlers/recovery/runtime.ts';
import { API_BUFFERING_INTERVAL_SECONDS, apiDeliverySeconds as rerunDelaySeconds } from '../../modules/okta-api-access.ts';
import type { Plan } from '../../modules/policy/plan.ts';
import { all, nameIs, one, parsed, ref, synthStack, TEST_CONFIG, type Found } from './helpers.ts';

let plan: Plan;
const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';

type Statement = { Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const statements = (policy: unknown): Statement[] => parsed<{ Statement: Statement[] }>(policy).Statement;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const actions = (st: Statement[]) => st.flatMap((x) => list(x.Action));
const resourcesFor = (st: Statement[], action: string) => st.filter((x) => list(x.Action).includes(action)).flatMap((x) => list(x.Resource));
const rolePolicyOf = (role: Found) => one(plan, 'aws_iam_role_policy', (a) => a.role === ref(role, 'id'));
const referenced = (type: string, reference: unknown): Found => {
  const found = all(plan, type).filter((r) => typeof reference === 'string' && reference.startsWith(`\${${r.address}.`));
  if (found.length !== 1) throw new Error(`${String(reference)} does not name exactly one ${type}`);
  return found[0]!;
};
const fn = (id: string) => one(plan, 'aws_lambda_function', (a) => a.function_name === `acme-lake-${id}`);
const queue = (name: string) => one(plan, 'aws_sqs_queue', nameIs(name));
const apiStream = () => one(plan, 'aws_kinesis_firehose_delivery_stream', nameIs('acme-lake-okta-api-events'));
const partnerStream = () => one(plan, 'aws_kinesis_firehose_delivery_stream', nameIs('acme-lake-okta-events'));
const key = () => one(plan, 'aws_kms_key');
const secret = () => one(plan, 'aws_secretsmanager_secret');
const recoverGapPolicy = () => statements(rolePolicyOf(referenced('aws_iam_role', fn('recover-gap').attrs.role)).attrs.policy);
const vars = () => (fn('recover-gap').attrs.environment as { variables: Record<string, string> }).variables;

beforeAll(() => {
  plan = synthStack().plan;
});

describe('the Okta API secret', () => {
  it('is <prefix>/okta-api, encrypted with the lake key, with no value in the plan', () => {
    expect(secret().attrs).toMatchObject({ name: 'acme-lake/okta-api', kms_key_id: ref(key(), 'arn'), recovery_window_in_days: 7 });
    expect(all(plan, 'aws_secretsmanager_secret_version')).toEqual([]);
    expect(String(secret().attrs.description)).toContain('aws secretsmanager put-secret-value');
  });

  it('is an output', () => {
    expect((plan.output as Record<string, { value: string }>).okta_api_secret!.value).toBe(ref(secret(), 'arn'));
  });

  it('is deleted at once on destroy when the lake may be force-destroyed', () => {
    const forced = synthStack({ ...TEST_CONFIG, lake: { ...TEST_CONFIG.lake, forceDestroy: true } });

    expect(one(forced.plan, 'aws_secretsmanager_secret').attrs.recovery_window_in_days).toBe(0);
  });
});

describe('the api-events stream', () => {
  it('writes each event under the hour of its own published: dynamic partitioning with JQ 1.6 on .published', () => {
    const s3 = apiStream().attrs.extended_s3_configuration as Record<string, any>;

    expect(s3.dynamic_partitioning_configuration).toEqual({ enabled: true, retry_duration: 300 });
    expect(s3.processing_configuration).toEqual({
      enabled: true,
      processors: [
        {
          type: 'MetadataExtraction',
          parameters: [
            { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
            { parameter_name: 'MetadataExtractionQuery', parameter_value: '{dt:.published[0:10],hour:.published[11:13]}' },
          ],
        },
      ],
    });
    expect(s3.prefix).toBe('okta/events/dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/');
  });

  it('names the partitions as the Glue partition projection reads them', () => {
    const s3 = apiStream().attrs.extended_s3_configuration as Record<string, string>;
    const params = one(plan, 'aws_glue_catalog_table', nameIs('okta_events')).attrs.parameters as Record<string, string>;
    const template = params['storage.location.template']!.replace(/^.*?\/okta\/events\//, 'okta/events/').replaceAll('$${', '${');

    // The same folders, filled from the event instead of the clock.
    expect(s3.prefix!.replace('!{partitionKeyFromQuery:dt}', '${dt}').replace('!{partitionKeyFromQuery:hour}', '${hour}')).toBe(template);
  });

  it('converts to Parquet through the same Glue table as the partner stream, with the shortest buffer Parquet allows', () => {
    const s3 = apiStream().attrs.extended_s3_configuration as Record<string, any>;
    const partner = partnerStream().attrs.extended_s3_configuration as Record<string, any>;
    const role = referenced('aws_iam_role', s3.role_arn);

    expect(apiStream().attrs.server_side_encryption).toEqual({ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: ref(key(), 'arn') });
    expect(s3).toMatchObject({ buffering_interval: API_BUFFERING_INTERVAL_SECONDS, buffering_size: 64, compression_format: 'UNCOMPRESSED', kms_key_arn: ref(key(), 'arn') });
    expect(API_BUFFERING_INTERVAL_SECONDS).toBe(60);
    expect({ ...s3.data_format_conversion_configuration, schema_configuration: { ...s3.data_format_conversion_configuration.schema_configuration, role_arn: 'r' } }).toEqual({
      ...partner.data_format_conversion_configuration,
      schema_configuration: { ...partner.data_format_conversion_configuration.schema_configuration, role_arn: 'r' },
    });
    expect(s3.data_format_conversion_configuration.schema_configuration.role_arn).toBe(ref(role, 'arn'));
  });

  it('keeps every record raw under okta/raw/api/ and its failures under okta/errors/api/<error type>/', () => {
    const s3 = apiStream().attrs.extended_s3_configuration as Record<string, any>;

    expect(s3.s3_backup_mode).toBe('Enabled');
    expect(s3.s3_backup_configuration).toMatchObject({ prefix: 'okta/raw/api/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/', compression_format: 'GZIP', kms_key_arn: ref(key(), 'arn') });
    expect(s3.error_output_prefix).toBe('okta/errors/api/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
    expect(one(plan, 'aws_cloudwatch_log_group', nameIs('/aws/kinesisfirehose/acme-lake-okta-api-events')).attrs.retention_in_days).toBe(90);
  });

  it('has its own role: trusted by Firehose of this account, writing only okta/events/ and its own raw and error folders', () => {
    const role = referenced('aws_iam_role', (apiStream().attrs.extended_s3_configuration as Record<string, string>).role_arn);
    const st = statements(rolePolicyOf(role).attrs.policy);
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');

    expect(role.attrs.name).toBe('acme-lake-okta-api-events-firehose');
    expect(statements(role.attrs.assume_role_policy)).toEqual([
      { Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': ACCOUNT } } },
    ]);
    expect(resourcesFor(st, 's3:PutObject')).toEqual([`${bucketArn}/okta/events/*`, `${bucketArn}/okta/raw/api/*`, `${bucketArn}/okta/errors/api/*`]);
    expect(resourcesFor(st, 'glue:GetTable')).toEqual([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/acme_lake`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/acme_lake/okta_events`,
    ]);
    expect(resourcesFor(st, 'logs:PutLogEvents')).toEqual([`${ref(one(plan, 'aws_cloudwatch_log_group', nameIs('/aws/kinesisfirehose/acme-lake-okta-api-events')), 'arn')}:log-stream:*`]);
    expect(resourcesFor(st, 'kms:GenerateDataKey')).toEqual([ref(key(), 'arn')]);
  });

  it('leaves the partner stream as it was: arrival hour, no dynamic partitioning', () => {
    const s3 = partnerStream().attrs.extended_s3_configuration as Record<string, unknown>;

    expect(s3.prefix).toBe('okta/events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
    expect(s3).not.toHaveProperty('dynamic_partitioning_configuration');
    expect(s3).not.toHaveProperty('processing_configuration');
  });
});

describe('the recover-gap function', () => {
  it('runs on nodejs22.x arm64 from its bundle, for up to 15 minutes', () => {
    expect(fn('recover-gap').attrs).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', timeout: 900, memory_size: 512 });
    expect(fn('recover-gap').attrs.filename).toMatch(/^assets\/recover-gap-bundle_asset_[0-9A-F]+\/[0-9A-F]{32}\/archive\.zip$/);
  });

  it('gets the secret ARN, the org URL, the event source name and where everything is, and nothing of the findings', () => {
    const v = vars();

    expect(Object.keys(v).sort()).toEqual(
      [...Object.values(RECOVERY_ENV), HANDLER_ENV.workgroup, HANDLER_ENV.database, HANDLER_ENV.bucket, 'LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'].sort(),
    );
    expect(v).toMatchObject({
      [RECOVERY_ENV.oktaSecretArn]: ref(secret(), 'arn'),
      [RECOVERY_ENV.oktaOrgUrl]: 'https://acme.oktapreview.com',
      [RECOVERY_ENV.eventSourceName]: 'acme_okta_lake',
      [RECOVERY_ENV.logStreamName]: 'Acme lake',
      [RECOVERY_ENV.apiStreamName]: ref(apiStream(), 'name'),
      [RECOVERY_ENV.apiStreamDelaySeconds]: '390',
      [RECOVERY_ENV.recoveryQueueUrl]: ref(queue('acme-lake-recover-gap.fifo'), 'url'),
      [RECOVERY_ENV.rerunQueueUrl]: ref(queue('acme-lake-hourly-reruns.fifo'), 'url'),
      [RECOVERY_ENV.opsTopicArn]: ref(one(plan, 'aws_sns_topic', nameIs('acme-lake-ops')), 'arn'),
      [RECOVERY_ENV.silenceAlarmName]: 'acme-lake-okta-silent',
      [RECOVERY_ENV.silenceMinutes]: '90',
      // The partner stream's 600 s buffer plus the 300 s landing slack.
      [RECOVERY_ENV.landingLagSeconds]: '900',
      // Which hours a recovery re-runs: those whose scheduled run (at minute 25) has passed.
      [RECOVERY_ENV.hourlyMinute]: '25',
      [HANDLER_ENV.workgroup]: ref(one(plan, 'aws_athena_workgroup'), 'name'),
    });
    expect(one(plan, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'acme-lake-okta-silent')).toBeDefined();
  });

  it('has an environment its own handler accepts', () => {
    const config = readRecoveryConfig({ ...vars(), AWS_LAMBDA_FUNCTION_NAME: 'acme-lake-recover-gap' });

    expect(config).toMatchObject({ orgUrl: 'https://acme.oktapreview.com', silenceMinutes: 90, landingLagSeconds: 900, apiStreamDelaySeconds: 390, functionName: 'acme-lake-recover-gap' });
  });

  it('may query okta_events in the workgroup and read its objects, and write no lake data', () => {
    const st = recoverGapPolicy();
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');

    expect(resourcesFor(st, 'athena:StartQueryExecution')).toEqual([`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/acme-lake`]);
    expect(resourcesFor(st, 'glue:GetTable')).toEqual([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/acme_lake`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/acme_lake/okta_events`,
    ]);
    expect(resourcesFor(st, 's3:GetObject').sort()).toEqual([`${bucketArn}/athena-results/*`, `${bucketArn}/okta/events/*`]);
    expect(resourcesFor(st, 's3:PutObject')).toEqual([`${bucketArn}/athena-results/*`]);
    expect(actions(st)).not.toContain('glue:BatchCreatePartition');
  });

  it('may put record batches into the api stream only, and read the one secret', () => {
    const st = recoverGapPolicy();

    expect(st.filter((x) => list(x.Action).some((a) => a.startsWith('firehose:')))).toEqual([
      { Effect: 'Allow', Action: 'firehose:PutRecordBatch', Resource: ref(apiStream(), 'arn') },
    ]);
    expect(st.filter((x) => list(x.Action).some((a) => a.startsWith('secretsmanager:')))).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ref(secret(), 'arn') },
    ]);
    expect(resourcesFor(st, 'kms:Decrypt')).toEqual([ref(key(), 'arn')]);
  });

  it('may send to and consume its recovery queue, send re-runs, publish to the ops topic; nothing else', () => {
    const st = recoverGapPolicy();
    const recovery = ref(queue('acme-lake-recover-gap.fifo'), 'arn');

    expect(resourcesFor(st, 'sqs:SendMessage').sort()).toEqual(
      [recovery, ref(queue('acme-lake-hourly-reruns.fifo'), 'arn'), ref(queue('acme-lake-recover-gap-failures'), 'arn')].sort(),
    );
    expect(resourcesFor(st, 'sqs:ReceiveMessage')).toEqual([recovery]);
    expect(resourcesFor(st, 'sqs:GetQueueAttributes')).toEqual([recovery]);
    expect(resourcesFor(st, 'sns:Publish')).toEqual([ref(one(plan, 'aws_sns_topic', nameIs('acme-lake-ops')), 'arn')]);
    expect(actions(st)).not.toContain('events:PutEvents');
    expect(actions(st).some((a) => a.includes('*'))).toBe(false);
  });

  it('is an output', () => {
    expect((plan.output as Record<string, { value: string }>).function_recover_gap!.value).toBe(ref(fn('recover-gap'), 'function_name'));
  });
});

describe('what starts a recovery', () => {
  it('the okta-silent alarm going to ALARM: a rule on the default bus, with retries and the function\'s on-failure queue as DLQ', () => {
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-silent-recovery'));
    const target = one(plan, 'aws_cloudwatch_event_target', (a) => a.rule === ref(rule, 'name'));
    const failures = queue('acme-lake-recover-gap-failures');

    expect(rule.attrs.event_bus_name).toBe('default');
    expect(parsed(rule.attrs.event_pattern)).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: ['acme-lake-okta-silent'], state: { value: ['ALARM'] } },
    });
    expect(target.attrs).toMatchObject({
      arn: ref(fn('recover-gap'), 'arn'),
      event_bus_name: 'default',
      retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 10 },
      dead_letter_config: { arn: ref(failures, 'arn') },
    });
    expect(statements(one(plan, 'aws_sqs_queue_policy', (a) => a.queue_url === ref(failures, 'url')).attrs.policy)).toEqual([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': ref(rule, 'arn') } } }),
    ]);
  });

  it('lets only that rule invoke the function', () => {
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-silent-recovery'));
    expect(all(plan, 'aws_lambda_permission').filter((p) => p.attrs.function_name === ref(fn('recover-gap'), 'function_name'))).toHaveLength(1);

    expect(all(plan, 'aws_lambda_permission').filter((p) => p.attrs.source_arn === ref(rule, 'arn')).map((p) => p.attrs)).toEqual([
      { statement_id: 'okta-silent-alarm', action: 'lambda:InvokeFunction', function_name: ref(fn('recover-gap'), 'function_name'), principal: 'events.amazonaws.com', source_arn: ref(rule, 'arn') },
    ]);
  });

  it('the hourly check: Scheduler, half an hour off the detections, naming the check', () => {
    const schedule = one(plan, 'aws_scheduler_schedule', nameIs('acme-lake-recover-gap-check'));
    const target = schedule.attrs.target as Record<string, any>;
    const schedulerRole = one(plan, 'aws_iam_role', nameIs('acme-lake-scheduler'));

    expect(schedule.attrs).toMatchObject({ schedule_expression: 'cron(55 * * * ? *)', schedule_expression_timezone: 'UTC', state: 'ENABLED' });
    expect(JSON.parse(target.input)).toEqual({ scheduled_time: '<aws.scheduler.scheduled-time>', check: 'log-stream' });
    expect(target.arn).toBe(ref(fn('recover-gap'), 'arn'));
    expect(target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
    expect(target.dead_letter_config).toEqual({ arn: ref(queue('acme-lake-recover-gap-failures'), 'arn') });
    expect(resourcesFor(statements(rolePolicyOf(schedulerRole).attrs.policy), 'lambda:InvokeFunction')).toContain(ref(fn('recover-gap'), 'arn'));
  });

  it('its own queue: FIFO, one message per invocation, six timeouts of visibility, a FIFO dead-letter queue', () => {
    const recovery = queue('acme-lake-recover-gap.fifo');
    const dlq = queue('acme-lake-recover-gap-dlq.fifo');
    const mapping = one(plan, 'aws_lambda_event_source_mapping', (a) => a.event_source_arn === ref(recovery, 'arn'));

    expect(recovery.attrs).toMatchObject({ fifo_queue: true, content_based_deduplication: true, kms_master_key_id: ref(key(), 'arn'), visibility_timeout_seconds: 6 * 900 });
    expect(JSON.parse(String(recovery.attrs.redrive_policy))).toEqual({ deadLetterTargetArn: ref(dlq, 'arn'), maxReceiveCount: 3 });
    expect(dlq.attrs).toMatchObject({ fifo_queue: true, kms_master_key_id: ref(key(), 'arn') });
    expect(mapping.attrs).toMatchObject({ function_name: ref(fn('recover-gap'), 'arn'), batch_size: 1, enabled: true });
  });
});

describe('the re-run queue', () => {
  it('holds each message until the api stream has delivered: 1.5 buffer intervals plus slack, within SQS\'s 900 s', () => {
    const reruns = queue('acme-lake-hourly-reruns.fifo');
    const dlq = queue('acme-lake-hourly-reruns-dlq.fifo');

    expect(reruns.attrs.delay_seconds).toBe(rerunDelaySeconds(60));
    expect(rerunDelaySeconds(60)).toBe(90 + 300);
    expect(rerunDelaySeconds(900)).toBe(900);
    expect(reruns.attrs).toMatchObject({ kms_master_key_id: ref(key(), 'arn'), visibility_timeout_seconds: 6 * 600 });
    // FIFO, one message group: re-runs one at a time, oldest first (handlers/recovery/queues.ts sends them so).
    expect(reruns.attrs).toMatchObject({ fifo_queue: true, content_based_deduplication: true });
    expect(dlq.attrs.fifo_queue).toBe(true);
    expect(JSON.parse(String(reruns.attrs.redrive_policy))).toEqual({ deadLetterTargetArn: ref(dlq, 'arn'), maxReceiveCount: 3 });
    expect(dlq.attrs.kms_master_key_id).toBe(ref(key(), 'arn'));
  });

  it('is read by the hourly detections, one hour per invocation', () => {
    const reruns = queue('acme-lake-hourly-reruns.fifo');
    const mapping = one(plan, 'aws_lambda_event_source_mapping', (a) => a.event_source_arn === ref(reruns, 'arn'));
    const st = statements(rolePolicyOf(referenced('aws_iam_role', fn('hourly-detections').attrs.role)).attrs.policy);

    expect(mapping.attrs).toMatchObject({ function_name: ref(fn('hourly-detections'), 'arn'), batch_size: 1, enabled: true });
    expect(resourcesFor(st, 'sqs:ReceiveMessage')).toEqual([ref(reruns, 'arn')]);
    expect(resourcesFor(st, 'sqs:DeleteMessage')).toEqual([ref(reruns, 'arn')]);
  });
});

describe('alarms', () => {
  const alarm = (name: string) => one(plan, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === name).attrs;
  const ops = () => ref(one(plan, 'aws_sns_topic', nameIs('acme-lake-ops')), 'arn');

  it('on the function\'s errors, its on-failure queue and both dead-letter queues', () => {
    expect(alarm('acme-lake-recover-gap-errors')).toMatchObject({ metric_name: 'Errors', dimensions: { FunctionName: ref(fn('recover-gap'), 'function_name') }, alarm_actions: [ops()] });
    for (const [name, q] of [
      ['acme-lake-recover-gap-failures-dead-letters', 'acme-lake-recover-gap-failures'],
      ['acme-lake-recover-gap-dlq-dead-letters', 'acme-lake-recover-gap-dlq.fifo'],
      ['acme-lake-hourly-reruns-dlq-dead-letters', 'acme-lake-hourly-reruns-dlq.fifo'],
    ] as const) {
      expect(alarm(name), name).toMatchObject({ metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: ref(queue(q), 'name') }, threshold: 0, alarm_actions: [ops()] });
    }
  });

  it('on records the api stream could not convert', () => {
    expect(alarm('acme-lake-firehose-api-failed-conversion')).toMatchObject({
      namespace: 'AWS/Firehose',
      metric_name: 'FailedConversion.Records',
      dimensions: { DeliveryStreamName: ref(apiStream(), 'name') },
      alarm_actions: [ops()],
    });
    expect(String(alarm('acme-lake-firehose-api-failed-conversion').alarm_description)).toContain('okta/errors/api/');
  });
});
