/**
 * `okta-lake user-360` end to end on a lake folder with an inventory, events, an hourly run and a daily snapshot;
 * and the Athena named query of the same name (investigations/user-360.sql) on that lake.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/output.ts';
import { parseDetection, type Detection } from '../../core/catalog.ts';
import { bindNamedParams, compileNamedParams } from '../../core/sql-params.ts';
import { FolderInventorySource } from '../../inventory/folder-source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { userEvent, writeInventoryFolder, type FolderUser } from '../support/identity-lake.ts';

const DAY = '2026-06-15';
const ATTACKER_IP = '203.0.113.66';
// Alice: a super admin whose only factor is not activated (okta-no-mfa-configured fails), brute-forced in hour 10.
const alice: FolderUser = {
  id: '00u1alice0000000000a',
  login: 'alice@example.com',
  factors: [['sms', 'OKTA', 'PENDING_ACTIVATION']],
  roles: ['SUPER_ADMIN'],
  devices: [['guo1alicemac0000001', 'Alice MacBook', 'MACOS']],
};
// Carol: in the inventory, with a strong factor, and no event.
const carol: FolderUser = { id: '00u1carol0000000000c', login: 'carol@example.com', factors: [['webauthn', 'FIDO', 'ACTIVE']] };
// Bob: events only, not in the inventory.
const bob = { id: '00u1bob000000000000b', login: 'bob@example.com' };

const loadDetection = (id: string): Detection => {
  const dir = join('detections', id);
  return { ...parseDetection(dir, readFileSync(join(dir, 'detection.yaml'), 'utf8'), readFileSync(join(dir, 'query.sql'), 'utf8')), dir };
};

let root: string;
let lakeDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'okta-lake-360-'));
  lakeDir = join(root, 'lake');
  let tick = 0;
  const lake = await LocalLake.open(lakeDir, {
    // Only the detections this lake needs: other folders may be half-written while engineers work on them.
    catalog: [loadDetection('okta-brute-force-user'), loadDetection('okta-no-mfa-configured')],
    now: () => new Date(Date.parse(`${DAY}T23:00:00.000Z`) + 1000 * tick++),
  });
  try {
    const failures = Array.from({ length: 21 }, (_, i) =>
      userEvent(alice, `${DAY}T10:${String(i).padStart(2, '0')}:00.000Z`, 'user.session.start', { result: 'FAILURE', ip: ATTACKER_IP }),
    );
    const summary = await lake.ingestEvents([
      userEvent(alice, '2026-06-14T08:00:00.000Z', 'user.session.start'),
      userEvent(alice, `${DAY}T08:00:00.000Z`, 'user.session.start'),
      ...failures,
      userEvent(bob, `${DAY}T09:00:00.000Z`, 'user.session.start'),
    ]);
    expect(summary.quarantined).toBe(0);
    await lake.collectInventory(new FolderInventorySource(writeInventoryFolder(join(root, 'inventory'), [alice, carol])), DAY);
    await lake.detectHour({ dt: DAY, hour: '10' });
    await lake.snapshotDay('2026-06-14');
    await lake.snapshotDay(DAY);
  } finally {
    lake.close();
  }
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = async (...argv: string[]) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
};

/** The lines of a section: from its title line to the next blank line. */
const sectionOf = (stdout: readonly string[], title: RegExp): string[] => {
  const start = stdout.findIndex((l) => title.test(l));
  if (start < 0) return [];
  const end = stdout.findIndex((l, i) => i > start && l === '');
  return stdout.slice(start, end < 0 ? undefined : end);
};

