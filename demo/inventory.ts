/**
 * The identity inventory of the demo org: what the Okta management API says about Acme Robotics at the end of
 * the demo day (users, their factors, their devices, their admin roles), with identity posture failures planted
 * for the posture checks to find, the way `attacks.ts` plants attacks for the hourly detections.
 *
 * It agrees with the day's events. Every user of the org is here with the id, login and profile the events name;
 * `lastLogin` is the last successful `user.session.start` of that user up to the end of the day, found by
 * replaying the user's own local days (`normal-day.ts`, the same generators the day and the history use) and the
 * planted attacks, so a user who signed in that day has `lastLogin` on that day and everyone else the last
 * workday they did. Factors follow `User.factor` (push: Okta Verify push; fastpass: push and FastPass
 * `signed_nonce`; sms: SMS), the Okta Verify enrollment keeping `User.enrollmentId` as its id (the id the events'
 * `AuthenticatorEnrollment` targets carry); devices are each user's laptop and phone, their ids drawn from the
 * `dtHash` the events carry. The admins hold the role their `adminRole` names.
 *
 * The planted posture failures use the org's own users where the events allow it (the super administrator who
 * is push-bombed has push and SMS and nothing phishing resistant; an admin who signs in with SMS has SMS only;
 * SMS users share a phone) and otherwise users who exist only here, with no events on the day: people without
 * MFA, who never signed in or stopped signing in, a guest, a contractor with a personal e-mail address, service
 * accounts. Inventory-only users keep their ids from one day to the next (drawn from the seed alone); their
 * dates are laid out relative to the day. Non-ACTIVE users (STAGED, PROVISIONED, SUSPENDED, DEPROVISIONED,
 * LOCKED_OUT) are there for realism and are planted in no check: the ACTIVE-only checks must pass over them.
 *
 * Deterministic: the same org (seed, size) and day give the same inventory, value for value.
 * `inventory-folder.ts` writes it as the folder of saved API responses the lake collects from.
 */
import type { OktaDevice, OktaFactor, OktaRoleAssignee, OktaRoleAssignment, OktaUser } from '../okta-api/identity-objects.ts';
import { parseDay } from '../schema/layout.ts';
import { dayStartMs, HOUR, MIN } from './clock.ts';
import { extra, EXTRAS, PARTNER_DOMAIN, withPhone } from './inventory-extras.ts';
import { renderInventory } from './inventory-json.ts';
import { DAY_MS, inventoryBuild, ROLE_LABELS, type FactorSpec, type Identity, type InventoryBuild } from './inventory-model.ts';
import { orgIdentities } from './inventory-org-users.ts';
import { PhoneBook, phoneText } from './inventory-phones.ts';
import type { Org, User } from './org.ts';
import { Rng } from './prng.ts';

/** The posture checks the demo plants failures for (ids of their folders under detections/). */
export const POSTURE_CHECKS = {
  noMfa: 'okta-no-mfa-configured',
  nonHumanNoMfa: 'okta-non-human-identity-no-mfa',
  adminRoleOnNonHuman: 'okta-admin-role-on-non-human-identity',
  nonHumanStalePassword: 'okta-non-human-identity-stale-password',
  adminWithoutPhishingResistant: 'okta-admin-without-phishing-resistant-mfa',
  weakMfaOnly: 'okta-weak-mfa-only',
  neverLoggedIn: 'okta-never-logged-in',
  inactiveUser: 'okta-inactive-user',
  inactiveGuest: 'okta-inactive-guest-user',
  personalEmail: 'okta-personal-email-login',
  sharedAuthenticator: 'okta-shared-authenticator',
} as const;

/** A posture failure planted in the inventory, and the check expected to report it. */
export interface PlantedPostureFailure {
  /** The id of the posture check (folder under detections/) that must raise a finding about `login`. */
  readonly check: string;
  readonly login: string;
  /** One readable sentence. */
  readonly what: string;
}

/** The body of `GET /api/v1/iam/assignees/users`. */
export interface RoleAssignees {
  readonly value: readonly OktaRoleAssignee[];
  readonly _links: Readonly<Record<string, { readonly href: string }>>;
}

