/**
 * Behaviour of the detections no Panther test covers: threshold edges, sliding windows, hour boundaries, lookbacks
 * and threshold overrides, each on a fresh local lake through the same hourly runs as production.
 * The generic checks (Trino parse, partition predicates, fixtures, duplicates) are in catalog.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDetection, type Detection, type ThresholdOverrides } from '../../core/catalog.ts';
import type { Finding } from '../../core/findings.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { detectOnEvents } from '../support/local.ts';

/** One detection folder, loaded alone so that a half-written neighbour folder cannot break these tests. */
function detection(id: string): Detection {
  const dir = join('detections', id);
  return { ...parseDetection(dir, readFileSync(join(dir, 'detection.yaml'), 'utf8'), readFileSync(join(dir, 'query.sql'), 'utf8')), dir };
}

async function findingsOf(id: string, events: readonly object[], thresholds: ThresholdOverrides = {}): Promise<Finding[]> {
  const run = await detectOnEvents(events, { catalog: [detection(id)], thresholds });
  expect(run.ingest.quarantined, 'every event must ingest').toBe(0);
  return run.findings.filter((f) => f.detection === id);
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic Okta LogEvents: the shape Okta sends, with only what each test varies as arguments.

interface Place {
  readonly city: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly asn: number;
  readonly asOrg: string;
}

const PLACES = {
  newYork: { city: 'New York', country: 'United States', lat: 40.7128, lon: -74.006, asn: 7922, asOrg: 'comcast cable communications, llc' },
  boston: { city: 'Boston', country: 'United States', lat: 42.3601, lon: -71.0589, asn: 7922, asOrg: 'comcast cable communications, llc' },
  newYorkMobile: { city: 'New York', country: 'United States', lat: 40.7306, lon: -73.9866, asn: 21928, asOrg: 't-mobile usa, inc.' },
  london: { city: 'London', country: 'United Kingdom', lat: 51.5074, lon: -0.1278, asn: 2856, asOrg: 'british telecommunications plc' },
  amsterdam: { city: 'Amsterdam', country: 'Netherlands', lat: 52.3676, lon: 4.9041, asn: 9009, asOrg: 'm247 europe srl' },
  sydney: { city: 'Sydney', country: 'Australia', lat: -33.8688, lon: 151.2093, asn: 1221, asOrg: 'telstra corporation ltd' },
} satisfies Record<string, Place>;

const USER_AGENTS = {
  chromeWindows: { rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', os: 'Windows 10', browser: 'CHROME' },
  firefoxLinux: { rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', os: 'Linux', browser: 'FIREFOX' },
  script: { rawUserAgent: 'python-requests/2.32.3', os: 'Unknown', browser: 'UNKNOWN' },
};

let sequence = 0;
const nextUuid = () => {
  sequence += 1;
  return `5e1f0000-1d2c-11f1-9a63-${sequence.toString(16).padStart(12, '0')}`;
};

interface EventSpec {
  readonly eventType: string;
  readonly published: string;
  readonly login: string;
  readonly ip?: string;
  readonly place?: Place;
  readonly userAgent?: (typeof USER_AGENTS)[keyof typeof USER_AGENTS];
  readonly result?: string;
  readonly reason?: string | null;
  readonly session?: string;
  readonly debugData?: Record<string, string>;
  readonly target?: object[] | null;
}

function oktaEvent(spec: EventSpec): object {
  const place = spec.place ?? PLACES.newYork;
  const ip = spec.ip ?? '73.22.41.10';
  const geo = { city: place.city, state: null, country: place.country, postalCode: null, geolocation: { lat: place.lat, lon: place.lon } };
  const requestId = `req${sequence}`;
  return {
    uuid: nextUuid(),
    published: spec.published,
    eventType: spec.eventType,
    version: '0',
    severity: spec.result === 'FAILURE' ? 'WARN' : 'INFO',
    displayMessage: spec.eventType,
    actor: { id: `00u${spec.login.length}${spec.login.slice(0, 6)}`, type: 'User', alternateId: spec.login, displayName: spec.login.split('@')[0], detailEntry: null },
    client: { ipAddress: ip, userAgent: spec.userAgent ?? USER_AGENTS.chromeWindows, zone: 'null', device: 'Computer', id: null, geographicalContext: geo },
    authenticationContext: { authenticationStep: 0, externalSessionId: spec.session ?? 'unknown' },
    securityContext: { asNumber: place.asn, asOrg: place.asOrg, isp: place.asOrg, domain: null, isProxy: false },
    debugContext: { debugData: { requestId, ...(spec.debugData ?? {}) } },
    outcome: { result: spec.result ?? 'SUCCESS', reason: spec.reason ?? null },
    target: spec.target ?? null,
    transaction: { type: 'WEB', id: requestId, detail: {} },
    request: { ipChain: [{ ip, geographicalContext: geo, version: 'V4', source: null }] },
  };
}

/** `base` moved on by `minutes`, as Okta writes `published`. */
const at = (base: string, minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString();

const failedSignIn = (login: string, published: string, ip: string) =>
  oktaEvent({ eventType: 'user.session.start', published, login, ip, place: PLACES.amsterdam, userAgent: USER_AGENTS.script, result: 'FAILURE', reason: 'INVALID_CREDENTIALS' });

const signIn = (login: string, published: string, place: Place, ip: string) =>
  oktaEvent({ eventType: 'user.session.start', published, login, ip, place, session: `102${login.slice(0, 4)}${published.slice(11, 19).replaceAll(':', '')}` });

const pushTarget = (login: string) => [
  { id: '00uTarget', type: 'User', alternateId: login, displayName: login, detailEntry: null },
  { id: 'opfPush', type: 'AuthenticatorEnrollment', alternateId: 'unknown', displayName: 'Okta Verify', detailEntry: null },
];
const ATTACKER = { ip: '198.51.100.23', place: PLACES.amsterdam };
const pushSent = (login: string, published: string) =>
  oktaEvent({ eventType: 'system.push.send_factor_verify_push', published, login, ...ATTACKER, target: pushTarget(login).slice(1) });
const pushDenied = (login: string, published: string) =>
  oktaEvent({
    eventType: 'user.authentication.auth_via_mfa', published, login, ...ATTACKER, result: 'FAILURE', reason: 'INVALID_CREDENTIALS',
    debugData: { factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: 'OV_RESPONSE_DENY' }, target: pushTarget(login),
  });
const pushApproved = (login: string, published: string) =>
  oktaEvent({
    eventType: 'user.authentication.auth_via_mfa', published, login, ...ATTACKER,
    debugData: { factor: 'OKTA_VERIFY_PUSH', pushOnlyResponseType: 'OV_RESPONSE_APPROVE' }, target: pushTarget(login),
  });
/** A push sent and denied a few seconds later, as Identity Engine logs a rejection. */
const rejection = (login: string, published: string) => [pushSent(login, published), pushDenied(login, at(published, 0.1))];

const sessionUse = (login: string, published: string, session: string, place: Place, ip: string, userAgent = USER_AGENTS.chromeWindows) =>
  oktaEvent({ eventType: 'user.authentication.sso', published, login, ip, place, userAgent, session });

const USERS = Array.from({ length: 12 }, (_, i) => `user${String(i).padStart(2, '0')}@example.com`);

// ---------------------------------------------------------------------------------------------------------------

describe('okta-password-spray', () => {
  const ID = 'okta-password-spray';
  const base = '2026-03-02T09:05:00.000Z';

  it('flags one IP failing sign-in for 10 distinct users within the hour', async () => {
    const events = USERS.slice(0, 10).map((u, i) => failedSignIn(u, at(base, i), '198.51.100.77'));

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ entity: { type: 'ip', id: '198.51.100.77' }, severity: 'MEDIUM', event_count: 10, ips: ['198.51.100.77'] });
    expect(findings[0]!.actors).toEqual(USERS.slice(0, 10));
    expect(findings[0]!.summary).toContain('10 distinct users');
  });

  it('stays silent on one IP failing once each for 9 distinct users (under both bands)', async () => {
    const events = USERS.slice(0, 9).map((u, i) => failedSignIn(u, at(base, i * 3), '198.51.100.77'));

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('flags 9 users tried twice each over 28 minutes in the low-and-slow band, at LOW', async () => {
    const events = USERS.slice(0, 9).flatMap((u, i) => [
      failedSignIn(u, at(base, i), '198.51.100.77'),
      failedSignIn(u.toUpperCase(), at(base, 20 + i), '198.51.100.77'),
    ]);

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ entity: { type: 'ip', id: '198.51.100.77' }, severity: 'LOW', event_count: 18 });
  });

  it('keeps the low band out of a burst under low_min_span_minutes and out of an IP hammering one account', async () => {
    const burst = USERS.slice(0, 9).flatMap((u, i) => [
      failedSignIn(u, at(base, i * 0.2), '198.51.100.77'),
      failedSignIn(u, at(base, i * 0.2 + 0.1), '198.51.100.77'),
    ]);
    const hammering = [
      ...USERS.slice(0, 8).flatMap((u, i) => [failedSignIn(u, at(base, i), '198.51.100.78'), failedSignIn(u, at(base, 20 + i), '198.51.100.78')]),
      ...Array.from({ length: 9 }, (_, i) => failedSignIn(USERS[8]!, at(base, 30 + i), '198.51.100.78')),
    ];

    expect(await findingsOf(ID, burst)).toEqual([]);
    expect(await findingsOf(ID, hammering)).toEqual([]);
  });

  it('does not add up users failing from different IPs', async () => {
    const events = USERS.slice(0, 10).map((u, i) => failedSignIn(u, at(base, i), `203.0.113.${10 + i}`));

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('counts Identity Engine password failures and raises to HIGH when a sprayed user then signs in from the IP', async () => {
    const oiePasswordFailure = (login: string, published: string) =>
      oktaEvent({
        eventType: 'user.authentication.auth_via_mfa', published, login, ip: '198.51.100.77', place: PLACES.amsterdam, result: 'FAILURE',
        reason: 'INVALID_CREDENTIALS', debugData: { factor: 'PASSWORD_AS_FACTOR' },
      });
    const events = [
      ...USERS.slice(0, 8).map((u, i) => failedSignIn(u, at(base, i), '198.51.100.77')),
      oiePasswordFailure(USERS[8]!, at(base, 9)),
      oiePasswordFailure(USERS[9]!, at(base, 10)),
      signIn(USERS[4]!, at(base, 30), PLACES.amsterdam, '198.51.100.77'),
    ];

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'HIGH', event_count: 11 });
    expect(findings[0]!.summary).toContain('1 of them then signed in successfully');
  });

  it('takes a min_users override: 3 users are enough when configured so', async () => {
    const d = detection(ID);
    const events = USERS.slice(0, 3).map((u, i) => failedSignIn(u, at(base, i), '198.51.100.77'));

    const withDefault = await detectOnEvents(events, { catalog: [d] });
    const overridden = await detectOnEvents(events, { catalog: [d], thresholds: { 'okta-password-spray': { min_users: 3 } } });

    expect(withDefault.findings).toEqual([]);
    expect(overridden.findings.map((f) => [f.entity.id, f.event_count])).toEqual([['198.51.100.77', 3]]);
  });
});

describe('okta-mfa-push-bombing', () => {
  const ID = 'okta-mfa-push-bombing';
  const victim = 'nora.quinn@example.com';
  const base = '2026-03-03T02:10:00.000Z';

  it('stays silent on 5 rejections spread across 12 minutes', async () => {
    const events = [0, 3, 6, 9, 12].flatMap((m) => rejection(victim, at(base, m)));

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('flags 5 rejections within 10 minutes at the default severity', async () => {
    const events = [0, 2, 4, 6, 9].flatMap((m) => rejection(victim, at(base, m)));

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ entity: { type: 'user', id: victim }, severity: 'MEDIUM', event_count: 5, ips: [ATTACKER.ip] });
    expect(findings[0]!.summary).toContain('5 rejected, 0 unanswered');
  });

  it('raises the severity to CRITICAL when a push is approved right after the burst', async () => {
    const events = [...[0, 1, 2, 3, 4].flatMap((m) => rejection(victim, at(base, m))), pushSent(victim, at(base, 6)), pushApproved(victim, at(base, 6.2))];

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'CRITICAL', event_count: 6 });
    expect(findings[0]!.summary).toContain('then a push was approved');
  });

  it('does not tie an approval long after the burst to it', async () => {
    const events = [...[0, 1, 2, 3, 4].flatMap((m) => rejection(victim, at(base, m))), pushSent(victim, at(base, 40)), pushApproved(victim, at(base, 40.2))];

    const findings = await findingsOf(ID, events);

    expect(findings.map((f) => f.severity)).toEqual(['MEDIUM']);
  });

  it('counts pushes left unanswered, the last one once it has expired', async () => {
    const events = [0, 1, 2, 3, 4].map((m) => pushSent(victim, at(base, m)));

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]!.summary).toContain('0 rejected, 5 unanswered');
  });

  it('counts a push answered by a rejection once', async () => {
    // Four rejected pushes (a send and a deny each) are four failed pushes, not eight.
    const events = [0, 1, 2, 3].flatMap((m) => rejection(victim, at(base, m)));

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('reports a burst that straddles the hour boundary once across the two hourly runs', async () => {
    // Three rejections before 03:00 and two after: only the run of 03:00, which also reads 02:00, sees five.
    const events = ['2026-03-03T02:56:00.000Z', '2026-03-03T02:57:00.000Z', '2026-03-03T02:58:00.000Z', '2026-03-03T03:01:00.000Z', '2026-03-03T03:02:00.000Z'].flatMap(
      (t) => rejection(victim, t),
    );

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ run: 'hourly-03', event_count: 5, first_seen: '2026-03-03T02:56:06.000Z' });
  });

  it('reports a burst that crossed the threshold before the hour ended once, not again in the next run', async () => {
    const events = [50, 52, 54, 56, 58, 62, 64].flatMap((m) => rejection(victim, at('2026-03-03T02:00:00.000Z', m)));

    const findings = await findingsOf(ID, events);

    expect(findings.map((f) => [f.run, f.severity])).toEqual([['hourly-02', 'MEDIUM']]);
  });

  it('reports again, at CRITICAL, when the approval arrives in the hour after the burst was reported', async () => {
    const events = [
      ...[50, 51, 52, 53, 54].flatMap((m) => rejection(victim, at('2026-03-03T02:00:00.000Z', m))),
      pushSent(victim, '2026-03-03T03:01:00.000Z'),
      pushApproved(victim, '2026-03-03T03:01:10.000Z'),
    ];

    const findings = await findingsOf(ID, events);

    expect(findings.map((f) => [f.run, f.severity]).sort()).toEqual([
      ['hourly-02', 'MEDIUM'],
      ['hourly-03', 'CRITICAL'],
    ]);
  });

  it('takes min_rejections and window_minutes overrides', async () => {
    const events = [0, 5, 10, 15].flatMap((m) => rejection(victim, at(base, m)));

    expect(await findingsOf(ID, events)).toEqual([]);
    expect(await findingsOf(ID, events, { [ID]: { min_rejections: 4, window_minutes: 15 } })).toHaveLength(1);
  });
});

