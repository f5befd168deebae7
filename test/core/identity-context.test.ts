/**
 * The identity context of findings' users (core/identity-context.ts, core/sql/identity-context.sql) on DuckDB, over
 * an inventory collected from a saved folder, and its one-line form for notifications.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../core/findings.ts';
import { findingIdentities, identityContext, identityLine, INVENTORY_LOOKBACK_DAYS, type IdentityContext } from '../../core/identity-context.ts';
import { FolderInventorySource } from '../../inventory/folder-source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { addDays } from '../../schema/layout.ts';
import { writeInventoryFolder, type FolderOptions, type FolderUser } from '../support/identity-lake.ts';

const DAY = '2026-06-15';
const alice: FolderUser = {
  id: '00u1alice0000000000a',
  login: 'Alice@Example.com',
  factors: [['sms', 'OKTA', 'ACTIVE'], ['email', 'OKTA', 'ACTIVE'], ['webauthn', 'FIDO', 'PENDING_ACTIVATION']],
  roles: ['SUPER_ADMIN'],
};
const bob: FolderUser = { id: '00u1bob000000000000b', login: 'bob@example.com', factors: [] };
const svc: FolderUser = { id: '00u1svc000000000000c', login: 'svc-ci@example.com', status: 'SUSPENDED', factors: [['webauthn', 'FIDO', 'ACTIVE'], ['push', 'OKTA', 'ACTIVE']], roles: ['APP_ADMIN', 'READ_ONLY_ADMIN'] };

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});
async function lakeWith(inventories: readonly { day: string; users: readonly FolderUser[]; options?: FolderOptions }[]): Promise<LocalLake> {
  let tick = 0;
  const lake = await LocalLake.temporary({ catalog: [], now: () => new Date(Date.parse(`${DAY}T20:00:00.000Z`) + 1000 * tick++) });
  cleanup.push(() => lake.close());
  for (const inv of inventories) {
    const dir = mkdtempSync(join(tmpdir(), 'okta-inventory-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    await lake.collectInventory(new FolderInventorySource(writeInventoryFolder(dir, inv.users, inv.options)), inv.day);
  }
  return lake;
}

const userFinding = (login: string, dt = DAY, type = 'user'): Finding => ({
  finding_id: `f-${login}`,
  detection: 'okta-brute-force-user',
  title: 'Brute force against one user',
  severity: 'MEDIUM',
  entity: { type, id: login },
  window_start: `${dt}T04:00:00.000Z`,
  window_end: `${dt}T05:00:00.000Z`,
  first_seen: `${dt}T04:01:00.000Z`,
  last_seen: `${dt}T04:09:00.000Z`,
  event_count: 3,
  event_uuids: [],
  actors: [login],
  ips: [],
  summary: 'three failed sign-ins',
  dt,
  run: 'hourly-04',
});

describe('identityContext (DuckDB)', () => {
  it('reads status, kind, active admin roles, active factors and the strongest one, by lower-cased login', async () => {
    // Prepare
    const lake = await lakeWith([{ day: DAY, users: [alice, bob, svc] }]);

    // Act
    const ids = await identityContext(lake.engine, DAY, ['ALICE@example.com', 'bob@example.com', 'svc-ci@example.com', 'nobody@example.com']);

    // Assess
    expect([...ids.keys()].sort()).toEqual(['alice@example.com', 'bob@example.com', 'svc-ci@example.com']);
    expect(ids.get('alice@example.com')).toEqual({
      user_id: alice.id,
      login: 'Alice@Example.com',
      status: 'ACTIVE',
      identity_kind: 'human',
      admin_roles: ['SUPER_ADMIN'],
      roles_collected: true,
      // sms and email are low; the pending webauthn does not count.
      mfa_strength: 'low',
      factors: ['email', 'sms'],
      factors_collected: true,
      inventory_dt: DAY,
    });
    expect(ids.get('bob@example.com')).toMatchObject({ admin_roles: [], mfa_strength: 'none', factors: [] });
    expect(ids.get('svc-ci@example.com')).toMatchObject({ status: 'SUSPENDED', identity_kind: 'service', admin_roles: ['APP_ADMIN', 'READ_ONLY_ADMIN'], mfa_strength: 'high', factors: ['push', 'webauthn'] });
  });

  it('binds the logins as parameters: a login holding a quote is a value, not SQL', async () => {
    // Prepare
    const odd: FolderUser = { id: '00u1obrien0000000000', login: "o'brien@example.com", factors: [['push', 'OKTA', 'ACTIVE']] };
    const lake = await lakeWith([{ day: DAY, users: [alice, odd] }]);

    // Act
    const ids = await identityContext(lake.engine, DAY, ["o'brien@example.com", "x') or 1=1 --"]);

    // Assess
    expect([...ids.keys()]).toEqual(["o'brien@example.com"]);
  });

  it("takes the newest inventory up to INVENTORY_LOOKBACK_DAYS before the day, and none older", async () => {
    // Prepare: alice only in an inventory of yesterday, bob only in one older than the lookback.
    const lake = await lakeWith([
      { day: addDays(DAY, -(INVENTORY_LOOKBACK_DAYS + 1)), users: [bob] },
      { day: addDays(DAY, -1), users: [alice] },
    ]);

    // Act
    const ids = await identityContext(lake.engine, DAY, [alice.login, bob.login]);

    // Assess
    expect([...ids.keys()]).toEqual(['alice@example.com']);
    expect(ids.get('alice@example.com')!.inventory_dt).toBe(addDays(DAY, -1));
  });

  it('says when factors or roles were not collected rather than "none"', async () => {
    // Prepare
    const lake = await lakeWith([{ day: DAY, users: [alice], options: { factors: false, roles: false } }]);

    // Act
    const ctx = (await identityContext(lake.engine, DAY, [alice.login])).get('alice@example.com')!;

    // Assess
    expect(ctx).toMatchObject({ mfa_strength: null, factors_collected: false, roles_collected: false, admin_roles: [], factors: [] });
    expect(identityLine(ctx, DAY)).toBe('ACTIVE human, admin roles not collected, MFA not collected');
  });

  it("findingIdentities reads the users of user findings only, each on its finding's day, and survives a failed read", async () => {
    // Prepare
    const lake = await lakeWith([{ day: DAY, users: [alice, bob] }]);
    const seen: string[][] = [];
    const engine = { ...lake.engine, select: (sql: string, params: readonly unknown[]) => (seen.push(params.filter((p) => typeof p === 'string') as string[]), lake.engine.select(sql, params as never)) };
    const errors: unknown[] = [];

    // Act
    const ids = await findingIdentities(engine as never, [userFinding('alice@example.com'), userFinding('203.0.113.9', DAY, 'ip')]);
    const none = await findingIdentities(engine as never, [userFinding('203.0.113.9', DAY, 'ip')]);
    const failed = await findingIdentities({ select: async () => Promise.reject(new Error('Athena is down')) } as never, [userFinding('bob@example.com')], (e) => errors.push(e));

    // Assess
    expect([...ids.keys()]).toEqual(['alice@example.com']);
    expect(seen).toEqual([['alice@example.com']]);
    expect(none.size).toBe(0);
    expect(failed.size).toBe(0);
    expect(errors.map((e) => (e as Error).message)).toEqual(['Athena is down']);
  });
});

describe('identityLine', () => {
  const ctx: IdentityContext = {
    user_id: '00u1',
    login: 'alice@example.com',
    status: 'ACTIVE',
    identity_kind: 'human',
    admin_roles: ['SUPER_ADMIN'],
    roles_collected: true,
    mfa_strength: 'low',
    factors: ['sms'],
    factors_collected: true,
    inventory_dt: DAY,
  };

  it('says status, kind, admin roles and the strongest MFA with the active factors', () => {
    expect(identityLine(ctx, DAY)).toBe('ACTIVE human, admin roles SUPER_ADMIN, strongest MFA low (sms)');
  });

  it('says when there is no role or no active factor, and names an inventory of another day', () => {
    expect(identityLine({ ...ctx, admin_roles: [], mfa_strength: 'none', factors: [], inventory_dt: '2026-06-14' }, DAY)).toBe(
      'ACTIVE human, no admin role, no active MFA factor (inventory of 2026-06-14)',
    );
  });
});
