/**
 * The attacks planted in the demo day, each paired with the detection that must catch it: a password
 * spray, a brute force ending in a lockout, MFA push bombing of a super administrator whose hijacked
 * session then grants an admin role, creates an API token, weakens the sign-on policy, deletes a network
 * zone and turns off the log stream (followed by the morning's clean-up), impossible travel, and a
 * replayed session cookie. Times are UTC on the day; each burst stays inside one clock hour, away from its
 * edges, so the hourly run of that hour sees all of it. All attacks draw from one generator in a fixed
 * order, so the functions below must keep being called in that order.
 */
import { isoMs, unknownActor, userActor, userTarget, type LogActor, type LogTarget } from './events.ts';
import { ATTACKER_NETWORKS, location, oktaId, PLACES, type Location, type Org, type User, type UserAgent } from './org.ts';
import { Rng } from './prng.ts';
import { dayStartMs, HOUR, localMs, MIN, SEC } from './clock.ts';
import { adminConsole } from './admin-work.ts';
import { behaviors, enrollmentTarget, LOGIN_FAILED, LOGIN_SUCCESS, mfaVerdict, POLICY_ALLOW, pushSent, sessionId, signIn, signOnPolicyTargets, sso } from './sign-in.ts';
import type { EventBody, Sink } from './sink.ts';

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

/** What every attack needs: where events go, the attacks' shared generator, and UTC clock times on the day. */
interface AttackContext {
  readonly sink: Sink;
  readonly org: Org;
  readonly rng: Rng;
  /** Milliseconds of `h:m:s` UTC on the day. */
  readonly utc: (h: number, m: number, s?: number) => number;
}

/** The attacker inside the super administrator's session after the push bombing. */
interface Hijack {
  readonly session: string;
  readonly s: { readonly actor: LogActor; readonly from: Location; readonly ua: UserAgent; readonly session: string };
}

const logStreamTarget = (org: Org): LogTarget => ({
  id: org.ids.logStream,
  type: 'LogStream',
  alternateId: 'aws.partner/okta.com/acme-robotics/okta-log-lake',
  displayName: 'AWS EventBridge okta-log-lake',
  detailEntry: { logStreamType: 'aws_eventbridge' },
});

const tokenTarget = (tokenId: string): LogTarget => ({ id: tokenId, type: 'Token', alternateId: 'unknown', displayName: 'okta-backup-sync', detailEntry: null });

export function plantAttacks(sink: Sink, seed: number, day: string): PlantedAttack[] {
  const org = sink.org;
  const rng = Rng.derive(seed, `attacks:${day}`);
  const d0 = dayStartMs(day);
  const ctx: AttackContext = { sink, org, rng, utc: (h, m, s = 0) => d0 + h * HOUR + m * MIN + s * SEC };
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

  const attacks: PlantedAttack[] = [passwordSpray(ctx, sprayed), bruteForce(ctx, bruteUser)];
  const bombing = pushBombing(ctx, victim);
  attacks.push(bombing.attack);
  const hijacked = hijackedAdminSession(ctx, victim, grantee, bombing.hijack);
  attacks.push(...hijacked.attacks);
  cleanUp(ctx, day, responder, victim, grantee, hijacked.tokenId);
  attacks.push(impossibleTravel(ctx, travelUser), sessionRoaming(ctx, roamingUser));
  return attacks.sort((a, b) => a.at.localeCompare(b.at) || a.detection.localeCompare(b.detection));
}

