/**
 * Synth assertions for every point of issue 3, on one synthesis of the whole stack from TEST_CONFIG.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_EVENT } from '../../core/findings.ts';
import { HANDLER_ENV, INVENTORY_ENV, RECOVERY_ENV } from '../../handlers/env.ts';
import { REFRESH_RUN_PREFIX as HANDLER_REFRESH_PREFIX } from '../../handlers/refresh.ts';
import { lakePaths } from '../../schema/layout.ts';
import { REFRESH_RUN_PREFIX } from '../../modules/findings.ts';
import type { Plan } from '../../modules/policy/plan.ts';
import { HANDLER_ENTRIES } from '../../modules/stack.ts';
import { loadCatalog } from '../../core/catalog.ts';
import { join } from 'node:path';
import { alarmMetricOf } from '../../modules/alarm-metrics.ts';
import { lakeViews, okta_events_unique } from '../../schema/views.ts';
import { trinoParseError } from '../../engines/duckdb/trino-parse.ts';
import { activity, findings, lakeTables, okta_events } from '../../schema/index.ts';
import { hiveType } from '../../schema/types.ts';
import { all, nameIs, one, parsed, ref, synthStack, TEST_CONFIG, type Found, type Synthesized } from './helpers.ts';

let s: Synthesized;
let plan: Plan;
const PARTNER_SOURCE = 'aws.partner/okta.com/acme/acme_okta_lake';
const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';

type Statement = { Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const statements = (policy: unknown): Statement[] => parsed<{ Statement: Statement[] }>(policy).Statement;
const actions = (st: Statement[]) => st.flatMap((x) => (Array.isArray(x.Action) ? x.Action : [x.Action]));
const resourcesFor = (st: Statement[], action: string) =>
  st.filter((x) => (Array.isArray(x.Action) ? x.Action : [x.Action]).includes(action)).flatMap((x) => (Array.isArray(x.Resource) ? x.Resource : [x.Resource]));
const rolePolicyOf = (role: Found) => one(plan, 'aws_iam_role_policy', (a) => a.role === ref(role, 'id'));
const fn = (id: string) => one(plan, 'aws_lambda_function', (a) => a.function_name === `acme-lake-${id}`);
/** The resource of `type` that `reference` (`${type.name.attr}`) points at. */
const referenced = (type: string, reference: unknown): Found => {
  const found = all(plan, type).filter((r) => typeof reference === 'string' && reference.startsWith(`\${${r.address}.`));
  if (found.length !== 1) throw new Error(`${String(reference)} does not name exactly one ${type}`);
  return found[0]!;
};
/** The detection functions, which share the handler environment, the tables and the schedules. */
const IDS = ['hourly-detections', 'daily-snapshot', 'refresh-user'];
/** Every function, gap recovery's and the inventory's included (the inventory has a test file of its own). */
const ALL_IDS = [...IDS, 'recover-gap', 'inventory', 'near-real-time'];
/** The partner stream (the api-events stream of gap recovery is tested in gap-recovery.test.ts). */
const partnerStream = () => one(plan, 'aws_kinesis_firehose_delivery_stream', nameIs('acme-lake-okta-events'));

beforeAll(() => {
  s = synthStack();
  plan = s.plan;
});

describe('1. configuration reaches the plan', () => {
  it('configures the aws provider from the config: region and default tags', () => {
    const aws = (plan.provider as Record<string, Record<string, unknown>[]>).aws![0]!;

    expect(aws.region).toBe('eu-west-1');
    expect(aws.default_tags).toEqual([{ tags: { team: 'identity-security' } }]);
  });

  it('configures the okta provider with the org, never with a token', () => {
    const okta = (plan.provider as Record<string, Record<string, unknown>[]>).okta![0]!;

    expect(okta).toEqual({ org_name: 'acme', base_url: 'oktapreview.com' });
    // Okta event type names in the near-real-time rules' patterns (system.api_token.create) are not credentials.
    const withoutPatterns = s.json.replace(/"event_pattern": "(?:[^"\\]|\\.)*"/g, '"event_pattern": ""');
    expect(withoutPatterns).not.toMatch(/api_token|private_key|access_token/);
  });

  it('keeps a token in the environment out of the plan', () => {
    const token = '00SECRET-token-value-that-must-not-leak-0000';
    const withToken = synthStack(TEST_CONFIG, { env: { OKTA_API_TOKEN: token } });

    expect(withToken.json).not.toContain(token);
  });

  it('prefixes resource names with namePrefix', () => {
    expect(all(plan, 'aws_lambda_function').map((f) => f.attrs.function_name).sort()).toEqual([
      'acme-lake-daily-snapshot',
      'acme-lake-hourly-detections',
      'acme-lake-inventory',
      'acme-lake-near-real-time',
      'acme-lake-recover-gap',
      'acme-lake-refresh-user',
    ]);
    expect(one(plan, 'aws_athena_workgroup').attrs.name).toBe('acme-lake');
    expect(one(plan, 'aws_glue_catalog_database').attrs.name).toBe('acme_lake');
  });
});

describe('2. Okta side: the log stream', () => {
  it('declares an ACTIVE aws_eventbridge log stream to this account and the configured region', () => {
    const stream = one(plan, 'okta_log_stream');

    expect(stream.attrs).toMatchObject({
      name: 'Acme lake',
      type: 'aws_eventbridge',
      status: 'ACTIVE',
      settings: { account_id: ACCOUNT, region: 'eu-west-1', event_source_name: 'acme_okta_lake' },
    });
  });

  it('names a pinned account directly and makes the aws provider refuse any other', () => {
    const pinned = synthStack({ ...TEST_CONFIG, aws: { region: 'eu-west-1', accountId: '123456789012' } });
    const aws = (pinned.plan.provider as Record<string, Record<string, unknown>[]>).aws![0]!;

    expect(one(pinned.plan, 'okta_log_stream').attrs.settings).toMatchObject({ account_id: '123456789012' });
    expect(aws.allowed_account_ids).toEqual(['123456789012']);
    expect(pinned.plan.data).toBeUndefined();
  });
});