export interface DemoInventory {
  /** `GET /api/v1/users`, sorted by id as Okta pages them. */
  readonly users: readonly OktaUser[];
  /** `GET /api/v1/users/{id}/factors` of every user (an empty list for none), in the order of `users`. */
  readonly factors: ReadonlyMap<string, readonly OktaFactor[]>;
  /** `GET /api/v1/devices?expand=user`, sorted by id. */
  readonly devices: readonly OktaDevice[];
  readonly roleAssignees: RoleAssignees;
  /** `GET /api/v1/users/{id}/roles` of every user in `roleAssignees`. */
  readonly roles: ReadonlyMap<string, readonly OktaRoleAssignment[]>;
  readonly planted: readonly PlantedPostureFailure[];
}

export interface DemoInventoryOptions {
  /** Whether the day has the planted attacks (their sign-ins count for `lastLogin`). @default true, as the demo */
  readonly attacks?: boolean;
}

/** An inventory being built: what every step shares, the phone numbers handed out, the failures planted so far. */
interface Planting extends InventoryBuild {
  readonly phones: PhoneBook;
  plant(check: string, who: Identity, what: string): void;
}

/**
 * The inventory of `org` at the end of `day` (UTC, `YYYY-MM-DD`), with the posture failures it plants.
 * Same org and day, same inventory.
 */
export function demoInventory(org: Org, day: string, options: DemoInventoryOptions = {}): DemoInventory {
  day = parseDay(day);
  const d0 = dayStartMs(day);
  const planted: PlantedPostureFailure[] = [];
  const p: Planting = {
    ...inventoryBuild(org.seed, d0, org.users.map((u) => u.id)),
    phones: new PhoneBook(Rng.derive(org.seed, 'inventory:phones')),
    plant: (check, who, what) => planted.push({ check, login: who.login, what }),
  };

  const byUser = orgIdentities(p, org, day, options.attacks ?? true);
  const identities = [...byUser.values()];
  const onlyHere = plantInventoryOnly(p);
  const smsOnlyAdmins = plantAdminFactors(p, org, byUser);
  const sharers = plantSharedPhone(p, org, byUser);
  numberSmsFactors(p, identities, sharers, smsOnlyAdmins);
  const nonActive = nonActiveUsers(p);

  const all = [...identities, ...onlyHere];
  for (const who of [...smsOnlyAdmins, ...sharers, ...nonActive]) if (!all.includes(who)) all.push(who);
  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const end = d0 + DAY_MS;
  for (const who of all) {
    const times = [who.created, who.activated, who.statusChanged, who.lastLogin, who.passwordChanged, who.lastUpdated, ...who.factors.map((f) => f.created), ...who.devices.map((d) => d.created), ...who.roles.map((r) => r.created)];
    for (const t of times) {
      if (t !== null && t >= end) throw new Error(`${who.login}: a time after the end of ${day}`);
    }
  }
  return { ...renderInventory(org.seed, all), planted };
}

/** Calendar days from `t` to the start of the day `d0`. */
const daysBefore = (d0: number, t: number) => Math.ceil((d0 - t) / DAY_MS);

/** An authenticator app (Google Authenticator) enrolled at `created`. */
const totp = (p: InventoryBuild, rng: Rng, created: number): FactorSpec => ({ type: 'token:software:totp', id: p.freshId(rng, 'uft'), status: 'ACTIVE', created });

/**
 * The inventory-only people planted in the checks the org's own users cannot fail: no MFA, never signed in,
 * inactive, an inactive guest, a contractor with a personal e-mail address, service accounts.
 */