describe('okta-session-roaming', () => {
  const ID = 'okta-session-roaming';
  const base = '2026-03-04T15:02:00.000Z';

  it('flags a session used from a second AS number in the same country', async () => {
    const events = [
      sessionUse('alice@example.com', at(base, 0), '102AliceHome', PLACES.newYork, '73.22.41.10'),
      sessionUse('alice@example.com', at(base, 20), '102AliceHome', PLACES.newYorkMobile, '172.58.14.2'),
    ];

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ entity: { type: 'session', id: '102AliceHome' }, severity: 'HIGH', actors: ['alice@example.com'] });
    expect(findings[0]!.summary).toContain('AS numbers: 21928, 7922');
  });

  it('flags a session whose browser and OS change on the same IP', async () => {
    const events = [
      sessionUse('bruno@example.com', at(base, 0), '102Bruno', PLACES.boston, '192.0.2.44', USER_AGENTS.chromeWindows),
      sessionUse('bruno@example.com', at(base, 30), '102Bruno', PLACES.boston, '192.0.2.44', USER_AGENTS.firefoxLinux),
    ];

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]!.summary).toContain('user agents: Linux/FIREFOX, Windows 10/CHROME');
  });

  it('stays silent on a new IP of the same provider and country with the same browser, and on unknown user agents', async () => {
    const events = [
      sessionUse('dana@example.com', at(base, 0), '102Dana', PLACES.newYork, '73.22.41.20'),
      sessionUse('dana@example.com', at(base, 20), '102Dana', PLACES.boston, '73.22.41.21'),
      sessionUse('dana@example.com', at(base, 40), '102Dana', PLACES.boston, '73.22.41.21', USER_AGENTS.script),
    ];

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('falls back to the device token hash when Okta logs no session id', async () => {
    const dtHash = 'a3f1c9e8b2d4f6071829aa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
    const use = (published: string, place: Place, ip: string) =>
      oktaEvent({ eventType: 'user.authentication.sso', published, login: 'carla@example.com', ip, place, session: 'unknown', debugData: { dtHash } });
    const events = [use(at(base, 0), PLACES.newYork, '73.22.41.99'), use(at(base, 10), PLACES.sydney, '203.0.113.66')];

    const findings = await findingsOf(ID, events);

    expect(findings.map((f) => f.entity)).toEqual([{ type: 'session', id: dtHash }]);
  });
});