describe('3. bus and routing', () => {
  it('names the partner bus exactly like the partner event source, after the log stream exists', () => {
    const bus = one(plan, 'aws_cloudwatch_event_bus');

    expect(bus.attrs.name).toBe(PARTNER_SOURCE);
    expect(bus.attrs.event_source_name).toBe(PARTNER_SOURCE);
  });

  it('waits a minute between creating the log stream and the partner bus, and again for a replaced stream', () => {
    // CreateEventBus is called once, without retry, and Okta may create the partner source a little after its
    // API answered: the bus must not follow the stream at once.
    const stream = one(plan, 'okta_log_stream');
    const wait = one(plan, 'time_sleep');
    const bus = one(plan, 'aws_cloudwatch_event_bus');

    expect(bus.attrs.depends_on).toEqual([wait.address]);
    expect(wait.attrs).toMatchObject({ create_duration: '60s', depends_on: [stream.address], triggers: { log_stream_id: ref(stream, 'id') } });
    expect((plan.terraform as { required_providers: Record<string, { source: string }> }).required_providers.time!.source).toBe('hashicorp/time');
  });

  it('puts no resource policy on the partner bus (AWS rejects one)', () => {
    expect(all(plan, 'aws_cloudwatch_event_bus_policy')).toEqual([]);
    expect(one(plan, 'aws_cloudwatch_event_bus').attrs.policy).toBeUndefined();
  });

  it('matches every event of the partner source on that bus, whatever its detail-type', () => {
    // No Okta document states the detail-type; a pattern on it could match nothing.
    const bus = one(plan, 'aws_cloudwatch_event_bus');
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-system-log'));

    expect(rule.attrs.event_bus_name).toBe(ref(bus, 'name'));
    expect(parsed(rule.attrs.event_pattern)).toEqual({ source: [PARTNER_SOURCE] });
  });

  it('sends each event’s detail to Firehose with retries and a dead-letter queue', () => {
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-system-log'));
    const target = one(plan, 'aws_cloudwatch_event_target', (a) => a.rule === ref(rule, 'name'));
    const stream = partnerStream();
    const dlq = one(plan, 'aws_sqs_queue', nameIs('acme-lake-okta-events-dlq'));

    expect(target.attrs).toMatchObject({
      arn: ref(stream, 'arn'),
      input_path: '$.detail',
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
      dead_letter_config: { arn: ref(dlq, 'arn') },
    });
    expect(dlq.attrs.kms_master_key_id).toBe(ref(one(plan, 'aws_kms_key'), 'arn'));
  });

  it('gives the target its own role: trusted by EventBridge for this rule only, allowed only to put records into this stream', () => {
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-system-log'));
    const target = one(plan, 'aws_cloudwatch_event_target', (a) => a.rule === ref(rule, 'name'));
    const role = referenced('aws_iam_role', target.attrs.role_arn);
    const trust = statements(role.attrs.assume_role_policy);

    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnEquals: { 'aws:SourceArn': ref(rule, 'arn') } },
      },
    ]);
    expect(statements(rolePolicyOf(role).attrs.policy)).toEqual([
      { Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: ref(partnerStream(), 'arn') },
    ]);
  });

  it('lets only that rule send to the dead-letter queue', () => {
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-system-log'));
    const dlq = one(plan, 'aws_sqs_queue', nameIs('acme-lake-okta-events-dlq'));
    const policy = one(plan, 'aws_sqs_queue_policy', (a) => a.queue_url === ref(dlq, 'url'));

    expect(statements(policy.attrs.policy)).toEqual([
      {
        Sid: 'Allow0',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: ref(dlq, 'arn'),
        Condition: { ArnEquals: { 'aws:SourceArn': ref(rule, 'arn') } },
      },
    ]);
  });
});

