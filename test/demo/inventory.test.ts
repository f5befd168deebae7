import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay } from '../../demo/day.ts';
import { demoInventory, POSTURE_CHECKS, type DemoInventory } from '../../demo/inventory.ts';
import { writeInventoryFolder } from '../../demo/inventory-folder.ts';
import { buildOrg, type Org } from '../../demo/org.ts';
import type { OktaFactor, OktaUser } from '../../okta-api/identity-objects.ts';

const DAY = '2026-11-24';
const D0 = Date.parse(`${DAY}T00:00:00.000Z`);
const END = D0 + 86_400_000;
const DAYS = (n: number) => n * 86_400_000;

/**
 * Two small orgs that take both branches of the planting: in the first no admin signs in with SMS and only two
 * non-admin users use SMS (an inventory-only admin and an inventory-only phone sharer fill in); in the second an
 * org admin signs in with SMS and there are enough SMS users to share the phone.
 */
const CASES = [
  { seed: 2, users: 60 },
  { seed: 7, users: 80 },
] as const;

interface Case {
  readonly org: Org;
  readonly inv: DemoInventory;
  /** Last successful sign-in (`user.session.start` SUCCESS) on the day per actor id, to the second. */
  readonly signIns: Map<string, number>;
  /** Every actor id with an event on the day. */
  readonly actors: Set<string>;
}

const cases: Case[] = [];
const tmp: string[] = [];

beforeAll(() => {
  for (const { seed, users } of CASES) {
    const org = buildOrg(seed, { users });
    const inv = demoInventory(org, DAY);
    const signIns = new Map<string, number>();
    const actors = new Set<string>();
    for (const line of generateDay({ day: DAY, seed, org }).lines) {
      const o = JSON.parse(line) as Record<string, unknown>;
      const e = ('detail-type' in o ? o.detail : o) as { eventType: string; published: string; actor: { id: string }; outcome: { result: string } };
      actors.add(e.actor.id);
      if (e.eventType !== 'user.session.start' || e.outcome.result !== 'SUCCESS') continue;
      const t = Math.floor(Date.parse(e.published) / 1000) * 1000;
      if (t > (signIns.get(e.actor.id) ?? 0)) signIns.set(e.actor.id, t);
    }
    cases.push({ org, inv, signIns, actors });
  }
});

afterAll(() => {
  for (const dir of tmp) rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'okta-inventory-'));
  tmp.push(dir);
  return dir;
};

/** The inventory as plain JSON (Maps as entry lists), for comparing two of them. */
const asJson = (inv: DemoInventory) => JSON.stringify({ ...inv, factors: [...inv.factors], roles: [...inv.roles] });

const time = (s: unknown): number | null => (typeof s === 'string' ? Date.parse(s) : null);
const login = (u: OktaUser) => u.profile!.login!;
const digits = (phone: unknown) => String(phone).replace(/\D/g, '');
const activeFactors = (inv: DemoInventory, u: OktaUser) => (inv.factors.get(u.id) ?? []).filter((f) => f.status === 'ACTIVE');

// ---- reference posture checks: the definitions the demo plants against (the brief of each check, and the
// detections/ queries where they exist). Assumed where no query existed yet: okta-no-mfa-configured and
// okta-admin-without-phishing-resistant-mfa look at people only (identity_kind human), so the service account
// holding ORG_ADMIN is planted under the non-human checks alone.

const kind = (u: OktaUser): 'human' | 'service' | 'guest' => {
  const type = (u.profile?.userType ?? '').toLowerCase();
  if (type === 'service' || /^svc[-_.]/i.test(login(u))) return 'service';
  return type === 'guest' ? 'guest' : 'human';
};
const LOW = new Set(['sms', 'call', 'email', 'question']);
const HIGH = new Set(['webauthn', 'u2f', 'signed_nonce']);
const PERSONAL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'mail.com']);
const domain = (address: string | null | undefined) => (address ?? '').split('@')[1]?.toLowerCase() ?? '';