describe('okta-impossible-travel', () => {
  const ID = 'okta-impossible-travel';

  it('flags New York then London 55 minutes later', async () => {
    const events = [signIn('ivan@example.com', '2026-03-05T08:10:00.000Z', PLACES.newYork, '73.22.41.50'), signIn('ivan@example.com', '2026-03-05T09:05:00.000Z', PLACES.london, '81.2.69.160')];

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ entity: { type: 'user', id: 'ivan@example.com' }, run: 'hourly-09', event_count: 2, ips: ['73.22.41.50', '81.2.69.160'] });
    expect(findings[0]!.summary).toMatch(/New York, United States then from London, United Kingdom, 557\d km apart, 55 min later \(60\d\d km\/h\)/);
  });

  it('stays silent on New York then London eight hours later (about 700 km/h)', async () => {
    const events = [signIn('max@example.com', '2026-03-05T01:00:00.000Z', PLACES.newYork, '73.22.41.70'), signIn('max@example.com', '2026-03-05T09:00:00.000Z', PLACES.london, '81.2.69.170')];

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('flags two sign-ins from far apart in the same millisecond without dividing by zero', async () => {
    const events = [signIn('jade@example.com', '2026-03-05T09:20:00.000Z', PLACES.newYork, '73.22.41.51'), signIn('jade@example.com', '2026-03-05T09:20:00.000Z', PLACES.sydney, '203.0.113.66')];

    const findings = await findingsOf(ID, events);

    expect(findings).toHaveLength(1);
    expect(findings[0]!.summary).toContain('at the same moment');
  });

  it('stays silent on nearby sign-ins seconds apart (IP geolocation noise below min_distance_km)', async () => {
    const events = [signIn('lea@example.com', '2026-03-05T09:10:00.000Z', PLACES.newYork, '73.22.41.52'), signIn('lea@example.com', '2026-03-05T09:10:04.000Z', PLACES.newYorkMobile, '172.58.14.3')];

    expect(await findingsOf(ID, events)).toEqual([]);
  });

  it('looks back 24 hours across a day boundary', async () => {
    // 22:30 in New York, 06:00 the next day in Sydney: 7.5 hours for about 16,000 km.
    const events = [signIn('kai@example.com', '2026-03-09T22:30:00.000Z', PLACES.newYork, '73.22.41.53'), signIn('kai@example.com', '2026-03-10T06:00:00.000Z', PLACES.sydney, '203.0.113.67')];

    const findings = await findingsOf(ID, events);

    expect(findings.map((f) => [f.dt, f.run, f.first_seen])).toEqual([['2026-03-10', 'hourly-06', '2026-03-09T22:30:00.000Z']]);
  });

  it('reports each pair once, in the run of the hour its second sign-in arrived in', async () => {
    const events = [
      signIn('otto@example.com', '2026-03-05T07:10:00.000Z', PLACES.newYork, '73.22.41.54'),
      signIn('otto@example.com', '2026-03-05T08:05:00.000Z', PLACES.london, '81.2.69.161'),
      signIn('otto@example.com', '2026-03-05T09:30:00.000Z', PLACES.london, '81.2.69.161'),
    ];

    const findings = await findingsOf(ID, events);

    expect(findings.map((f) => f.run)).toEqual(['hourly-08']);
  });

  it('takes a max_kmh override', async () => {
    const events = [signIn('max@example.com', '2026-03-05T01:00:00.000Z', PLACES.newYork, '73.22.41.70'), signIn('max@example.com', '2026-03-05T09:00:00.000Z', PLACES.london, '81.2.69.170')];

    expect(await findingsOf(ID, events, { [ID]: { max_kmh: 600 } })).toHaveLength(1);
  });
});

