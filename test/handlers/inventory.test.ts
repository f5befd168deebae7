/**
 * The inventory function against a real stand-in Okta (an HTTP server with Okta's identity endpoints, scopes and
 * paging) and a faked Athena + S3 (aws-sdk-client-mock): the four inventory tables are put under
 * `inventory/<table>/dt=<yesterday>/batch=daily/` and registered; a part Okta refuses is skipped with a WARN and the
 * rest is written; users Okta refuses fail the invocation before anything is written.
 */
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetReadObjects } from 'hyparquet';
import { afterEach, describe, expect, it } from 'vitest';
import { INVENTORY_ENV, RECOVERY_ENV } from '../../handlers/env.ts';
import { createInventoryRuntime, inventoryDay, inventoryInvocation, readInventoryConfig } from '../../handlers/inventory.ts';
import { HandlerConfigError } from '../../handlers/runtime.ts';
import { DEFAULT_IDENTITY_RULES } from '../../inventory/identity-kind.ts';
import type { OktaUser } from '../../okta-api/identity-objects.ts';
import { inventoryTables } from '../../schema/inventory.ts';
import { generatedIdentityOrg, STAND_IN_API_TOKEN, startOktaStandIn, type OktaStandIn, type StandInIdentityOrg } from '../support/okta-stand-in/index.ts';
import { rsaKeyPair } from '../okta-api/support.ts';
import { FakeAws, recordingSleep } from './support/fake-aws.ts';
import { ENV } from './support/env.ts';
import { silentLog } from './support/log.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-lake/okta-api';
const SCHEDULED = { scheduled_time: '2026-12-01T00:15:00Z' };
const DAY = '2026-11-30';
const NOW = () => new Date('2026-12-01T00:15:03Z');
const CLIENT_ID = '0oa1inventory2LogLake';

/** A service account the default rules would call a person: the configured rules must make it one. */
const buildBot: OktaUser = {
  id: '00u1build2bot3acct4x',
  status: 'ACTIVE',
  created: '2025-01-01T00:00:00.000Z',
  activated: '2025-01-01T00:00:00.000Z',
  lastUpdated: '2025-01-01T00:00:00.000Z',
  type: { id: 'oty1standIn2type3xyz' },
  profile: { login: 'build@example.com', email: 'build@example.com', firstName: 'Build', lastName: 'Bot', userType: 'Employee' },
};

function org(): StandInIdentityOrg {
  const generated = generatedIdentityOrg({ users: 30, seed: 7 });
  return { ...generated, users: [...generated.users, buildBot] };
}

const RULES = { ...DEFAULT_IDENTITY_RULES, serviceLogins: ['build@example.com'] };

const env = (extra: Record<string, string> = {}) => ({
  ...ENV,
  [RECOVERY_ENV.oktaSecretArn]: SECRET_ARN,
  [RECOVERY_ENV.oktaOrgUrl]: 'https://acme.okta.com',
  [INVENTORY_ENV.identityRules]: JSON.stringify(RULES),
  ...extra,
});

let aws: FakeAws | undefined;
let standIn: OktaStandIn | undefined;
const secrets = mockClient(SecretsManagerClient);
afterEach(async () => {
  aws?.restore();
  aws = undefined;
  await standIn?.close();
  standIn = undefined;
  secrets.reset();
});

interface Setup {
  /** The secret's value; undefined: the secret has none yet. */
  readonly secret: string | undefined;
  /** A service app with these scopes instead of the API token. */
  readonly appScopes?: readonly string[];
  readonly env?: Record<string, string>;
}