describe('okta-lake user-360', () => {
  it('prints every section for a user with inventory, activity, findings and a failing posture check', async () => {
    const r = await run('user-360', '--lake', lakeDir, '--user', 'Alice@Example.com', '--day', DAY);

    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe(`alice@example.com (${alice.id}) on ${DAY}; activity and findings since 2026-05-17 (30 days)`);
    expect(sectionOf(r.stdout, /^identity/)).toEqual(
      expect.arrayContaining([`identity (inventory of ${DAY})`, '  ACTIVE human, admin roles SUPER_ADMIN, no active MFA factor']),
    );
    expect(sectionOf(r.stdout, /^factors \(1\)$/).join('\n')).toMatch(/sms\s+OKTA\s+PENDING_ACTIVATION\s+low/);
    expect(sectionOf(r.stdout, /^devices \(1\)$/).join('\n')).toContain('Alice MacBook');
    expect(sectionOf(r.stdout, /^admin roles \(1\)$/).join('\n')).toContain('SUPER_ADMIN');
    const activity = sectionOf(r.stdout, /^activity \(2 days\)$/);
    expect(activity.map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual(
      expect.arrayContaining([
        ['2026-06-14', '1', '1', '0'],
        [DAY, '22', '1', '21'],
      ]),
    );
    expect(sectionOf(r.stdout, /^findings \(2\)$/).join('\n')).toMatch(/okta-brute-force-user[\s\S]*okta-no-mfa-configured|okta-no-mfa-configured[\s\S]*okta-brute-force-user/);
    const posture = sectionOf(r.stdout, new RegExp(`^failing posture checks on ${DAY} \\(1 of \\d+ checks\\)$`));
    expect(posture.join('\n')).toContain('okta-no-mfa-configured');
    expect(posture.join('\n')).not.toContain('okta-brute-force-user');
  });

  it('prints one JSON document with --json, the same user by id or by login', async () => {
    const byId = await run('user-360', '--lake', lakeDir, '--user', alice.id, '--day', DAY, '--json');
    const byLogin = await run('user-360', '--lake', lakeDir, '--user', alice.login, '--day', DAY, '--json');

    expect(byId.code).toBe(0);
    expect(byId.stdout).toHaveLength(1);
    const view = JSON.parse(byId.stdout[0]!);
    expect(view).toMatchObject({
      user_id: alice.id,
      login: 'alice@example.com',
      day: DAY,
      found: true,
      identity: { status: 'ACTIVE', identity_kind: 'human', inventory_dt: DAY, factors_collected: true },
      summary: { admin_roles: ['SUPER_ADMIN'], mfa_strength: 'none' },
    });
    expect(view.roles.map((x: { role_type: string }) => x.role_type)).toEqual(['SUPER_ADMIN']);
    expect(view.devices).toHaveLength(1);
    const today = view.activity.find((a: { dt: string }) => a.dt === DAY);
    expect(today).toMatchObject({ sign_in_failures: 21, sign_in_failure_ips: [ATTACKER_IP], admin_roles: ['SUPER_ADMIN'], mfa_strength: 'none' });
    expect(view.findings.map((f: { detection: string }) => f.detection).sort()).toEqual(['okta-brute-force-user', 'okta-no-mfa-configured']);
    expect(view.posture.map((f: { detection: string }) => f.detection)).toEqual(['okta-no-mfa-configured']);
    expect({ ...JSON.parse(byLogin.stdout[0]!), user: alice.id }).toEqual(view);
  });

  it('says when the user has activity but no inventory, and that no posture check could run', async () => {
    const r = await run('user-360', '--lake', lakeDir, '--user', bob.login, '--day', DAY);

    expect(r.code).toBe(0);
    expect(r.stdout.join('\n')).toContain(`no inventory of the user from 2026-05-17 to ${DAY}`);
    expect(sectionOf(r.stdout, /^activity \(1 day\)$/)).toHaveLength(4);
    expect(sectionOf(r.stdout, /^failing posture checks/)).toContain('  none (no inventory, so no posture check could run)');
  });

  it('shows a user known to the inventory only, with a strong factor and no activity', async () => {
    const r = await run('user-360', '--lake', lakeDir, '--user', carol.login, '--day', DAY);

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  ACTIVE human, no admin role, strongest MFA high (webauthn)');
    expect(sectionOf(r.stdout, /^activity/)).toEqual(['activity (0 days)', '  no activity']);
  });

  it('fails with exit code 1 and says so for a user the lake does not know, printing nothing on stdout', async () => {
    const r = await run('user-360', '--lake', lakeDir, '--user', 'nobody@example.com', '--day', DAY, '--json');

    expect(r.code).toBe(1);
    expect(r.stdout).toEqual([]);
    expect(r.stderr[0]).toMatch(new RegExp(`^okta-lake: no user nobody@example.com in this lake from 2026-05-17 to ${DAY}: no inventory, activity or finding names them`));
  });

  it('refuses a --user that is neither a login nor an Okta id, and a bad --day, as usage errors (exit 2)', async () => {
    const badUser = await run('user-360', '--lake', lakeDir, '--user', "x' OR '1'='1", '--day', DAY);
    const badDay = await run('user-360', '--lake', lakeDir, '--user', alice.login, '--day', '2026-02-30');

    expect(badUser.code).toBe(2);
    expect(badUser.stderr[0]).toMatch(/^okta-lake: --user: user "x' OR '1'='1" is neither an Okta user id/);
    expect(badDay.code).toBe(2);
    expect(badDay.stderr).toEqual(['okta-lake: --day "2026-02-30" is not a date of the form YYYY-MM-DD (e.g. 2026-11-25)']);
  });
});

describe('investigations/user-360.sql (the Athena named query) on the same lake', () => {
  const factsOf = async (user: string) => {
    const compiled = compileNamedParams(readFileSync('investigations/user-360.sql', 'utf8'));
    const lake = await LocalLake.open(lakeDir, { catalog: [] });
    try {
      return await lake.engine.select(compiled.text, bindNamedParams(compiled, { user, from_dt: '2026-05-17', to_dt: DAY }, 'user-360'));
    } finally {
      lake.close();
    }
  };

  it('gives one row per fact, section by section: identity, factors, devices, roles, activity, findings, checks', async () => {
    const rows = await factsOf('ALICE@example.com');

    const sections = [...new Set(rows.map((r) => r.section))];
    expect(sections).toEqual(['identity', 'factor', 'device', 'role', 'activity', 'finding', 'check']);
    const fact = (section: string, item: string) => rows.find((r) => r.section === section && r.item === item)?.detail;
    expect(fact('identity', 'user_id')).toBe(alice.id);
    expect(fact('identity', 'status')).toBe('ACTIVE');
    expect(fact('identity', 'inventory_dt')).toBe(DAY);
    expect(fact('factor', 'sms')).toMatch(/^PENDING_ACTIVATION, strength low, OKTA/);
    expect(fact('role', 'SUPER_ADMIN')).toContain('USER');
    expect(fact('activity', DAY)).toMatch(/^22 events, 1 sign-ins, 21 failed, .*countries Netherlands/);
    expect(rows.filter((r) => r.section === 'finding').map((r) => r.item).sort()).toEqual(['okta-brute-force-user', 'okta-no-mfa-configured']);
    expect(rows.filter((r) => r.section === 'check').map((r) => r.item)).toEqual(['okta-no-mfa-configured']);
  });

  it('finds the same facts by Okta user id, and none for a user it does not know', async () => {
    expect(await factsOf(alice.id)).toEqual(await factsOf(alice.login));
    expect(await factsOf('nobody@example.com')).toEqual([]);
  });
});