/** Logins each check would report on `inv`, by the definition the demo plants against. */
function referenceFindings(inv: DemoInventory): Map<string, Set<string>> {
  const active = inv.users.filter((u) => u.status === 'ACTIVE');
  const admins = new Set(inv.roleAssignees.value.map((a) => a.id));
  const stale = (t: unknown, days: number) => time(t) !== null && time(t)! < D0 - DAYS(days);
  const flagged = (pred: (u: OktaUser) => boolean) => new Set(active.filter(pred).map(login));
  const phoneUsers = new Map<string, Set<string>>();
  for (const u of active) {
    for (const f of activeFactors(inv, u)) {
      if (f.factorType !== 'sms' && f.factorType !== 'call') continue;
      const n = digits((f.profile as { phoneNumber?: string }).phoneNumber);
      phoneUsers.set(n, (phoneUsers.get(n) ?? new Set()).add(login(u)));
    }
  }
  return new Map([
    [POSTURE_CHECKS.noMfa, flagged((u) => kind(u) === 'human' && stale(u.created, 14) && activeFactors(inv, u).length === 0)],
    [POSTURE_CHECKS.nonHumanNoMfa, flagged((u) => kind(u) === 'service' && activeFactors(inv, u).length === 0)],
    [POSTURE_CHECKS.adminRoleOnNonHuman, flagged((u) => kind(u) === 'service' && admins.has(u.id))],
    [POSTURE_CHECKS.nonHumanStalePassword, flagged((u) => kind(u) === 'service' && stale(u.passwordChanged, 180))],
    [POSTURE_CHECKS.adminWithoutPhishingResistant, flagged((u) => kind(u) === 'human' && admins.has(u.id) && !activeFactors(inv, u).some((f) => HIGH.has(f.factorType!)))],
    [POSTURE_CHECKS.weakMfaOnly, flagged((u) => activeFactors(inv, u).length > 0 && activeFactors(inv, u).every((f) => LOW.has(f.factorType!)))],
    [POSTURE_CHECKS.neverLoggedIn, flagged((u) => u.lastLogin === null && stale(u.activated ?? u.created, 7))],
    [POSTURE_CHECKS.inactiveUser, flagged((u) => kind(u) === 'human' && stale(u.lastLogin, 30))],
    [POSTURE_CHECKS.inactiveGuest, flagged((u) => kind(u) === 'guest' && (u.lastLogin === null || stale(u.lastLogin, 30)))],
    [POSTURE_CHECKS.personalEmail, flagged((u) => PERSONAL_DOMAINS.has(domain(u.profile?.login)) || PERSONAL_DOMAINS.has(domain(u.profile?.email)))],
    [POSTURE_CHECKS.sharedAuthenticator, new Set([...phoneUsers.values()].filter((s) => s.size > 1).flatMap((s) => [...s]))],
  ]);
}

const plantedFor = (inv: DemoInventory, check: string) => new Set(inv.planted.filter((p) => p.check === check).map((p) => p.login));

