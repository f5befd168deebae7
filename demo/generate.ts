/**
 * The demo data generator: a seeded, realistic day of Okta System Log events for Acme Robotics (see
 * `org.ts`), with a handful of attacks mixed in that the hourly detections catch, delivered the way Log
 * Streaming delivers: mostly bare LogEvents, some EventBridge envelopes, a few duplicate deliveries, in
 * arrival order. Also N days of history, streamed to a file one day at a time (for the benchmark).
 *
 * Deterministic: the same seed, day and org size give byte-identical output. Each user's local day is drawn
 * from its own generator (seed, user, local date), so consecutive UTC days join up without gaps or
 * repeats, and the day of a UTC-8 user that runs past midnight UTC continues in the next file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { addDays, parseDay } from '../lake/layout.ts';
import {
  appTarget,
  appUserTarget,
  buildEvent,
  isoMs,
  loginOf,
  unknownActor,
  userActor,
  userTarget,
  type EventSpec,
  type LogEvent,
  type LogTarget,
} from './events.ts';
import { ATTACKER_NETWORKS, buildOrg, location, oktaId, PLACES, type App, type Factor, type Location, type Org, type User, type UserAgent } from './org.ts';
import { Rng } from './prng.ts';

export const DEFAULT_SEED = 7;

/** An attack planted in the day, and the detection expected to catch it. */
export interface PlantedAttack {
  /** The id of the detection (folder under detections/) that must raise a finding for it. */
  readonly detection: string;
  /** One readable sentence. */
  readonly what: string;
  /** ISO time of its first event. */
  readonly at: string;
  /** Logins involved (attacked users, or the admin account that was used). */
  readonly users: readonly string[];
  /** Source IPs of the attack. */
  readonly ips: readonly string[];
  /** Okta session ids involved, if any. */
  readonly sessions: readonly string[];
}

export interface GenerateDayOptions {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** Users in the org. @default 400 */
  readonly users?: number;
  /** Plant the attacks. @default true */
  readonly attacks?: boolean;
  /** Share of events delivered inside an EventBridge envelope. @default 0.05 */
  readonly envelopeShare?: number;
  /** Share of events Okta delivers twice. @default 0.003 */
  readonly duplicateShare?: number;
  /** The org, when the caller already built it for this seed and size. */
  readonly org?: Org;
}

export interface DeliveryStats {
  /** Distinct events (uuids). */
  readonly events: number;
  /** NDJSON lines: events plus duplicate deliveries. */
  readonly deliveries: number;
  /** Lines that are EventBridge envelopes. */
  readonly envelopes: number;
  /** Lines that repeat an event already delivered. */
  readonly duplicates: number;
}

export interface GeneratedDay extends DeliveryStats {
  readonly day: string;
  readonly seed: number;
  readonly org: Org;
  /** Users with at least one event of their own this day. */
  readonly activeUsers: number;
  /** NDJSON lines in arrival order, without line ends. */
  readonly lines: readonly string[];
  readonly attacks: readonly PlantedAttack[];
}

const HOUR = 3_600_000;
const MIN = 60_000;
const SEC = 1_000;

const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** Milliseconds of `hoursLocal` o'clock on `localDay` for a place `offset` hours from UTC. */
const localMs = (localDay: string, hoursLocal: number, offset: number): number => dayStartMs(localDay) + (hoursLocal - offset) * HOUR;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Where events go while one day is built. */
class Sink {
  readonly events: LogEvent[] = [];
  /** uuids that Okta must deliver twice (to show that each event counts once). */
  readonly forceDuplicate = new Set<string>();
  readonly actorsSeen = new Set<string>();

  constructor(readonly org: Org) {}

  emit(rng: Rng, spec: EventSpec): LogEvent {
    const e = buildEvent(rng, spec);
    this.events.push(e);
    return e;
  }
}

const sessionId = (rng: Rng) => `idx${rng.base62(22)}`;

const enrollmentTarget = (u: User, name = 'Okta Verify'): LogTarget => ({
  id: u.enrollmentId,
  type: 'AuthenticatorEnrollment',
  alternateId: 'unknown',
  displayName: name,
  detailEntry: null,
});

const behaviors = (newPlace: boolean) =>
  `{New Geo-Location=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New Device=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New IP=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New State=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New Country=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, Velocity=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New City=${newPlace ? 'POSITIVE' : 'NEGATIVE'}}`;

interface SignInOptions {
  readonly at: number;
  readonly from: Location;
  readonly ua: UserAgent;
  readonly dtHash?: string;
  /** Failed password attempts before the right one. */
  readonly failures?: number;
  /** The user rejects the first push by mistake. */
  readonly denyFirstPush?: boolean;
  readonly factor?: Factor;
  /** The sign-in comes from somewhere the user has never been. */
  readonly newPlace?: boolean;
}

