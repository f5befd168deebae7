/**
 * The daily identity inventory in the plan: its function, its schedule before the nightly run, a role limited to the
 * Okta secret, the workgroup and the four inventory tables and prefixes; the nightly run and refresh-user reading it
 * (refresh-user writing a user's batch); and none of it when the config switches the inventory off.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ENV, INVENTORY_ENV, RECOVERY_ENV } from '../../handlers/env.ts';
import { DEFAULT_SCOPES } from '../../okta-api/credentials.ts';
import { minutesBefore } from '../../modules/scheduler.ts';
import type { Plan } from '../../modules/policy/plan.ts';
import { inventoryTables } from '../../schema/inventory.ts';
import { lakeViews } from '../../schema/views.ts';
import { all, nameIs, one, parsed, ref, synthStack, TEST_CONFIG, type Found } from './helpers.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };
const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';
const INVENTORY_TABLES = ['okta_users', 'okta_factors', 'okta_devices', 'okta_admin_roles'];
const INVENTORY_PREFIXES = ['inventory/users', 'inventory/factors', 'inventory/devices', 'inventory/admin-roles'];
const table = (n: string) => `arn:aws:glue:eu-west-1:${ACCOUNT}:table/acme_lake/${n}`;
const CATALOG = [`arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`, `arn:aws:glue:eu-west-1:${ACCOUNT}:database/acme_lake`];

/** TEST_CONFIG with identity rules of its own, so the test sees them come from the config. */
const IDENTITIES = {
  serviceUserTypes: ['Service'],
  serviceLoginPatterns: ['svc-*', 'deploy-${env}-*'],
  serviceLogins: ['ci@acme.test'],
  guestUserTypes: ['Guest', 'Partner'],
};
const CONFIG = { ...TEST_CONFIG, inventory: { identities: IDENTITIES, includeDeprovisioned: true } };

let plan: Plan;
beforeAll(() => {
  plan = synthStack(CONFIG).plan;
});

const fn = (p: Plan, id: string) => one(p, 'aws_lambda_function', (a) => a.function_name === `acme-lake-${id}`);
const statementsOf = (p: Plan, id: string): Statement[] => {
  const role = one(p, 'aws_iam_role', nameIs(`acme-lake-${id}`));
  return parsed<{ Statement: Statement[] }>(one(p, 'aws_iam_role_policy', (a) => a.role === ref(role, 'id')).attrs.policy).Statement;
};
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const resourcesFor = (st: Statement[], action: string) => st.filter((x) => list(x.Action).includes(action)).flatMap((x) => list(x.Resource));
const vars = (f: Found) => (f.attrs.environment as { variables: Record<string, string> }).variables;

