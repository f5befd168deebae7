/**
 * The org's own users in the demo inventory, as the day's events show them: the id, login and profile the events
 * name, `lastLogin` replayed from the events, the factors of `User.factor`, the laptop and phone behind the events'
 * `dtHash`, the admin role of `User.adminRole`.
 */
import { addDays } from '../schema/layout.ts';
import { plantAttacks } from './attacks.ts';
import { dayStartMs, HOUR, MIN } from './clock.ts';
import { deviceOf } from './inventory-devices.ts';
import { DAY_MS, ROLE_TYPES, wholeSecond, type DeviceSpec, type FactorSpec, type Identity, type InventoryBuild } from './inventory-model.ts';
import { userLocalDay } from './normal-day.ts';
import type { Org, User } from './org.ts';
import { Rng } from './prng.ts';
import { Sink } from './sink.ts';

/** How far back a user's last sign-in is looked for; every org user signs in on most workdays. */
const LAST_LOGIN_LOOKBACK_DAYS = 60;

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

/**
 * The identity of each of the org's users at the end of `day`, in the order of `org.users`. `attacks`: whether the
 * day has the planted attacks (their sign-ins count for `lastLogin`).
 */
export function orgIdentities(b: InventoryBuild, org: Org, day: string, attacks: boolean): Map<User, Identity> {
  const lastLogins = lastSignIns(org, day, attacks);
  const byUser = new Map<User, Identity>();
  org.users.forEach((u, index) => {
    const rng = Rng.derive(b.seed, `inventory:${u.id}`);
    const tenure = rng.int(60, 2200);
    const created = b.ago(rng, tenure, 14, 420);
    const activated = wholeSecond(created + rng.int(1, 10) * DAY_MS + rng.int(1, 5) * HOUR);
    const passwordDays = rng.chance(0.93) ? rng.int(1, 89) : rng.int(90, 170);
    const passwordChanged = Math.max(activated + HOUR, b.ago(rng, passwordDays, 13, 540));
    const profileUpdated = Math.max(activated, b.ago(rng, rng.int(1, 400), 15, 300));
    const lastLogin = lastLogins.get(u.id) ?? null;
    const laptopSince = Math.max(activated + 20 * MIN, b.ago(rng, rng.int(20, 1100), 14, 300));
    const phoneSince = Math.max(activated + 30 * MIN, b.ago(rng, rng.int(20, 800), 14, 300));
    const laptop = deviceOf(b.seed, u.laptopDtHash, u.laptop, u.firstName, laptopSince);
    const phone = deviceOf(b.seed, u.phoneDtHash, u.phone, u.firstName, phoneSince);
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
      who.factors.push(push(), { type: 'signed_nonce', id: b.freshId(rng, 'crp'), status: 'ACTIVE', created: laptopSince + 2 * MIN, device: laptop ?? phone });
    } else {
      who.factors.push({ type: 'sms', id: u.enrollmentId, status: 'ACTIVE', created: activated + rng.int(5, 90) * MIN, phone: '' });
    }
    if (u.adminRole) {
      const role = ROLE_TYPES[u.adminRole];
      if (!role) throw new Error(`${u.login}: no Okta role type for the admin role "${u.adminRole}"`);
      who.roles.push({ id: b.freshId(rng, 'ra1'), type: role.type, created: Math.max(activated + DAY_MS, b.ago(rng, rng.int(30, Math.max(31, tenure - 5)), 16, 240)) });
    }
    byUser.set(u, who);
  });
  return byUser;
}