/** One interactive sign-in (Identity Engine): failures, policy evaluation, MFA, session start. */
function signIn(sink: Sink, rng: Rng, u: User, o: SignInOptions): { session: string; at: number } {
  const actor = userActor(u);
  const base = { actor, from: o.from, ua: o.ua, dtHash: o.dtHash };
  let t = o.at;
  for (let i = 0; i < (o.failures ?? 0); i++) {
    sink.emit(rng, {
      ...base,
      at: t,
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_failed',
      severity: 'WARN',
      outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
      requestUri: '/idp/idx/challenge/answer',
      credentialType: 'PASSWORD',
      authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
    });
    t += rng.int(6, 40) * SEC;
  }
  const session = sessionId(rng);
  const s = { ...base, session };
  sink.emit(rng, {
    ...s,
    at: t,
    eventType: 'policy.evaluate_sign_on',
    displayMessage: 'Evaluation of sign-on policy',
    outcome: { result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW' },
    requestUri: '/idp/idx/identify',
    debugData: { behaviors: behaviors(o.newPlace ?? false), deviceFingerprint: (o.dtHash ?? '').slice(0, 32) || rng.hex(32) },
    target: [
      { id: sink.org.ids.signOnPolicy, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Acme Workforce Sign-On', detailEntry: { policyType: 'OktaSignOn' } },
      { id: sink.org.ids.mfaRule, type: 'PolicyRule', alternateId: sink.org.ids.signOnPolicy, displayName: 'Require MFA', detailEntry: null },
    ],
  });
  t += rng.int(2, 6) * SEC;
  const factor = o.factor ?? u.factor;
  // Identity Engine logs a rejected push as a failed auth_via_mfa with the Okta Verify response type.
  const mfa = (result: 'SUCCESS' | 'FAILURE', factorName: string, reason: string | null = null) =>
    sink.emit(rng, {
      ...s,
      at: t,
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      legacyEventType: result === 'SUCCESS' ? 'core.user.factor.attempt_success' : 'core.user.factor.attempt_fail',
      severity: result === 'SUCCESS' ? 'INFO' : 'WARN',
      outcome: { result, reason },
      requestUri: '/idp/idx/challenge/answer',
      authenticationProvider: 'FACTOR_PROVIDER',
      credentialProvider: factorName === 'SMS_FACTOR' ? null : 'OKTA_CREDENTIAL_PROVIDER',
      credentialType: factorName === 'SMS_FACTOR' ? 'SMS' : null,
      debugData: {
        factor: factorName,
        behaviors: behaviors(o.newPlace ?? false),
        ...(factorName === 'OKTA_VERIFY_PUSH' ? { pushOnlyResponseType: result === 'SUCCESS' ? 'OV_RESPONSE_APPROVE' : 'OV_RESPONSE_DENY' } : {}),
      },
      target: [userTarget(u), enrollmentTarget(u, factorName === 'SMS_FACTOR' ? 'Phone' : 'Okta Verify')],
    });
  const pushSent = () =>
    sink.emit(rng, {
      ...s,
      at: t,
      eventType: 'system.push.send_factor_verify_push',
      displayMessage: 'Push notification sent for verification',
      legacyEventType: 'core.user.factor.push_sent',
      requestUri: '/idp/idx/challenge',
      target: [userTarget(u), enrollmentTarget(u)],
    });
  if (factor === 'push') {
    if (o.denyFirstPush) {
      pushSent();
      t += rng.int(3, 10) * SEC;
      mfa('FAILURE', 'OKTA_VERIFY_PUSH', 'User rejected Okta push verify');
      t += rng.int(8, 30) * SEC;
    }
    pushSent();
    t += rng.int(4, 15) * SEC;
    mfa('SUCCESS', 'OKTA_VERIFY_PUSH');
  } else if (factor === 'fastpass') {
    mfa('SUCCESS', 'SIGNED_NONCE');
  } else {
    sink.emit(rng, {
      ...s,
      at: t,
      eventType: 'system.sms.send_factor_verify_message',
      displayMessage: 'Send SMS for factor verification',
      legacyEventType: 'core.user.sms.message_sent.verify',
      requestUri: '/idp/idx/challenge',
      target: [userTarget(u)],
    });
    t += rng.int(15, 50) * SEC;
    if (rng.chance(0.04)) {
      mfa('FAILURE', 'SMS_FACTOR', 'INVALID_CREDENTIALS');
      t += rng.int(10, 30) * SEC;
    }
    mfa('SUCCESS', 'SMS_FACTOR');
  }
  t += rng.int(1, 3) * SEC;
  sink.emit(rng, {
    ...s,
    at: t,
    eventType: 'user.session.start',
    displayMessage: 'User login to Okta',
    legacyEventType: 'core.user_auth.login_success',
    requestUri: '/login/token/redirect',
    credentialType: factor === 'fastpass' ? null : 'PASSWORD',
    authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
    debugData: { behaviors: behaviors(o.newPlace ?? false) },
  });
  return { session, at: t };
}

function sso(sink: Sink, rng: Rng, u: User, app: App, at: number, from: Location, ua: UserAgent, session: string, dtHash?: string): void {
  sink.emit(rng, {
    at,
    actor: userActor(u),
    from,
    ua,
    session,
    dtHash,
    eventType: 'user.authentication.sso',
    displayMessage: 'User single sign on to app',
    legacyEventType: 'app.auth.sso',
    requestUri: `/app/${app.name}/exk${app.id.slice(3, 17)}/sso/${app.signOnMode === 'SAML_2_0' ? 'saml' : 'oidc'}`,
    debugData: { initiationType: rng.chance(0.6) ? 'SP_INITIATED' : 'IDP_INITIATED', signOnMode: app.signOnMode === 'SAML_2_0' ? 'SAML 2.0' : 'OpenID Connect' },
    target: [appTarget(app), appUserTarget(u, app)],
  });
}

function signOut(sink: Sink, rng: Rng, u: User, at: number, from: Location, ua: UserAgent, session: string, dtHash?: string): void {
  sink.emit(rng, {
    at,
    actor: userActor(u),
    from,
    ua,
    session,
    dtHash,
    eventType: 'user.session.end',
    displayMessage: 'User logout from Okta',
    legacyEventType: 'core.user_auth.logout_success',
    requestUri: '/login/signout',
  });
}

function adminConsole(sink: Sink, rng: Rng, u: User, at: number, from: Location, ua: UserAgent, session: string, dtHash?: string, newPlace = false): void {
  const base = { actor: userActor(u), from, ua, session, dtHash };
  // Opening the Admin Console is an app sign-on: Okta evaluates the console's policy first.
  sink.emit(rng, {
    ...base,
    at,
    eventType: 'policy.evaluate_sign_on',
    displayMessage: 'Evaluation of sign-on policy',
    outcome: { result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW' },
    requestUri: '/oauth2/v1/authorize',
    debugData: { behaviors: behaviors(newPlace) },
    target: [
      { ...appTarget(sink.org.adminConsole), detailEntry: { signOnModeEvaluationResult: 'AUTHENTICATED', signOnModeType: 'OPENID_CONNECT' } },
      { id: sink.org.ids.adminConsolePolicy, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Okta Admin Console', detailEntry: { policyType: 'Okta:SignOn' } },
    ],
  });
  sink.emit(rng, {
    ...base,
    at: at + rng.int(1, 4) * SEC,
    eventType: 'user.session.access_admin_app',
    displayMessage: 'User accessing Okta admin app',
    legacyEventType: 'app.admin.sso.login.success',
    requestUri: '/admin/sso/callback',
    target: [appUserTarget(u, sink.org.adminConsole)],
  });
}

/** Everyday Okta administration: group membership, app assignment, joiners and leavers. */
function adminAction(sink: Sink, rng: Rng, admin: User, at: number, from: Location, ua: UserAgent, session: string, dtHash: string): number {
  const org = sink.org;
  const base = { actor: userActor(admin), from, ua, session, dtHash };
  const someone = rng.pick(org.users);
  const kind = rng.weighted([
    ['group.add', 5],
    ['group.remove', 2],
    ['app.assign', 4],
    ['joiner', 1],
    ['leaver', 1],
    ['unlock', 1],
  ] as const);
  const group = rng.pick(org.groups.slice(1));
  const groupTarget: LogTarget = { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name, detailEntry: null };
  switch (kind) {
    case 'group.add':
    case 'group.remove':
      sink.emit(rng, {
        ...base,
        at,
        eventType: kind === 'group.add' ? 'group.user_membership.add' : 'group.user_membership.remove',
        displayMessage: kind === 'group.add' ? 'Add user to group membership' : 'Remove user from group membership',
        legacyEventType: kind === 'group.add' ? 'core.user_group_member.user_add' : 'core.user_group_member.user_remove',
        requestUri: `/admin/group/${group.id}/${kind === 'group.add' ? 'addUser' : 'removeUser'}`,
        target: [userTarget(someone), groupTarget],
      });
      return 1;
    case 'app.assign': {
      const app = rng.pick(org.apps);
      sink.emit(rng, {
        ...base,
        at,
        eventType: 'application.user_membership.add',
        displayMessage: 'Add user to application membership',
        legacyEventType: 'app.generic.provision.assign_user_to_app',
        requestUri: `/admin/app/${app.name}/instance/${app.id}/assignments`,
        target: [appUserTarget(someone, app), appTarget(app), userTarget(someone)],
      });
      return 1;
    }
    case 'joiner': {
      const first = rng.pick(org.users).firstName;
      const last = rng.pick(org.users).lastName;
      const hire = { id: oktaId(rng, '00u'), login: loginOf(first, last).replace('@', `.${rng.int(2, 99)}@`), displayName: `${first} ${last}` };
      sink.emit(rng, {
        ...base,
        at,
        eventType: 'user.lifecycle.create',
        displayMessage: 'Create Okta user',
        legacyEventType: 'core.user.config.user_creation.success',
        requestUri: '/api/v1/users',
        target: [userTarget(hire)],
      });
      sink.emit(rng, {
        ...base,
        at: at + rng.int(20, 90) * SEC,
        eventType: 'user.lifecycle.activate',
        displayMessage: 'Activate Okta user',
        legacyEventType: 'core.user.config.user_activated',
        requestUri: `/api/v1/users/${hire.id}/lifecycle/activate`,
        target: [userTarget(hire)],
      });
      return 2;
    }
    case 'leaver':
      sink.emit(rng, {
        ...base,
        at,
        eventType: 'user.lifecycle.deactivate',
        displayMessage: 'Deactivate Okta user',
        legacyEventType: 'core.user.config.user_deactivated',
        requestUri: `/api/v1/users/${someone.id}/lifecycle/deactivate`,
        target: [userTarget(someone)],
      });
      return 1;
    case 'unlock':
      sink.emit(rng, {
        ...base,
        at,
        eventType: 'user.account.unlock',
        displayMessage: 'Unlock user account',
        legacyEventType: 'core.user.config.user_unlocked',
        requestUri: `/api/v1/users/${someone.id}/lifecycle/unlock`,
        target: [userTarget(someone)],
      });
      return 1;
  }
}

/** One user's own local day: the morning sign-in, SSO through the day, admin work, maybe the phone at night. */
function userLocalDay(sink: Sink, seed: number, u: User, localDay: string): void {
  const rng = Rng.derive(seed, `${u.id}:${localDay}`);
  const dow = new Date(`${localDay}T00:00:00Z`).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const off = u.home.utcOffset;
  const failures = () => rng.weighted([
    [0, 95],
    [1, 4],
    [2, 1],
  ]);

  if (!weekend && rng.chance(u.activity)) {
    const start = clamp(8.2 + rng.normal() * 0.7, 6.5, 10.5);
    const length = clamp(8.5 + rng.normal() * 0.8, 6, 10.5);
    const office = u.office && rng.chance(u.officeDays) ? u.office : undefined;
    const from = office ? rng.pick(office.networks) : u.homeNetwork;
    const t0 = localMs(localDay, start, off);
    const end = t0 + length * HOUR;
    const { session, at } = signIn(sink, rng, u, {
      at: t0,
      from,
      ua: u.laptop,
      dtHash: u.laptopDtHash,
      failures: failures(),
      denyFirstPush: rng.chance(0.01),
    });
    for (const app of u.apps) {
      if (app === sink.org.adminConsole) continue;
      const everyday = app.name === 'slack' || app.name === 'google';
      const launches = everyday ? rng.int(1, 4) : rng.weighted([
        [0, 3],
        [1, 4],
        [2, 3],
        [3, 1],
      ]);
      for (let i = 0; i < launches; i++) sso(sink, rng, u, app, rng.float(at + MIN, end), from, u.laptop, session, u.laptopDtHash);
    }
    if (u.adminRole) {
      const visits = rng.int(1, 2);
      for (let v = 0; v < visits; v++) {
        let t = rng.float(at + 5 * MIN, end - HOUR);
        adminConsole(sink, rng, u, t, from, u.laptop, session, u.laptopDtHash);
        const actions = rng.int(1, 5);
        for (let k = 0; k < actions; k++) {
          t += rng.int(40, 600) * SEC;
          adminAction(sink, rng, u, t, from, u.laptop, session, u.laptopDtHash);
        }
      }
    }
    if (rng.chance(0.35)) signOut(sink, rng, u, end, from, u.laptop, session, u.laptopDtHash);
  }

  const phoneEvening = weekend ? rng.chance(0.1) : rng.chance(0.3);
  if (phoneEvening) {
    const t0 = localMs(localDay, rng.float(18.5, 22.5), off);
    const { session, at } = signIn(sink, rng, u, {
      at: t0,
      from: u.mobileNetwork,
      ua: u.phone,
      dtHash: u.phoneDtHash,
      factor: u.factor === 'sms' ? 'sms' : 'push',
    });
    const apps = u.apps.filter((a) => a.name === 'slack' || a.name === 'google');
    for (const app of rng.sample(apps, rng.int(1, apps.length))) sso(sink, rng, u, app, at + rng.int(1, 40) * MIN, u.mobileNetwork, u.phone, session, u.phoneDtHash);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The attacks. Times are UTC on the day; each burst stays inside one clock hour, away from its edges, so
// the hourly run of that hour sees all of it.

const ATTACK_IPS = {
  spray: '203.0.113.77',
  bruteForce: '203.0.113.154',
  takeover: '203.0.113.201',
  travel: '203.0.113.188',
  roaming: '203.0.113.140',
} as const;

const SCRIPT_UA: UserAgent = { rawUserAgent: 'python-requests/2.32.3', os: 'Unknown', browser: 'UNKNOWN', device: 'Unknown' };
const ATTACKER_WINDOWS_UA: UserAgent = {
  rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  os: 'Windows 10',
  browser: 'CHROME',
  device: 'Computer',
};
const ATTACKER_FIREFOX_UA: UserAgent = {
  rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  os: 'Windows 10',
  browser: 'FIREFOX',
  device: 'Computer',
};

function plantAttacks(sink: Sink, seed: number, day: string): PlantedAttack[] {
  const org = sink.org;
  const rng = Rng.derive(seed, `attacks:${day}`);
  const d0 = dayStartMs(day);
  const at = (h: number, m: number, s = 0) => d0 + h * HOUR + m * MIN + s * SEC;
  const attacks: PlantedAttack[] = [];
  const taken = new Set<User>(org.admins);
  const choose = (pool: readonly User[], fallback: readonly User[]): User => {
    const free = pool.filter((u) => !taken.has(u));
    const u = rng.pick(free.length ? free : fallback.filter((x) => !taken.has(x)));
    taken.add(u);
    return u;
  };
  const victim = org.admins[0]!;
  const responder = org.admins[1]!;
  const travelUser = choose(org.users.filter((u) => u.home.utcOffset === -8 && u.factor === 'push'), org.users);
  const roamingUser = choose(org.users.filter((u) => u.home.city === 'Chicago'), org.users);
  const bruteUser = choose(org.users.filter((u) => u.department === 'Sales' || u.department === 'Finance'), org.users);
  const grantee = choose(org.users.filter((u) => u.department === 'Customer Support'), org.users);
  const sprayed = rng.sample(org.users.filter((u) => !taken.has(u)), 16);

  // 1. Password spray: one DigitalOcean droplet tries two seasonal passwords against 16 users and 3 guessed logins.
  {
    const from = location(PLACES.amsterdam, ATTACKER_NETWORKS.digitalOcean, ATTACK_IPS.spray);
    const targets = [...sprayed.map(userActor), ...['admin', 'it-support', 'test.user'].map((n) => unknownActor(`${n}@${org.domain}`))];
    let t = at(3, 12);
    for (let round = 0; round < 2; round++) {
      for (const actor of targets) {
        sink.emit(rng, {
          at: t,
          actor,
          from,
          ua: SCRIPT_UA,
          eventType: 'user.session.start',
          displayMessage: 'User login to Okta',
          legacyEventType: 'core.user_auth.login_failed',
          severity: 'WARN',
          outcome: { result: 'FAILURE', reason: actor.id === 'unknown' ? 'VERIFICATION_ERROR' : 'INVALID_CREDENTIALS' },
          requestUri: '/api/v1/authn',
          credentialType: 'PASSWORD',
          authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
        });
        t += rng.int(8, 25) * SEC;
      }
    }
    attacks.push({
      detection: 'okta-password-spray',
      what: `password spray from ${ATTACK_IPS.spray} (DigitalOcean, Amsterdam) against ${sprayed.length} users and 3 made-up logins, two passwords each`,
      at: isoMs(at(3, 12)),
      users: sprayed.map((u) => u.login),
      ips: [ATTACK_IPS.spray],
      sessions: [],
    });
  }

  // 2. Brute force on one user: 10 wrong passwords, the account locks, 16 more attempts bounce off the lock.
  {
    const from = location(PLACES.frankfurt, ATTACKER_NETWORKS.ovh, ATTACK_IPS.bruteForce);
    let t = at(5, 8);
    for (let i = 0; i < 26; i++) {
      const locked = i >= 10;
      const e = sink.emit(rng, {
        at: t,
        actor: userActor(bruteUser),
        from,
        ua: ATTACKER_WINDOWS_UA,
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_failed',
        severity: 'WARN',
        outcome: { result: 'FAILURE', reason: locked ? 'LOCKED_OUT' : 'INVALID_CREDENTIALS' },
        requestUri: '/idp/idx/challenge/answer',
        credentialType: 'PASSWORD',
        authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
      });
      if (i % 9 === 4) sink.forceDuplicate.add(e.uuid);
      if (i === 9) {
        sink.emit(rng, {
          at: t + 400,
          actor: userActor(bruteUser),
          from,
          ua: ATTACKER_WINDOWS_UA,
          eventType: 'user.account.lock',
          displayMessage: 'Max sign in attempts exceeded',
          legacyEventType: 'core.user_auth.account_locked',
          severity: 'WARN',
          outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
          requestUri: '/idp/idx/challenge/answer',
          target: [userTarget(bruteUser)],
        });
      }
      t += rng.int(45, 90) * SEC;
    }
    attacks.push({
      detection: 'okta-brute-force-user',
      what: `brute force on ${bruteUser.login} from ${ATTACK_IPS.bruteForce} (OVH, Frankfurt): 26 failed sign-ins, locked out after 10`,
      at: isoMs(at(5, 8)),
      users: [bruteUser.login],
      ips: [ATTACK_IPS.bruteForce],
      sessions: [],
    });
  }

  // 3. MFA push bombing on the super administrator at 3 a.m. their time: 7 rejected pushes, then one accepted;
  // 4-8. the attacker then uses the admin session: admin role, API token, weaker policy, zone deleted, log stream off.
  {
    const from = location(PLACES.bucharest, ATTACKER_NETWORKS.m247, ATTACK_IPS.takeover);
    const session = sessionId(rng);
    const actor = userActor(victim);
    const s = { actor, from, ua: ATTACKER_WINDOWS_UA, session };
    let t = at(8, 14);
    sink.emit(rng, {
      ...s,
      at: t,
      eventType: 'policy.evaluate_sign_on',
      displayMessage: 'Evaluation of sign-on policy',
      outcome: { result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW' },
      requestUri: '/idp/idx/identify',
      debugData: { behaviors: behaviors(true) },
      target: [
        { id: org.ids.signOnPolicy, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Acme Workforce Sign-On', detailEntry: { policyType: 'OktaSignOn' } },
        { id: org.ids.mfaRule, type: 'PolicyRule', alternateId: org.ids.signOnPolicy, displayName: 'Require MFA', detailEntry: null },
      ],
    });
    const push = (result: 'SENT' | 'SUCCESS' | 'FAILURE') => {
      if (result === 'SENT') {
        return sink.emit(rng, {
          ...s,
          at: t,
          eventType: 'system.push.send_factor_verify_push',
          displayMessage: 'Push notification sent for verification',
          legacyEventType: 'core.user.factor.push_sent',
          requestUri: '/idp/idx/challenge',
          target: [userTarget(victim), enrollmentTarget(victim)],
        });
      }
      return sink.emit(rng, {
        ...s,
        at: t,
        eventType: 'user.authentication.auth_via_mfa',
        displayMessage: 'Authentication of user via MFA',
        legacyEventType: result === 'SUCCESS' ? 'core.user.factor.attempt_success' : 'core.user.factor.attempt_fail',
        severity: result === 'SUCCESS' ? 'INFO' : 'WARN',
        outcome: { result, reason: result === 'SUCCESS' ? null : 'User rejected Okta push verify' },
        requestUri: '/idp/idx/challenge/answer',
        authenticationProvider: 'FACTOR_PROVIDER',
        credentialProvider: 'OKTA_CREDENTIAL_PROVIDER',
        debugData: { factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: result === 'SUCCESS' ? 'OV_RESPONSE_APPROVE' : 'OV_RESPONSE_DENY', behaviors: behaviors(true) },
        target: [userTarget(victim), enrollmentTarget(victim)],
      });
    };
    t += 4 * SEC;
    for (let i = 0; i < 7; i++) {
      push('SENT');
      t += rng.int(6, 14) * SEC;
      const rejected = push('FAILURE');
      if (i === 3) sink.forceDuplicate.add(rejected.uuid);
      t += rng.int(30, 45) * SEC;
    }
    push('SENT');
    t += rng.int(20, 40) * SEC;
    push('SUCCESS');
    t += 2 * SEC;
    sink.emit(rng, {
      ...s,
      at: t,
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      requestUri: '/login/token/redirect',
      credentialType: 'PASSWORD',
      authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
      debugData: { behaviors: behaviors(true) },
    });
    attacks.push({
      detection: 'okta-mfa-push-bombing',
      what: `MFA push bombing of ${victim.login} (${victim.adminRole}) from ${ATTACK_IPS.takeover} (M247 VPN, Bucharest): 7 pushes rejected, the 8th accepted`,
      at: isoMs(at(8, 14)),
      users: [victim.login],
      ips: [ATTACK_IPS.takeover],
      sessions: [session],
    });

    t = at(8, 26);
    const admin = (minute: number, spec: Omit<EventSpec, 'at' | 'actor'>) => sink.emit(rng, { ...s, ...spec, at: at(8, minute, rng.int(0, 59)) });
    const takeover = (detection: string, what: string, minute: number) =>
      attacks.push({ detection, what, at: isoMs(at(8, minute)), users: [victim.login], ips: [ATTACK_IPS.takeover], sessions: [session] });
    adminConsole(sink, rng, victim, t, from, ATTACKER_WINDOWS_UA, session, undefined, true);
    takeover('okta-admin-console-new-behavior', `${victim.login} opened the Okta Admin Console from a new device and a new IP (${ATTACK_IPS.takeover})`, 26);

    admin(29, {
      eventType: 'user.account.privilege.grant',
      displayMessage: 'Grant user privilege',
      legacyEventType: 'core.user.admin_privilege.granted',
      requestUri: `/api/internal/administrators/${grantee.id}`,
      debugData: { privilegeGranted: 'Super administrator' },
      target: [userTarget(grantee)],
    });
    attacks.push({
      detection: 'okta-admin-role-assigned',
      what: `${victim.login}'s hijacked session made ${grantee.login} a Super administrator`,
      at: isoMs(at(8, 29)),
      users: [victim.login, grantee.login],
      ips: [ATTACK_IPS.takeover],
      sessions: [session],
    });
    const tokenId = oktaId(rng, '00T');
    admin(33, {
      eventType: 'system.api_token.create',
      displayMessage: 'Create API token',
      legacyEventType: 'api.token.create',
      requestUri: '/api/internal/tokens',
      target: [{ id: tokenId, type: 'Token', alternateId: 'unknown', displayName: 'okta-backup-sync', detailEntry: null }],
    });
    takeover('okta-api-token-created', `an API token "okta-backup-sync" was created from ${ATTACK_IPS.takeover}`, 33);
    admin(37, {
      eventType: 'policy.rule.update',
      displayMessage: 'Update policy rule',
      legacyEventType: 'core.policy.rule.update',
      requestUri: `/api/v1/policies/${org.ids.signOnPolicy}/rules/${org.ids.mfaRule}`,
      target: [
        {
          id: org.ids.mfaRule,
          type: 'PolicyRule',
          alternateId: org.ids.signOnPolicy,
          displayName: 'Require MFA',
          detailEntry: { policyRuleFactorMode: '1FA' },
          changeDetails: { from: { factorMode: '2FA', reauthenticateIn: 'PT2H' }, to: { factorMode: '1FA', reauthenticateIn: 'PT720H' } },
        },
        { id: org.ids.signOnPolicy, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Acme Workforce Sign-On', detailEntry: { policyType: 'OktaSignOn' } },
      ],
    });
    takeover('okta-policy-weakened', 'the sign-on rule "Require MFA" was changed to password only', 37);
    admin(41, {
      eventType: 'zone.delete',
      displayMessage: 'Delete network zone',
      legacyEventType: 'zone.delete',
      requestUri: `/api/v1/zones/${org.ids.blockedZone}`,
      target: [{ id: org.ids.blockedZone, type: 'Zone', alternateId: 'Blocked countries', displayName: 'Blocked countries', detailEntry: { zoneType: 'IP', usage: 'BLOCKLIST' } }],
    });
    takeover('okta-network-zone-changed', 'the blocklist network zone "Blocked countries" was deleted', 41);
    admin(46, {
      eventType: 'system.log_stream.lifecycle.deactivate',
      displayMessage: 'Deactivate log stream',
      legacyEventType: null,
      requestUri: `/api/v1/logStreams/${org.ids.logStream}/lifecycle/deactivate`,
      target: [{ id: org.ids.logStream, type: 'LogStream', alternateId: 'aws.partner/okta.com/acme-robotics/okta-log-lake', displayName: 'AWS EventBridge okta-log-lake', detailEntry: { logStreamType: 'aws_eventbridge' } }],
    });
    takeover('okta-log-stream-tampered', `the AWS EventBridge log stream was deactivated from ${ATTACK_IPS.takeover}`, 46);

    // The response, once Boston wakes up: stream back on, the grant and the token revoked, the admin's sessions cleared.
    const r = responder;
    const rFrom = r.office?.networks[0] ?? r.homeNetwork;
    const rSession = sessionId(rng);
    const rs = { actor: userActor(r), from: rFrom, ua: r.laptop, session: rSession, dtHash: r.laptopDtHash };
    const rt = localMs(day, 9.1, r.home.utcOffset);
    sink.emit(rng, { ...rs, at: rt, eventType: 'system.log_stream.lifecycle.activate', displayMessage: 'Activate log stream', requestUri: `/api/v1/logStreams/${org.ids.logStream}/lifecycle/activate`, target: [{ id: org.ids.logStream, type: 'LogStream', alternateId: 'aws.partner/okta.com/acme-robotics/okta-log-lake', displayName: 'AWS EventBridge okta-log-lake', detailEntry: { logStreamType: 'aws_eventbridge' } }] });
    sink.emit(rng, { ...rs, at: rt + 3 * MIN, eventType: 'user.session.clear', displayMessage: 'Clear user session', legacyEventType: 'core.user.session.clear', requestUri: `/api/v1/users/${victim.id}/sessions`, target: [userTarget(victim)] });
    sink.emit(rng, { ...rs, at: rt + 5 * MIN, eventType: 'user.account.privilege.revoke', displayMessage: 'Revoke user privilege', legacyEventType: 'core.user.admin_privilege.revoked', requestUri: `/api/internal/administrators/${grantee.id}`, debugData: { privilegeRevoked: 'Super administrator' }, target: [userTarget(grantee)] });
    sink.emit(rng, { ...rs, at: rt + 7 * MIN, eventType: 'system.api_token.revoke', displayMessage: 'Revoke API token', legacyEventType: 'api.token.revoke', requestUri: `/api/internal/tokens/${tokenId}`, target: [{ id: tokenId, type: 'Token', alternateId: 'unknown', displayName: 'okta-backup-sync', detailEntry: null }] });
  }

  // 9. Impossible travel: a West Coast user signs in at home, then 80 minutes later from Singapore (and approves the push).
  {
    const u = travelUser;
    const home = u.homeNetwork;
    const t0 = at(16, 5);
    const first = signIn(sink, rng, u, { at: t0, from: home, ua: u.laptop, dtHash: u.laptopDtHash, factor: 'push' });
    sso(sink, rng, u, u.apps[0]!, first.at + 4 * MIN, home, u.laptop, first.session, u.laptopDtHash);
    const far = location(PLACES.singapore, ATTACKER_NETWORKS.singtel, ATTACK_IPS.travel);
    const second = signIn(sink, rng, u, { at: at(17, 25), from: far, ua: ATTACKER_WINDOWS_UA, factor: 'push', newPlace: true });
    for (const app of u.apps.slice(0, 3)) sso(sink, rng, u, app, second.at + rng.int(1, 20) * MIN, far, ATTACKER_WINDOWS_UA, second.session);
    attacks.push({
      detection: 'okta-impossible-travel',
      what: `${u.login} signed in from ${u.home.city} at 16:05 UTC, then from Singapore (${ATTACK_IPS.travel}) at 17:25 UTC, about 13,600 km apart`,
      at: isoMs(t0),
      users: [u.login],
      ips: [home.ip, ATTACK_IPS.travel],
      sessions: [first.session, second.session],
    });
  }

  // 10. Session roaming: a stolen session cookie of a Chicago user is replayed from Lagos half an hour after sign-in.
  {
    const u = roamingUser;
    const home = u.homeNetwork;
    const t0 = at(15, 2);
    const { session, at: signedIn } = signIn(sink, rng, u, { at: t0, from: home, ua: u.laptop, dtHash: u.laptopDtHash });
    const apps = u.apps.filter((a) => a.name === 'slack' || a.name === 'google' || a.name === 'zoom');
    sso(sink, rng, u, apps[0]!, signedIn + 3 * MIN, home, u.laptop, session, u.laptopDtHash);
    sso(sink, rng, u, apps[1]!, signedIn + 18 * MIN, home, u.laptop, session, u.laptopDtHash);
    const thief = location(PLACES.lagos, ATTACKER_NETWORKS.globacom, ATTACK_IPS.roaming);
    sso(sink, rng, u, apps[1]!, at(15, 38), thief, ATTACKER_FIREFOX_UA, session);
    sso(sink, rng, u, apps[0]!, at(15, 41), thief, ATTACKER_FIREFOX_UA, session);
    sso(sink, rng, u, apps[2] ?? apps[0]!, at(15, 47), thief, ATTACKER_FIREFOX_UA, session);
    attacks.push({
      detection: 'okta-session-roaming',
      what: `the session of ${u.login} (signed in from ${u.home.city}) was replayed from Lagos (${ATTACK_IPS.roaming}) 35 minutes later`,
      at: isoMs(t0),
      users: [u.login],
      ips: [home.ip, ATTACK_IPS.roaming],
      sessions: [session],
    });
  }
  return attacks.sort((a, b) => a.at.localeCompare(b.at) || a.detection.localeCompare(b.detection));
}

// ---------------------------------------------------------------------------------------------------------
// Delivery

const EVENTBRIDGE_SOURCE = 'aws.partner/okta.com/acme-robotics/okta-log-lake';

const envelopeLine = (rng: Rng, e: LogEvent, timeMs: number): string =>
  JSON.stringify({
    version: '0',
    id: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
    'detail-type': 'SystemLog',
    source: EVENTBRIDGE_SOURCE,
    account: '123456789012',
    time: new Date(Math.floor(timeMs / SEC) * SEC).toISOString().replace('.000Z', 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: e,
  });

/** Events in `published` order, as lines in arrival order: some enveloped (arriving a few seconds later), some twice. */
function deliver(
  rng: Rng,
  events: readonly LogEvent[],
  forceDuplicate: ReadonlySet<string>,
  envelopeShare: number,
  duplicateShare: number,
): { lines: string[]; stats: DeliveryStats } {
  const out: { arrival: number; seq: number; line: string }[] = [];
  let envelopes = 0;
  let duplicates = 0;
  for (const e of events) {
    const published = Date.parse(e.published);
    const enveloped = rng.chance(envelopeShare);
    const deliverAt = (arrival: number) => {
      if (enveloped) {
        envelopes++;
        out.push({ arrival: Math.floor(arrival / SEC) * SEC, seq: out.length, line: envelopeLine(rng, e, arrival) });
      } else {
        out.push({ arrival, seq: out.length, line: JSON.stringify(e) });
      }
    };
    const first = enveloped ? published + rng.int(800, 25_000) : published;
    deliverAt(first);
    if (forceDuplicate.has(e.uuid) || rng.chance(duplicateShare)) {
      duplicates++;
      deliverAt(first + rng.int(2, 240) * SEC);
    }
  }
  out.sort((a, b) => a.arrival - b.arrival || a.seq - b.seq);
  return { lines: out.map((o) => o.line), stats: { events: events.length, deliveries: out.length, envelopes, duplicates } };
}

// ---------------------------------------------------------------------------------------------------------

/** Every event published on the UTC `day`, before delivery, in published order. */
function dayEvents(org: Org, seed: number, day: string, attacks: boolean): { sink: Sink; attacks: PlantedAttack[] } {
  const sink = new Sink(org);
  const from = dayStartMs(day);
  const to = from + 24 * HOUR;
  // A user's local day can start the UTC day before (UTC+) or end the UTC day after (UTC-): build the
  // three local days that touch this UTC day and keep what falls inside it.
  for (const u of org.users) for (const local of [addDays(day, -1), day, addDays(day, 1)]) userLocalDay(sink, seed, u, local);
  const planted = attacks ? plantAttacks(sink, seed, day) : [];
  const kept = sink.events.filter((e) => {
    const t = Date.parse(e.published);
    return t >= from && t < to;
  });
  kept.sort((a, b) => a.published.localeCompare(b.published));
  sink.events.length = 0;
  sink.events.push(...kept);
  return { sink, attacks: planted };
}

export function generateDay(options: GenerateDayOptions): GeneratedDay {
  const day = parseDay(options.day);
  const seed = options.seed ?? DEFAULT_SEED;
  const org = options.org ?? buildOrg(seed, { users: options.users });
  const { sink, attacks } = dayEvents(org, seed, day, options.attacks ?? true);
  const { lines, stats } = deliver(Rng.derive(seed, `delivery:${day}`), sink.events, sink.forceDuplicate, options.envelopeShare ?? 0.05, options.duplicateShare ?? 0.003);
  const logins = new Set(org.users.map((u) => u.login));
  const active = new Set(sink.events.map((e) => e.actor.alternateId).filter((l) => logins.has(l)));
  return { day, seed, org, lines, attacks, activeUsers: active.size, ...stats };
}

async function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): Promise<number> {
  let bytes = 0;
  const chunk: string[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const text = `${chunk.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    chunk.length = 0;
    if (!stream.write(text)) await once(stream, 'drain');
  };
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= 2000) await flush();
  }
  await flush();
  return bytes;
}

async function closeStream(stream: NodeJS.WritableStream & { close?: unknown }): Promise<void> {
  const done = once(stream, 'close');
  stream.end();
  await done;
}

export type WrittenDay = Omit<GeneratedDay, 'lines'> & { readonly file: string; readonly bytes: number };

/** Generates the day and writes it to `file` as NDJSON in arrival order. */
export async function writeDay(file: string, options: GenerateDayOptions): Promise<WrittenDay> {
  const { lines, ...rest } = generateDay(options);
  const stream = createWriteStream(file);
  const bytes = await writeLines(stream, lines);
  await closeStream(stream);
  return { ...rest, file, bytes };
}

export interface HistoryOptions {
  /** The last UTC day, `YYYY-MM-DD`. */
  readonly lastDay: string;
  /** How many days, ending with `lastDay`. */
  readonly days: number;
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** @default 400 */
  readonly users?: number;
  /** Plant the attacks on the last day. @default false */
  readonly attacksOnLastDay?: boolean;
  /** Called after each day is written. */
  readonly onDay?: (day: string, stats: DeliveryStats) => void;
}

export interface HistoryStats extends DeliveryStats {
  readonly file: string;
  readonly bytes: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly days: number;
}

/**
 * Writes `days` consecutive days to `file`, one day at a time: memory holds one day, never the history.
 * Day `d` of the history is exactly `generateDay({day: d})` with the same seed and org size.
 */
export async function writeHistory(file: string, options: HistoryOptions): Promise<HistoryStats> {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(options.days) || options.days < 1) throw new Error(`days: ${options.days} is not a positive whole number`);
  const lastDay = parseDay(options.lastDay, 'lastDay');
  const firstDay = addDays(lastDay, -(options.days - 1));
  const org = buildOrg(seed, { users: options.users });
  const stream = createWriteStream(file);
  const totals = { events: 0, deliveries: 0, envelopes: 0, duplicates: 0, bytes: 0 };
  try {
    for (let i = 0; i < options.days; i++) {
      const day = addDays(firstDay, i);
      const g = generateDay({ day, seed, org, attacks: options.attacksOnLastDay === true && day === lastDay });
      totals.bytes += await writeLines(stream, g.lines);
      totals.events += g.events;
      totals.deliveries += g.deliveries;
      totals.envelopes += g.envelopes;
      totals.duplicates += g.duplicates;
      options.onDay?.(day, g);
    }
  } finally {
    await closeStream(stream);
  }
  return { file, firstDay, lastDay, days: options.days, ...totals };
}

