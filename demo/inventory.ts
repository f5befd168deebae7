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
import { addDays, parseDay } from '../schema/layout.ts';
import { plantAttacks } from './attacks.ts';
import { dayStartMs, HOUR, MIN, SEC } from './clock.ts';
import { userLocalDay } from './normal-day.ts';
import { OKTA_ORG, oktaId, ORG_DOMAIN, ORG_NAME, PLACES, type Org, type Place, type User, type UserAgent } from './org.ts';
import { hash32, Rng } from './prng.ts';
import { Sink } from './sink.ts';

export { writeInventoryFolder, type InventoryFolderOptions } from './inventory-folder.ts';

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

const DAY_MS = 24 * HOUR;
const API = `https://${OKTA_ORG}/api/v1`;
const iso = (ms: number): string => new Date(ms).toISOString();
/** Okta's timestamps are whole seconds. */
const wholeSecond = (ms: number): number => Math.floor(ms / SEC) * SEC;

/** How far back a user's last sign-in is looked for; every org user signs in on most workdays. */
const LAST_LOGIN_LOOKBACK_DAYS = 60;

// ---------------------------------------------------------------------------------------------------------------
// lastLogin from the events

/**
 * Each org user's last successful sign-in (`user.session.start`, SUCCESS) before the end of `day`: the planted
 * attacks' sign-ins on the day, and the user's own local days replayed from the day after backwards until one
 * holds a sign-in (a local day's events all come after the previous local day's).
 */
function lastSignIns(org: Org, day: string, attacks: boolean): Map<string, number> {
  const end = dayStartMs(day) + DAY_MS;
  const last = new Map<string, number>();
  const latest = (sink: Sink, userId?: string): number | undefined => {
    let max: number | undefined;
    for (const e of sink.events) {
      if (e.eventType !== 'user.session.start' || e.outcome.result !== 'SUCCESS') continue;
      if (userId !== undefined && e.actor.id !== userId) continue;
      const t = Date.parse(e.published);
      if (t < end && (max === undefined || t > max)) max = t;
    }
    return max;
  };
  if (attacks) {
    const sink = new Sink(org);
    plantAttacks(sink, org.seed, day);
    for (const u of org.users) {
      const t = latest(sink, u.id);
      if (t !== undefined) last.set(u.id, t);
    }
  }
  for (const u of org.users) {
    let own: number | undefined;
    for (let back = -1; back <= LAST_LOGIN_LOOKBACK_DAYS && own === undefined; back++) {
      const sink = new Sink(org);
      userLocalDay(sink, org.seed, u, addDays(day, -back));
      own = latest(sink);
    }
    if (own === undefined) throw new Error(`${u.login} has no sign-in in the ${LAST_LOGIN_LOOKBACK_DAYS} days before ${day}`);
    // Okta keeps lastLogin to the second.
    last.set(u.id, wholeSecond(Math.max(own, last.get(u.id) ?? own)));
  }
  return last;
}

// ---------------------------------------------------------------------------------------------------------------
// Phones (numbers reserved for fiction)

/** US and Canadian area codes by city; 555-0100 to 555-0199 in each is reserved for fiction. */
const AREA_CODES: Readonly<Record<string, readonly string[]>> = {
  Boston: ['617', '857', '781'],
  'New York': ['212', '646', '718'],
  Austin: ['512', '737'],
  Chicago: ['312', '872', '773'],
  Denver: ['303', '720'],
  'San Francisco': ['415', '628'],
  Seattle: ['206', '425'],
  Toronto: ['416', '647'],
};
/** Any other North American user, when their city's numbers run out. */
const SPARE_AREA_CODES = ['202', '305', '404', '602', '612', '702', '801', '916'];

/** A phone number as digits with its country code: `16175550142`, or `447700900123` (Ofcom's drama mobile range). */
class PhoneBook {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** A number nobody in the org has, near `place`. */
  allocate(place: Place | null): string {
    const nanp = place === null || place.country === 'United States' || place.country === 'Canada';
    if (!nanp) {
      for (let i = 0; i < 5000; i++) {
        const n = `447700900${String(this.rng.int(0, 999)).padStart(3, '0')}`;
        if (this.take(n)) return n;
      }
      throw new Error('no fiction phone number left in +44 7700 900xxx');
    }
    const codes = [...(place ? (AREA_CODES[place.city] ?? []) : []), ...SPARE_AREA_CODES];
    for (const code of codes) {
      for (let i = 0; i < 400; i++) {
        const n = `1${code}55501${String(this.rng.int(0, 99)).padStart(2, '0')}`;
        if (this.take(n)) return n;
      }
    }
    throw new Error('no fiction phone number left');
  }

  private take(n: string): boolean {
    if (this.used.has(n)) return false;
    this.used.add(n);
    return true;
  }
}