async function setup(options: Setup) {
  const identities = org();
  const keys = rsaKeyPair();
  standIn = await startOktaStandIn({
    identities,
    ...(options.appScopes ? { serviceApp: { clientId: CLIENT_ID, publicKey: keys.publicKey, grantedScopes: options.appScopes } } : {}),
  });
  aws = new FakeAws((q) => {
    if (q.sql.startsWith('ALTER TABLE')) return {};
    // No inventory before the day: nothing to order the factor reads by or to carry over.
    if (q.sql.includes('max(dt) as dt')) return { columns: [{ name: 'dt', type: 'varchar' }], rows: [[null]] };
    return { state: 'FAILED', reason: `no answer for ${q.sql.slice(0, 60)}` };
  });
  const fake = aws;
  const bodies = new Map<string, Uint8Array>();
  fake.s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    fake.calls.push('S3.PutObject');
    fake.objects.set(input.Key!, []);
    bodies.set(input.Key!, input.Body as Uint8Array);
    return { ETag: '"etag"' };
  });
  if (options.secret === undefined) secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('no value'), { name: 'ResourceNotFoundException' }));
  else secrets.on(GetSecretValueCommand).resolves({ SecretString: options.secret });
  const log = silentLog();
  const config = readInventoryConfig(env({ [RECOVERY_ENV.oktaOrgUrl]: standIn.url, ...options.env }));
  const runtime = createInventoryRuntime(config, log, {
    clients: { athena: fake.athena, s3: fake.s3, secrets: new SecretsManagerClient({ region: 'eu-west-1' }) },
    sleep: recordingSleep().sleep,
    okta: { random: () => 0 },
  });
  /** The rows of the one object put under a table's partition of DAY. */
  const rowsOf = async (location: string, batch = 'daily'): Promise<Record<string, unknown>[]> => {
    const keys = [...bodies.keys()].filter((k) => k.startsWith(`${location}/dt=${DAY}/batch=${batch}/`));
    expect(keys, location).toHaveLength(1);
    const bytes = bodies.get(keys[0]!)!;
    return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  };
  return { aws: fake, runtime, log, identities, bodies, rowsOf };
}

const apiToken = JSON.stringify({ apiToken: STAND_IN_API_TOKEN });
const serviceApp = (scopes: string) =>
  JSON.stringify({ clientId: CLIENT_ID, privateKey: rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }), keyId: 'k1', scopes });

/** What the org holds for the users a plain listing returns (everyone but DEPROVISIONED). */
function expected(identities: StandInIdentityOrg) {
  const listed = identities.users.filter((u) => u.status !== 'DEPROVISIONED');
  return {
    users: listed.length,
    factors: listed.reduce((n, u) => n + (identities.factors.get(u.id)?.length ?? 0), 0),
    devices: identities.devices.reduce((n, d) => n + Math.max(1, d.users.length), 0),
    roles: [...identities.roles.values()].reduce((n, r) => n + r.length, 0),
  };
}