/** 1. Password spray: one DigitalOcean droplet tries two seasonal passwords against 16 users and 3 guessed logins. */
function passwordSpray({ sink, org, rng, utc }: AttackContext, sprayed: readonly User[]): PlantedAttack {
  const from = location(PLACES.amsterdam, ATTACKER_NETWORKS.digitalOcean, ATTACK_IPS.spray);
  const targets = [...sprayed.map(userActor), ...['admin', 'it-support', 'test.user'].map((n) => unknownActor(`${n}@${org.domain}`))];
  let t = utc(3, 12);
  for (let round = 0; round < 2; round++) {
    for (const actor of targets) {
      sink.emit(rng, {
        ...LOGIN_FAILED,
        at: t,
        actor,
        from,
        ua: SCRIPT_UA,
        outcome: { result: 'FAILURE', reason: actor.id === 'unknown' ? 'VERIFICATION_ERROR' : 'INVALID_CREDENTIALS' },
        requestUri: '/api/v1/authn',
      });
      t += rng.int(8, 25) * SEC;
    }
  }
  return {
    detection: 'okta-password-spray',
    what: `password spray from ${ATTACK_IPS.spray} (DigitalOcean, Amsterdam) against ${sprayed.length} users and 3 made-up logins, two passwords each`,
    at: isoMs(utc(3, 12)),
    users: sprayed.map((u) => u.login),
    ips: [ATTACK_IPS.spray],
    sessions: [],
  };
}

/** 2. Brute force on one user: 10 wrong passwords, the account locks, 16 more attempts bounce off the lock. */
function bruteForce({ sink, rng, utc }: AttackContext, user: User): PlantedAttack {
  const from = location(PLACES.frankfurt, ATTACKER_NETWORKS.ovh, ATTACK_IPS.bruteForce);
  const base = { actor: userActor(user), from, ua: ATTACKER_WINDOWS_UA };
  let t = utc(5, 8);
  for (let i = 0; i < 26; i++) {
    const locked = i >= 10;
    const e = sink.emit(rng, {
      ...base,
      ...LOGIN_FAILED,
      at: t,
      outcome: { result: 'FAILURE', reason: locked ? 'LOCKED_OUT' : 'INVALID_CREDENTIALS' },
      requestUri: '/idp/idx/challenge/answer',
    });
    if (i % 9 === 4) sink.forceDuplicate.add(e.uuid);
    if (i === 9) {
      sink.emit(rng, {
        ...base,
        at: t + 400,
        eventType: 'user.account.lock',
        displayMessage: 'Max sign in attempts exceeded',
        legacyEventType: 'core.user_auth.account_locked',
        severity: 'WARN',
        outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
        requestUri: '/idp/idx/challenge/answer',
        target: [userTarget(user)],
      });
    }
    t += rng.int(45, 90) * SEC;
  }
  return {
    detection: 'okta-brute-force-user',
    what: `brute force on ${user.login} from ${ATTACK_IPS.bruteForce} (OVH, Frankfurt): 26 failed sign-ins, locked out after 10`,
    at: isoMs(utc(5, 8)),
    users: [user.login],
    ips: [ATTACK_IPS.bruteForce],
    sessions: [],
  };
}

/** 3. MFA push bombing on the super administrator at 3 a.m. their time: 7 rejected pushes, then one accepted. */
function pushBombing({ sink, org, rng, utc }: AttackContext, victim: User): { attack: PlantedAttack; hijack: Hijack } {
  const from = location(PLACES.bucharest, ATTACKER_NETWORKS.m247, ATTACK_IPS.takeover);
  const session = sessionId(rng);
  const s = { actor: userActor(victim), from, ua: ATTACKER_WINDOWS_UA, session };
  let t = utc(8, 14);
  sink.emit(rng, { ...s, ...POLICY_ALLOW, at: t, requestUri: '/idp/idx/identify', debugData: { behaviors: behaviors(true) }, target: signOnPolicyTargets(org) });
  const verdict = (result: 'SUCCESS' | 'FAILURE') =>
    sink.emit(rng, {
      ...s,
      ...mfaVerdict(result, result === 'SUCCESS' ? null : 'User rejected Okta push verify'),
      at: t,
      credentialProvider: 'OKTA_CREDENTIAL_PROVIDER',
      debugData: { factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: result === 'SUCCESS' ? 'OV_RESPONSE_APPROVE' : 'OV_RESPONSE_DENY', behaviors: behaviors(true) },
      target: [userTarget(victim), enrollmentTarget(victim)],
    });
  const push = () => sink.emit(rng, { ...s, ...pushSent(victim), at: t });
  t += 4 * SEC;
  for (let i = 0; i < 7; i++) {
    push();
    t += rng.int(6, 14) * SEC;
    const rejected = verdict('FAILURE');
    if (i === 3) sink.forceDuplicate.add(rejected.uuid);
    t += rng.int(30, 45) * SEC;
  }
  push();
  t += rng.int(20, 40) * SEC;
  verdict('SUCCESS');
  t += 2 * SEC;
  sink.emit(rng, { ...s, ...LOGIN_SUCCESS, at: t, credentialType: 'PASSWORD', debugData: { behaviors: behaviors(true) } });
  return {
    attack: {
      detection: 'okta-mfa-push-bombing',
      what: `MFA push bombing of ${victim.login} (${victim.adminRole}) from ${ATTACK_IPS.takeover} (M247 VPN, Bucharest): 7 pushes rejected, the 8th accepted`,
      at: isoMs(utc(8, 14)),
      users: [victim.login],
      ips: [ATTACK_IPS.takeover],
      sessions: [session],
    },
    hijack: { session, s },
  };
}