describe('okta-policy-weakened', () => {
  const ID = 'okta-policy-weakened';
  const ruleUpdate = (policyType: string) =>
    oktaEvent({
      eventType: 'policy.rule.update', published: '2026-03-07T13:40:00.000Z', login: 'rosa.admin@example.com',
      target: [
        { id: '00pPolicy', type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Routing', detailEntry: { policyType } },
        { id: '0prRule', type: 'PolicyRule', alternateId: '00pPolicy', displayName: 'Route contractors', detailEntry: null },
      ],
    });

  it('watches IdP routing rules by default, and not when policy_types leaves IDP_DISCOVERY out', async () => {
    expect(await findingsOf(ID, [ruleUpdate('IdpDiscovery')])).toHaveLength(1);
    expect(await findingsOf(ID, [ruleUpdate('IdpDiscovery')], { [ID]: { policy_types: 'OKTA_SIGN_ON, PASSWORD' } })).toEqual([]);
  });

  it('keeps an update of a sign-on policy rule at the default severity, naming the actor as the entity', async () => {
    const findings = await findingsOf(ID, [ruleUpdate('OktaSignOn')]);

    expect(findings.map((f) => [f.entity.type, f.entity.id, f.severity])).toEqual([['user', 'rosa.admin@example.com', 'MEDIUM']]);
  });
});

describe('great_circle_distance on DuckDB (engines/duckdb/trino-compat.sql)', () => {
  /** Haversine on Trino's sphere (radius 6371.01 km): an independent computation to hold the macro to. */
  const haversineKm = (lat1: number, lon1: number, lat2: number, lon2: number) => {
    const rad = (d: number) => (d * Math.PI) / 180;
    const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
    return 2 * 6371.01 * Math.asin(Math.sqrt(a));
  };

  it.each([
    { a: 'New York', from: PLACES.newYork, b: 'London', to: PLACES.london, km: 5570 },
    { a: 'New York', from: PLACES.newYork, b: 'Sydney', to: PLACES.sydney, km: 15990 },
    { a: 'London', from: PLACES.london, b: 'Amsterdam', to: PLACES.amsterdam, km: 358 },
    { a: 'New York', from: PLACES.newYork, b: 'New York', to: PLACES.newYork, km: 0 },
  ])('$a to $b is about $km km', async ({ from, to, km }) => {
    const lake = await LocalLake.temporary({ catalog: [] });
    try {
      const [row] = await lake.engine.select('select great_circle_distance(?, ?, ?, ?) as km', [from.lat, from.lon, to.lat, to.lon]);
      const got = Number(row!.km);
      expect(Math.abs(got - km)).toBeLessThan(km * 0.005 + 0.5);
      expect(got).toBeCloseTo(haversineKm(from.lat, from.lon, to.lat, to.lon), 3);
    } finally {
      lake.close();
    }
  });
});