describe('inventory handler', () => {
  it("collects the org into the four inventory tables under yesterday's daily batch, and drops that day's refresh batches", async () => {
    const { aws, runtime, log, identities, bodies, rowsOf } = await setup({ secret: apiToken });
    aws.objects.set(`inventory/users/dt=${DAY}/batch=refresh-0123456789abcdef/part-0.parquet`, []);
    aws.objects.set(`inventory/users/dt=2026-12-01/batch=refresh-0123456789abcdef/part-0.parquet`, []);

    const result = await inventoryInvocation(runtime, SCHEDULED, NOW);

    const want = expected(identities);
    expect(want.devices).toBeGreaterThan(0);
    expect(want.roles).toBeGreaterThan(0);
    expect(result).toMatchObject({ collected: true, day: DAY, summary: { ...want, batch: 'daily', skipped: [] } });
    // One object per table, under the day before the scheduled time's day, batch daily.
    expect([...bodies.keys()].map((k) => k.replace(/part-[0-9a-f-]{36}\.parquet$/, 'part-*.parquet')).sort()).toEqual(
      inventoryTables.map((t) => `${t.location}/dt=${DAY}/batch=daily/part-*.parquet`).sort(),
    );
    expect(aws.queries.filter((q) => q.sql.startsWith('ALTER TABLE')).map((q) => /ALTER TABLE `okta_lake`\.`(\w+)` ADD IF NOT EXISTS PARTITION \(`dt` = '(.+?)', `batch` = '(.+?)'\)/.exec(q.sql)?.slice(1)).sort()).toEqual(
      inventoryTables.map((t) => [t.name, DAY, 'daily']).sort(),
    );
    // The day's refresh batch is gone; the next day's is not this run's to touch.
    expect([...aws.objects.keys()].filter((k) => k.includes('refresh-'))).toEqual(['inventory/users/dt=2026-12-01/batch=refresh-0123456789abcdef/part-0.parquet']);

    const users = await rowsOf('inventory/users');
    expect(users).toHaveLength(want.users);
    expect(users.find((u) => u.login === 'build@example.com')).toMatchObject({ identity_kind: 'service', factors_collected: true, roles_collected: true });
    expect(users.filter((u) => u.identity_kind === 'human').length).toBe(want.users - 1);
    expect(await rowsOf('inventory/factors')).toHaveLength(want.factors);
    expect(await rowsOf('inventory/devices')).toHaveLength(want.devices);
    expect(await rowsOf('inventory/admin-roles')).toHaveLength(want.roles);

    const done = log.lines.find((l) => l.message === 'inventory collected')!;
    expect(done.fields).toMatchObject({ day: DAY, ...want, skipped: [], api_calls: standIn!.requestCount() });
    expect(log.lines.filter((l) => l.message === 'inventory part skipped')).toEqual([]);
  });

  it('lists DEPROVISIONED users too when the config says so', async () => {
    const { runtime, identities } = await setup({ secret: apiToken, env: { [INVENTORY_ENV.includeDeprovisioned]: 'true' } });
    const deprovisioned = identities.users.filter((u) => u.status === 'DEPROVISIONED').length;
    expect(deprovisioned).toBeGreaterThan(0);

    const result = await inventoryInvocation(runtime, SCHEDULED, NOW);

    expect(result).toMatchObject({ collected: true, summary: { users: identities.users.length } });
  });

  it('skips devices when the service app lacks okta.devices.read, with a WARN, and still writes users, factors and roles', async () => {
    const scopes = ['okta.users.read', 'okta.roles.read'];
    const { runtime, log, identities, rowsOf } = await setup({ secret: serviceApp(scopes.join(' ')), appScopes: scopes });

    const result = await inventoryInvocation(runtime, SCHEDULED, NOW);

    const want = expected(identities);
    expect(result).toMatchObject({ collected: true, summary: { users: want.users, factors: want.factors, roles: want.roles, devices: 0 } });
    expect(standIn!.requests.filter((r) => r.path === '/api/v1/devices').map((r) => r.status)).toEqual([403]);
    const [skipped] = result.collected ? result.summary.skipped : [];
    expect(skipped).toMatchObject({ part: 'devices', reason: expect.stringContaining('okta.devices.read') });
    expect(log.lines.filter((l) => l.message === 'inventory part skipped')).toEqual([
      { message: 'inventory part skipped', fields: { day: DAY, part: 'devices', reason: skipped!.reason } },
    ]);
    expect(await rowsOf('inventory/users')).toHaveLength(want.users);
    expect(await rowsOf('inventory/factors')).toHaveLength(want.factors);
    expect(await rowsOf('inventory/admin-roles')).toHaveLength(want.roles);
    expect(await rowsOf('inventory/devices')).toEqual([]);
    expect(log.lines.find((l) => l.message === 'inventory collected')!.fields).toMatchObject({ devices: 0, skipped: [{ part: 'devices' }] });
  });

  it('fails, writing nothing, when Okta refuses the users (a service app without okta.users.read)', async () => {
    const scopes = ['okta.devices.read', 'okta.roles.read'];
    const { aws, runtime, log } = await setup({ secret: serviceApp(scopes.join(' ')), appScopes: scopes });

    await expect(inventoryInvocation(runtime, SCHEDULED, NOW)).rejects.toThrow(/cannot collect the inventory from .*okta\.users\.read/);

    expect(aws.count('S3.PutObject')).toBe(0);
    expect(aws.queries).toEqual([]);
    expect(log.lines.some((l) => l.message === 'inventory failed')).toBe(true);
  });

  it('does nothing, and says why, while the secret has no value', async () => {
    const { aws, runtime, log } = await setup({ secret: undefined });

    const result = await inventoryInvocation(runtime, SCHEDULED, NOW);

    expect(result).toEqual({ collected: false, day: DAY, reason: expect.stringMatching(/okta-lake\/okta-api has no value yet/) });
    expect(standIn!.requestCount()).toBe(0);
    expect(aws.calls).toEqual([]);
    expect(log.lines.map((l) => l.message)).toEqual(['inventory not collected: no Okta API access']);
  });

  it('fails, naming the secret, when its value is not usable', async () => {
    const { aws, runtime } = await setup({ secret: '{"apiToken": ""}' });

    await expect(inventoryInvocation(runtime, SCHEDULED, NOW)).rejects.toThrow(/okta-lake\/okta-api is not usable/);
    expect(aws.calls).toEqual([]);
  });

  it('collects again under a day given by hand', async () => {
    const { runtime } = await setup({ secret: apiToken });

    expect(await inventoryInvocation(runtime, { day: DAY }, () => new Date('2026-12-01T09:00:00Z'))).toMatchObject({ collected: true, day: DAY });
  });
});