/** The ways people write one number; `style` 0 is E.164 as Okta stores a number entered cleanly. */
function phoneText(digits: string, style: 0 | 1 | 2): string {
  if (style === 0) return `+${digits}`;
  if (digits.startsWith('1')) {
    const [a, b, c] = [digits.slice(1, 4), digits.slice(4, 7), digits.slice(7)];
    return style === 1 ? `+1 ${a}-${b}-${c}` : `+1 (${a}) ${b}-${c}`;
  }
  const [cc, a, b] = [digits.slice(0, 2), digits.slice(2, 6), digits.slice(6)];
  return style === 1 ? `+${cc} ${a} ${b}` : `+${cc} ${a} ${b.slice(0, 3)} ${b.slice(3)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The model the Okta objects are rendered from

type Status = 'ACTIVE' | 'STAGED' | 'PROVISIONED' | 'SUSPENDED' | 'DEPROVISIONED' | 'LOCKED_OUT';

interface DeviceSpec {
  readonly id: string;
  readonly kind: 'laptop' | 'phone';
  readonly displayName: string;
  readonly platform: 'MACOS' | 'WINDOWS' | 'IOS' | 'ANDROID';
  readonly manufacturer: string;
  readonly model: string;
  readonly osVersion: string;
  readonly serialNumber: string | null;
  readonly udid: string | null;
  readonly secureHardwarePresent: boolean;
  readonly diskEncryptionType: string;
  readonly managementStatus: 'MANAGED' | 'NOT_MANAGED';
  readonly screenLockType: 'NONE' | 'PASSCODE' | 'BIOMETRIC';
  readonly created: number;
}

type FactorSpec =
  | { readonly type: 'push' | 'signed_nonce'; readonly id: string; readonly status: string; readonly created: number; readonly device: DeviceSpec | null }
  | { readonly type: 'sms'; readonly id: string; readonly status: string; readonly created: number; readonly phone: string }
  | { readonly type: 'token:software:totp' | 'webauthn'; readonly id: string; readonly status: string; readonly created: number };

interface RoleSpec {
  readonly id: string;
  readonly type: string;
  readonly created: number;
}

interface Identity {
  readonly id: string;
  readonly login: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly userType: string;
  readonly department: string | null;
  readonly title: string | null;
  readonly employeeNumber: string | null;
  readonly place: Place | null;
  readonly status: Status;
  readonly created: number;
  readonly activated: number | null;
  readonly statusChanged: number | null;
  readonly lastLogin: number | null;
  readonly passwordChanged: number | null;
  readonly lastUpdated: number;
  factors: FactorSpec[];
  devices: DeviceSpec[];
  roles: RoleSpec[];
}

/** Okta's standard admin roles: `User.adminRole` (as the Admin Console names it) to the role type and label. */
const ROLE_TYPES: Readonly<Record<string, { readonly type: string; readonly label: string }>> = {
  'Super Administrator': { type: 'SUPER_ADMIN', label: 'Super Administrator' },
  'Organization Administrator': { type: 'ORG_ADMIN', label: 'Organization Administrator' },
  'Help Desk Administrator': { type: 'HELP_DESK_ADMIN', label: 'Help Desk Administrator' },
  'Application Administrator': { type: 'APP_ADMIN', label: 'Application Administrator' },
  'Read-only Administrator': { type: 'READ_ONLY_ADMIN', label: 'Read Only Administrator' },
};
const ROLE_LABELS = new Map(Object.values(ROLE_TYPES).map((r) => [r.type, r.label]));

const COUNTRY_CODES: Readonly<Record<string, string>> = {
  'United States': 'US',
  Canada: 'CA',
  'United Kingdom': 'GB',
  Ireland: 'IE',
  Germany: 'DE',
};

const upperAlnum = (rng: Rng, n: number) => rng.chars('0123456789ABCDEFGHJKLMNPQRSTUVWXYZ', n);
const uuid = (rng: Rng) => `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`.toUpperCase();

/** The device a user agent comes from, as Okta Verify registers it; null for a platform Okta Verify does not run on. */
function deviceOf(seed: number, dtHash: string, ua: UserAgent, firstName: string, created: number): DeviceSpec | null {
  const rng = Rng.derive(seed, `device:${dtHash}`);
  const id = oktaId(new Rng(hash32(`${seed}:${dtHash}`)), 'guo');
  const common = { id, created };
  if (ua.os === 'Mac OS X') {
    const [model, name] = rng.weighted<readonly [string, string]>([
      [['MacBookPro18,3', 'MacBook Pro'], 4],
      [['Mac15,6', 'MacBook Pro'], 3],
      [['Mac14,2', 'MacBook Air'], 2],
      [['MacBookAir10,1', 'MacBook Air'], 1],
    ]);
    const managed = rng.chance(0.92);
    return {
      ...common,
      kind: 'laptop',
      displayName: `${firstName}'s ${name}`,
      platform: 'MACOS',
      manufacturer: 'APPLE',
      model,
      osVersion: ua.browser === 'FIREFOX' ? '14.7.1' : rng.pick(['15.1.0', '15.1.1', '14.7.1']),
      serialNumber: `C02${upperAlnum(rng, 9)}`,
      udid: uuid(rng),
      secureHardwarePresent: true,
      diskEncryptionType: managed || rng.chance(0.7) ? 'ALL_INTERNAL_VOLUMES' : 'NONE',
      managementStatus: managed ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.8) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  if (ua.os.startsWith('Windows')) {
    const [manufacturer, model] = rng.pick<readonly [string, string]>([
      ['LENOVO', 'ThinkPad X1 Carbon Gen 11'],
      ['LENOVO', 'ThinkPad T14 Gen 4'],
      ['Dell Inc.', 'Latitude 7440'],
      ['HP', 'HP EliteBook 840 G10'],
    ]);
    const managed = rng.chance(0.9);
    return {
      ...common,
      kind: 'laptop',
      displayName: `ACME-LT-${rng.int(1000, 9999)}`,
      platform: 'WINDOWS',
      manufacturer,
      model,
      osVersion: rng.pick(['10.0.19045.5131', '10.0.22631.4460', '10.0.22631.4460']),
      serialNumber: upperAlnum(rng, manufacturer === 'LENOVO' ? 8 : 7),
      udid: null,
      secureHardwarePresent: rng.chance(0.95),
      diskEncryptionType: managed ? 'ALL_INTERNAL_VOLUMES' : rng.pick(['SYSTEM_VOLUME', 'NONE']),
      managementStatus: managed ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.6) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  if (ua.os === 'iOS') {
    return {
      ...common,
      kind: 'phone',
      displayName: `${firstName}'s iPhone`,
      platform: 'IOS',
      manufacturer: 'APPLE',
      model: rng.pick(['iPhone15,2', 'iPhone15,4', 'iPhone16,1', 'iPhone14,5']),
      osVersion: '18.1',
      serialNumber: null,
      udid: uuid(rng),
      secureHardwarePresent: true,
      diskEncryptionType: 'FULL',
      managementStatus: rng.chance(0.25) ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.9) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  if (ua.os === 'Android') {
    const model = /Android [\d.]+; ([^)]+)\)/.exec(ua.rawUserAgent)?.[1] ?? 'Android';
    const google = model.startsWith('Pixel');
    return {
      ...common,
      kind: 'phone',
      displayName: google ? model : model === 'SM-S921B' ? 'Galaxy S24' : model,
      platform: 'ANDROID',
      manufacturer: google ? 'Google' : 'samsung',
      model,
      osVersion: /Android ([\d.]+)/.exec(ua.rawUserAgent)?.[1] ?? '14',
      serialNumber: null,
      udid: null,
      secureHardwarePresent: true,
      diskEncryptionType: 'USER',
      managementStatus: rng.chance(0.25) ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.chance(0.85) ? 'BIOMETRIC' : 'PASSCODE',
    };
  }
  return null; // Linux: no Okta Verify, no device record
}

