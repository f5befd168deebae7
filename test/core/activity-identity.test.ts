/**
 * The identity columns of the activity table (user_status, identity_kind, admin_roles, mfa_strength): filled from
 * the day's inventory by the nightly snapshot and by a refresh of one user (whose refreshed inventory comes first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readActivity, type UserActivity } from '../../core/daily.ts';
import { refreshUser } from '../../core/refresh-user.ts';
import { FolderInventorySource } from '../../inventory/folder-source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { userEvent, writeInventoryFolder, type FolderOptions, type FolderUser } from '../support/identity-lake.ts';

const DAY = '2026-06-15';
const alice: FolderUser = {
  id: '00u1alice0000000000a',
  login: 'alice@example.com',
  factors: [['sms', 'OKTA', 'ACTIVE'], ['push', 'OKTA', 'ACTIVE'], ['webauthn', 'FIDO', 'PENDING_ACTIVATION']],
  roles: ['SUPER_ADMIN', 'ORG_ADMIN'],
};
const bob: FolderUser = { id: '00u1bob000000000000b', login: 'bob@example.com', factors: [['webauthn', 'FIDO', 'PENDING_ACTIVATION']] };
const svc: FolderUser = { id: '00u1svc000000000000c', login: 'svc-deploy@example.com', status: 'SUSPENDED', factors: [['token', 'DUO', 'ACTIVE']] };
const dave = { id: '00u1dave00000000000d', login: 'dave@example.com' };

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

async function lake(): Promise<LocalLake> {
  // A clock that moves a second per reading: a later collection or computation is later, as in life.
  let tick = 0;
  const l = await LocalLake.temporary({ catalog: [], now: () => new Date(Date.parse(`${DAY}T22:00:00.000Z`) + 1000 * tick++) });
  cleanup.push(() => l.close());
  return l;
}
function folder(users: readonly FolderUser[], options?: FolderOptions): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-inventory-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return writeInventoryFolder(dir, users, options);
}
const signIns = (day: string) => [alice, bob, svc, dave].map((u) => userEvent(u, `${day}T09:00:00.000Z`, 'user.session.start'));
const identity = (rows: readonly UserActivity[]) =>
  Object.fromEntries(rows.map((r) => [r.login, { user_status: r.user_status, identity_kind: r.identity_kind, admin_roles: r.admin_roles, mfa_strength: r.mfa_strength }]));
const NO_IDENTITY = { user_status: null, identity_kind: null, admin_roles: null, mfa_strength: null };

describe('activity identity columns', () => {
  it("carry each user's status, kind, admin roles and strongest active MFA from the day's inventory", async () => {
    // Prepare
    const l = await lake();
    await l.ingestEvents(signIns(DAY));
    await l.collectInventory(new FolderInventorySource(folder([alice, bob, svc])), DAY);

    // Act
    await l.snapshotDay(DAY);
    const rows = await readActivity(l.engine, { fromDt: DAY, toDt: DAY });

    // Assess
    expect(identity(rows)).toEqual({
      // sms (low) and push (medium) active; the pending webauthn does not count.
      'alice@example.com': { user_status: 'ACTIVE', identity_kind: 'human', admin_roles: ['ORG_ADMIN', 'SUPER_ADMIN'], mfa_strength: 'medium' },
      'bob@example.com': { user_status: 'ACTIVE', identity_kind: 'human', admin_roles: [], mfa_strength: 'none' },
      'svc-deploy@example.com': { user_status: 'SUSPENDED', identity_kind: 'service', admin_roles: [], mfa_strength: 'unknown' },
      // Active in the log, absent from the inventory.
      'dave@example.com': NO_IDENTITY,
    });
    const raw = await l.engine.select(`select mfa_strength, admin_roles from activity where dt = ? and user_id = ?`, [DAY, dave.id]);
    expect(raw).toEqual([{ mfa_strength: null, admin_roles: null }]);
  });

  it('are null without an inventory of that day, even when another day has one', async () => {
    // Prepare
    const l = await lake();
    await l.ingestEvents(signIns(DAY));
    await l.collectInventory(new FolderInventorySource(folder([alice, bob, svc])), '2026-06-14');

    // Act
    await l.snapshotDay(DAY);
    const rows = await readActivity(l.engine, { fromDt: DAY, toDt: DAY });

    // Assess
    expect(rows).toHaveLength(4);
    for (const row of Object.values(identity(rows))) expect(row).toEqual(NO_IDENTITY);
  });

  it('leave MFA and roles null when the inventory could not read them, not "none" or no role', async () => {
    // Prepare
    const l = await lake();
    await l.ingestEvents(signIns(DAY));
    await l.collectInventory(new FolderInventorySource(folder([alice, bob], { factors: false, roles: false })), DAY);

    // Act
    await l.snapshotDay(DAY);
    const rows = identity(await readActivity(l.engine, { fromDt: DAY, toDt: DAY }));

    // Assess
    expect(rows['alice@example.com']).toEqual({ user_status: 'ACTIVE', identity_kind: 'human', admin_roles: null, mfa_strength: null });
    expect(rows['bob@example.com']).toEqual({ user_status: 'ACTIVE', identity_kind: 'human', admin_roles: null, mfa_strength: null });
  });

  it("are the refreshed identity after a refresh of the user, whose inventory is read before the activity row is written", async () => {
    // Prepare: the nightly inventory says sms only and no role; since then alice enrolled a security key and became super admin.
    const l = await lake();
    await l.ingestEvents(signIns(DAY));
    await l.collectInventory(new FolderInventorySource(folder([{ ...alice, factors: [['sms', 'OKTA', 'ACTIVE']], roles: [] }, bob])), DAY);
    await l.snapshotDay(DAY);
    const now = folder([{ ...alice, factors: [['sms', 'OKTA', 'ACTIVE'], ['webauthn', 'FIDO', 'ACTIVE']], roles: ['SUPER_ADMIN'] }, bob]);
    const before = identity(await readActivity(l.engine, { fromDt: DAY, toDt: DAY, user: alice.id }));

    // Act
    const result = await refreshUser({
      engine: l.engine,
      catalog: [],
      thresholds: new Map(),
      now: l.now,
      user: alice.login,
      day: DAY,
      inventory: { source: new FolderInventorySource(now) },
    });

    // Assess
    expect(before['alice@example.com']).toMatchObject({ admin_roles: [], mfa_strength: 'low' });
    expect(result.inventory).toMatchObject({ users: 1, factors: 2, roles: 1 });
    expect(result.activity).toMatchObject({ user_status: 'ACTIVE', identity_kind: 'human', admin_roles: ['SUPER_ADMIN'], mfa_strength: 'high' });
    expect(result.activity?.batch).toMatch(/^refresh-/);
  });
});