describe('the day an inventory is filed under', () => {
  const now = new Date('2026-12-01T09:00:00Z');

  it('is the day before the scheduled time, whatever the clock says (a retry files the same day)', () => {
    expect(inventoryDay({ scheduled_time: '2026-12-01T00:15:00Z' }, new Date('2026-12-01T05:00:00Z'))).toBe('2026-11-30');
    expect(inventoryDay({ scheduled_time: '2026-01-01T00:05:00Z' }, now)).toBe('2025-12-31');
  });

  it('takes a day of the last week by hand, today included', () => {
    expect(inventoryDay({ day: '2026-12-01' }, now)).toBe('2026-12-01');
    expect(inventoryDay({ day: '2026-11-24' }, now)).toBe('2026-11-24');
  });

  it.each([
    [{ day: '2026-12-02' }, /day 2026-12-02 is after today \(2026-12-01\)/],
    [{ day: '2026-11-23' }, /day 2026-11-23 is more than 7 days ago \(earliest 2026-11-24\)/],
    [{ day: '2026-11-31' }, /inventory day "2026-11-31" is not a date of the form YYYY-MM-DD/],
    [{ day: 20261130 }, /"day" must be a YYYY-MM-DD string; got 20261130/],
    [{}, /the event has no scheduled_time; expected \{"scheduled_time"/],
  ])('refuses %j', (event, message) => {
    expect(() => inventoryDay(event, now)).toThrow(message);
  });
});

describe('the inventory configuration', () => {
  it('reads the identity rules the stack writes, defaulting fields left out', () => {
    const config = readInventoryConfig(env({ [INVENTORY_ENV.identityRules]: '{"serviceLogins": ["build@example.com"]}' }));

    expect(config.rules).toEqual(RULES);
    expect(config.includeDeprovisioned).toBe(false);
    expect(config.okta.orgUrl.origin).toBe('https://acme.okta.com');
  });

  it.each([
    ['{"serviceLoginPatterns": ["svc-*", ""]}', /environment variable OKTA_LAKE_IDENTITY_RULES at serviceLoginPatterns\.1: each value must be 1-100 characters without control characters; got /],
    ['{"serviceLogin": []}', /environment variable OKTA_LAKE_IDENTITY_RULES: unknown field "serviceLogin"; got /],
    ['{"guestUserTypes": "Guest"}', /environment variable OKTA_LAKE_IDENTITY_RULES at guestUserTypes: must be a list of strings/],
    ['["svc-*"]', /environment variable OKTA_LAKE_IDENTITY_RULES: must be a JSON object with serviceUserTypes/],
    ['{serviceLogins: []}', /environment variable OKTA_LAKE_IDENTITY_RULES is not valid JSON/],
  ])('refuses identity rules %s with a message naming the variable and the field', (value, message) => {
    const read = () => readInventoryConfig(env({ [INVENTORY_ENV.identityRules]: value }));
    expect(read).toThrow(HandlerConfigError);
    expect(read).toThrow(message);
  });

  it('needs the identity rules, the secret and the org', () => {
    expect(() => readInventoryConfig({ ...env(), [INVENTORY_ENV.identityRules]: '' })).toThrow(/OKTA_LAKE_IDENTITY_RULES is not set; it must hold the identity rules as JSON/);
    expect(() => readInventoryConfig({ ...env(), [RECOVERY_ENV.oktaSecretArn]: undefined })).toThrow(/OKTA_LAKE_OKTA_SECRET_ARN is not set/);
    expect(() => readInventoryConfig({ ...env(), [INVENTORY_ENV.includeDeprovisioned]: 'yes' })).toThrow(/OKTA_LAKE_INVENTORY_INCLUDE_DEPROVISIONED is "yes"; it must be true or false/);
  });
});