function plantInventoryOnly(p: Planting): Identity[] {
  // okta-no-mfa-configured: ACTIVE people, created weeks ago, who sign in with a password only (not on the day)
  const noMfa = [
    extra(p, EXTRAS.noMfaA, { status: 'ACTIVE', createdDaysAgo: 38, lastLoginDaysAgo: 4, passwordDaysAgo: 35 }),
    extra(p, EXTRAS.noMfaB, { status: 'ACTIVE', createdDaysAgo: 26, lastLoginDaysAgo: 6, passwordDaysAgo: 24 }),
    withPhone(p, extra(p, EXTRAS.noMfaPending, { status: 'ACTIVE', createdDaysAgo: 19, lastLoginDaysAgo: 3, passwordDaysAgo: 17 }), 'PENDING_ACTIVATION'),
  ];
  for (const who of noMfa) {
    const pending = who.factors.length > 0;
    p.plant(POSTURE_CHECKS.noMfa, who, `${who.login} (created ${daysBefore(p.d0, who.created)} days ago, signs in with a password) has no active factor${pending ? '; the Okta Verify enrollment was never finished (PENDING_ACTIVATION)' : ''}`);
  }
  // okta-never-logged-in: activated by an admin with a password, never signed in (so no factor either)
  const never = [
    extra(p, EXTRAS.neverA, { status: 'ACTIVE', createdDaysAgo: 27, lastLoginDaysAgo: null, passwordDaysAgo: 26 }),
    extra(p, EXTRAS.neverB, { status: 'ACTIVE', createdDaysAgo: 41, lastLoginDaysAgo: null, passwordDaysAgo: 40 }),
  ];
  for (const who of never) {
    p.plant(POSTURE_CHECKS.neverLoggedIn, who, `${who.login} was activated ${daysBefore(p.d0, who.activated!)} days ago and has never signed in`);
    p.plant(POSTURE_CHECKS.noMfa, who, `${who.login} has never signed in, so never enrolled a factor`);
  }
  // okta-inactive-user: people with Okta Verify who stopped signing in 40 to 60 days ago
  const inactive = [
    withPhone(p, extra(p, EXTRAS.inactiveA, { status: 'ACTIVE', createdDaysAgo: 910, lastLoginDaysAgo: 43, passwordDaysAgo: 97 })),
    withPhone(p, extra(p, EXTRAS.inactiveB, { status: 'ACTIVE', createdDaysAgo: 1460, lastLoginDaysAgo: 57, passwordDaysAgo: 120 })),
  ];
  for (const who of inactive) p.plant(POSTURE_CHECKS.inactiveUser, who, `${who.login} has not signed in for ${daysBefore(p.d0, who.lastLogin!)} days but is still ACTIVE`);
  // okta-inactive-guest-user: a partner's guest account, last used 45 days ago
  const guest = extra(p, EXTRAS.guest, { status: 'ACTIVE', createdDaysAgo: 212, lastLoginDaysAgo: 45, passwordDaysAgo: 130 });
  guest.factors.push(totp(p, Rng.derive(p.seed, 'inventory:guest-totp'), (guest.activated ?? guest.created) + 15 * MIN));
  p.plant(POSTURE_CHECKS.inactiveGuest, guest, `guest ${guest.login} (${PARTNER_DOMAIN}) has not signed in for 45 days but is still ACTIVE`);
  // okta-personal-email-login: a contractor whose e-mail (recovery, notifications) is a personal Gmail address
  const contractor = withPhone(p, extra(p, EXTRAS.personalEmail, { status: 'ACTIVE', createdDaysAgo: 150, lastLoginDaysAgo: 1, passwordDaysAgo: 52 }));
  p.plant(POSTURE_CHECKS.personalEmail, contractor, `${contractor.login} has the personal e-mail address ${contractor.email}, where password resets and sign-in notices go`);
  // service accounts: svc-backup has no factor and holds Organization Administrator; svc-reporting's password is over a year old
  const svcBackup = extra(p, EXTRAS.svcBackup, { status: 'ACTIVE', createdDaysAgo: 730, lastLoginDaysAgo: 2, passwordDaysAgo: 64 });
  svcBackup.roles.push({ id: p.freshId(Rng.derive(p.seed, 'inventory:svc-backup-role'), 'ra1'), type: 'ORG_ADMIN', created: p.ago(Rng.derive(p.seed, 'inventory:svc-backup-role-t'), 388, 17) });
  p.plant(POSTURE_CHECKS.nonHumanNoMfa, svcBackup, `service account ${svcBackup.login} signs in with a password alone: no factor enrolled`);
  p.plant(POSTURE_CHECKS.adminRoleOnNonHuman, svcBackup, `service account ${svcBackup.login} holds Organization Administrator (ORG_ADMIN)`);
  const svcReporting = extra(p, EXTRAS.svcReporting, { status: 'ACTIVE', createdDaysAgo: 1100, lastLoginDaysAgo: 3, passwordDaysAgo: 412 });
  svcReporting.factors.push(totp(p, Rng.derive(p.seed, 'inventory:svc-reporting-totp'), (svcReporting.activated ?? svcReporting.created) + HOUR));
  p.plant(POSTURE_CHECKS.nonHumanStalePassword, svcReporting, `service account ${svcReporting.login} last changed its password ${daysBefore(p.d0, svcReporting.passwordChanged!)} days ago`);
  return [...noMfa, ...never, ...inactive, guest, contractor, svcBackup, svcReporting];
}