describe('the inventory function', () => {
  it('runs the inventory entry on nodejs22.x arm64 for up to 15 minutes', () => {
    const f = fn(plan, 'inventory');

    expect(f.attrs).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', timeout: 900, memory_size: 1024 });
    expect(f.attrs.filename).toMatch(/^assets\/inventory-bundle_asset_[0-9A-F]+\/[0-9A-F]{32}\/archive\.zip$/);
  });

  it('has the lake, the Okta secret and org, and the identity rules of the config, and nothing else', () => {
    const v = vars(fn(plan, 'inventory'));

    expect(Object.keys(v).sort()).toEqual(
      [
        HANDLER_ENV.workgroup,
        HANDLER_ENV.database,
        HANDLER_ENV.bucket,
        RECOVERY_ENV.oktaSecretArn,
        RECOVERY_ENV.oktaOrgUrl,
        INVENTORY_ENV.identityRules,
        INVENTORY_ENV.includeDeprovisioned,
        'LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
      ].sort(),
    );
    expect(v[RECOVERY_ENV.oktaSecretArn]).toBe(ref(one(plan, 'aws_secretsmanager_secret'), 'arn'));
    expect(v[RECOVERY_ENV.oktaOrgUrl]).toBe('https://acme.oktapreview.com');
    // Terraform would read ${env} as interpolation: the JSON is escaped in the plan and arrives as written.
    expect(v[INVENTORY_ENV.identityRules]).toContain('deploy-$${env}-*');
    expect(JSON.parse(v[INVENTORY_ENV.identityRules]!.replaceAll('$${', '${'))).toEqual(IDENTITIES);
    expect(v[INVENTORY_ENV.includeDeprovisioned]).toBe('true');
  });

  it('runs minutesBeforeDaily before the daily snapshot, on the same day, with the scheduled time as input', () => {
    const schedule = one(plan, 'aws_scheduler_schedule', nameIs('acme-lake-inventory'));
    const target = schedule.attrs.target as Record<string, any>;

    // dailyAt 00:45, 20 minutes (the default) before.
    expect(schedule.attrs).toMatchObject({ schedule_expression: 'cron(25 0 * * ? *)', schedule_expression_timezone: 'UTC', state: 'ENABLED' });
    expect(one(plan, 'aws_scheduler_schedule', nameIs('acme-lake-daily-snapshot')).attrs.schedule_expression).toBe('cron(45 0 * * ? *)');
    expect(target.arn).toBe(ref(fn(plan, 'inventory'), 'arn'));
    expect(JSON.parse(target.input)).toEqual({ scheduled_time: '<aws.scheduler.scheduled-time>' });
    expect(target.dead_letter_config).toEqual({ arn: ref(one(plan, 'aws_sqs_queue', nameIs('acme-lake-inventory-failures')), 'arn') });
  });

  it('takes another lead from the config', () => {
    const other = synthStack({ ...TEST_CONFIG, schedules: { ...TEST_CONFIG.schedules, dailyAt: '02:10' }, inventory: { minutesBeforeDaily: 70 } }).plan;

    expect(one(other, 'aws_scheduler_schedule', nameIs('acme-lake-inventory')).attrs.schedule_expression).toBe('cron(0 1 * * ? *)');
  });

  it('may read the Okta secret, query in the workgroup, and read and write the four inventory tables and prefixes: nothing else', () => {
    const st = statementsOf(plan, 'inventory');
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');
    const objects = INVENTORY_PREFIXES.map((p) => `${bucketArn}/${p}/*`);

    expect(resourcesFor(st, 'secretsmanager:GetSecretValue')).toEqual([ref(one(plan, 'aws_secretsmanager_secret'), 'arn')]);
    expect(resourcesFor(st, 'athena:StartQueryExecution')).toEqual([`arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/acme-lake`]);
    // The views too: the collection reads the previous inventory through okta_users_current and okta_factors_current
    // (which reads okta_users_current), and Athena refuses a view without glue:GetTable on it.
    expect(resourcesFor(st, 'glue:GetTable')).toEqual([...CATALOG, ...[...INVENTORY_TABLES, ...INVENTORY_TABLES.map((t) => `${t}_current`)].map(table)]);
    expect(resourcesFor(st, 'glue:BatchCreatePartition')).toEqual([...CATALOG, ...INVENTORY_TABLES.map(table)]);
    expect(resourcesFor(st, 'glue:CreatePartition')).toEqual([...CATALOG, ...INVENTORY_TABLES.map(table)]);
    // Objects: the inventory prefixes and Athena's results, nothing of the events, findings or activity.
    for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:GetObject']) {
      expect(resourcesFor(st, action).sort(), action).toEqual([...objects, `${bucketArn}/athena-results/*`].sort());
    }
    const listed = st.filter((x) => list(x.Action).includes('s3:ListBucket')).flatMap((x) => x.Condition!.StringLike!['s3:prefix'] as string[]);
    expect(listed.sort()).toEqual([...INVENTORY_PREFIXES.flatMap((p) => [p, `${p}/*`]), 'athena-results', 'athena-results/*'].sort());
    expect(resourcesFor(st, 'kms:Decrypt')).toEqual([ref(one(plan, 'aws_kms_key'), 'arn')]);
    // No topic, bus, stream or queue but its own on-failure queue.
    const actions = st.flatMap((x) => list(x.Action));
    expect(actions.filter((a) => /^(sns|events|firehose):/.test(a))).toEqual([]);
    expect(resourcesFor(st, 'sqs:SendMessage')).toEqual([ref(one(plan, 'aws_sqs_queue', nameIs('acme-lake-inventory-failures')), 'arn')]);
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    expect([...new Set(actions.map((a) => a.split(':')[0]))].sort()).toEqual(['athena', 'glue', 'kms', 'logs', 's3', 'secretsmanager', 'sqs']);
  });

  it('is watched like the other functions: an errors alarm and an alarm on its on-failure queue', () => {
    const alarms = all(plan, 'aws_cloudwatch_metric_alarm');

    expect(alarms.filter((a) => a.attrs.metric_name === 'Errors' && (a.attrs.dimensions as Record<string, string>).FunctionName === ref(fn(plan, 'inventory'), 'function_name'))).toHaveLength(1);
    expect(
      alarms.filter((a) => (a.attrs.dimensions as Record<string, string> | undefined)?.QueueName === ref(one(plan, 'aws_sqs_queue', nameIs('acme-lake-inventory-failures')), 'name')),
    ).toHaveLength(1);
  });
});