/** 4-8. The attacker then uses the admin session: admin role, API token, weaker policy, zone deleted, log stream off. */
function hijackedAdminSession({ sink, org, rng, utc }: AttackContext, victim: User, grantee: User, { session, s }: Hijack): { attacks: PlantedAttack[]; tokenId: string } {
  const attacks: PlantedAttack[] = [];
  const admin = (minute: number, spec: EventBody) => sink.emit(rng, { ...s, ...spec, at: utc(8, minute, rng.int(0, 59)) });
  const record = (detection: string, what: string, minute: number) =>
    attacks.push({ detection, what, at: isoMs(utc(8, minute)), users: [victim.login], ips: [ATTACK_IPS.takeover], sessions: [session] });

  adminConsole(sink, rng, victim, utc(8, 26), s.from, ATTACKER_WINDOWS_UA, session, undefined, true);
  record('okta-admin-console-new-behavior', `${victim.login} opened the Okta Admin Console from a new device and a new IP (${ATTACK_IPS.takeover})`, 26);

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
    at: isoMs(utc(8, 29)),
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
    target: [tokenTarget(tokenId)],
  });
  record('okta-api-token-created', `an API token "okta-backup-sync" was created from ${ATTACK_IPS.takeover}`, 33);
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
  record('okta-policy-weakened', 'the sign-on rule "Require MFA" was changed to password only', 37);
  admin(41, {
    eventType: 'zone.delete',
    displayMessage: 'Delete network zone',
    legacyEventType: 'zone.delete',
    requestUri: `/api/v1/zones/${org.ids.blockedZone}`,
    target: [{ id: org.ids.blockedZone, type: 'Zone', alternateId: 'Blocked countries', displayName: 'Blocked countries', detailEntry: { zoneType: 'IP', usage: 'BLOCKLIST' } }],
  });
  record('okta-network-zone-changed', 'the blocklist network zone "Blocked countries" was deleted', 41);
  admin(46, {
    eventType: 'system.log_stream.lifecycle.deactivate',
    displayMessage: 'Deactivate log stream',
    legacyEventType: null,
    requestUri: `/api/v1/logStreams/${org.ids.logStream}/lifecycle/deactivate`,
    target: [logStreamTarget(org)],
  });
  record('okta-log-stream-tampered', `the AWS EventBridge log stream was deactivated from ${ATTACK_IPS.takeover}`, 46);
  return { attacks, tokenId };
}