/**
 * The factors and failures of the org's admins: the push-bombed super administrator (`org.admins[0]`) also has SMS,
 * the other admins a YubiKey, and the admins who sign in with SMS have it alone (a help-desk contractor of the
 * inventory only when no org admin does). Returns the SMS-only admins.
 */
function plantAdminFactors(p: Planting, org: Org, byUser: ReadonlyMap<User, Identity>): Identity[] {
  const victim = org.admins[0];
  const smsAdmins = org.admins.slice(1).filter((a) => a.factor === 'sms');
  const victimId = victim ? byUser.get(victim) : undefined;
  if (victim && victimId) {
    // Push as in the events, plus SMS; nothing phishing resistant.
    const rng = Rng.derive(p.seed, 'inventory:victim-sms');
    victimId.factors.push({ type: 'sms', id: p.freshId(rng, 'mbl'), status: 'ACTIVE', created: (victimId.activated ?? victimId.created) + 12 * MIN, phone: phoneText(p.phones.allocate(victim.home), 0) });
    p.plant(POSTURE_CHECKS.adminWithoutPhishingResistant, victimId, `${victim.login} (${victim.adminRole}) has Okta Verify push and SMS, no phishing-resistant factor (FastPass or a security key)`);
  }
  for (const a of org.admins) {
    const who = byUser.get(a)!;
    if (a === victim || a.factor === 'sms') continue;
    // The other IT admins carry a YubiKey.
    const rng = Rng.derive(p.seed, `inventory:webauthn:${a.id}`);
    who.factors.push({ type: 'webauthn', id: p.freshId(rng, 'fwf'), status: 'ACTIVE', created: who.roles[0]!.created + rng.int(1, 20) * DAY_MS });
  }
  const smsOnlyAdmins: Identity[] = smsAdmins.map((a) => byUser.get(a)!);
  if (smsOnlyAdmins.length === 0) {
    // No org admin signs in with SMS: a help-desk contractor (no events on the day) is the SMS-only admin.
    const who = extra(p, EXTRAS.smsAdmin, { status: 'ACTIVE', createdDaysAgo: 240, lastLoginDaysAgo: 2, passwordDaysAgo: 33 });
    const rng = Rng.derive(p.seed, 'inventory:sms-admin');
    who.factors.push({ type: 'sms', id: p.freshId(rng, 'mbl'), status: 'ACTIVE', created: (who.activated ?? who.created) + 9 * MIN, phone: '' });
    who.roles.push({ id: p.freshId(rng, 'ra1'), type: 'HELP_DESK_ADMIN', created: p.ago(rng, 200, 16) });
    smsOnlyAdmins.push(who);
  }
  for (const who of smsOnlyAdmins) {
    const role = ROLE_LABELS.get(who.roles[0]!.type);
    p.plant(POSTURE_CHECKS.weakMfaOnly, who, `${who.login} (${role}) has SMS as the only factor`);
    p.plant(POSTURE_CHECKS.adminWithoutPhishingResistant, who, `${who.login} (${role}) signs in to the Admin Console with SMS, no phishing-resistant factor`);
  }
  return smsOnlyAdmins;
}