describe('4. lake: key, bucket, Firehose, Glue', () => {
  it('rotates the KMS key', () => {
    expect(one(plan, 'aws_kms_key').attrs.enable_key_rotation).toBe(true);
  });

  it('blocks public access, enforces ownership, encrypts with the key, versions and denies plain HTTP', () => {
    const bucket = one(plan, 'aws_s3_bucket');
    const key = one(plan, 'aws_kms_key');
    const on = (type: string) => one(plan, type, (a) => a.bucket === ref(bucket, 'id'));

    expect(bucket.attrs.bucket).toBe(`acme-lake-${ACCOUNT}-eu-west-1`);
    expect(on('aws_s3_bucket_public_access_block').attrs).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(on('aws_s3_bucket_ownership_controls').attrs.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(on('aws_s3_bucket_server_side_encryption_configuration').attrs.rule).toEqual([
      { bucket_key_enabled: true, apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref(key, 'arn') } },
    ]);
    expect(on('aws_s3_bucket_versioning').attrs.versioning_configuration).toEqual({ status: 'Enabled' });
    const deny = statements(on('aws_s3_bucket_policy').attrs.policy).find((x) => x.Condition?.Bool);
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('expires each prefix after the days the config gives it, and old versions after theirs', () => {
    const bucket = one(plan, 'aws_s3_bucket');
    const rules = one(plan, 'aws_s3_bucket_lifecycle_configuration', (a) => a.bucket === ref(bucket, 'id')).attrs.rule as Record<string, unknown>[];
    const days = Object.fromEntries(
      rules.filter((r) => (r.expiration as { days?: number }[])[0]?.days).map((r) => [(r.filter as { prefix: string }[])[0]!.prefix, (r.expiration as { days: number }[])[0]!.days]),
    );

    expect(days).toEqual({ [`${lakePaths.events}/`]: 400, [`${lakePaths.raw}/`]: 60, [`${lakePaths.errors}/`]: 21, 'athena-results/': 3 });
    expect(rules.find((r) => r.id === 'noncurrent-versions-and-uploads')).toMatchObject({
      filter: [{ prefix: '' }],
      noncurrent_version_expiration: [{ noncurrent_days: 5 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
    });
  });

  it('delivers with Firehose to Parquet through the Glue table: encrypted, OpenX, SNAPPY, >= 64 MB buffers', () => {
    const stream = partnerStream();
    const s3 = stream.attrs.extended_s3_configuration as Record<string, any>;
    const table = one(plan, 'aws_glue_catalog_table', nameIs('okta_events'));
    const key = one(plan, 'aws_kms_key');

    expect(stream.attrs.server_side_encryption).toEqual({ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK', key_arn: ref(key, 'arn') });
    expect(s3).toMatchObject({
      bucket_arn: ref(one(plan, 'aws_s3_bucket'), 'arn'),
      compression_format: 'UNCOMPRESSED',
      kms_key_arn: ref(key, 'arn'),
      buffering_interval: 600,
      buffering_size: 96,
    });
    expect(s3.buffering_size).toBeGreaterThanOrEqual(64);
    expect(s3.data_format_conversion_configuration).toMatchObject({
      enabled: true,
      input_format_configuration: { deserializer: { open_x_json_ser_de: { case_insensitive: true } } },
      output_format_configuration: { serializer: { parquet_ser_de: { compression: 'SNAPPY' } } },
      schema_configuration: { database_name: ref(one(plan, 'aws_glue_catalog_database'), 'name'), table_name: ref(table, 'name'), region: 'eu-west-1', version_id: 'LATEST' },
    });
  });

  it('writes events under their arrival hour, errors under their error type, and every raw record under okta/raw/', () => {
    const s3 = partnerStream().attrs.extended_s3_configuration as Record<string, any>;

    expect(s3.prefix).toBe('okta/events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
    expect(s3.error_output_prefix).toContain('!{firehose:error-output-type}');
    expect(s3.error_output_prefix.startsWith('okta/errors/')).toBe(true);
    expect(s3.s3_backup_mode).toBe('Enabled');
    expect(s3.s3_backup_configuration).toMatchObject({ prefix: 'okta/raw/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/', compression_format: 'GZIP' });
    // Firehose writes no error output for the backup destination: a prefix there would be dead configuration.
    expect(s3.s3_backup_configuration).not.toHaveProperty('error_output_prefix');
  });

  it('logs Firehose delivery errors to a log group with the configured retention', () => {
    const s3 = partnerStream().attrs.extended_s3_configuration as Record<string, any>;
    const group = one(plan, 'aws_cloudwatch_log_group', nameIs('/aws/kinesisfirehose/acme-lake-okta-events'));

    expect(group.attrs.retention_in_days).toBe(90);
    expect(s3.cloudwatch_logging_options).toMatchObject({ enabled: true, log_group_name: ref(group, 'name') });
  });

  it('lets the Firehose role read the table schema, write only the okta/ prefixes and use the key', () => {
    const stream = partnerStream();
    const role = one(plan, 'aws_iam_role', (a) => a.name === 'acme-lake-okta-events-firehose');
    const st = statements(rolePolicyOf(role).attrs.policy);
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');

    expect((stream.attrs.extended_s3_configuration as Record<string, string>).role_arn).toBe(ref(role, 'arn'));
    expect(resourcesFor(st, 'glue:GetTable')).toContain(`arn:aws:glue:eu-west-1:${ACCOUNT}:table/acme_lake/okta_events`);
    expect(resourcesFor(st, 's3:PutObject')).toEqual([`${bucketArn}/okta/events/*`, `${bucketArn}/okta/raw/*`, `${bucketArn}/okta/errors/*`]);
    expect(resourcesFor(st, 'kms:GenerateDataKey')).toEqual([ref(one(plan, 'aws_kms_key'), 'arn')]);
    expect(parsed<{ Statement: Statement[] }>(role.attrs.assume_role_policy).Statement[0]!.Condition).toEqual({ StringEquals: { 'sts:ExternalId': ACCOUNT } });
  });

  it('generates the Glue tables from the schema: every column with its Hive type, partition keys as strings', () => {
    for (const def of lakeTables) {
      const table = one(plan, 'aws_glue_catalog_table', nameIs(def.name));
      const sd = table.attrs.storage_descriptor as { columns: { name: string; type: string }[]; location: string; ser_de_info: { serialization_library: string } };

      expect(sd.columns).toEqual(Object.entries(def.columns).map(([name, t]) => ({ name, type: hiveType(t) })));
      expect(table.attrs.partition_keys).toEqual(def.partitionKeys.map((name) => ({ name, type: 'string' })));
      expect(sd.location).toBe(`s3://${ref(one(plan, 'aws_s3_bucket'), 'bucket')}/${def.location}/`);
      expect(sd.ser_de_info.serialization_library).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(table.attrs.table_type).toBe('EXTERNAL_TABLE');
    }
    const tables = all(plan, 'aws_glue_catalog_table').filter((t) => t.attrs.table_type === 'EXTERNAL_TABLE');
    expect(tables.map((t) => t.attrs.name).sort()).toEqual(lakeTables.map((t) => t.name).sort());
    expect(all(plan, 'aws_glue_crawler')).toEqual([]);
  });

  it('declares okta_events_unique as an Athena view, from the one definition the local engine also uses', () => {
    const view = one(plan, 'aws_glue_catalog_table', nameIs(okta_events_unique.name));
    const text = String(view.attrs.view_original_text);
    const encoded = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text)![1]!;
    const definition = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { originalSql: string; catalog: string; schema: string; columns: { name: string; type: string }[] };
    const sd = view.attrs.storage_descriptor as { columns: { name: string; type: string }[] };

    expect(view.attrs).toMatchObject({ table_type: 'VIRTUAL_VIEW', view_expanded_text: '/* Presto View */', parameters: { presto_view: 'true' } });
    expect(view.attrs.database_name).toBe(ref(one(plan, 'aws_glue_catalog_database'), 'name'));
    expect(definition).toMatchObject({ originalSql: okta_events_unique.sql, catalog: 'awsdatacatalog', schema: 'acme_lake' });
    expect(trinoParseError(definition.originalSql)).toBeUndefined();
    // Every column of okta_events, then its partition keys, in Athena's two spellings.
    const names = [...Object.keys(okta_events.columns), ...okta_events.partitionKeys];
    expect(definition.columns.map((c) => c.name)).toEqual(names);
    expect(sd.columns.map((c) => c.name)).toEqual(names);
    expect(definition.columns.find((c) => c.name === 'actor')!.type).toBe('row(id varchar, type varchar, alternateid varchar, displayname varchar, detailentry map(varchar, varchar))');
    expect(sd.columns.find((c) => c.name === 'actor')!.type).toBe(hiveType(okta_events.columns.actor));
  });

  it('projects okta_events partitions by arrival date and hour, from the configured start to NOW', () => {
    const params = one(plan, 'aws_glue_catalog_table', nameIs(okta_events.name)).attrs.parameters as Record<string, string>;

    expect(params).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-06-01,NOW',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      // Athena's ${dt}, escaped so Terraform does not read it as interpolation.
      'storage.location.template': `s3://${ref(one(plan, 'aws_s3_bucket'), 'bucket')}/okta/events/dt=$\${dt}/hour=$\${hour}/`,
    });
  });

  it('leaves findings and activity unprojected: Athena INSERT INTO registers their partitions', () => {
    for (const def of [findings, activity]) {
      const params = one(plan, 'aws_glue_catalog_table', nameIs(def.name)).attrs.parameters as Record<string, string>;

      expect(Object.keys(params).filter((k) => k.startsWith('projection.') || k.startsWith('storage.location'))).toEqual([]);
    }
  });
});

describe('5. Athena', () => {
  it('runs engine v3 with enforced configuration, KMS-encrypted results in their own prefix, the configured scan cutoff and metrics', () => {
    const wg = one(plan, 'aws_athena_workgroup');

    expect(wg.attrs.configuration).toEqual({
      enforce_workgroup_configuration: true,
      publish_cloudwatch_metrics_enabled: true,
      bytes_scanned_cutoff_per_query: 5 * 1024 ** 3,
      engine_version: { selected_engine_version: 'Athena engine version 3' },
      result_configuration: {
        output_location: `s3://${ref(one(plan, 'aws_s3_bucket'), 'bucket')}/athena-results/`,
        encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: ref(one(plan, 'aws_kms_key'), 'arn') },
      },
    });
  });

  it('saves one named query per investigation file, with ? placeholders, in the workgroup and database', () => {
    const queries = all(plan, 'aws_athena_named_query');
    const timeline = one(plan, 'aws_athena_named_query', nameIs('acme-lake-user-timeline'));

    expect(queries.map((q) => q.attrs.name).sort()).toEqual(['acme-lake-latest-findings', 'acme-lake-user-timeline']);
    expect(timeline.attrs.workgroup).toBe(ref(one(plan, 'aws_athena_workgroup'), 'name'));
    expect(timeline.attrs.database).toBe(ref(one(plan, 'aws_glue_catalog_database'), 'name'));
    expect(timeline.attrs.query).toContain('where actor.id = ? and dt between ? and ?');
    expect(timeline.attrs.query).toContain("displaymessage <> ':literal'");
    expect(timeline.attrs.description).toContain('Execution parameters, in order: 1=user_id, 2=from_dt, 3=to_dt.');
  });
});

describe('5b. near-real-time rules', () => {
  const nearRealTime = loadCatalog(join(import.meta.dirname, '../../detections')).filter((d) => d.near_real_time);

  it('gives each enabled near-real-time detection a rule on the partner bus, with its pattern on the event detail', () => {
    const bus = one(plan, 'aws_cloudwatch_event_bus');
    const rules = all(plan, 'aws_cloudwatch_event_rule').filter((r) => String(r.attrs.name).startsWith('acme-lake-rt-'));
    const enabled = nearRealTime.filter((d) => !TEST_CONFIG.detections!.disabledDetections!.includes(d.id));
    expect(rules.map((r) => r.attrs.name).sort()).toEqual(enabled.map((d) => `acme-lake-rt-${d.id.replace(/^okta-/, '')}`.slice(0, 64)).sort());
    for (const d of enabled) {
      const rule = rules.find((r) => r.attrs.name === `acme-lake-rt-${d.id.replace(/^okta-/, '')}`.slice(0, 64))!;
      expect(rule.attrs.event_bus_name).toBe(ref(bus, 'name'));
      expect(JSON.parse(String(rule.attrs.event_pattern))).toEqual({ source: [PARTNER_SOURCE], detail: d.near_real_time!.pattern });
    }
  });

  it('hands the detection id and the whole event to the near-real-time function, retrying into its failure queue, invoked by those rules only', () => {
    const rules = all(plan, 'aws_cloudwatch_event_rule').filter((r) => String(r.attrs.name).startsWith('acme-lake-rt-'));
    expect(rules.length).toBeGreaterThan(0);
    const targets = all(plan, 'aws_cloudwatch_event_target').filter((t) => t.attrs.target_id === 'near-real-time');
    expect(targets).toHaveLength(rules.length);
    for (const t of targets) {
      expect(t.attrs.arn).toBe(ref(fn('near-real-time'), 'arn'));
      const template = String((t.attrs.input_transformer as { input_template: string }).input_template);
      expect(template).toMatch(/^\{"detection": "okta-[a-z0-9-]+", "event": <aws\.events\.event\.json>\}$/);
      expect((t.attrs.retry_policy as { maximum_event_age_in_seconds: number }).maximum_event_age_in_seconds).toBe(3600);
    }
    const permissions = all(plan, 'aws_lambda_permission').filter((p) => p.attrs.function_name === ref(fn('near-real-time'), 'function_name'));
    expect(permissions.map((p) => p.attrs.source_arn).sort()).toEqual(rules.map((r) => ref(r, 'arn')).sort());
  });
});

describe('6. Lambdas', () => {
  const ids = IDS;

  it('bundles the real handler entry points by default', () => {
    expect(HANDLER_ENTRIES).toEqual({
      hourlyDetections: 'handlers/hourly-detections.ts',
      dailySnapshot: 'handlers/daily-snapshot.ts',
      refreshUser: 'handlers/refresh-user.ts',
      recoverGap: 'handlers/recover-gap.ts',
      inventory: 'handlers/inventory-collect.ts',
      nearRealTime: 'handlers/near-real-time-detections.ts',
    });
  });

  it.each(ALL_IDS)('runs %s on nodejs22.x arm64 from a bundle asset', (id) => {
    const f = fn(id);

    expect(f.attrs).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler' });
    expect(f.attrs.filename).toMatch(new RegExp(`^assets/${id}-bundle_asset_[0-9A-F]+/[0-9A-F]{32}/archive\\.zip$`));
    expect(f.attrs.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it.each(ids)('gives %s every handler environment variable, the thresholds and the Powertools settings', (id) => {
    const vars = (fn(id).attrs.environment as { variables: Record<string, string> }).variables;

    // refresh-user also reaches Okta: the secret, the org and the api-events stream, and the identity rules for the inventory.
    const okta =
      id === 'refresh-user'
        ? [RECOVERY_ENV.oktaSecretArn, RECOVERY_ENV.oktaOrgUrl, RECOVERY_ENV.apiStreamName, RECOVERY_ENV.apiStreamDelaySeconds, INVENTORY_ENV.identityRules]
        : [];
    expect(Object.keys(vars).sort()).toEqual([...Object.values(HANDLER_ENV), ...okta, 'LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'].sort());
    expect(vars[HANDLER_ENV.workgroup]).toBe(ref(one(plan, 'aws_athena_workgroup'), 'name'));
    expect(vars[HANDLER_ENV.database]).toBe(ref(one(plan, 'aws_glue_catalog_database'), 'name'));
    expect(vars[HANDLER_ENV.bucket]).toBe(ref(one(plan, 'aws_s3_bucket'), 'bucket'));
    expect(vars[HANDLER_ENV.findingsTopicArn]).toBe(ref(one(plan, 'aws_sns_topic', nameIs('acme-lake-findings')), 'arn'));
    expect(vars[HANDLER_ENV.findingsEventBus]).toBe(`arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`);
    expect(JSON.parse(vars[HANDLER_ENV.thresholds]!)).toEqual(TEST_CONFIG.detections.thresholds);
    expect(JSON.parse(vars[HANDLER_ENV.disabledDetections]!)).toEqual(['okta-session-roaming']);
    expect(JSON.parse(vars[HANDLER_ENV.exclusions]!)).toEqual(TEST_CONFIG.detections.exclusions);
    expect(vars).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'okta-log-lake', LOG_LEVEL: 'INFO' });
  });

  it('reserves no concurrency, so the plan applies on an account whose concurrency quota is still 10', () => {
    // AWS lets a function reserve only what leaves 100 executions unreserved; a new account has a quota of 10.
    for (const id of ALL_IDS) expect(fn(id).attrs.reserved_concurrent_executions, id).toBeUndefined();
  });

  it.each(ALL_IDS)('retries %s asynchronously, then sends the event to its encrypted on-failure queue', (id) => {
    const config = one(plan, 'aws_lambda_function_event_invoke_config', (a) => a.function_name === ref(fn(id), 'function_name'));
    const queue = one(plan, 'aws_sqs_queue', nameIs(`acme-lake-${id}-failures`));

    expect(config.attrs.maximum_retry_attempts).toBe(2);
    expect(config.attrs.destination_config).toEqual({ on_failure: { destination: ref(queue, 'arn') } });
    expect(queue.attrs.kms_master_key_id).toBe(ref(one(plan, 'aws_kms_key'), 'arn'));
  });

  it.each(ALL_IDS)('logs %s to its own log group with the configured retention', (id) => {
    const group = one(plan, 'aws_cloudwatch_log_group', nameIs(`/aws/lambda/acme-lake-${id}`));

    expect(group.attrs.retention_in_days).toBe(90);
    expect(fn(id).attrs.logging_config).toMatchObject({ log_group: ref(group, 'name') });
    expect(fn(id).attrs.depends_on).toContain(group.address);
  });

  it('runs the hourly detections at the configured minute and the snapshot daily, UTC, with the scheduled time as input', () => {
    const hourly = one(plan, 'aws_scheduler_schedule', nameIs('acme-lake-hourly-detections'));
    const daily = one(plan, 'aws_scheduler_schedule', nameIs('acme-lake-daily-snapshot'));

    expect(hourly.attrs).toMatchObject({ schedule_expression: 'cron(25 * * * ? *)', schedule_expression_timezone: 'UTC', state: 'ENABLED', flexible_time_window: { mode: 'OFF' } });
    expect(daily.attrs).toMatchObject({ schedule_expression: 'cron(45 0 * * ? *)', schedule_expression_timezone: 'UTC' });
    for (const [schedule, id] of [[hourly, 'hourly-detections'], [daily, 'daily-snapshot']] as const) {
      const target = schedule.attrs.target as Record<string, any>;
      expect(target.arn).toBe(ref(fn(id), 'arn'));
      expect(JSON.parse(target.input)).toEqual({ scheduled_time: '<aws.scheduler.scheduled-time>' });
      expect(target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
      expect(target.dead_letter_config).toEqual({ arn: ref(one(plan, 'aws_sqs_queue', nameIs(`acme-lake-${id}-failures`)), 'arn') });
    }
  });

  it('disables the schedules when the config says so', () => {
    const off = synthStack({ ...TEST_CONFIG, schedules: { ...TEST_CONFIG.schedules, enabled: false } });

    expect(all(off.plan, 'aws_scheduler_schedule').map((x) => x.attrs.state)).toEqual(['DISABLED', 'DISABLED', 'DISABLED', 'DISABLED']);
  });

  it('lets the scheduler invoke only the scheduled functions', () => {
    const role = one(plan, 'aws_iam_role', nameIs('acme-lake-scheduler'));
    const st = statements(rolePolicyOf(role).attrs.policy);

    expect(resourcesFor(st, 'lambda:InvokeFunction').sort()).toEqual(
      [ref(fn('hourly-detections'), 'arn'), ref(fn('daily-snapshot'), 'arn'), ref(fn('recover-gap'), 'arn'), ref(fn('inventory'), 'arn')].sort(),
    );
  });

  it.each(ids)('limits %s to this workgroup, these tables, these prefixes and this key', (id) => {
    const role = one(plan, 'aws_iam_role', nameIs(`acme-lake-${id}`));
    const st = statements(rolePolicyOf(role).attrs.policy);
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');
    const table = (n: string) => `arn:aws:glue:eu-west-1:${ACCOUNT}:table/acme_lake/${n}`;

    expect(resourcesFor(st, 'athena:StartQueryExecution')).toEqual([`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/acme-lake`]);
    expect(actions(st)).toEqual(expect.arrayContaining(['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution']));
    // The views too: Athena reads a view's definition from Glue (the posture checks select from the *_current views).
    expect(resourcesFor(st, 'glue:GetTable')).toEqual([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/acme_lake`,
      ...lakeTables.map((t) => table(t.name)),
      ...lakeViews.map((v) => table(v.name)),
    ]);
    // Every function writes its findings and the notification ledger; the daily ones write activity too, and a
    // refresh the user's inventory batch (test/infra/inventory.test.ts).
    const inventory = id === 'refresh-user' ? ['okta_users', 'okta_factors', 'okta_devices', 'okta_admin_roles'] : [];
    const writes = [...(id === 'hourly-detections' ? ['findings', 'notified'] : ['findings', 'activity', 'notified']), ...inventory];
    expect(resourcesFor(st, 'glue:BatchCreatePartition')).toEqual([`arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`, `arn:aws:glue:eu-west-1:${ACCOUNT}:database/acme_lake`, ...writes.map(table)]);
    expect(resourcesFor(st, 's3:DeleteObject').sort()).toEqual(
      [
        `${bucketArn}/activity/*`,
        `${bucketArn}/athena-results/*`,
        `${bucketArn}/findings/*`,
        `${bucketArn}/notified/*`,
        ...(id === 'refresh-user' ? ['users', 'factors', 'devices', 'admin-roles'].map((t) => `${bucketArn}/inventory/${t}/*`) : []),
      ].sort(),
    );
    expect(resourcesFor(st, 's3:GetObject')).toContain(`${bucketArn}/okta/events/*`);
    expect(resourcesFor(st, 's3:PutObject')).not.toContain(`${bucketArn}/okta/events/*`);
    expect(resourcesFor(st, 'kms:Decrypt')).toEqual([ref(one(plan, 'aws_kms_key'), 'arn')]);
    expect(actions(st).some((a) => a.includes('*'))).toBe(false);
  });
});

describe('7. findings out', () => {
  it('publishes findings to an encrypted topic with the configured e-mail subscriptions', () => {
    const topic = one(plan, 'aws_sns_topic', nameIs('acme-lake-findings'));
    const subs = all(plan, 'aws_sns_topic_subscription').filter((x) => x.attrs.topic_arn === ref(topic, 'arn'));

    expect(topic.attrs.kms_master_key_id).toBe(ref(one(plan, 'aws_kms_key'), 'arn'));
    expect(subs.map((x) => [x.attrs.protocol, x.attrs.endpoint]).sort()).toEqual([
      ['email', 'iam@acme.test'],
      ['email', 'soc@acme.test'],
    ]);
  });

  it('lets the functions publish to the topic and put okta-log-lake events on the default bus', () => {
    const st = statements(rolePolicyOf(one(plan, 'aws_iam_role', nameIs('acme-lake-hourly-detections'))).attrs.policy);
    const put = st.find((x) => x.Action === 'events:PutEvents');

    expect(resourcesFor(st, 'sns:Publish')).toEqual([ref(one(plan, 'aws_sns_topic', nameIs('acme-lake-findings')), 'arn')]);
    expect(put).toEqual({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`,
      Condition: { StringEquals: { 'events:source': 'okta-log-lake' } },
    });
  });

  it('queues a finding about a user for refresh-user, except findings a refresh produced', () => {
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-user-finding-refresh'));
    const target = one(plan, 'aws_cloudwatch_event_target', (a) => a.rule === ref(rule, 'name'));
    const queue = one(plan, 'aws_sqs_queue', nameIs('acme-lake-refresh-requests.fifo'));

    expect(rule.attrs.event_bus_name).toBe('default');
    expect(parsed(rule.attrs.event_pattern)).toEqual({
      source: [FINDING_EVENT.source],
      'detail-type': [FINDING_EVENT.detailType],
      detail: { entity: { type: ['user'] }, run: [{ 'anything-but': { prefix: 'refresh-' } }] },
    });
    expect(REFRESH_RUN_PREFIX).toBe(HANDLER_REFRESH_PREFIX);
    expect(target.attrs.arn).toBe(ref(queue, 'arn'));
    expect(target.attrs.sqs_target).toEqual({ message_group_id: 'refresh-user' });
    // EventBridge refuses a FIFO dead-letter queue: undeliverable events go to the function's standard one.
    expect(target.attrs.dead_letter_config).toEqual({ arn: ref(one(plan, 'aws_sqs_queue', nameIs('acme-lake-refresh-user-failures')), 'arn') });
    // The escalation goes through a queue: no function policy lets EventBridge invoke refresh-user.
    expect(all(plan, 'aws_lambda_permission').filter((p) => p.attrs.function_name === ref(fn('refresh-user'), 'function_name'))).toEqual([]);
  });

  it('runs refreshes one at a time: a FIFO queue with one message group, read one message per invocation', () => {
    // Two refreshes of one user running at once would both see a finding as new and both notify it.
    const queue = one(plan, 'aws_sqs_queue', nameIs('acme-lake-refresh-requests.fifo'));
    const dlq = one(plan, 'aws_sqs_queue', nameIs('acme-lake-refresh-requests-dlq.fifo'));
    const mapping = one(plan, 'aws_lambda_event_source_mapping', (a) => a.event_source_arn === ref(queue, 'arn'));
    const policy = statements(one(plan, 'aws_sqs_queue_policy', (a) => a.queue_url === ref(queue, 'url')).attrs.policy);
    const rule = one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-user-finding-refresh'));
    const refreshPolicy = statements(rolePolicyOf(referenced('aws_iam_role', fn('refresh-user').attrs.role)).attrs.policy);

    expect(queue.attrs).toMatchObject({ fifo_queue: true, content_based_deduplication: true, kms_master_key_id: ref(one(plan, 'aws_kms_key'), 'arn') });
    expect(queue.attrs.visibility_timeout_seconds).toBeGreaterThanOrEqual(6 * Number(fn('refresh-user').attrs.timeout));
    expect(JSON.parse(String(queue.attrs.redrive_policy))).toEqual({ deadLetterTargetArn: ref(dlq, 'arn'), maxReceiveCount: 5 });
    expect(dlq.attrs.fifo_queue).toBe(true);
    expect(mapping.attrs).toMatchObject({ event_source_arn: ref(queue, 'arn'), function_name: ref(fn('refresh-user'), 'arn'), batch_size: 1 });
    expect(policy).toEqual([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': ref(rule, 'arn') } } }),
    ]);
    expect(resourcesFor(refreshPolicy, 'sqs:ReceiveMessage')).toEqual([ref(queue, 'arn')]);
    expect(resourcesFor(refreshPolicy, 'sqs:DeleteMessage')).toEqual([ref(queue, 'arn')]);
  });
});

describe('8. watchdog', () => {
  const opsArn = () => ref(one(plan, 'aws_sns_topic', nameIs('acme-lake-ops')), 'arn');

  it('sends every alarm to the encrypted ops topic, which only this account’s alarms may publish to', () => {
    const ops = one(plan, 'aws_sns_topic', nameIs('acme-lake-ops'));
    const subs = all(plan, 'aws_sns_topic_subscription').filter((x) => x.attrs.topic_arn === ref(ops, 'arn'));
    const topicPolicy = statements(one(plan, 'aws_sns_topic_policy').attrs.policy);

    expect(ops.attrs.kms_master_key_id).toBe(ref(one(plan, 'aws_kms_key'), 'arn'));
    expect(subs.map((x) => x.attrs.endpoint)).toEqual(['oncall@acme.test']);
    for (const a of all(plan, 'aws_cloudwatch_metric_alarm')) expect(a.attrs.alarm_actions).toEqual([opsArn()]);
    expect(topicPolicy[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:acme-lake-*` } },
    });
    const keyPolicy = statements(one(plan, 'aws_kms_key').attrs.policy);
    expect(keyPolicy.find((x) => (x.Principal as { Service?: string })?.Service === 'cloudwatch.amazonaws.com')).toBeDefined();
  });

  it('alarms when the partner source sent no Okta event for the configured time, counting missing data as silence', () => {
    const a = one(plan, 'aws_cloudwatch_metric_alarm', (x) => x.alarm_name === 'acme-lake-okta-silent').attrs;

    expect(a).toMatchObject({
      namespace: 'AWS/Events',
      metric_name: 'Events',
      dimensions: { EventSourceName: PARTNER_SOURCE },
      period: 90 * 60,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
    });
  });

  it('alarms when the partner rule gives up on a delivery, and when it cannot even dead-letter one', () => {
    const dims = { EventBusName: ref(one(plan, 'aws_cloudwatch_event_bus'), 'name'), RuleName: ref(one(plan, 'aws_cloudwatch_event_rule', nameIs('acme-lake-okta-system-log')), 'name') };
    const failed = one(plan, 'aws_cloudwatch_metric_alarm', (x) => x.metric_name === 'FailedInvocations').attrs;
    const lost = one(plan, 'aws_cloudwatch_metric_alarm', (x) => x.metric_name === 'InvocationsFailedToBeSentToDlq').attrs;

    for (const a of [failed, lost]) {
      expect(a).toMatchObject({ namespace: 'AWS/Events', dimensions: dims, threshold: 0, comparison_operator: 'GreaterThanThreshold', treat_missing_data: 'notBreaching' });
    }
    expect(lost.alarm_name).toBe('acme-lake-okta-events-lost');
  });

  it('watches only metric and dimension pairs AWS publishes (the table in modules/alarm-metrics.ts)', () => {
    const alarms = all(plan, 'aws_cloudwatch_metric_alarm');

    expect(alarms.length).toBeGreaterThan(5);
    for (const a of alarms) {
      const dimensions = Object.keys((a.attrs.dimensions ?? {}) as Record<string, string>);
      const metric = alarmMetricOf(String(a.attrs.namespace), String(a.attrs.metric_name), dimensions);
      expect(metric, `${String(a.attrs.alarm_name)}: ${String(a.attrs.namespace)} ${String(a.attrs.metric_name)} {${dimensions.join(', ')}}`).toBeDefined();
      // An alarm that counts missing data as breaching must watch a metric AWS leaves out when it is zero.
      if (a.attrs.treat_missing_data === 'breaching') expect(metric!.publishedWhenZero, String(a.attrs.alarm_name)).toBe(false);
    }
  });

  it('refuses the MatchedEvents metric per rule: AWS publishes it without dimensions', () => {
    expect(alarmMetricOf('AWS/Events', 'MatchedEvents', ['EventBusName', 'RuleName'])).toBeUndefined();
  });

  it('alarms on Firehose failed conversions and data freshness', () => {
    const stream = ref(partnerStream(), 'name');
    const failed = one(plan, 'aws_cloudwatch_metric_alarm', (x) => x.metric_name === 'FailedConversion.Records' && x.alarm_name === 'acme-lake-firehose-failed-conversion').attrs;
    const fresh = one(plan, 'aws_cloudwatch_metric_alarm', (x) => x.metric_name === 'DeliveryToS3.DataFreshness').attrs;

    expect(failed).toMatchObject({ namespace: 'AWS/Firehose', dimensions: { DeliveryStreamName: stream }, threshold: 0, comparison_operator: 'GreaterThanThreshold' });
    expect(fresh).toMatchObject({ namespace: 'AWS/Firehose', dimensions: { DeliveryStreamName: stream }, threshold: 600 + 900 });
  });

  it('alarms on errors of each function', () => {
    const errors = all(plan, 'aws_cloudwatch_metric_alarm').filter((x) => x.attrs.metric_name === 'Errors');

    expect(errors.map((x) => (x.attrs.dimensions as { FunctionName: string }).FunctionName).sort()).toEqual(ALL_IDS.map((id) => ref(fn(id), 'function_name')).sort());
  });

  it('alarms on messages waiting in the partner DLQ, the escalation DLQ, gap recovery\'s DLQs and every on-failure queue', () => {
    const depth = all(plan, 'aws_cloudwatch_metric_alarm').filter((x) => x.attrs.metric_name === 'ApproximateNumberOfMessagesVisible');
    // Every queue but the work queues themselves (escalation, recovery jobs, re-runs), whose messages are work in progress.
    const work = ['acme-lake-refresh-requests.fifo', 'acme-lake-recover-gap.fifo', 'acme-lake-hourly-reruns.fifo'];
    const deadLetterQueues = all(plan, 'aws_sqs_queue').filter((q) => !work.includes(String(q.attrs.name)));

    expect(deadLetterQueues).toHaveLength(10);
    expect(depth.map((x) => (x.attrs.dimensions as { QueueName: string }).QueueName).sort()).toEqual(deadLetterQueues.map((q) => ref(q, 'name')).sort());
  });
});

describe('9. GitOps', () => {
  it('names both providers by their full source', () => {
    const required = (plan.terraform as { required_providers: Record<string, { source: string }> }).required_providers;

    expect(required.aws!.source).toBe('hashicorp/aws');
    expect(required.okta!.source).toBe('okta/okta');
  });

  it('keeps local state at the project root by a relative path, not this machine’s absolute one', () => {
    const backend = (plan.terraform as { backend: Record<string, { path?: string }> }).backend;

    expect(backend).toEqual({ local: { path: '../../../terraform.okta-log-lake.tfstate' } });
  });

  it('stores state in S3 when the config names a bucket', () => {
    const remote = synthStack({ ...TEST_CONFIG, backend: { type: 's3', bucket: 'acme-tf-state', key: 'lake/terraform.tfstate' } });
    const backend = (remote.plan.terraform as { backend: Record<string, Record<string, unknown>> }).backend;

    expect(backend).toEqual({ s3: { bucket: 'acme-tf-state', key: 'lake/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } });
  });

  it('outputs the bus, bucket, database, workgroup, functions, topics, and the Okta API secret', () => {
    const out = plan.output as Record<string, { value: string }>;

    expect(Object.keys(out).sort()).toEqual([
      'api_events_stream',
      'athena_workgroup',
      'bucket',
      'event_bus',
      'findings_topic',
      'firehose_stream',
      'function_daily_snapshot',
      'function_hourly_detections',
      'function_inventory',
      'function_near_real_time',
      'function_recover_gap',
      'function_refresh_user',
      'glue_database',
      'okta_api_secret',
      'ops_topic',
      'partner_event_source',
    ]);
    expect(out.partner_event_source!.value).toBe(PARTNER_SOURCE);
    expect(out.function_refresh_user!.value).toBe(ref(fn('refresh-user'), 'function_name'));
  });

  it('puts no absolute path of this machine into the plan', () => {
    expect(s.json).not.toContain(process.cwd());
  });
});

it('gives each function its own role', () => {
  expect(ALL_IDS.map((id) => referenced('aws_iam_role', fn(id).attrs.role).attrs.name)).toEqual(ALL_IDS.map((id) => `acme-lake-${id}`));
});