describe('the functions that read the inventory', () => {
  it('lets the detection functions read the inventory tables and their *_current views (checks, identity lines), only refresh-user write', () => {
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');
    for (const id of ['hourly-detections', 'daily-snapshot', 'refresh-user']) {
      const st = statementsOf(plan, id);
      expect(resourcesFor(st, 'glue:GetTable'), id).toEqual(expect.arrayContaining([...INVENTORY_TABLES, ...lakeViews.map((v) => v.name)].map(table)));
      expect(resourcesFor(st, 's3:GetObject'), id).toEqual(expect.arrayContaining(INVENTORY_PREFIXES.map((p) => `${bucketArn}/${p}/*`)));
    }
    for (const id of ['hourly-detections', 'daily-snapshot']) {
      const st = statementsOf(plan, id);
      expect(resourcesFor(st, 's3:PutObject').filter((r) => r.includes('/inventory/')), id).toEqual([]);
      expect(resourcesFor(st, 'glue:BatchCreatePartition').filter((r) => INVENTORY_TABLES.some((t) => r.endsWith(`/${t}`))), id).toEqual([]);
    }
  });

  it("gives refresh-user the identity rules and a user's inventory batch to write (the near-time cascade)", () => {
    const st = statementsOf(plan, 'refresh-user');
    const bucketArn = ref(one(plan, 'aws_s3_bucket'), 'arn');

    expect(JSON.parse(vars(fn(plan, 'refresh-user'))[INVENTORY_ENV.identityRules]!.replaceAll('$${', '${'))).toEqual(IDENTITIES);
    expect(resourcesFor(st, 's3:PutObject')).toEqual(expect.arrayContaining(INVENTORY_PREFIXES.map((p) => `${bucketArn}/${p}/*`)));
    expect(resourcesFor(st, 'glue:BatchCreatePartition')).toEqual(expect.arrayContaining(INVENTORY_TABLES.map(table)));
  });

  it('declares the four inventory tables and their views in Glue', () => {
    const names = all(plan, 'aws_glue_catalog_table').map((t) => t.attrs.name);

    expect(names).toEqual(expect.arrayContaining([...inventoryTables.map((t) => t.name), 'okta_users_current', 'okta_factors_current', 'okta_devices_current', 'okta_admin_roles_current']));
  });

  it('asks a service app for the scopes the inventory reads with, by default', () => {
    expect(DEFAULT_SCOPES).toEqual(expect.arrayContaining(['okta.users.read', 'okta.devices.read', 'okta.roles.read']));
    expect(String(one(plan, 'aws_secretsmanager_secret').attrs.description)).toContain('okta.users.read okta.devices.read okta.roles.read');
  });
});

describe('the inventory switched off', () => {
  let off: Plan;
  beforeAll(() => {
    off = synthStack({ ...TEST_CONFIG, inventory: { enabled: false } }).plan;
  });

  it('has no inventory function, schedule, bundle, queue or alarm', () => {
    const json = JSON.stringify(off.resource);

    expect(all(off, 'aws_lambda_function').map((f) => f.attrs.function_name)).not.toContain('acme-lake-inventory');
    expect(all(off, 'aws_scheduler_schedule').map((x) => x.attrs.name)).not.toContain('acme-lake-inventory');
    expect(all(off, 'aws_iam_role').map((x) => x.attrs.name)).not.toContain('acme-lake-inventory');
    expect(json).not.toContain('acme-lake-inventory');
    expect(json).not.toContain('inventory-bundle');
    expect(Object.keys(off.output as Record<string, unknown>)).not.toContain('function_inventory');
  });

  it('leaves refresh-user without the identity rules or inventory writes, and the detection functions without inventory reads', () => {
    const bucketArn = ref(one(off, 'aws_s3_bucket'), 'arn');

    expect(Object.keys(vars(fn(off, 'refresh-user')))).not.toContain(INVENTORY_ENV.identityRules);
    for (const id of ['hourly-detections', 'daily-snapshot', 'refresh-user']) {
      const st = statementsOf(off, id);
      expect(resourcesFor(st, 's3:GetObject').filter((r) => r.startsWith(`${bucketArn}/inventory/`)), id).toEqual([]);
      expect(resourcesFor(st, 'glue:BatchCreatePartition').filter((r) => INVENTORY_TABLES.some((t) => r.endsWith(`/${t}`))), id).toEqual([]);
    }
  });

  it('keeps the tables and views, and allows any lead before the daily run', () => {
    // The Glue tables come from the schema either way (a later switch-on needs no migration).
    expect(all(off, 'aws_glue_catalog_table').map((t) => t.attrs.name)).toEqual(expect.arrayContaining(inventoryTables.map((t) => t.name)));
    expect(() => synthStack({ ...TEST_CONFIG, schedules: { ...TEST_CONFIG.schedules, dailyAt: '00:20' }, inventory: { enabled: false, minutesBeforeDaily: 60 } })).not.toThrow();
  });
});

describe('the time before the daily run', () => {
  it.each([
    ['00:30', 15, '00:15'],
    ['00:30', 30, '00:00'],
    ['02:10', 70, '01:00'],
    ['23:59', 120, '21:59'],
  ])('%s less %i minutes is %s', (at, minutes, want) => {
    expect(minutesBefore(at, minutes)).toBe(want);
  });

  it('refuses a time before midnight', () => {
    expect(() => minutesBefore('00:10', 15)).toThrow(/15 minutes before 00:10 is before midnight UTC/);
  });
});
