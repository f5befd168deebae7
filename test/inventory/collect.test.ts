/**
 * The inventory collection: saved API responses (or the stand-in Okta) into the inventory tables, as the posture
 * checks read them. Bad input: unknown fields, missing optional fields, users in every status, factor types the
 * strength table does not know, a part that is missing or refused (skipped, said, and never read as "none").
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { ApiInventorySource } from '../../inventory/api-source.ts';
import { FolderInventorySource, InventoryFolderError } from '../../inventory/folder-source.ts';
import { factorStrength } from '../../inventory/factor-strength.ts';
import { identityClassifier, DEFAULT_IDENTITY_RULES } from '../../inventory/identity-kind.ts';
import { normalizedPhone } from '../../inventory/rows.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { collectInventory } from '../../core/inventory-collect.ts';
import { apiTokenCredentials, OktaClient, serviceAppCredentials } from '../../okta-api/index.ts';
import type { OktaFactor, OktaUser } from '../../okta-api/identity-objects.ts';
import { STAND_IN_API_TOKEN, startOktaStandIn, type OktaStandIn } from '../support/okta-stand-in/index.ts';
import { rsaKeyPair } from '../okta-api/support.ts';

const DAY = '2026-06-15';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function lakeFor(catalogIds: readonly string[] = [], now = `${DAY}T23:00:00.000Z`): Promise<LocalLake> {
  const catalog = loadCatalog('detections').filter((d) => catalogIds.includes(d.id));
  const lake = await LocalLake.temporary({ catalog, now: () => new Date(now) });
  cleanups.push(() => lake.close());
  return lake;
}

const uid = (n: number) => `00u${String(n).padStart(17, '0')}`;

function user(n: number, status: string, extra: Partial<OktaUser> = {}): OktaUser {
  return {
    id: uid(n),
    status,
    created: '2026-01-05T10:00:00.000Z',
    activated: status === 'STAGED' ? null : '2026-01-05T10:05:00.000Z',
    lastLogin: status === 'ACTIVE' ? '2026-06-14T08:00:00.000Z' : null,
    profile: { login: `user${n}@example.com`, email: `user${n}@example.com`, firstName: 'U', lastName: String(n), newProfileField: ['kept out'] },
    someFutureField: { deeply: { nested: true } },
    ...extra,
  } as OktaUser;
}

const factor = (id: string, factorType: string, provider: string, status: string, profile: Record<string, unknown> = {}): OktaFactor => ({
  id,
  factorType,
  provider,
  status,
  created: '2026-02-01T10:00:00.000Z',
  profile,
});

function writeFolder(dir: string, parts: { users: unknown; factors?: Record<string, unknown>; devices?: unknown; assignees?: unknown; roles?: Record<string, unknown> }): string {
  writeFileSync(join(dir, 'users.json'), JSON.stringify(parts.users));
  if (parts.factors) {
    mkdirSync(join(dir, 'factors'));
    for (const [id, list] of Object.entries(parts.factors)) writeFileSync(join(dir, 'factors', `${id}.json`), JSON.stringify(list));
  }
  if (parts.devices) writeFileSync(join(dir, 'devices.json'), JSON.stringify(parts.devices));
  if (parts.assignees) writeFileSync(join(dir, 'role-assignees.json'), JSON.stringify(parts.assignees));
  if (parts.roles) {
    mkdirSync(join(dir, 'roles'));
    for (const [id, list] of Object.entries(parts.roles)) writeFileSync(join(dir, 'roles', `${id}.json`), JSON.stringify(list));
  }
  return dir;
}

const STATUSES = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED', 'DEPROVISIONED'];

describe('factor strength and identity kinds', () => {
  it('rates factor types on the NIST scale, third-party and unknown types as unknown, never an error', () => {
    expect(factorStrength('sms', 'OKTA')).toBe('low');
    expect(factorStrength('call', 'OKTA')).toBe('low');
    expect(factorStrength('email', 'OKTA')).toBe('low');
    expect(factorStrength('question', 'OKTA')).toBe('low');
    expect(factorStrength('push', 'OKTA')).toBe('medium');
    expect(factorStrength('token:software:totp', 'GOOGLE')).toBe('medium');
    expect(factorStrength('webauthn', 'FIDO')).toBe('high');
    expect(factorStrength('signed_nonce', 'OKTA')).toBe('high');
    expect(factorStrength('token', 'RSA')).toBe('unknown');
    expect(factorStrength('web', 'DUO')).toBe('unknown');
    expect(factorStrength('push', 'CUSTOM')).toBe('unknown');
    expect(factorStrength('quantum:entanglement', 'OKTA')).toBe('unknown');
    expect(factorStrength(null, undefined)).toBe('unknown');
  });

  it('tells service accounts and guests from people by user type, login pattern and list', () => {
    const kind = identityClassifier({ ...DEFAULT_IDENTITY_RULES, serviceLogins: ['integration@example.com'] });
    const u = (login: string, userType?: string) => ({ id: 'x', profile: { login, userType: userType ?? null } }) as OktaUser;
    expect(kind(u('jane@example.com'))).toBe('human');
    expect(kind(u('svc-backup@example.com'))).toBe('service');
    expect(kind(u('build-bot@example.com'))).toBe('service');
    expect(kind(u('INTEGRATION@example.com'))).toBe('service');
    expect(kind(u('robot@example.com', 'Service Account'))).toBe('service');
    expect(kind(u('pat@partner.example', 'Guest'))).toBe('guest');
    expect(kind(u('svcadmin@example.com'))).toBe('human');
  });

  it('compares phone numbers by their digits', () => {
    expect(normalizedPhone('+1 617-555-0142')).toBe(normalizedPhone('+16175550142'));
    expect(normalizedPhone('(617) 555-0142')).not.toBe(normalizedPhone('+16175550142'));
    expect(normalizedPhone('n/a')).toBeNull();
  });
});

describe('collecting from a folder of saved responses', () => {
  it('keeps users in every status, ignores unknown fields, nulls missing ones, and rates unknown factor types unknown', async () => {
    const users = STATUSES.map((s, i) => user(i + 1, s));
    users.push({ id: uid(99), status: 'ACTIVE' } as OktaUser); // no profile, no dates at all
    const factors: Record<string, unknown> = Object.fromEntries(users.map((u) => [u.id, []]));
    factors[uid(3)] = [factor('f1', 'sms', 'OKTA', 'ACTIVE', { phoneNumber: '+1 617-555-0142' }), factor('f2', 'brand:new:type', 'OKTA', 'ACTIVE')];
    const dir = writeFolder(tempDir(), { users, factors });
    const lake = await lakeFor();

    const summary = await lake.collectInventory(new FolderInventorySource(dir), DAY);

    expect(summary).toMatchObject({ day: DAY, batch: 'daily', users: 9, factors: 2, devices: 0, roles: 0 });
    expect(summary.skipped.map((s) => s.part).sort()).toEqual(['devices', 'roles']);
    expect(summary.skipped.find((s) => s.part === 'devices')!.reason).toMatch(/no devices\.json/);
    const rows = await lake.engine.select(`select user_id, status, login, created, factors_collected, roles_collected from okta_users_current where dt = ? order by user_id`, [DAY]);
    expect(rows.map((r) => r.status)).toEqual([...STATUSES, 'ACTIVE']);
    expect(rows.at(-1)).toMatchObject({ user_id: uid(99), login: null, created: null, factors_collected: true, roles_collected: false });
    const f = await lake.engine.select(`select factor_id, strength, bound_kind, bound_hint from okta_factors_current where dt = ? order by factor_id`, [DAY]);
    expect(f).toEqual([
      { factor_id: 'f1', strength: 'low', bound_kind: 'phone', bound_hint: '…0142' },
      { factor_id: 'f2', strength: 'unknown', bound_kind: null, bound_hint: null },
    ]);
  });

  it('keeps one row per user when a user is listed twice, the later listing winning', async () => {
    const dir = writeFolder(tempDir(), { users: [user(1, 'ACTIVE'), user(2, 'ACTIVE'), user(1, 'DEPROVISIONED')], factors: { [uid(1)]: [], [uid(2)]: [] } });
    const lake = await lakeFor();

    const summary = await lake.collectInventory(new FolderInventorySource(dir), DAY);

    expect(summary.users).toBe(2);
    const rows = await lake.engine.select(`select user_id, status from okta_users_current where dt = ? order by user_id`, [DAY]);
    expect(rows).toEqual([
      { user_id: uid(1), status: 'DEPROVISIONED' },
      { user_id: uid(2), status: 'ACTIVE' },
    ]);
  });

  it('names the file at fault: no users.json, broken JSON, a missing factors file, a non-array', async () => {
    expect(() => new FolderInventorySource(join(tempDir(), 'nope'))).toThrow(/does not exist/);
    expect(() => new FolderInventorySource(tempDir())).toThrow(/has no users\.json/);

    const broken = tempDir();
    writeFileSync(join(broken, 'users.json'), '[{"id": "00u1",');
    const lake = await lakeFor();
    await expect(lake.collectInventory(new FolderInventorySource(broken), DAY)).rejects.toThrow(/users\.json: not valid JSON/);

    const halfSaved = writeFolder(tempDir(), { users: [user(1, 'ACTIVE'), user(2, 'ACTIVE')], factors: { [uid(1)]: [] } });
    await expect(lake.collectInventory(new FolderInventorySource(halfSaved), DAY)).rejects.toThrow(
      new RegExp(`factors/${uid(2)}\\.json is missing`),
    );

    const notArray = writeFolder(tempDir(), { users: { users: [] } });
    await expect(lake.collectInventory(new FolderInventorySource(notArray), DAY)).rejects.toBeInstanceOf(InventoryFolderError);
  });

  it('does not read "no MFA" or "no role" into parts that were not collected', async () => {
    const dir = writeFolder(tempDir(), { users: [user(1, 'ACTIVE', { created: '2025-01-01T00:00:00.000Z' })] });
    const lake = await lakeFor(['okta-no-mfa-configured', 'okta-admin-role-on-non-human-identity']);
    const summary = await lake.collectInventory(new FolderInventorySource(dir), DAY);
    expect(summary.skipped.map((s) => s.part).sort()).toEqual(['devices', 'factors', 'roles']);
    const run = await lake.snapshotDay(DAY);
    expect(run.findings).toEqual([]);
  });
});

describe('posture notifications', () => {
  const noFactorFolder = (dir: string, factors: unknown[] = []) =>
    writeFolder(dir, { users: [user(1, 'ACTIVE', { created: '2025-01-01T00:00:00.000Z' })], factors: { [uid(1)]: factors } });

  it('notifies a failing check when it starts failing, not every day, and again when its evidence changes', async () => {
    const lake = await lakeFor(['okta-no-mfa-configured', 'okta-weak-mfa-only']);
    const source = new FolderInventorySource(noFactorFolder(tempDir()));

    await lake.collectInventory(source, DAY);
    const first = await lake.snapshotDay(DAY);
    await lake.collectInventory(source, '2026-06-16');
    const second = await lake.snapshotDay('2026-06-16');
    const weak = new FolderInventorySource(noFactorFolder(tempDir(), [factor('f1', 'sms', 'OKTA', 'ACTIVE', { phoneNumber: '+16175550142' })]));
    await lake.collectInventory(weak, '2026-06-17');
    const third = await lake.snapshotDay('2026-06-17');

    expect(first.newFindings.map((f) => f.detection)).toEqual(['okta-no-mfa-configured']);
    expect(second.findings.map((f) => f.finding_id)).toEqual(first.findings.map((f) => f.finding_id));
    expect(second.newFindings).toEqual([]);
    expect(third.newFindings.map((f) => f.detection)).toEqual(['okta-weak-mfa-only']);
  });

  it("a refresh of one user supersedes the nightly rows: factors gone since the night are gone from the checks' view", async () => {
    const lake = await lakeFor(['okta-no-mfa-configured']);
    const withPush = noFactorFolder(tempDir(), [factor('f1', 'push', 'OKTA', 'ACTIVE')]);
    await lake.collectInventory(new FolderInventorySource(withPush), DAY);
    expect((await lake.snapshotDay(DAY)).findings).toEqual([]);
    await lake.ingestEvents([signIn(uid(1), 'user1@example.com', `${DAY}T12:00:00.000Z`)]);

    const refreshed = await lake.refreshUser('user1@example.com', DAY, { inventory: new FolderInventorySource(noFactorFolder(tempDir())) });

    expect(refreshed.inventory).toMatchObject({ users: 1, factors: 0, batch: expect.stringMatching(/^refresh-[0-9a-f]{16}$/) });
    expect(refreshed.findings.map((f) => [f.detection, f.entity.id])).toEqual([['okta-no-mfa-configured', 'user1@example.com']]);
    const current = await lake.engine.select(`select count(*) as n from okta_factors_current where dt = ?`, [DAY]);
    expect(current).toEqual([{ n: 0 }]);
  });
});

function signIn(id: string, login: string, published: string): object {
  return {
    uuid: `0a1b2c3d-${published.slice(11, 13)}00-11ef-8000-${id.slice(-12)}`,
    published,
    eventType: 'user.session.start',
    version: '0',
    severity: 'INFO',
    displayMessage: 'User login to Okta',
    actor: { id, type: 'User', alternateId: login, displayName: login },
    client: { ipAddress: '198.51.100.7', geographicalContext: { country: 'Netherlands' } },
    outcome: { result: 'SUCCESS' },
    target: [],
  };
}

describe('collecting from the Okta API (stand-in)', () => {
  let standIn: OktaStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  const org = () => ({
    users: [user(1, 'ACTIVE'), user(2, 'ACTIVE', { profile: { login: 'svc-sync@example.com', email: 'ops@example.com' } }), user(3, 'DEPROVISIONED')],
    factors: new Map([[uid(1), [factor('f1', 'webauthn', 'FIDO', 'ACTIVE')]]]),
    roles: new Map([[uid(2), [{ id: 'ra1', type: 'ORG_ADMIN', label: 'Organization Administrator', status: 'ACTIVE', assignmentType: 'USER' }]]]),
    devices: [{ device: { id: 'guo1', status: 'ACTIVE', profile: { displayName: 'Mac', platform: 'MACOS', registered: true } }, users: [{ userId: uid(1), managementStatus: 'MANAGED' }] }],
  });

  it('reads every part, one factors call per user, and leaves DEPROVISIONED users out unless asked', async () => {
    standIn = await startOktaStandIn({ identities: org() });
    const lake = await lakeFor();
    const client = new OktaClient({ orgUrl: standIn.url, credentials: apiTokenCredentials(STAND_IN_API_TOKEN) });

    const summary = await lake.collectInventory(new ApiInventorySource(client), DAY);

    expect(summary).toMatchObject({ users: 2, factors: 1, devices: 1, roles: 1, skipped: [] });
    expect(standIn.requests.filter((r) => /\/factors$/.test(r.path))).toHaveLength(2);
    const roles = await lake.engine.select(`select login, role_type, assignment_type from okta_admin_roles_current where dt = ?`, [DAY]);
    expect(roles).toEqual([{ login: 'svc-sync@example.com', role_type: 'ORG_ADMIN', assignment_type: 'USER' }]);
    const kinds = await lake.engine.select(`select login, identity_kind from okta_users_current where dt = ? order by login`, [DAY]);
    expect(kinds).toEqual([
      { login: 'svc-sync@example.com', identity_kind: 'service' },
      { login: 'user1@example.com', identity_kind: 'human' },
    ]);

    const all = await lake.collectInventory(new ApiInventorySource(client, { includeDeprovisioned: true }), DAY);
    expect(all.users).toBe(3);
  });

  it('counts the factors of a user Okta refuses as not read, and still reads everyone else', async () => {
    standIn = await startOktaStandIn({ identities: org() });
    // An admin role scoped to some groups: Okta answers 403 for the users outside them.
    standIn.inject({ on: { path: `/api/v1/users/${uid(2)}/factors` }, action: { kind: 'missing-scope', scope: 'okta.users.read' }, times: 10 });
    const lake = await lakeFor(['okta-no-mfa-configured']);
    const client = new OktaClient({ orgUrl: standIn.url, credentials: apiTokenCredentials(STAND_IN_API_TOKEN) });

    const summary = await lake.collectInventory(new ApiInventorySource(client), DAY);

    expect(summary).toMatchObject({ users: 2, factors: 1 });
    expect(summary.skipped).toEqual([{ part: 'factors', reason: expect.stringMatching(/^Okta refused the factors of 1 of 2 users \(their factors count as not read\): Okta refused GET \/api\/v1\/users\/00u0+2\/factors \(403/) }]);
    const rows = await lake.engine.select(`select login, factors_collected from okta_users_current where dt = ? order by login`, [DAY]);
    expect(rows).toEqual([
      { login: 'svc-sync@example.com', factors_collected: false },
      { login: 'user1@example.com', factors_collected: true },
    ]);
  });

  it('skips a part the service app may not read, names the scope, and still writes the rest', async () => {
    const keys = rsaKeyPair();
    const scopes = ['okta.users.read', 'okta.roles.read'];
    standIn = await startOktaStandIn({ identities: org(), serviceApp: { clientId: '0oa1inventoryApp2Lake', publicKey: keys.publicKey, grantedScopes: scopes } });
    const client = new OktaClient({
      orgUrl: standIn.url,
      credentials: serviceAppCredentials({ clientId: '0oa1inventoryApp2Lake', privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), scopes }),
    });
    const lake = await lakeFor();

    const summary = await lake.collectInventory(new ApiInventorySource(client), DAY);

    expect(summary.skipped.map((s) => s.part)).toEqual(['devices']);
    expect(summary.skipped[0]!.reason).toMatch(/okta\.devices\.read/);
    expect(summary).toMatchObject({ users: 2, factors: 1, roles: 1, devices: 0 });
  });
});

describe('a collection with a time limit (a large org in a Lambda)', () => {
  /** A clock that moves one second every time it is read: a run that reads it more has taken longer. */
  function tickingClock(startIso: string): { now: () => Date; at: (ticks: number) => Date } {
    const start = Date.parse(startIso);
    let ticks = 0;
    return { now: () => new Date(start + ticks++ * 1000), at: (n) => new Date(start + n * 1000) };
  }

  it('reads the longest-unread users first and carries the others over, so every run is complete and every user is read within days', async () => {
    const users = Array.from({ length: 12 }, (_, i) => user(i + 1, 'ACTIVE'));
    const factors = Object.fromEntries(users.map((u, i) => [u.id, [factor(`f${i + 1}`, i % 2 ? 'sms' : 'push', 'OKTA', 'ACTIVE')]]));
    const source = new FolderInventorySource(writeFolder(tempDir(), { users, factors }));
    const lake = await lakeFor();
    const readAt = async (day: string) =>
      new Map((await lake.engine.select(`select user_id, factors_read_at from okta_users_current where dt = ?`, [day])).map((r) => [String(r.user_id), String(r.factors_read_at)]));

    await collectInventory({ engine: lake.engine, source, day: '2026-06-13', now: () => new Date('2026-06-13T00:15:00.000Z') });
    const day1 = await readAt('2026-06-13');
    const clock2 = tickingClock('2026-06-14T00:15:00.000Z');
    const second = await collectInventory({ engine: lake.engine, source, day: '2026-06-14', now: clock2.now, factorsUntil: clock2.at(5) });
    const day2 = await readAt('2026-06-14');
    const clock3 = tickingClock('2026-06-15T00:15:00.000Z');
    const third = await collectInventory({ engine: lake.engine, source, day: '2026-06-15', now: clock3.now, factorsUntil: clock3.at(5) });
    const day3 = await readAt('2026-06-15');

    // Day 2 read some users and carried the rest from day 1: every user still has factors, none is "not collected".
    expect(second.factorsDeferred).toMatchObject({ unread: 0, from: '2026-06-13' });
    expect(second.factorsDeferred!.carried).toBeGreaterThan(0);
    expect(second.factors).toBe(12);
    const carried2 = [...day2].filter(([id, at]) => at === day1.get(id)).map(([id]) => id);
    expect(carried2).toHaveLength(second.factorsDeferred!.carried);
    // Day 3 read first the users day 2 carried (the longest unread).
    const read3 = [...day3].filter(([id, at]) => at !== day2.get(id)).map(([id]) => id);
    expect(read3.length).toBeGreaterThan(0);
    if (read3.length <= carried2.length) expect(read3.every((id) => carried2.includes(id))).toBe(true);
    else expect(carried2.every((id) => read3.includes(id))).toBe(true);
    expect(third.factors).toBe(12);
    const rows = await lake.engine.select(`select count(*) as n, count(distinct factor_id) as f from okta_factors_current where dt = ?`, ['2026-06-15']);
    expect(rows).toEqual([{ n: 12, f: 12 }]);
  });

  it('with nothing to carry over, the users not reached count as not collected (no check reads "no MFA" into them)', async () => {
    const users = Array.from({ length: 6 }, (_, i) => user(i + 1, 'ACTIVE', { created: '2025-01-01T00:00:00.000Z' }));
    const source = new FolderInventorySource(writeFolder(tempDir(), { users, factors: Object.fromEntries(users.map((u) => [u.id, []])) }));
    const lake = await lakeFor(['okta-no-mfa-configured']);
    const clock = tickingClock(`${DAY}T00:15:00.000Z`);

    const summary = await collectInventory({ engine: lake.engine, source, day: DAY, now: clock.now, factorsUntil: clock.at(3) });
    const run = await lake.snapshotDay(DAY);

    expect(summary.factorsDeferred).toMatchObject({ carried: 0, from: null });
    const unread = summary.factorsDeferred!.unread;
    expect(unread).toBeGreaterThan(0);
    expect(run.findings).toHaveLength(6 - unread);
    const notCollected = await lake.engine.select(`select count(*) as n from okta_users_current where dt = ? and not factors_collected and factors_read_at is null`, [DAY]);
    expect(notCollected).toEqual([{ n: unread }]);
  });
});

describe('posture notifications across a missed night', () => {
  it('does not notify again a failure that was failing before a night without an inventory', async () => {
    const lake = await lakeFor(['okta-no-mfa-configured']);
    const dir = writeFolder(tempDir(), { users: [user(1, 'ACTIVE', { created: '2025-01-01T00:00:00.000Z' })], factors: { [uid(1)]: [] } });
    const source = new FolderInventorySource(dir);

    await lake.collectInventory(source, '2026-06-13');
    const first = await lake.snapshotDay('2026-06-13');
    await lake.snapshotDay('2026-06-14'); // the inventory of the 14th failed: no posture finding that night
    await lake.collectInventory(source, '2026-06-15');
    const third = await lake.snapshotDay('2026-06-15');

    expect(first.newFindings).toHaveLength(1);
    expect(third.findings.map((f) => f.finding_id)).toEqual(first.findings.map((f) => f.finding_id));
    expect(third.newFindings).toEqual([]);
  });
});