describe('demo identity inventory', () => {
  it('is the same for the same org and day, and differs for another seed or day', () => {
    // Prepare
    const org = buildOrg(2, { users: 60 });

    // Act
    const a = demoInventory(org, DAY);
    const b = demoInventory(buildOrg(2, { users: 60 }), DAY);
    const otherSeed = demoInventory(buildOrg(3, { users: 60 }), DAY);
    const otherDay = demoInventory(org, '2026-11-25');

    // Assess
    expect(asJson(b)).toBe(asJson(a));
    expect(asJson(otherSeed)).not.toBe(asJson(a));
    expect(asJson(otherDay)).not.toBe(asJson(a));
    // Inventory-only users keep their ids from one day to the next.
    expect(otherDay.users.map((u) => u.id)).toEqual(a.users.map((u) => u.id));
  });

  it('holds every org user with the id, login and profile the events use, ACTIVE, among unique Okta ids', () => {
    for (const { org, inv } of cases) {
      const byId = new Map(inv.users.map((u) => [u.id, u]));
      expect(byId.size).toBe(inv.users.length);
      expect(new Set(inv.users.map(login)).size).toBe(inv.users.length);
      for (const u of inv.users) expect(u.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
      expect(inv.users.map((u) => u.id)).toEqual(inv.users.map((u) => u.id).sort());
      for (const u of org.users) {
        const x = byId.get(u.id);
        expect(x, u.login).toBeDefined();
        expect(x!.status).toBe('ACTIVE');
        expect(x!.profile).toMatchObject({ login: u.login, email: u.login, firstName: u.firstName, lastName: u.lastName, displayName: u.displayName, department: u.department, title: u.title });
        expect(x!.credentials).toMatchObject({ provider: { type: 'OKTA', name: 'OKTA' } });
        expect((x!._links as { self: { href: string } }).self.href).toBe(`https://acme-robotics.okta.com/api/v1/users/${u.id}`);
      }
      // Users beyond the org's exist only in the inventory.
      expect(inv.users.length).toBeGreaterThan(org.users.length + 10);
    }
  });

  it("gives each org user the lastLogin of their last sign-in: on the day if the day's events sign them in, before it otherwise", () => {
    for (const { org, inv, signIns } of cases) {
      const byId = new Map(inv.users.map((u) => [u.id, u]));
      let onTheDay = 0;
      let recentPasswords = 0;
      for (const u of org.users) {
        const x = byId.get(u.id)!;
        const last = time(x.lastLogin);
        expect(last, u.login).not.toBeNull();
        const signedIn = signIns.get(u.id);
        if (signedIn !== undefined) {
          expect(last, u.login).toBe(signedIn);
          onTheDay++;
        } else {
          expect(last!, u.login).toBeLessThan(D0);
          expect(last!, u.login).toBeGreaterThan(D0 - DAYS(10));
        }
        expect(time(x.created)!).toBeLessThan(time(x.activated)!);
        expect(time(x.activated)!).toBeLessThanOrEqual(time(x.passwordChanged)!);
        expect(time(x.activated)!).toBeLessThan(last!);
        if (time(x.passwordChanged)! > D0 - DAYS(90)) recentPasswords++;
      }
      // A working Tuesday: most of the org signs in.
      expect(onTheDay).toBeGreaterThan(org.users.length * 0.7);
      expect(recentPasswords).toBeGreaterThan(org.users.length * 0.8);
    }
  });

  it('gives each org user the factors their sign-ins use, the Okta Verify enrollment under its event id', () => {
    for (const { org, inv } of cases) {
      for (const u of org.users) {
        const fs = activeFactors(inv, inv.users.find((x) => x.id === u.id)!);
        const byType = (t: string) => fs.filter((f) => f.factorType === t);
        if (u.factor === 'sms') {
          const [sms] = byType('sms');
          expect(sms, u.login).toMatchObject({ id: u.enrollmentId, provider: 'OKTA', vendorName: 'OKTA' });
          expect(digits((sms!.profile as { phoneNumber: string }).phoneNumber)).toMatch(/^(1\d{3}55501\d\d|447700900\d{3})$/);
        } else {
          const [push] = byType('push');
          expect(push, u.login).toMatchObject({ id: u.enrollmentId, provider: 'OKTA', vendorName: 'OKTA' });
          expect(push!.profile).toMatchObject({ credentialId: u.login, platform: u.phone.os === 'iOS' ? 'IOS' : 'ANDROID', deviceType: u.phone.os === 'iOS' ? 'SmartPhone_IPhone' : 'SmartPhone_Android' });
          expect(typeof (push!.profile as { name: unknown }).name).toBe('string');
          expect(byType('signed_nonce'), u.login).toHaveLength(u.factor === 'fastpass' ? 1 : 0);
        }
      }
      const ids = [...inv.factors.values()].flat().map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("registers each org user's laptop and phone as devices, with the user embedded", () => {
    for (const { org, inv } of cases) {
      const devicesOf = new Map<string, typeof inv.devices>();
      for (const d of inv.devices) {
        expect(d.id).toMatch(/^guo[0-9A-Za-z]{17}$/);
        expect(d.profile?.registered).toBe(true);
        const users = d._embedded?.users ?? [];
        expect(users).toHaveLength(1);
        const uid = users[0]!.user!.id;
        devicesOf.set(uid, [...(devicesOf.get(uid) ?? []), d]);
      }
      expect(new Set(inv.devices.map((d) => d.id)).size).toBe(inv.devices.length);
      let laptops = 0;
      let managedLaptops = 0;
      const platform: Record<string, string | undefined> = { 'Mac OS X': 'MACOS', 'Windows 10': 'WINDOWS', iOS: 'IOS', Android: 'ANDROID', Linux: undefined };
      for (const u of org.users) {
        const ds = devicesOf.get(u.id) ?? [];
        const expected = [platform[u.laptop.os], platform[u.phone.os]].filter((p) => p !== undefined).sort();
        expect(ds.map((d) => d.profile?.platform).sort(), u.login).toEqual(expected);
        for (const d of ds) {
          if (d.profile?.platform !== 'MACOS' && d.profile?.platform !== 'WINDOWS') continue;
          laptops++;
          if (d._embedded!.users![0]!.managementStatus === 'MANAGED') managedLaptops++;
        }
        // The embedded user is the user of users.json.
        for (const d of ds) expect(d._embedded!.users![0]!.user).toEqual(inv.users.find((x) => x.id === u.id));
      }
      expect(managedLaptops).toBeGreaterThan(laptops * 0.75);
    }
  });

  it('gives every admin a role of their type and lists them in role-assignees', () => {
    const TYPES: Record<string, string> = { 'Super Administrator': 'SUPER_ADMIN', 'Organization Administrator': 'ORG_ADMIN', 'Help Desk Administrator': 'HELP_DESK_ADMIN', 'Application Administrator': 'APP_ADMIN' };
    for (const { org, inv } of cases) {
      const assignees = inv.roleAssignees.value.map((a) => a.id);
      expect([...inv.roles.keys()].sort()).toEqual([...assignees].sort());
      for (const a of inv.roleAssignees.value) expect(a.orn).toMatch(new RegExp(`^orn:okta:directory:00o[0-9A-Za-z]{17}:users:${a.id}$`));
      for (const admin of org.admins) {
        expect(assignees, admin.login).toContain(admin.id);
        expect(inv.roles.get(admin.id)).toEqual([expect.objectContaining({ type: TYPES[admin.adminRole!], status: 'ACTIVE', assignmentType: 'USER' })]);
      }
      // Nobody else of the org holds a role (the role the attack grants is revoked the same morning).
      const orgAssignees = assignees.filter((id) => org.users.some((u) => u.id === id));
      expect(orgAssignees.sort()).toEqual(org.admins.map((a) => a.id).sort());
    }
  });

  it('plants exactly the failures each posture check finds, each on a user who really has it', () => {
    for (const { inv } of cases) {
      const found = referenceFindings(inv);
      for (const check of Object.values(POSTURE_CHECKS)) {
        expect(plantedFor(inv, check).size, check).toBeGreaterThan(0);
        expect([...found.get(check)!].sort(), check).toEqual([...plantedFor(inv, check)].sort());
      }
      expect(new Set(inv.planted.map((p) => p.check))).toEqual(new Set(Object.values(POSTURE_CHECKS)));
      for (const p of inv.planted) expect(p.what).toContain(p.login);
    }
  });

  it('plants the failures the brief asks for, on users with no sign-in on the day where it matters', () => {
    for (const { org, inv, actors } of cases) {
      const user = (l: string) => inv.users.find((u) => login(u) === l)!;
      const factorsOf = (l: string) => inv.factors.get(user(l).id)!;

      // Three people with no MFA (one with only a pending enrollment), plus the two who never signed in.
      const noMfa = [...plantedFor(inv, POSTURE_CHECKS.noMfa)];
      const never = plantedFor(inv, POSTURE_CHECKS.neverLoggedIn);
      expect(noMfa.filter((l) => !never.has(l))).toHaveLength(3);
      expect(noMfa.filter((l) => factorsOf(l).length === 1 && factorsOf(l)[0]!.status === 'PENDING_ACTIVATION')).toHaveLength(1);
      for (const l of noMfa) {
        expect(actors.has(user(l).id), l).toBe(false);
        expect(time(user(l).created)!).toBeLessThan(D0 - DAYS(14));
      }
      expect(never.size).toBe(2);
      for (const l of never) expect(time(user(l).created)!).toBeLessThan(D0 - DAYS(20));

      // The service accounts.
      const [svcNoMfa] = plantedFor(inv, POSTURE_CHECKS.nonHumanNoMfa);
      expect(svcNoMfa).toMatch(/^svc-[a-z-]+@acme-robotics\.example$/);
      expect(user(svcNoMfa!).profile?.userType).toBe('Service');
      expect(factorsOf(svcNoMfa!)).toEqual([]);
      expect(inv.roles.get(user([...plantedFor(inv, POSTURE_CHECKS.adminRoleOnNonHuman)][0]!).id)!.map((r) => r.type)).toContain('ORG_ADMIN');
      for (const l of plantedFor(inv, POSTURE_CHECKS.nonHumanStalePassword)) expect(time(user(l).passwordChanged)!).toBeLessThan(D0 - DAYS(180));

      // The push-bombed super administrator: push (their event factor, under its event id) and SMS, nothing phishing resistant.
      const victim = org.admins[0]!;
      expect(victim.adminRole).toBe('Super Administrator');
      expect(plantedFor(inv, POSTURE_CHECKS.adminWithoutPhishingResistant)).toContain(victim.login);
      const victimFactors = factorsOf(victim.login);
      expect(victimFactors.map((f) => [f.factorType, f.status]).sort()).toEqual([['push', 'ACTIVE'], ['sms', 'ACTIVE']]);
      expect(victimFactors.find((f) => f.factorType === 'push')!.id).toBe(victim.enrollmentId);

      // An admin whose only factor is SMS: an org admin who signs in with SMS, else an inventory-only one.
      const weak = [...plantedFor(inv, POSTURE_CHECKS.weakMfaOnly)];
      expect(weak.length).toBeGreaterThan(0);
      for (const l of weak) {
        expect(factorsOf(l).map((f) => f.factorType)).toEqual(['sms']);
        expect(inv.roles.get(user(l).id)?.length, l).toBeGreaterThan(0);
        expect(plantedFor(inv, POSTURE_CHECKS.adminWithoutPhishingResistant)).toContain(l);
      }
      const orgSmsAdmins = org.admins.slice(1).filter((a) => a.factor === 'sms');
      if (orgSmsAdmins.length) expect(weak.sort()).toEqual(orgSmsAdmins.map((a) => a.login).sort());
      else expect(weak.every((l) => !org.users.some((u) => u.login === l))).toBe(true);

      // Two inactive people, one inactive guest, one personal e-mail address.
      const inactive = [...plantedFor(inv, POSTURE_CHECKS.inactiveUser)];
      expect(inactive).toHaveLength(2);
      for (const l of inactive) {
        const days = (D0 - time(user(l).lastLogin)!) / DAYS(1);
        expect(days).toBeGreaterThan(39);
        expect(days).toBeLessThan(61);
      }
      const [guest] = plantedFor(inv, POSTURE_CHECKS.inactiveGuest);
      expect(user(guest!).profile?.userType).toBe('Guest');
      expect(guest!.endsWith('@acme-robotics.example')).toBe(false);
      expect(Math.ceil((D0 - time(user(guest!).lastLogin)!) / DAYS(1))).toBe(45);
      const [personal] = plantedFor(inv, POSTURE_CHECKS.personalEmail);
      expect(user(personal!).profile?.email).toMatch(/@gmail\.com$/);
      expect(personal).toMatch(/@acme-robotics\.example$/);

      // One phone on exactly three people, written in different ways.
      const shared = [...plantedFor(inv, POSTURE_CHECKS.sharedAuthenticator)];
      expect(shared).toHaveLength(3);
      const written = shared.map((l) => (factorsOf(l).find((f) => f.factorType === 'sms')!.profile as { phoneNumber: string }).phoneNumber);
      expect(new Set(written.map(digits)).size).toBe(1);
      expect(new Set(written).size).toBe(3);
      expect(digits(written[0])).toMatch(/^(1\d{3}55501\d\d|447700900\d{3})$/);

      // Inventory-only users have no events on the day and signed in before it, if ever.
      for (const u of inv.users.filter((x) => !org.users.some((o) => o.id === x.id))) {
        expect(actors.has(u.id), login(u)).toBe(false);
        if (u.lastLogin) expect(time(u.lastLogin)!).toBeLessThan(D0);
      }
    }
  });

  it('has non-ACTIVE users of every kind, planted in no check', () => {
    for (const { inv } of cases) {
      const others = inv.users.filter((u) => u.status !== 'ACTIVE');
      expect(new Set(others.map((u) => u.status))).toEqual(new Set(['STAGED', 'PROVISIONED', 'SUSPENDED', 'DEPROVISIONED', 'LOCKED_OUT']));
      const planted = new Set(inv.planted.map((p) => p.login));
      for (const u of others) expect(planted.has(login(u)), login(u)).toBe(false);
      const staged = others.find((u) => u.status === 'STAGED')!;
      expect([staged.activated, staged.lastLogin, staged.passwordChanged]).toEqual([null, null, null]);
    }
  });

  it('writes every time as ISO-8601 with milliseconds and Z, none after the day', () => {
    const TIME_FIELDS = new Set(['created', 'activated', 'statusChanged', 'lastLogin', 'lastUpdated', 'passwordChanged']);
    for (const { inv } of cases) {
      let seen = 0;
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            if (TIME_FIELDS.has(k) && x !== null) {
              expect(x, k).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
              expect(Date.parse(x as string)).toBeLessThan(END);
              seen++;
            } else walk(x);
          }
        }
      };
      walk([inv.users, [...inv.factors.values()], inv.devices, [...inv.roles.values()]]);
      expect(seen).toBeGreaterThan(inv.users.length * 5);
    }
  });
});

describe('writeInventoryFolder', () => {
  /** Every file under `dir`, relative, sorted. */
  const filesUnder = (dir: string): string[] => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else out.push(relative(dir, p));
      }
    };
    walk(dir);
    return out.sort();
  };
  const read = (dir: string, rel: string): unknown => JSON.parse(readFileSync(join(dir, rel), 'utf8'));
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

  it('writes exactly the layout of saved API responses, every file parsing back to the inventory', () => {
    // Prepare
    const { inv } = cases[0]!;
    const dir = tempDir();

    // Act
    const written = writeInventoryFolder(dir, inv, { pageSize: 25 });

    // Assess
    const userPages = Math.ceil(inv.users.length / 25);
    const devicePages = Math.ceil(inv.devices.length / 25);
    const pageNames = (base: string, n: number) => Array.from({ length: n }, (_, k) => (k === 0 ? `${base}.json` : `${base}-${k + 1}.json`));
    const expected = [
      ...pageNames('users', userPages),
      ...pageNames('devices', devicePages),
      'role-assignees.json',
      ...inv.users.map((u) => `factors/${u.id}.json`),
      ...inv.roleAssignees.value.map((a) => `roles/${a.id}.json`),
    ].sort();
    expect(userPages).toBeGreaterThan(1);
    expect(filesUnder(dir)).toEqual(expected);
    expect(written).toEqual(expected);

    const users = pageNames('users', userPages).flatMap((f) => read(dir, f) as unknown[]);
    expect(users).toEqual(plain(inv.users));
    expect((read(dir, 'users.json') as unknown[]).length).toBe(25);
    const devices = pageNames('devices', devicePages).flatMap((f) => read(dir, f) as unknown[]);
    expect(devices).toEqual(plain(inv.devices));
    for (const u of inv.users) expect(read(dir, `factors/${u.id}.json`)).toEqual(plain(inv.factors.get(u.id)));
    expect(read(dir, 'factors/' + inv.users.find((u) => u.status === 'STAGED')!.id + '.json')).toEqual([]);
    const assignees = read(dir, 'role-assignees.json') as { value: { id: string; orn: string; _links: unknown }[]; _links: unknown };
    expect(assignees).toEqual(plain(inv.roleAssignees));
    expect(Object.keys(assignees).sort()).toEqual(['_links', 'value']);
    for (const a of assignees.value) expect(read(dir, `roles/${a.id}.json`)).toEqual(plain(inv.roles.get(a.id)));
  });

  it('writes the same bytes for the same inventory, and leaves no stale page of a previous write', () => {
    // Prepare
    const { org } = cases[1]!;
    const a = tempDir();
    const b = tempDir();
    writeFileSync(join(b, 'users-9.json'), '[]');
    writeFileSync(join(b, 'notes.txt'), 'kept');

    // Act
    writeInventoryFolder(a, demoInventory(org, DAY));
    writeInventoryFolder(b, demoInventory(org, DAY), { pageSize: 10 });
    writeInventoryFolder(b, demoInventory(org, DAY));

    // Assess
    expect(filesUnder(b)).toEqual([...filesUnder(a), 'notes.txt'].sort());
    for (const f of filesUnder(a)) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });

  it('refuses a page size that is not a positive whole number', () => {
    expect(() => writeInventoryFolder(tempDir(), cases[0]!.inv, { pageSize: 0 })).toThrow(/pageSize/);
  });
});
