/**
 * The people who exist only in the demo inventory, with no events on the day: the roster (names outside the org's
 * name lists, so their logins never collide with the org's) and how each becomes an `Identity`. Their ids are drawn
 * from the seed alone, so they keep them from one day to the next; their dates are laid out relative to the day.
 */
import { HOUR, MIN } from './clock.ts';
import { deviceOf } from './inventory-devices.ts';
import { DAY_MS, wholeSecond, type Identity, type InventoryBuild, type Status } from './inventory-model.ts';
import { ORG_DOMAIN, PLACES, type Place, type UserAgent } from './org.ts';
import { Rng } from './prng.ts';

export interface Extra {
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

export const PARTNER_DOMAIN = 'brightline-logistics.example';

/** The whole Extra roster, each keyed so its id is stable whatever else the inventory holds. */
export const EXTRAS = {
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

/** The phones inventory-only people run Okta Verify on. */
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

/** How an inventory-only person's dates are laid out, in days before the day. */
export interface ExtraShape {
  readonly status: Status;
  readonly createdDaysAgo: number;
  readonly activatedAfterDays?: number | null;
  readonly lastLoginDaysAgo: number | null;
  readonly passwordDaysAgo: number | null;
  readonly statusChangedDaysAgo?: number;
}

/** The identity of the inventory-only person `e`, with no factor, device or role yet. */
export function extra(b: InventoryBuild, e: Extra, shape: ExtraShape): Identity {
  const rng = Rng.derive(b.seed, `inventory:extra:${e.key}`);
  const id = b.freshId(rng, '00u');
  const created = b.ago(rng, shape.createdDaysAgo, 14, 300);
  const activated = shape.activatedAfterDays === null ? null : wholeSecond(created + (shape.activatedAfterDays ?? 1) * DAY_MS + rng.int(1, 4) * HOUR);
  const lastLogin = shape.lastLoginDaysAgo === null ? null : b.ago(rng, shape.lastLoginDaysAgo, 14, 360);
  const passwordChanged = shape.passwordDaysAgo === null ? null : Math.max(activated ?? created, b.ago(rng, shape.passwordDaysAgo, 14, 300));
  const statusChanged = shape.statusChangedDaysAgo !== undefined ? b.ago(rng, shape.statusChangedDaysAgo, 15, 240) : (activated ?? (shape.status === 'STAGED' ? null : created + 2 * MIN));
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
}

/** Okta Verify on a phone of an inventory-only person. */
export function withPhone(b: InventoryBuild, who: Identity, status = 'ACTIVE'): Identity {
  const rng = Rng.derive(b.seed, `inventory:extra-phone:${who.id}`);
  const ua = rng.chance(0.65) ? PHONE_UAS.iphone : PHONE_UAS.pixel;
  const since = Math.max(who.activated ?? who.created, who.created) + rng.int(10, 120) * MIN;
  const phone = status === 'ACTIVE' ? deviceOf(b.seed, `${who.id}:phone`, ua, who.firstName, since) : null;
  if (phone) who.devices.push(phone);
  who.factors.push({ type: 'push', id: b.freshId(rng, 'opf'), status, created: since, device: phone });
  return who;
}