/** The response, once Boston wakes up: stream back on, the grant and the token revoked, the admin's sessions cleared. */
function cleanUp({ sink, org, rng }: AttackContext, day: string, responder: User, victim: User, grantee: User, tokenId: string): void {
  const r = responder;
  const rFrom = r.office?.networks[0] ?? r.homeNetwork;
  const rSession = sessionId(rng);
  const rs = { actor: userActor(r), from: rFrom, ua: r.laptop, session: rSession, dtHash: r.laptopDtHash };
  const rt = localMs(day, 9.1, r.home.utcOffset);
  const respond = (minutes: number, spec: EventBody) => sink.emit(rng, { ...rs, ...spec, at: rt + minutes * MIN });
  respond(0, { eventType: 'system.log_stream.lifecycle.activate', displayMessage: 'Activate log stream', requestUri: `/api/v1/logStreams/${org.ids.logStream}/lifecycle/activate`, target: [logStreamTarget(org)] });
  respond(3, { eventType: 'user.session.clear', displayMessage: 'Clear user session', legacyEventType: 'core.user.session.clear', requestUri: `/api/v1/users/${victim.id}/sessions`, target: [userTarget(victim)] });
  respond(5, { eventType: 'user.account.privilege.revoke', displayMessage: 'Revoke user privilege', legacyEventType: 'core.user.admin_privilege.revoked', requestUri: `/api/internal/administrators/${grantee.id}`, debugData: { privilegeRevoked: 'Super administrator' }, target: [userTarget(grantee)] });
  respond(7, { eventType: 'system.api_token.revoke', displayMessage: 'Revoke API token', legacyEventType: 'api.token.revoke', requestUri: `/api/internal/tokens/${tokenId}`, target: [tokenTarget(tokenId)] });
}

/** 9. Impossible travel: a West Coast user signs in at home, then 80 minutes later from Singapore (and approves the push). */
function impossibleTravel({ sink, rng, utc }: AttackContext, u: User): PlantedAttack {
  const home = u.homeNetwork;
  const t0 = utc(16, 5);
  const first = signIn(sink, rng, u, { at: t0, from: home, ua: u.laptop, dtHash: u.laptopDtHash, factor: 'push' });
  sso(sink, rng, u, u.apps[0]!, first.at + 4 * MIN, home, u.laptop, first.session, u.laptopDtHash);
  const far = location(PLACES.singapore, ATTACKER_NETWORKS.singtel, ATTACK_IPS.travel);
  const second = signIn(sink, rng, u, { at: utc(17, 25), from: far, ua: ATTACKER_WINDOWS_UA, factor: 'push', newPlace: true });
  for (const app of u.apps.slice(0, 3)) sso(sink, rng, u, app, second.at + rng.int(1, 20) * MIN, far, ATTACKER_WINDOWS_UA, second.session);
  return {
    detection: 'okta-impossible-travel',
    what: `${u.login} signed in from ${u.home.city} at 16:05 UTC, then from Singapore (${ATTACK_IPS.travel}) at 17:25 UTC, about 13,600 km apart`,
    at: isoMs(t0),
    users: [u.login],
    ips: [home.ip, ATTACK_IPS.travel],
    sessions: [first.session, second.session],
  };
}

/** 10. Session roaming: a stolen session cookie of a Chicago user is replayed from Lagos half an hour after sign-in. */
function sessionRoaming({ sink, rng, utc }: AttackContext, u: User): PlantedAttack {
  const home = u.homeNetwork;
  const t0 = utc(15, 2);
  const { session, at: signedIn } = signIn(sink, rng, u, { at: t0, from: home, ua: u.laptop, dtHash: u.laptopDtHash });
  const apps = u.apps.filter((a) => a.name === 'slack' || a.name === 'google' || a.name === 'zoom');
  sso(sink, rng, u, apps[0]!, signedIn + 3 * MIN, home, u.laptop, session, u.laptopDtHash);
  sso(sink, rng, u, apps[1]!, signedIn + 18 * MIN, home, u.laptop, session, u.laptopDtHash);
  const thief = location(PLACES.lagos, ATTACKER_NETWORKS.globacom, ATTACK_IPS.roaming);
  sso(sink, rng, u, apps[1]!, utc(15, 38), thief, ATTACKER_FIREFOX_UA, session);
  sso(sink, rng, u, apps[0]!, utc(15, 41), thief, ATTACKER_FIREFOX_UA, session);
  sso(sink, rng, u, apps[2] ?? apps[0]!, utc(15, 47), thief, ATTACKER_FIREFOX_UA, session);
  return {
    detection: 'okta-session-roaming',
    what: `the session of ${u.login} (signed in from ${u.home.city}) was replayed from Lagos (${ATTACK_IPS.roaming}) 35 minutes later`,
    at: isoMs(t0),
    users: [u.login],
    ips: [home.ip, ATTACK_IPS.roaming],
    sessions: [session],
  };
}