/** Three people whose SMS factor is the same phone, org users who sign in with SMS where there are enough. */
function plantSharedPhone(p: Planting, org: Org, byUser: ReadonlyMap<User, Identity>): Identity[] {
  // okta-shared-authenticator: one floor phone's number on three people's SMS factor, written three ways
  const smsUsers = org.users.filter((u) => u.factor === 'sms' && !u.adminRole);
  const shareRng = Rng.derive(p.seed, 'inventory:shared-phone');
  const preferred = smsUsers.filter((u) => u.department === 'Manufacturing');
  const sharers: Identity[] = [...shareRng.sample(preferred, 3), ...shareRng.sample(smsUsers.filter((u) => !preferred.includes(u)), 3)].slice(0, 3).map((u) => byUser.get(u)!);
  const fillers = [
    [EXTRAS.sharedA, 320, 1],
    [EXTRAS.sharedB, 410, 2],
    [EXTRAS.sharedC, 275, 3],
  ] as const;
  for (const [e, createdDaysAgo, lastLoginDaysAgo] of fillers.slice(0, 3 - sharers.length)) {
    // Small orgs: Manufacturing people with no events on the day fill the three.
    const who = extra(p, e, { status: 'ACTIVE', createdDaysAgo, lastLoginDaysAgo, passwordDaysAgo: 41 });
    const rng = Rng.derive(p.seed, `inventory:shared:${e.key}`);
    who.factors.push({ type: 'sms', id: p.freshId(rng, 'mbl'), status: 'ACTIVE', created: (who.activated ?? who.created) + 7 * MIN, phone: '' });
    sharers.push(who);
  }
  const sharedNumber = p.phones.allocate(sharers[0]!.place);
  sharers.forEach((who, k) => {
    const sms = who.factors.findIndex((f) => f.type === 'sms');
    who.factors[sms] = { ...(who.factors[sms] as Extract<FactorSpec, { type: 'sms' }>), phone: phoneText(sharedNumber, k as 0 | 1 | 2) };
  });
  for (const who of sharers) {
    const others = sharers.filter((o) => o !== who).map((o) => o.login);
    p.plant(POSTURE_CHECKS.sharedAuthenticator, who, `${who.login}'s SMS factor is the phone ${phoneText(sharedNumber, 1)}, also bound to ${others.join(' and ')}`);
  }
  return sharers;
}

/** The numbers of the SMS factors that have none yet. */
function numberSmsFactors(p: Planting, identities: readonly Identity[], sharers: readonly Identity[], smsOnlyAdmins: readonly Identity[]): void {
  // Every other SMS enrollment gets a number of its own; people who are not SMS-only admins also have an authenticator app.
  const smsOnly = new Set(smsOnlyAdmins);
  const number = (who: Identity) => {
    who.factors = who.factors.map((f) => (f.type === 'sms' && f.phone === '' ? { ...f, phone: phoneText(p.phones.allocate(who.place), 0) } : f));
  };
  for (const who of identities.concat(sharers.filter((s) => !identities.includes(s)))) {
    const rng = Rng.derive(p.seed, `inventory:sms:${who.id}`);
    number(who);
    if (who.factors.length === 1 && who.factors[0]!.type === 'sms' && !smsOnly.has(who)) who.factors.push(totp(p, rng, who.factors[0]!.created + rng.int(1, 30) * DAY_MS));
  }
  for (const who of smsOnly) number(who);
}

/** Non-ACTIVE users, for realism (the ACTIVE-only checks pass over them). */
function nonActiveUsers(p: InventoryBuild): Identity[] {
  return [
    extra(p, EXTRAS.staged, { status: 'STAGED', createdDaysAgo: 2, activatedAfterDays: null, lastLoginDaysAgo: null, passwordDaysAgo: null }),
    extra(p, EXTRAS.provisioned, { status: 'PROVISIONED', createdDaysAgo: 6, activatedAfterDays: null, lastLoginDaysAgo: null, passwordDaysAgo: null, statusChangedDaysAgo: 5 }),
    withPhone(p, extra(p, EXTRAS.suspended, { status: 'SUSPENDED', createdDaysAgo: 1150, lastLoginDaysAgo: 81, passwordDaysAgo: 140, statusChangedDaysAgo: 74 })),
    extra(p, EXTRAS.deprovisioned, { status: 'DEPROVISIONED', createdDaysAgo: 820, lastLoginDaysAgo: 26, passwordDaysAgo: 88, statusChangedDaysAgo: 25 }),
    withPhone(p, extra(p, EXTRAS.lockedOut, { status: 'LOCKED_OUT', createdDaysAgo: 560, lastLoginDaysAgo: 5, passwordDaysAgo: 61, statusChangedDaysAgo: 2 })),
  ];
}