// ---------------------------------------------------------------------------------------------------------------
// Inventory-only people (names outside the org's name lists, so their logins never collide with the org's)

interface Extra {
  readonly key: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly department: string | null;
  readonly title: string | null;
  readonly userType: 'Employee' | 'Contractor' | 'Guest' | 'Service';
  readonly place: Place | null;
  readonly login?: string;
  readonly email?: string;
}

const PARTNER_DOMAIN = 'brightline-logistics.example';

/** The whole Extra roster, each keyed so its id is stable whatever else the inventory holds. */
const EXTRAS = {
  noMfaA: { key: 'no-mfa-a', firstName: 'Callum', lastName: 'Pemberton', department: 'Sales', title: 'Account Executive', userType: 'Employee', place: PLACES.chicago },
  noMfaB: { key: 'no-mfa-b', firstName: 'Marisol', lastName: 'Castellanos', department: 'Customer Support', title: 'Field Service Technician', userType: 'Employee', place: PLACES.austin },
  noMfaPending: { key: 'no-mfa-pending', firstName: 'Nikhil', lastName: 'Iwasaki', department: 'Engineering', title: 'Firmware Engineer', userType: 'Employee', place: PLACES.boston },
  neverA: { key: 'never-a', firstName: 'Greta', lastName: 'Lindqvist', department: 'Marketing', title: 'Content Strategist', userType: 'Employee', place: PLACES.london },
  neverB: { key: 'never-b', firstName: 'Joaquin', lastName: 'Delacroix', department: 'Finance', title: 'Financial Analyst', userType: 'Employee', place: PLACES.newYork },
  inactiveA: { key: 'inactive-a', firstName: 'Soren', lastName: 'Halvorsen', department: 'Manufacturing', title: 'Quality Engineer', userType: 'Employee', place: PLACES.boston },
  inactiveB: { key: 'inactive-b', firstName: 'Esther', lastName: 'Abernathy', department: 'Legal', title: 'Paralegal', userType: 'Employee', place: PLACES.denver },
  guest: { key: 'guest', firstName: 'Thandiwe', lastName: 'Mbeki', department: null, title: 'Logistics Coordinator (Brightline Logistics)', userType: 'Guest', place: PLACES.chicago, login: `thandiwe.mbeki@${PARTNER_DOMAIN}` },
  personalEmail: { key: 'personal-email', firstName: 'Pavel', lastName: 'Kovacs', department: 'Product', title: 'Product Designer (contract)', userType: 'Contractor', place: PLACES.berlin, email: 'pavel.kovacs.studio@gmail.com' },
  svcBackup: { key: 'svc-backup', firstName: 'Backup', lastName: 'Service', department: 'IT', title: null, userType: 'Service', place: null, login: `svc-backup@${ORG_DOMAIN}` },
  svcReporting: { key: 'svc-reporting', firstName: 'Reporting', lastName: 'Service', department: 'IT', title: null, userType: 'Service', place: null, login: `svc-reporting@${ORG_DOMAIN}` },
  smsAdmin: { key: 'sms-admin', firstName: 'Dmitri', lastName: 'Jablonski', department: 'IT', title: 'IT Support Specialist (contract)', userType: 'Contractor', place: PLACES.austin },
  sharedA: { key: 'shared-a', firstName: 'Farid', lastName: 'Oyelaran', department: 'Manufacturing', title: 'Production Supervisor', userType: 'Employee', place: PLACES.boston },
  sharedB: { key: 'shared-b', firstName: 'Ingrid', lastName: 'Thorne', department: 'Manufacturing', title: 'Manufacturing Engineer', userType: 'Employee', place: PLACES.boston },
  sharedC: { key: 'shared-c', firstName: 'Quentin', lastName: 'Rasmussen', department: 'Manufacturing', title: 'Supply Chain Planner', userType: 'Employee', place: PLACES.boston },
  staged: { key: 'staged', firstName: 'Orla', lastName: 'Nakashima', department: 'Engineering', title: 'Robotics Engineer', userType: 'Employee', place: PLACES.boston },
  provisioned: { key: 'provisioned', firstName: 'Hugo', lastName: 'Grunewald', department: 'Sales', title: 'Sales Engineer', userType: 'Employee', place: PLACES.berlin },
  suspended: { key: 'suspended', firstName: 'Keiko', lastName: 'Szabo', department: 'People', title: 'Recruiter', userType: 'Employee', place: PLACES.seattle },
  deprovisioned: { key: 'deprovisioned', firstName: 'Lars', lastName: 'Eriksen', department: 'Engineering', title: 'Senior Software Engineer', userType: 'Employee', place: PLACES.dublin },
  lockedOut: { key: 'locked-out', firstName: 'Rosa', lastName: 'Underwood', department: 'Finance', title: 'Accountant', userType: 'Employee', place: PLACES.austin },
} as const satisfies Record<string, Extra>;

