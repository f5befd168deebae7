/**
 * The daily run on the local lake: the per-user activity snapshot of a day and the daily detections over it
 * (okta-new-country-for-user, okta-dormant-account-active), with their multi-day fixtures.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDetection, type Detection, type ThresholdOverrides } from '../../core/catalog.ts';
import { readActivity, type UserActivity } from '../../core/daily.ts';
import type { Finding } from '../../core/findings.ts';
import { LocalLake } from '../../lake/local-lake.ts';

// Only the daily detections under test: other folders may be half-written while engineers work on them.
const loadDetection = (id: string): Detection => {
  const dir = join('detections', id);
  return { ...parseDetection(dir, readFileSync(join(dir, 'detection.yaml'), 'utf8'), readFileSync(join(dir, 'query.sql'), 'utf8')), dir };
};
const NEW_COUNTRY = 'okta-new-country-for-user';
const DORMANT = 'okta-dormant-account-active';
const dailyCatalog = [loadDetection(NEW_COUNTRY), loadDetection(DORMANT)];

interface User {
  readonly id: string;
  readonly login: string;
  readonly name: string;
}
const alice: User = { id: '00u1alice0000000000a', login: 'alice@example.com', name: 'Alice Adams' };
const bob: User = { id: '00u1bob000000000000b', login: 'bob@example.com', name: 'Bob Brown' };

const PLACES = {
  Netherlands: { ip: '198.51.100.10', city: 'Amsterdam', asn: 1136, asOrg: 'KPN B.V.' },
  Germany: { ip: '198.51.100.20', city: 'Berlin', asn: 3320, asOrg: 'Deutsche Telekom AG' },
  Brazil: { ip: '203.0.113.30', city: 'Sao Paulo', asn: 28573, asOrg: 'Claro NXT' },
} as const;
type Country = keyof typeof PLACES;

let seq = 0;
/** A synthetic Okta LogEvent of `user` at `published`, from `country`. */
function event(
  user: User,
  published: string,
  eventType: string,
  options: { country?: Country; ip?: string; result?: string; target?: object[]; device?: object; uuid?: string } = {},
): Record<string, unknown> {
  const place = PLACES[options.country ?? 'Netherlands'];
  seq += 1;
  return {
    uuid: options.uuid ?? `7d1c0b6e-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    published,
    eventType,
    version: '0',
    severity: options.result === 'FAILURE' ? 'WARN' : 'INFO',
    displayMessage: eventType,
    actor: { id: user.id, type: 'User', alternateId: user.login, displayName: user.name },
    client: {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0', os: 'Windows 10', browser: 'CHROME' },
      zone: 'null',
      device: 'Computer',
      ipAddress: options.ip ?? place.ip,
      geographicalContext: { city: place.city, country: options.country ?? 'Netherlands', geolocation: { lat: 52.1, lon: 5.1 } },
    },
    ...(options.device ? { device: options.device } : {}),
    authenticationContext: { externalSessionId: `idx${seq}`, authenticationStep: 0 },
    securityContext: { asNumber: place.asn, asOrg: place.asOrg, isp: place.asOrg, domain: 'example.net', isProxy: false },
    debugContext: { debugData: { requestId: `req${seq}` } },
    outcome: { result: options.result ?? 'SUCCESS', reason: options.result === 'FAILURE' ? 'INVALID_CREDENTIALS' : null },
    target: options.target ?? [],
  };
}
const signIn = (user: User, published: string, country: Country = 'Netherlands', result = 'SUCCESS') =>
  event(user, published, 'user.session.start', { country, result });
const app = (name: string) => ({ id: `0oa${name}`, type: 'AppInstance', alternateId: name, displayName: name });
const targetUser = (u: User) => ({ id: u.id, type: 'User', alternateId: u.login, displayName: u.name });

const lakes: LocalLake[] = [];
async function lakeWith(events: readonly (object | string)[], options: { thresholds?: ThresholdOverrides; catalog?: readonly Detection[] } = {}) {
  const lake = await LocalLake.temporary({ catalog: options.catalog ?? dailyCatalog, thresholds: options.thresholds, now: () => new Date('2026-06-01T00:30:00Z') });
  lakes.push(lake);
  const summary = await lake.ingestEvents(events);
  expect(summary.quarantined).toBe(0);
  return { lake, days: [...new Set(summary.hours.map((h) => h.dt))].sort() };
}
afterEach(() => {
  for (const lake of lakes.splice(0)) lake.close();
});

/** Snapshots every day that received events, in order; returns the findings of every daily run. */
async function snapshotEveryDay(lake: LocalLake, days: readonly string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const day of days) findings.push(...(await lake.snapshotDay(day)).findings);
  return findings;
}

const rowsOf = (lake: LocalLake, day: string) => readActivity(lake.engine, { fromDt: day, toDt: day });
const byLogin = (rows: readonly UserActivity[]) => new Map(rows.map((r) => [r.login, r]));

describe('daily activity snapshot', () => {
  it("summarizes each user's day: sign-ins, failures, MFA, IPs, countries, ASNs, devices, apps, admin actions", async () => {
    // Prepare
    const day = '2026-05-04';
    const { lake } = await lakeWith([
      signIn(alice, `${day}T08:00:00.000Z`),
      signIn(alice, `${day}T08:00:30.000Z`, 'Netherlands', 'FAILURE'),
      signIn(alice, `${day}T13:00:00.000Z`, 'Germany'),
      event(alice, `${day}T08:00:10.000Z`, 'user.authentication.auth_via_mfa'),
      event(alice, `${day}T13:00:10.000Z`, 'user.authentication.auth_via_mfa'),
      event(alice, `${day}T13:00:05.000Z`, 'user.mfa.okta_verify.deny_push', { result: 'FAILURE' }),
      event(alice, `${day}T08:01:00.000Z`, 'user.authentication.sso', { target: [app('Slack'), { id: '0ua1', type: 'AppUser', displayName: 'alice' }] }),
      event(alice, `${day}T08:02:00.000Z`, 'user.authentication.sso', { target: [app('Zoom')] }),
      event(alice, `${day}T08:03:00.000Z`, 'user.authentication.sso', { target: [app('Workday')], result: 'FAILURE' }),
      event(alice, `${day}T09:00:00.000Z`, 'user.account.privilege.grant', { target: [targetUser(bob)] }),
      event(alice, `${day}T09:01:00.000Z`, 'group.user_membership.add', { target: [targetUser(bob), { id: '00g1', type: 'UserGroup', displayName: 'Admins' }] }),
      event(alice, `${day}T09:02:00.000Z`, 'zone.update', { target: [{ id: 'nzo1', type: 'NetworkZone', displayName: 'Office' }] }),
      // Not admin actions: her own password reset, a refused change, a sign-on policy evaluation.
      event(alice, `${day}T09:03:00.000Z`, 'user.account.reset_password', { target: [targetUser(alice)] }),
      event(alice, `${day}T09:04:00.000Z`, 'policy.lifecycle.update', { result: 'DENY' }),
      event(alice, `${day}T08:00:01.000Z`, 'policy.evaluate_sign_on'),
      event(bob, `${day}T10:00:00.000Z`, 'user.session.start', { country: 'Germany', device: { id: 'guo1', name: 'Bob-MacBook' } }),
      // A system principal is not a user: no row.
      { ...event(bob, `${day}T10:05:00.000Z`, 'system.import.start'), actor: { id: '0oa1job', type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System' } },
    ]);

    // Act
    const run = await lake.snapshotDay(day);
    const rows = byLogin(await rowsOf(lake, day));

    // Assess
    expect(run.users).toBe(2);
    expect([...rows.keys()].sort()).toEqual(['alice@example.com', 'bob@example.com']);
    expect(rows.get('alice@example.com')).toMatchObject({
      user_id: alice.id,
      display_name: 'Alice Adams',
      event_count: 15,
      sign_ins: 2,
      sign_in_failures: 1,
      sign_in_failure_ips: ['198.51.100.10'],
      mfa_used: 2,
      mfa_failures: 1,
      distinct_ips: 2,
      ips: ['198.51.100.10', '198.51.100.20'],
      countries: ['Germany', 'Netherlands'],
      asns: ['1136', '3320'],
      devices: ['Computer'],
      apps: ['Slack', 'Zoom'],
      admin_actions: 3,
      first_seen: `${day}T08:00:00.000Z`,
      last_seen: `${day}T13:00:10.000Z`,
      computed_at: '2026-06-01T00:30:00.000Z',
      dt: day,
      batch: 'daily',
    });
    expect(rows.get('bob@example.com')).toMatchObject({
      user_id: bob.id,
      event_count: 1,
      sign_ins: 1,
      sign_in_failure_ips: [],
      countries: ['Germany'],
      devices: ['Bob-MacBook', 'Computer'],
      apps: [],
      admin_actions: 0,
    });
  });

  it('lists the client IPs of failed sign-ins only, distinct and sorted, without Okta\'s "null"', async () => {
    // Prepare
    const day = '2026-05-04';
    const failure = (at: string, ip: string) => event(alice, `${day}T${at}.000Z`, 'user.session.start', { ip, result: 'FAILURE' });
    const { lake } = await lakeWith([
      failure('08:00:00', '203.0.113.9'),
      failure('08:00:10', '198.51.100.77'),
      failure('08:00:20', '203.0.113.9'),
      failure('08:00:30', 'null'),
      // Not failed sign-ins: a successful one, a failed MFA verification, a failed single sign-on.
      event(alice, `${day}T08:01:00.000Z`, 'user.session.start', { ip: '192.0.2.1' }),
      event(alice, `${day}T08:02:00.000Z`, 'user.authentication.auth_via_mfa', { ip: '192.0.2.2', result: 'FAILURE' }),
      event(alice, `${day}T08:03:00.000Z`, 'user.authentication.sso', { ip: '192.0.2.3', result: 'FAILURE', target: [app('Zoom')] }),
    ]);

    // Act
    await lake.snapshotDay(day);
    const [row] = await rowsOf(lake, day);

    // Assess
    expect(row).toMatchObject({ sign_in_failures: 4, sign_in_failure_ips: ['198.51.100.77', '203.0.113.9'] });
  });

  it('reads activity files written before sign_in_failure_ips existed, with the column null', async () => {
    // Prepare: a day written by the old snapshot (no sign_in_failure_ips column), beside a day written now.
    const { lake } = await lakeWith([signIn(alice, '2026-05-04T08:00:00.000Z', 'Netherlands', 'FAILURE')]);
    await lake.snapshotDay('2026-05-04');
    const oldDir = join(lake.root, 'activity', 'dt=2026-05-03', 'batch=daily');
    mkdirSync(oldDir, { recursive: true });
    await lake.engine.run(
      `copy (select * exclude (sign_in_failure_ips, dt, batch) from activity where dt = '2026-05-04') ` +
        `to '${join(oldDir, 'part-00000.parquet')}' (format parquet)`,
    );

    // Act
    const raw = await lake.engine.select(`select dt, sign_in_failure_ips from activity order by dt`, []);
    const rows = await readActivity(lake.engine, { fromDt: '2026-05-03', toDt: '2026-05-04' });

    // Assess
    expect(raw).toEqual([
      { dt: '2026-05-03', sign_in_failure_ips: null },
      { dt: '2026-05-04', sign_in_failure_ips: expect.stringContaining('198.51.100.10') },
    ]);
    expect(rows.map((r) => [r.dt, r.sign_in_failures, r.sign_in_failure_ips])).toEqual([
      ['2026-05-03', 1, []],
      ['2026-05-04', 1, ['198.51.100.10']],
    ]);
  });

  it('counts each uuid once when Okta delivers an event twice, whatever the case of its uuid', async () => {
    // Prepare
    const day = '2026-05-04';
    const events = [signIn(alice, `${day}T08:00:00.000Z`), signIn(alice, `${day}T09:00:00.000Z`, 'Germany'), signIn(bob, `${day}T10:00:00.000Z`)];
    const upperCased = events.map((e) => ({ ...e, uuid: String(e.uuid).toUpperCase() }));
    const { lake } = await lakeWith([...events, ...events, ...upperCased]);

    // Act
    await lake.snapshotDay(day);
    const rows = byLogin(await rowsOf(lake, day));

    // Assess
    expect(rows.get('alice@example.com')).toMatchObject({ event_count: 2, sign_ins: 2, distinct_ips: 2 });
    expect(rows.get('bob@example.com')).toMatchObject({ event_count: 1, sign_ins: 1 });
  });

  it('takes the events of its arrival day only', async () => {
    // Prepare
    const { lake } = await lakeWith([
      signIn(alice, '2026-05-03T23:59:59.000Z'),
      signIn(alice, '2026-05-04T00:00:00.000Z'),
      signIn(alice, '2026-05-04T23:59:59.999Z'),
      signIn(alice, '2026-05-05T00:00:00.000Z'),
    ]);

    // Act
    await lake.snapshotDay('2026-05-04');
    const rows = await rowsOf(lake, '2026-05-04');

    // Assess
    expect(rows.map((r) => [r.login, r.sign_ins, r.first_seen, r.last_seen])).toEqual([
      ['alice@example.com', 2, '2026-05-04T00:00:00.000Z', '2026-05-04T23:59:59.999Z'],
    ]);
  });

  it('replaces a day when it is run again, leaving one row per user', async () => {
    // Prepare
    const day = '2026-05-04';
    const { lake } = await lakeWith([signIn(alice, `${day}T08:00:00.000Z`)]);
    await lake.snapshotDay(day);
    await lake.ingestEvents([signIn(alice, `${day}T22:00:00.000Z`, 'Germany'), signIn(bob, `${day}T22:30:00.000Z`)]);

    // Act
    const again = await lake.snapshotDay(day);
    const third = await lake.snapshotDay(day);

    // Assess
    const raw = await lake.engine.select(`select login, sign_ins, batch from activity where dt = ? order by login`, [day]);
    expect(raw).toEqual([
      { login: 'alice@example.com', sign_ins: 2, batch: 'daily' },
      { login: 'bob@example.com', sign_ins: 1, batch: 'daily' },
    ]);
    expect(again.users).toBe(2);
    expect(third.users).toBe(2);
  });

  it('writes an empty day, and runs the daily checks, when nobody was active', async () => {
    // Prepare
    const { lake } = await lakeWith([signIn(alice, '2026-05-04T08:00:00.000Z')]);

    // Act
    const run = await lake.snapshotDay('2026-05-05');

    // Assess
    expect(run).toMatchObject({ day: '2026-05-05', users: 0, findings: [], newFindings: [] });
    expect(await rowsOf(lake, '2026-05-05')).toEqual([]);
  });

  it('rejects a day that is not YYYY-MM-DD before touching the lake', async () => {
    const { lake } = await lakeWith([signIn(alice, '2026-05-04T08:00:00.000Z')]);
    await expect(lake.snapshotDay("2026-05-04' or '1'='1")).rejects.toThrow(/not a date of the form YYYY-MM-DD/);
    await expect(lake.snapshotDay('2026-02-30')).rejects.toThrow(/not a date/);
  });
});

const fixture = (id: string, name: string): string[] =>
  readFileSync(join('detections', id, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe.each([
  [NEW_COUNTRY, { day: '2026-04-08', entity: 'carol.nc@example.com', summary: /signed in from Brazil .*previous 30 days: Netherlands/ }],
  [DORMANT, { day: '2026-02-20', entity: 'gina.da@example.com', summary: /after 45 days without activity; last active on 2026-01-05/ }],
] as const)('%s fixtures (ingest, snapshot of every day, daily checks)', (id, expected) => {
  const detection = dailyCatalog.find((d) => d.id === id)!;

  it('fires on its positive fixture, for the expected user and day only', async () => {
    // Prepare
    const { lake, days } = await lakeWith(fixture(id, 'positive.ndjson'), { catalog: [detection] });

    // Act
    const findings = await snapshotEveryDay(lake, days);

    // Assess
    expect(findings.map((f) => [f.detection, f.entity.type, f.entity.id, f.dt, f.run])).toEqual([[id, 'user', expected.entity, expected.day, 'daily']]);
    expect(findings[0]!.summary).toMatch(expected.summary);
    expect(findings[0]!.event_uuids.length).toBe(findings[0]!.event_count);
    expect(findings[0]!.window_start).toBe(`${expected.day}T00:00:00.000Z`);
  });

  it('counts each uuid once however often the fixture is delivered', async () => {
    // Prepare
    const events = fixture(id, 'positive.ndjson');
    const once = await lakeWith(events, { catalog: [detection] });
    const twice = await lakeWith([...events, ...events], { catalog: [detection] });

    // Act
    const a = await snapshotEveryDay(once.lake, once.days);
    const b = await snapshotEveryDay(twice.lake, twice.days);

    // Assess
    expect(b.map((f) => [f.finding_id, f.event_count])).toEqual(a.map((f) => [f.finding_id, f.event_count]));
  });

  it('stays silent on its negative fixture', async () => {
    // Prepare
    const { lake, days } = await lakeWith(fixture(id, 'negative.ndjson'), { catalog: [detection] });

    // Act
    const findings = await snapshotEveryDay(lake, days);

    // Assess
    expect(days.length).toBeGreaterThan(2);
    expect(findings).toEqual([]);
  });
});

describe(NEW_COUNTRY, () => {
  it('fires only for users with history: a new user signing in from anywhere is not flagged', async () => {
    // Prepare
    const { lake, days } = await lakeWith([
      signIn(alice, '2026-05-01T08:00:00.000Z', 'Netherlands'),
      signIn(alice, '2026-05-04T08:00:00.000Z', 'Brazil'),
      signIn(bob, '2026-05-04T09:00:00.000Z', 'Brazil'),
    ]);

    // Act
    const findings = await snapshotEveryDay(lake, days);

    // Assess
    expect(findings.map((f) => [f.detection, f.entity.id, f.dt])).toEqual([[NEW_COUNTRY, 'alice@example.com', '2026-05-04']]);
    expect(findings[0]!.ips).toEqual(['203.0.113.30']);
  });

  it('forgets countries older than history_days', async () => {
    // Prepare: Brazil was seen 10 days before; with history_days 5 that is forgotten, but the Netherlands 2 days before is history.
    const events = [
      signIn(alice, '2026-05-01T08:00:00.000Z', 'Brazil'),
      signIn(alice, '2026-05-01T09:00:00.000Z', 'Netherlands'),
      signIn(alice, '2026-05-09T08:00:00.000Z', 'Netherlands'),
      signIn(alice, '2026-05-11T08:00:00.000Z', 'Brazil'),
    ];
    const remembering = await lakeWith(events);
    const forgetting = await lakeWith(events, { thresholds: { [NEW_COUNTRY]: { history_days: 5 } } });

    // Act
    const a = await snapshotEveryDay(remembering.lake, remembering.days);
    const b = await snapshotEveryDay(forgetting.lake, forgetting.days);

    // Assess
    expect(a).toEqual([]);
    expect(b.map((f) => [f.entity.id, f.dt])).toEqual([['alice@example.com', '2026-05-11']]);
    expect(b[0]!.summary).toMatch(/previous 5 days: Netherlands$/);
  });
});

describe(DORMANT, () => {
  it('fires after dormant_days quiet days, not one day sooner', async () => {
    // Prepare: both active on 2026-03-01; alice again on 2026-04-01 (30 quiet days), bob on 2026-03-31 (29).
    const { lake, days } = await lakeWith([
      signIn(alice, '2026-03-01T08:00:00.000Z'),
      signIn(bob, '2026-03-01T08:00:00.000Z'),
      signIn(bob, '2026-03-31T08:00:00.000Z'),
      signIn(alice, '2026-04-01T08:00:00.000Z'),
    ]);

    // Act
    const findings = await snapshotEveryDay(lake, days);

    // Assess
    expect(findings.map((f) => [f.detection, f.entity.id, f.dt, f.summary])).toEqual([
      [DORMANT, 'alice@example.com', '2026-04-01', 'alice@example.com active again (1 event(s)) after 30 days without activity; last active on 2026-03-01'],
    ]);
  });

  it('needs enough history: a lake younger than dormant_days, or a user it never saw, raises nothing', async () => {
    // Prepare: the lake starts on 2026-03-20; alice first appears 40 days later, bob appears on both days.
    const { lake, days } = await lakeWith([
      signIn(bob, '2026-03-20T08:00:00.000Z'),
      signIn(bob, '2026-04-29T08:00:00.000Z'),
      signIn(alice, '2026-04-29T09:00:00.000Z'),
    ]);

    // Act
    const findings = await snapshotEveryDay(lake, days);

    // Assess: bob had 39 quiet days after activity the lake holds; alice is new.
    expect(findings.map((f) => f.entity.id)).toEqual(['bob@example.com']);
  });
});