const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();

// ---------------------------------------------------------------------------------------------------------------

/**
 * The inventory of `org` at the end of `day` (UTC, `YYYY-MM-DD`), with the posture failures it plants.
 * Same org and day, same inventory.
 */
export function demoInventory(org: Org, day: string, options: DemoInventoryOptions = {}): DemoInventory {
  day = parseDay(day);
  const seed = org.seed;
  const d0 = dayStartMs(day);
  const end = d0 + DAY_MS;
  /** Whole-second time `daysAgo` days before the day, at `hour` UTC plus up to `spreadMin` minutes. */
  const ago = (rng: Rng, daysAgo: number, hour: number, spreadMin = 59) => wholeSecond(d0 - daysAgo * DAY_MS + hour * HOUR + rng.int(0, spreadMin) * MIN + rng.int(0, 59) * SEC);
  const phones = new PhoneBook(Rng.derive(seed, 'inventory:phones'));
  const lastLogins = lastSignIns(org, day, options.attacks ?? true);
  const planted: PlantedPostureFailure[] = [];
  const plant = (check: string, who: Identity, what: string) => planted.push({ check, login: who.login, what });

  const takenIds = new Set(org.users.map((u) => u.id));
  const freshId = (rng: Rng, prefix: string): string => {
    for (;;) {
      const id = oktaId(rng, prefix);
      if (!takenIds.has(id)) {
        takenIds.add(id);
        return id;
      }
    }
  };
  const defaultTypeId = oktaId(Rng.derive(seed, 'inventory:user-type'), 'oty');
  const orgId = oktaId(Rng.derive(seed, 'inventory:org'), '00o');
  const orn = (userId: string) => `orn:okta:directory:${orgId}:users:${userId}`;

  // ---- the org's users, as their events show them
  const victim = org.admins[0];
  const smsAdmins = org.admins.slice(1).filter((a) => a.factor === 'sms');
  const identities: Identity[] = [];
  const byUser = new Map<User, Identity>();
  org.users.forEach((u, index) => {
    const rng = Rng.derive(seed, `inventory:${u.id}`);
    const tenure = rng.int(60, 2200);
    const created = ago(rng, tenure, 14, 420);
    const activated = wholeSecond(created + rng.int(1, 10) * DAY_MS + rng.int(1, 5) * HOUR);
    const passwordDays = rng.chance(0.93) ? rng.int(1, 89) : rng.int(90, 170);
    const passwordChanged = Math.max(activated + HOUR, ago(rng, passwordDays, 13, 540));
    const profileUpdated = Math.max(activated, ago(rng, rng.int(1, 400), 15, 300));
    const lastLogin = lastLogins.get(u.id) ?? null;
    const laptopSince = Math.max(activated + 20 * MIN, ago(rng, rng.int(20, 1100), 14, 300));
    const phoneSince = Math.max(activated + 30 * MIN, ago(rng, rng.int(20, 800), 14, 300));
    const laptop = deviceOf(seed, u.laptopDtHash, u.laptop, u.firstName, laptopSince);
    const phone = deviceOf(seed, u.phoneDtHash, u.phone, u.firstName, phoneSince);
    const who: Identity = {
      id: u.id,
      login: u.login,
      email: u.login,
      firstName: u.firstName,
      lastName: u.lastName,
      displayName: u.displayName,
      userType: 'Employee',
      department: u.department,
      title: u.title,
      employeeNumber: String(100_100 + index),
      place: u.home,
      status: 'ACTIVE',
      created,
      activated,
      statusChanged: activated,
      lastLogin,
      passwordChanged,
      lastUpdated: Math.max(passwordChanged, profileUpdated),
      factors: [],
      devices: [laptop, phone].filter((d): d is DeviceSpec => d !== null),
      roles: [],
    };
    const push = (): FactorSpec => ({ type: 'push', id: u.enrollmentId, status: 'ACTIVE', created: phoneSince, device: phone });
    if (u.factor === 'push') who.factors.push(push());
    else if (u.factor === 'fastpass') {
      who.factors.push(push(), { type: 'signed_nonce', id: freshId(rng, 'crp'), status: 'ACTIVE', created: laptopSince + 2 * MIN, device: laptop ?? phone });
    } else {
      who.factors.push({ type: 'sms', id: u.enrollmentId, status: 'ACTIVE', created: activated + rng.int(5, 90) * MIN, phone: '' });
    }
    if (u.adminRole) {
      const role = ROLE_TYPES[u.adminRole];
      if (!role) throw new Error(`${u.login}: no Okta role type for the admin role "${u.adminRole}"`);
      who.roles.push({ id: freshId(rng, 'ra1'), type: role.type, created: Math.max(activated + DAY_MS, ago(rng, rng.int(30, Math.max(31, tenure - 5)), 16, 240)) });
    }
    identities.push(who);
    byUser.set(u, who);
  });

  // ---- inventory-only identities
  const extra = (e: Extra, shape: { status: Status; createdDaysAgo: number; activatedAfterDays?: number | null; lastLoginDaysAgo: number | null; passwordDaysAgo: number | null; statusChangedDaysAgo?: number }): Identity => {
    const rng = Rng.derive(seed, `inventory:extra:${e.key}`);
    const id = freshId(rng, '00u');
    const created = ago(rng, shape.createdDaysAgo, 14, 300);
    const activated = shape.activatedAfterDays === null ? null : wholeSecond(created + (shape.activatedAfterDays ?? 1) * DAY_MS + rng.int(1, 4) * HOUR);
    const lastLogin = shape.lastLoginDaysAgo === null ? null : ago(rng, shape.lastLoginDaysAgo, 14, 360);
    const passwordChanged = shape.passwordDaysAgo === null ? null : Math.max(activated ?? created, ago(rng, shape.passwordDaysAgo, 14, 300));
    const statusChanged = shape.statusChangedDaysAgo !== undefined ? ago(rng, shape.statusChangedDaysAgo, 15, 240) : (activated ?? (shape.status === 'STAGED' ? null : created + 2 * MIN));
    const login = e.login ?? `${ascii(e.firstName)}.${ascii(e.lastName)}@${ORG_DOMAIN}`;
    return {
      id,
      login,
      email: e.email ?? login,
      firstName: e.firstName,
      lastName: e.lastName,
      displayName: e.userType === 'Service' ? `${e.firstName} service account` : `${e.firstName} ${e.lastName}`,
      userType: e.userType,
      department: e.department,
      title: e.title,
      employeeNumber: e.userType === 'Employee' ? String(200_100 + rng.int(0, 899)) : null,
      place: e.place,
      status: shape.status,
      created,
      activated,
      statusChanged,
      lastLogin,
      passwordChanged,
      lastUpdated: Math.max(created, activated ?? 0, passwordChanged ?? 0, statusChanged ?? 0),
      factors: [],
      devices: [],
      roles: [],
    };
  };
  /** Okta Verify on a phone of an inventory-only person. */
  const withPhone = (who: Identity, status = 'ACTIVE'): Identity => {
    const rng = Rng.derive(seed, `inventory:extra-phone:${who.id}`);
    const ua = rng.chance(0.65) ? PHONE_UAS.iphone : PHONE_UAS.pixel;
    const since = Math.max(who.activated ?? who.created, who.created) + rng.int(10, 120) * MIN;
    const phone = status === 'ACTIVE' ? deviceOf(seed, `${who.id}:phone`, ua, who.firstName, since) : null;
    if (phone) who.devices.push(phone);
    who.factors.push({ type: 'push', id: freshId(rng, 'opf'), status, created: since, device: phone });
    return who;
  };
  const totp = (who: Identity, rng: Rng, created: number): FactorSpec => ({ type: 'token:software:totp', id: freshId(rng, 'uft'), status: 'ACTIVE', created });

  // okta-no-mfa-configured: ACTIVE people, created weeks ago, who sign in with a password only (not on the day)
  const noMfa = [
    extra(EXTRAS.noMfaA, { status: 'ACTIVE', createdDaysAgo: 38, lastLoginDaysAgo: 4, passwordDaysAgo: 35 }),
    extra(EXTRAS.noMfaB, { status: 'ACTIVE', createdDaysAgo: 26, lastLoginDaysAgo: 6, passwordDaysAgo: 24 }),
    withPhone(extra(EXTRAS.noMfaPending, { status: 'ACTIVE', createdDaysAgo: 19, lastLoginDaysAgo: 3, passwordDaysAgo: 17 }), 'PENDING_ACTIVATION'),
  ];
  for (const who of noMfa) {
    const pending = who.factors.length > 0;
    plant(POSTURE_CHECKS.noMfa, who, `${who.login} (created ${daysBefore(d0, who.created)} days ago, signs in with a password) has no active factor${pending ? '; the Okta Verify enrollment was never finished (PENDING_ACTIVATION)' : ''}`);
  }
  // okta-never-logged-in: activated by an admin with a password, never signed in (so no factor either)
  const never = [
    extra(EXTRAS.neverA, { status: 'ACTIVE', createdDaysAgo: 27, lastLoginDaysAgo: null, passwordDaysAgo: 26 }),
    extra(EXTRAS.neverB, { status: 'ACTIVE', createdDaysAgo: 41, lastLoginDaysAgo: null, passwordDaysAgo: 40 }),
  ];
  for (const who of never) {
    plant(POSTURE_CHECKS.neverLoggedIn, who, `${who.login} was activated ${daysBefore(d0, who.activated!)} days ago and has never signed in`);
    plant(POSTURE_CHECKS.noMfa, who, `${who.login} has never signed in, so never enrolled a factor`);
  }
  // okta-inactive-user: people with Okta Verify who stopped signing in 40 to 60 days ago
  const inactive = [
    withPhone(extra(EXTRAS.inactiveA, { status: 'ACTIVE', createdDaysAgo: 910, lastLoginDaysAgo: 43, passwordDaysAgo: 97 })),
    withPhone(extra(EXTRAS.inactiveB, { status: 'ACTIVE', createdDaysAgo: 1460, lastLoginDaysAgo: 57, passwordDaysAgo: 120 })),
  ];
  for (const who of inactive) plant(POSTURE_CHECKS.inactiveUser, who, `${who.login} has not signed in for ${daysBefore(d0, who.lastLogin!)} days but is still ACTIVE`);
  // okta-inactive-guest-user: a partner's guest account, last used 45 days ago
  const guest = extra(EXTRAS.guest, { status: 'ACTIVE', createdDaysAgo: 212, lastLoginDaysAgo: 45, passwordDaysAgo: 130 });
  guest.factors.push(totp(guest, Rng.derive(seed, 'inventory:guest-totp'), (guest.activated ?? guest.created) + 15 * MIN));
  plant(POSTURE_CHECKS.inactiveGuest, guest, `guest ${guest.login} (${PARTNER_DOMAIN}) has not signed in for 45 days but is still ACTIVE`);
  // okta-personal-email-login: a contractor whose e-mail (recovery, notifications) is a personal Gmail address
  const contractor = withPhone(extra(EXTRAS.personalEmail, { status: 'ACTIVE', createdDaysAgo: 150, lastLoginDaysAgo: 1, passwordDaysAgo: 52 }));
  plant(POSTURE_CHECKS.personalEmail, contractor, `${contractor.login} has the personal e-mail address ${contractor.email}, where password resets and sign-in notices go`);
  // service accounts: svc-backup has no factor and holds Organization Administrator; svc-reporting's password is over a year old
  const svcBackup = extra(EXTRAS.svcBackup, { status: 'ACTIVE', createdDaysAgo: 730, lastLoginDaysAgo: 2, passwordDaysAgo: 64 });
  svcBackup.roles.push({ id: freshId(Rng.derive(seed, 'inventory:svc-backup-role'), 'ra1'), type: 'ORG_ADMIN', created: ago(Rng.derive(seed, 'inventory:svc-backup-role-t'), 388, 17) });
  plant(POSTURE_CHECKS.nonHumanNoMfa, svcBackup, `service account ${svcBackup.login} signs in with a password alone: no factor enrolled`);
  plant(POSTURE_CHECKS.adminRoleOnNonHuman, svcBackup, `service account ${svcBackup.login} holds Organization Administrator (ORG_ADMIN)`);
  const svcReporting = extra(EXTRAS.svcReporting, { status: 'ACTIVE', createdDaysAgo: 1100, lastLoginDaysAgo: 3, passwordDaysAgo: 412 });
  svcReporting.factors.push(totp(svcReporting, Rng.derive(seed, 'inventory:svc-reporting-totp'), (svcReporting.activated ?? svcReporting.created) + HOUR));
  plant(POSTURE_CHECKS.nonHumanStalePassword, svcReporting, `service account ${svcReporting.login} last changed its password ${daysBefore(d0, svcReporting.passwordChanged!)} days ago`);

  // ---- factors of the org's users: phones, the admins' mixes, the shared phone
  const victimId = victim ? byUser.get(victim) : undefined;
  if (victim && victimId) {
    // Push as in the events, plus SMS; nothing phishing resistant.
    const rng = Rng.derive(seed, 'inventory:victim-sms');
    victimId.factors.push({ type: 'sms', id: freshId(rng, 'mbl'), status: 'ACTIVE', created: (victimId.activated ?? victimId.created) + 12 * MIN, phone: phoneText(phones.allocate(victim.home), 0) });
    plant(POSTURE_CHECKS.adminWithoutPhishingResistant, victimId, `${victim.login} (${victim.adminRole}) has Okta Verify push and SMS, no phishing-resistant factor (FastPass or a security key)`);
  }
  for (const a of org.admins) {
    const who = byUser.get(a)!;
    if (a === victim || a.factor === 'sms') continue;
    // The other IT admins carry a YubiKey.
    const rng = Rng.derive(seed, `inventory:webauthn:${a.id}`);
    who.factors.push({ type: 'webauthn', id: freshId(rng, 'fwf'), status: 'ACTIVE', created: who.roles[0]!.created + rng.int(1, 20) * DAY_MS });
  }
  const smsOnlyAdmins: Identity[] = smsAdmins.map((a) => byUser.get(a)!);
  if (smsOnlyAdmins.length === 0) {
    // No org admin signs in with SMS: a help-desk contractor (no events on the day) is the SMS-only admin.
    const who = extra(EXTRAS.smsAdmin, { status: 'ACTIVE', createdDaysAgo: 240, lastLoginDaysAgo: 2, passwordDaysAgo: 33 });
    const rng = Rng.derive(seed, 'inventory:sms-admin');
    who.factors.push({ type: 'sms', id: freshId(rng, 'mbl'), status: 'ACTIVE', created: (who.activated ?? who.created) + 9 * MIN, phone: '' });
    who.roles.push({ id: freshId(rng, 'ra1'), type: 'HELP_DESK_ADMIN', created: ago(rng, 200, 16) });
    smsOnlyAdmins.push(who);
  }
  for (const who of smsOnlyAdmins) {
    const role = ROLE_LABELS.get(who.roles[0]!.type);
    plant(POSTURE_CHECKS.weakMfaOnly, who, `${who.login} (${role}) has SMS as the only factor`);
    plant(POSTURE_CHECKS.adminWithoutPhishingResistant, who, `${who.login} (${role}) signs in to the Admin Console with SMS, no phishing-resistant factor`);
  }

  // okta-shared-authenticator: one floor phone's number on three people's SMS factor, written three ways
  const smsUsers = org.users.filter((u) => u.factor === 'sms' && !u.adminRole);
  const shareRng = Rng.derive(seed, 'inventory:shared-phone');
  const preferred = smsUsers.filter((u) => u.department === 'Manufacturing');
  const sharers: Identity[] = [...shareRng.sample(preferred, 3), ...shareRng.sample(smsUsers.filter((u) => !preferred.includes(u)), 3)].slice(0, 3).map((u) => byUser.get(u)!);
  const fillers = [
    [EXTRAS.sharedA, 320, 1],
    [EXTRAS.sharedB, 410, 2],
    [EXTRAS.sharedC, 275, 3],
  ] as const;
  for (const [e, createdDaysAgo, lastLoginDaysAgo] of fillers.slice(0, 3 - sharers.length)) {
    // Small orgs: Manufacturing people with no events on the day fill the three.
    const who = extra(e, { status: 'ACTIVE', createdDaysAgo, lastLoginDaysAgo, passwordDaysAgo: 41 });
    const rng = Rng.derive(seed, `inventory:shared:${e.key}`);
    who.factors.push({ type: 'sms', id: freshId(rng, 'mbl'), status: 'ACTIVE', created: (who.activated ?? who.created) + 7 * MIN, phone: '' });
    sharers.push(who);
  }
  const sharedNumber = phones.allocate(sharers[0]!.place);
  sharers.forEach((who, k) => {
    const sms = who.factors.findIndex((f) => f.type === 'sms');
    who.factors[sms] = { ...(who.factors[sms] as Extract<FactorSpec, { type: 'sms' }>), phone: phoneText(sharedNumber, k as 0 | 1 | 2) };
  });
  for (const who of sharers) {
    const others = sharers.filter((o) => o !== who).map((o) => o.login);
    plant(POSTURE_CHECKS.sharedAuthenticator, who, `${who.login}'s SMS factor is the phone ${phoneText(sharedNumber, 1)}, also bound to ${others.join(' and ')}`);
  }

  // Every other SMS enrollment gets a number of its own; people who are not SMS-only admins also have an authenticator app.
  const smsOnly = new Set(smsOnlyAdmins);
  for (const who of identities.concat(sharers.filter((s) => !identities.includes(s)))) {
    const rng = Rng.derive(seed, `inventory:sms:${who.id}`);
    who.factors = who.factors.map((f) => (f.type === 'sms' && f.phone === '' ? { ...f, phone: phoneText(phones.allocate(who.place), 0) } : f));
    if (who.factors.length === 1 && who.factors[0]!.type === 'sms' && !smsOnly.has(who)) who.factors.push(totp(who, rng, who.factors[0]!.created + rng.int(1, 30) * DAY_MS));
  }
  for (const who of smsOnly) {
    who.factors = who.factors.map((f) => (f.type === 'sms' && f.phone === '' ? { ...f, phone: phoneText(phones.allocate(who.place), 0) } : f));
  }

  // ---- non-ACTIVE users, for realism (the ACTIVE-only checks pass over them)
  const inactiveStatuses = [
    extra(EXTRAS.staged, { status: 'STAGED', createdDaysAgo: 2, activatedAfterDays: null, lastLoginDaysAgo: null, passwordDaysAgo: null }),
    extra(EXTRAS.provisioned, { status: 'PROVISIONED', createdDaysAgo: 6, activatedAfterDays: null, lastLoginDaysAgo: null, passwordDaysAgo: null, statusChangedDaysAgo: 5 }),
    withPhone(extra(EXTRAS.suspended, { status: 'SUSPENDED', createdDaysAgo: 1150, lastLoginDaysAgo: 81, passwordDaysAgo: 140, statusChangedDaysAgo: 74 })),
    extra(EXTRAS.deprovisioned, { status: 'DEPROVISIONED', createdDaysAgo: 820, lastLoginDaysAgo: 26, passwordDaysAgo: 88, statusChangedDaysAgo: 25 }),
    withPhone(extra(EXTRAS.lockedOut, { status: 'LOCKED_OUT', createdDaysAgo: 560, lastLoginDaysAgo: 5, passwordDaysAgo: 61, statusChangedDaysAgo: 2 })),
  ];

  const all = [...identities, ...noMfa, ...never, ...inactive, guest, contractor, svcBackup, svcReporting];
  for (const who of [...smsOnlyAdmins, ...sharers, ...inactiveStatuses]) if (!all.includes(who)) all.push(who);
  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const who of all) {
    const times = [who.created, who.activated, who.statusChanged, who.lastLogin, who.passwordChanged, who.lastUpdated, ...who.factors.map((f) => f.created), ...who.devices.map((d) => d.created), ...who.roles.map((r) => r.created)];
    for (const t of times) {
      if (t !== null && t >= end) throw new Error(`${who.login}: a time after the end of ${day}`);
    }
  }

  // ---- render the API objects
  const users = all.map((who) => renderUser(who, defaultTypeId));
  const userById = new Map(users.map((u) => [u.id, u]));
  const factors = new Map(all.map((who) => [who.id, who.factors.map((f) => renderFactor(who, f))]));
  const devices: OktaDevice[] = all
    .flatMap((who) => who.devices.map((d) => renderDevice(d, who, userById.get(who.id)!)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const admins = all.filter((who) => who.roles.length > 0);
  const roleAssignees: RoleAssignees = {
    value: admins.map((who) => ({ id: who.id, orn: orn(who.id), _links: { self: { href: `${API}/users/${who.id}` }, roles: { href: `${API}/users/${who.id}/roles` } } })),
    _links: { self: { href: `${API}/iam/assignees/users` } },
  };
  const roles = new Map(admins.map((who) => [who.id, who.roles.map((r) => renderRole(who, r))]));
  return { users, factors, devices, roleAssignees, roles, planted };
}

/** Calendar days from `t` to the start of the day `d0`. */
const daysBefore = (d0: number, t: number) => Math.ceil((d0 - t) / DAY_MS);

const PHONE_UAS = {
  iphone: {
    rawUserAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    os: 'iOS',
    browser: 'SAFARI',
    device: 'Mobile',
  },
  pixel: {
    rawUserAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
    os: 'Android',
    browser: 'CHROME',
    device: 'Mobile',
  },
} as const satisfies Record<string, UserAgent>;

// ---------------------------------------------------------------------------------------------------------------
// Rendering, in Okta's field names

function renderUser(who: Identity, typeId: string): OktaUser {
  const self = `${API}/users/${who.id}`;
  const hasPassword = who.passwordChanged !== null;
  return {
    id: who.id,
    status: who.status,
    created: iso(who.created),
    activated: who.activated === null ? null : iso(who.activated),
    statusChanged: who.statusChanged === null ? null : iso(who.statusChanged),
    lastLogin: who.lastLogin === null ? null : iso(who.lastLogin),
    lastUpdated: iso(who.lastUpdated),
    passwordChanged: who.passwordChanged === null ? null : iso(who.passwordChanged),
    type: { id: typeId },
    profile: {
      firstName: who.firstName,
      lastName: who.lastName,
      mobilePhone: null,
      secondEmail: null,
      login: who.login,
      email: who.email,
      displayName: who.displayName,
      userType: who.userType,
      ...(who.department ? { department: who.department } : {}),
      ...(who.title ? { title: who.title } : {}),
      organization: who.userType === 'Guest' ? 'Brightline Logistics' : ORG_NAME,
      ...(who.employeeNumber ? { employeeNumber: who.employeeNumber } : {}),
      ...(who.place ? { city: who.place.city, state: who.place.state, countryCode: COUNTRY_CODES[who.place.country] ?? null } : {}),
    },
    credentials: {
      ...(hasPassword ? { password: {} } : {}),
      ...(hasPassword && who.userType !== 'Service' ? { recovery_question: { question: 'What is the food you least liked as a child?' } } : {}),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: { self: { href: self } },
  };
}

const platformDeviceType: Record<DeviceSpec['platform'], string> = {
  IOS: 'SmartPhone_IPhone',
  ANDROID: 'SmartPhone_Android',
  WINDOWS: 'Tablet_Windows',
  MACOS: 'Desktop_Mac',
};

function renderFactor(who: Identity, f: FactorSpec): OktaFactor {
  const self = `${API}/users/${who.id}/factors/${f.id}`;
  const links: Record<string, unknown> =
    f.status === 'ACTIVE'
      ? {
          ...(f.type === 'signed_nonce' ? {} : { verify: { href: `${self}/verify`, hints: { allow: ['POST'] } } }),
          self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
          user: { href: `${API}/users/${who.id}`, hints: { allow: ['GET'] } },
        }
      : {
          poll: { href: `${self}/lifecycle/activate/poll`, hints: { allow: ['POST'] } },
          self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
          user: { href: `${API}/users/${who.id}`, hints: { allow: ['GET'] } },
        };
  const provider = f.type === 'token:software:totp' ? 'GOOGLE' : f.type === 'webauthn' ? 'FIDO' : 'OKTA';
  let profile: Record<string, unknown> | undefined;
  switch (f.type) {
    case 'push':
    case 'signed_nonce':
      profile = f.device
        ? { credentialId: who.login, deviceType: platformDeviceType[f.device.platform], name: f.device.displayName, platform: f.device.platform, version: f.device.osVersion }
        : undefined;
      break;
    case 'sms':
      profile = { phoneNumber: f.phone };
      break;
    case 'token:software:totp':
      profile = { credentialId: who.login };
      break;
    case 'webauthn':
      profile = { credentialId: Rng.derive(hash32(f.id), 'webauthn').base62(43), authenticatorName: 'YubiKey 5 NFC' };
      break;
  }
  return {
    id: f.id,
    factorType: f.type,
    provider,
    vendorName: provider,
    status: f.status,
    created: iso(f.created),
    lastUpdated: iso(f.created),
    ...(profile ? { profile } : {}),
    _links: links,
  };
}

function renderDevice(d: DeviceSpec, who: Identity, user: OktaUser): OktaDevice {
  const self = `${API}/devices/${d.id}`;
  const lastUpdated = who.lastLogin !== null && who.lastLogin > d.created ? who.lastLogin : d.created;
  return {
    id: d.id,
    status: 'ACTIVE',
    created: iso(d.created),
    lastUpdated: iso(lastUpdated),
    profile: {
      displayName: d.displayName,
      platform: d.platform,
      manufacturer: d.manufacturer,
      model: d.model,
      osVersion: d.osVersion,
      ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
      ...(d.udid ? { udid: d.udid } : {}),
      registered: true,
      secureHardwarePresent: d.secureHardwarePresent,
      diskEncryptionType: d.diskEncryptionType,
    },
    resourceType: 'UDDevice',
    resourceDisplayName: { value: d.displayName, sensitive: false },
    resourceAlternateId: null,
    resourceId: d.id,
    _links: {
      suspend: { href: `${self}/lifecycle/suspend`, hints: { allow: ['POST'] } },
      self: { href: self, hints: { allow: ['GET', 'PATCH', 'PUT'] } },
      users: { href: `${self}/users`, hints: { allow: ['GET'] } },
      deactivate: { href: `${self}/lifecycle/deactivate`, hints: { allow: ['POST'] } },
    },
    _embedded: {
      users: [{ created: iso(d.created), managementStatus: d.managementStatus, screenLockType: d.screenLockType, user }],
    },
  };
}

function renderRole(who: Identity, r: RoleSpec): OktaRoleAssignment {
  return {
    id: r.id,
    label: ROLE_LABELS.get(r.type) ?? r.type,
    type: r.type,
    status: 'ACTIVE',
    created: iso(r.created),
    lastUpdated: iso(r.created),
    assignmentType: 'USER',
    _links: { assignee: { href: `${API}/users/${who.id}` } },
  };
}
