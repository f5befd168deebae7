/**
 * The saved investigation queries (investigations/*.sql): each one is Athena (Trino) SQL that the AWS side saves as
 * an Athena named query and that `okta-lake query --file` runs locally. Every file parses as Trino, follows the
 * query style (header, named parameters, CTE first, partition-restricted), and answers its question on a small
 * local lake with the rows we expect.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDetection } from '../core/catalog.ts';
import { bindNamedParams, compileNamedParams, type SqlValue } from '../core/sql-params.ts';
import type { ResultRow } from '../engines/query-engine.ts';
import { trinoParseError } from '../engines/duckdb/trino-parse.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { placeholdersOutsideWhere } from './support/athena-rules.ts';

const DIR = 'investigations';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const sqlOf = (file: string) => readFileSync(join(DIR, file), 'utf8');

/** The SQL without its comments and string literals, to check keywords and structure. */
const codeOnly = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, '')
    .replace(/'(?:[^']|'')*'/g, "''")
    .trim();

describe('investigation files', () => {
  it('are the seven questions of the runbooks', () => {
    expect(files).toEqual([
      'admin-changes.sql',
      'failed-sign-ins-by-ip.sql',
      'ip-activity.sql',
      'latest-findings.sql',
      'session-events.sql',
      'user-360.sql',
      'user-timeline.sql',
    ]);
  });

  describe.each(files)('%s', (file) => {
    const sql = sqlOf(file);
    const name = file.replace(/\.sql$/, '');

    it('opens with a header naming the question, then its parameters', () => {
      expect(sql.startsWith(`-- ${name}: `)).toBe(true);
      const header = sql.slice(0, sql.search(/^with /m));
      for (const p of new Set(compileNamedParams(sql).names)) expect(header, `:${p} documented in the header`).toContain(`:${p}`);
    });

    it('parses as Trino (Athena engine v3)', () => {
      expect(trinoParseError(compileNamedParams(sql).text)).toBeUndefined();
    });

    it('takes its parameters in WHERE clauses only, as the Athena console requires of a saved query', () => {
      expect(placeholdersOutsideWhere(compileNamedParams(sql).text)).toEqual([]);
    });

    it('is lower-case, CTE first, and reads only the dt partitions asked for', () => {
      const code = codeOnly(sql);
      expect(code.startsWith('with ')).toBe(true);
      expect(code).not.toMatch(/\b(SELECT|FROM|WHERE|WITH|JOIN|GROUP BY|ORDER BY|AS)\b/);
      // The inventory tables and their *_current views are partitioned by dt too.
      const reads = code.match(/\bfrom (okta_events|findings|activity|okta_(?:users|factors|devices|admin_roles)(?:_current)?)\b/g) ?? [];
      expect(reads.length).toBeGreaterThan(0);
      expect(code.match(/where dt between :from_dt and :to_dt/g)?.length).toBe(reads.length);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A small lake: one day of a few users, one event duplicated by Okta, one event of the day before.

let sequence = 0;
interface Spec {
  readonly eventType: string;
  readonly published: string;
  readonly login: string;
  readonly ip?: string;
  readonly country?: string;
  readonly result?: string;
  readonly reason?: string;
  readonly session?: string;
  readonly rootSession?: string;
  readonly dtHash?: string;
  readonly factor?: string;
  readonly target?: object[];
  readonly ipChain?: string[];
  readonly uuid?: string;
}
function oktaEvent(s: Spec): Record<string, unknown> {
  sequence += 1;
  const ip = s.ip ?? '73.22.41.10';
  const geo = { city: s.country === 'Netherlands' ? 'Amsterdam' : 'New York', country: s.country ?? 'United States', geolocation: { lat: 40.71, lon: -74.0 } };
  const debugData: Record<string, string> = { requestId: `req${sequence}` };
  if (s.dtHash) debugData.dtHash = s.dtHash;
  if (s.factor) debugData.factor = s.factor;
  return {
    uuid: s.uuid ?? `0b1c${String(sequence).padStart(4, '0')}-1d2c-11f1-9a63-4781c6ece90f`,
    published: s.published,
    eventType: s.eventType,
    version: '0',
    severity: s.result === 'FAILURE' ? 'WARN' : 'INFO',
    displayMessage: s.eventType,
    actor: { id: `00u${s.login.slice(0, 8).replace(/[^a-z]/g, '')}`, type: 'User', alternateId: s.login, displayName: s.login.split('@')[0] },
    client: { ipAddress: ip, zone: 'null', device: 'Computer', userAgent: { rawUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0', os: 'Windows 10', browser: 'CHROME' }, geographicalContext: geo },
    authenticationContext: { authenticationStep: 0, externalSessionId: s.session ?? 'unknown', rootSessionId: s.rootSession ?? null },
    securityContext: { asNumber: s.country === 'Netherlands' ? 9009 : 7922, asOrg: s.country === 'Netherlands' ? 'm247 europe srl' : 'comcast cable', isProxy: false },
    debugContext: { debugData },
    outcome: { result: s.result ?? 'SUCCESS', reason: s.reason ?? null },
    target: s.target ?? null,
    request: { ipChain: (s.ipChain ?? [ip]).map((chainIp) => ({ ip: chainIp, version: 'V4', source: null, geographicalContext: geo })) },
    transaction: { type: 'WEB', id: `req${sequence}`, detail: {} },
  };
}

const JANE = 'jane.doe@example.com';
const JANE_ID = '00ujanedoe';
const userTarget = (login: string, id: string) => ({ id, type: 'User', alternateId: login, displayName: login.split('@')[0] });
const SPRAY_IP = '198.51.100.77';

const janeSignIn = oktaEvent({ eventType: 'user.session.start', published: '2026-03-10T08:00:00.000Z', login: JANE, session: '102JaneSession', dtHash: 'dt-jane-laptop' });
const events = [
  // The day before: outside every range asked below.
  oktaEvent({ eventType: 'user.session.start', published: '2026-03-09T23:10:00.000Z', login: JANE, session: '102JaneOld' }),
  // jane: a failure, a sign-in (delivered twice by Okta), an SSO in the same session, an app launched in a child
  // session (rootSessionId), an SSO with no session id but the same device token.
  oktaEvent({ eventType: 'user.session.start', published: '2026-03-10T07:59:00.000Z', login: JANE, result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }),
  janeSignIn,
  { ...janeSignIn, uuid: String(janeSignIn.uuid).toUpperCase() },
  oktaEvent({ eventType: 'user.authentication.sso', published: '2026-03-10T08:05:00.000Z', login: JANE, session: '102JaneSession' }),
  oktaEvent({ eventType: 'user.authentication.sso', published: '2026-03-10T08:06:00.000Z', login: JANE, session: '102JaneChild', rootSession: '102JaneSession' }),
  oktaEvent({ eventType: 'user.authentication.sso', published: '2026-03-10T08:07:00.000Z', login: JANE, session: 'unknown', dtHash: '102JaneSession' }),
  // An admin acts on jane (her user id is JANE_ID, as in her own events): her factors reset, then an admin role granted to her.
  oktaEvent({ eventType: 'user.mfa.factor.reset_all', published: '2026-03-10T09:00:00.000Z', login: 'rosa.admin@example.com', ip: '192.0.2.50', target: [userTarget(JANE, JANE_ID)] }),
  oktaEvent({
    eventType: 'user.account.privilege.grant', published: '2026-03-10T09:01:00.000Z', login: 'rosa.admin@example.com', ip: '192.0.2.50',
    target: [userTarget(JANE, JANE_ID)],
  }),
  // Other admin work, and a policy evaluation that is not a change.
  oktaEvent({
    eventType: 'policy.rule.update', published: '2026-03-10T09:30:00.000Z', login: 'rosa.admin@example.com', ip: '192.0.2.50',
    target: [{ id: '00pSignOn', type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Default Policy', detailEntry: { policyType: 'OktaSignOn' } }, { id: '0prMfa', type: 'PolicyRule', alternateId: '00pSignOn', displayName: 'Require MFA' }],
  }),
  oktaEvent({ eventType: 'zone.delete', published: '2026-03-10T09:31:00.000Z', login: 'rosa.admin@example.com', ip: '192.0.2.50', target: [{ id: 'nzoVpn', type: 'NetworkZone', alternateId: 'unknown', displayName: 'Legacy VPN' }] }),
  oktaEvent({ eventType: 'policy.evaluate_sign_on', published: '2026-03-10T09:32:00.000Z', login: JANE, result: 'ALLOW', target: [{ id: '00pSignOn', type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Default Policy' }] }),
  // A spray from 198.51.100.77 against three users (one of them twice, one through the Identity Engine password
  // step); one of them then signs in from it. Another IP fails once.
  ...['ana@example.com', 'ben@example.com', 'ANA@example.com'].map((login, i) =>
    oktaEvent({ eventType: 'user.session.start', published: `2026-03-10T10:0${i}:00.000Z`, login, ip: SPRAY_IP, country: 'Netherlands', result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }),
  ),
  oktaEvent({ eventType: 'user.authentication.auth_via_mfa', published: '2026-03-10T10:04:00.000Z', login: 'cy@example.com', ip: SPRAY_IP, country: 'Netherlands', result: 'FAILURE', reason: 'INVALID_CREDENTIALS', factor: 'PASSWORD_AS_FACTOR' }),
  oktaEvent({ eventType: 'user.session.start', published: '2026-03-10T10:09:00.000Z', login: 'ben@example.com', ip: SPRAY_IP, country: 'Netherlands', session: '102BenFromSpray' }),
  oktaEvent({ eventType: 'user.session.start', published: '2026-03-10T10:20:00.000Z', login: 'dee@example.com', ip: '203.0.113.9', result: 'FAILURE', reason: 'LOCKED_OUT' }),
  // A request relayed through a proxy: the spraying IP is only in the chain.
  oktaEvent({ eventType: 'user.authentication.sso', published: '2026-03-10T10:30:00.000Z', login: 'eve@example.com', ip: '192.0.2.99', ipChain: ['192.0.2.99', SPRAY_IP] }),
];

let lake: LocalLake;

beforeAll(async () => {
  const spray = parseDetection(
    'detections/okta-password-spray',
    readFileSync('detections/okta-password-spray/detection.yaml', 'utf8'),
    readFileSync('detections/okta-password-spray/query.sql', 'utf8'),
  );
  lake = await LocalLake.temporary({ catalog: [spray], thresholds: { 'okta-password-spray': { min_users: 2 } }, now: () => new Date('2026-03-10T12:00:00Z') });
  const summary = await lake.ingestEvents(events);
  expect(summary.quarantined).toBe(0);
  // Findings for the lake: the spray hour, and the same IP spraying again the next hour.
  await lake.detectHour({ dt: '2026-03-10', hour: '10' });
  await lake.ingestEvents(
    ['fay@example.com', 'gus@example.com'].map((login, i) =>
      oktaEvent({ eventType: 'user.session.start', published: `2026-03-10T11:1${i}:00.000Z`, login, ip: SPRAY_IP, country: 'Netherlands', result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }),
    ),
  );
  await lake.detectHour({ dt: '2026-03-10', hour: '11' });
});

afterAll(() => lake?.close());

async function run(file: string, values: Record<string, SqlValue>): Promise<ResultRow[]> {
  const compiled = compileNamedParams(sqlOf(file));
  return lake.engine.select(compiled.text, bindNamedParams(compiled, values, file));
}

const DAY = { from_dt: '2026-03-10', to_dt: '2026-03-10' };
const uuidsOf = (...evs: Record<string, unknown>[]) => evs.map((e) => String(e.uuid));

describe('investigations on a local lake', () => {
  it('user-timeline: a user by login in any case, as actor and as target, each event once, in time order', async () => {
    const rows = await run('user-timeline.sql', { ...DAY, user: 'JANE.DOE@example.com' });

    expect(rows.map((r) => [r.eventtype, r.role])).toEqual([
      ['user.session.start', 'actor'],
      ['user.session.start', 'actor'],
      ['user.authentication.sso', 'actor'],
      ['user.authentication.sso', 'actor'],
      ['user.authentication.sso', 'actor'],
      ['user.mfa.factor.reset_all', 'target'],
      ['user.account.privilege.grant', 'target'],
      ['policy.evaluate_sign_on', 'actor'],
    ]);
    expect(rows[1]).toMatchObject({ result: 'SUCCESS', session_id: '102JaneSession' });
    expect(String(rows[1]!.uuid).toLowerCase()).toBe(janeSignIn.uuid);
    expect(rows[5]).toMatchObject({ actor: 'rosa.admin@example.com', target_user: JANE });
  });

  it('user-timeline: a user by Okta id finds the same events as by login', async () => {
    const byId = await run('user-timeline.sql', { ...DAY, user: JANE_ID });
    const byLogin = await run('user-timeline.sql', { ...DAY, user: JANE });

    expect(byId.map((r) => [r.eventtype, r.role])).toEqual(byLogin.map((r) => [r.eventtype, r.role]));
    expect(byId).toHaveLength(8);
  });

  it('user-timeline: reads only the days asked for', async () => {
    const rows = await run('user-timeline.sql', { from_dt: '2026-03-09', to_dt: '2026-03-09', user: JANE });

    expect(rows.map((r) => r.session_id)).toEqual(['102JaneOld']);
  });

  it('ip-activity: everything from one IP, including requests relayed through a proxy', async () => {
    const rows = await run('ip-activity.sql', { ...DAY, ip: SPRAY_IP });

    expect(rows.map((r) => [r.actor, r.result, r.via_proxy])).toEqual([
      ['ana@example.com', 'FAILURE', false],
      ['ben@example.com', 'FAILURE', false],
      ['ANA@example.com', 'FAILURE', false],
      ['cy@example.com', 'FAILURE', false],
      ['ben@example.com', 'SUCCESS', false],
      ['eve@example.com', 'SUCCESS', true],
      ['fay@example.com', 'FAILURE', false],
      ['gus@example.com', 'FAILURE', false],
    ]);
    expect(rows[0]).toMatchObject({ country: 'Netherlands', as_number: 9009, as_org: 'm247 europe srl' });
    expect(await run('ip-activity.sql', { ...DAY, ip: '198.51.100.7' })).toEqual([]);
  });

  it('session-events: a session by external session id, root session id or device token hash', async () => {
    const rows = await run('session-events.sql', { ...DAY, session_id: '102JaneSession' });

    expect(rows.map((r) => [r.eventtype, r.matched_by])).toEqual([
      ['user.session.start', 'externalsessionid'],
      ['user.authentication.sso', 'externalsessionid'],
      ['user.authentication.sso', 'rootsessionid'],
      ['user.authentication.sso', 'dthash'],
    ]);
    expect(String(rows[0]!.uuid).toLowerCase()).toBe(janeSignIn.uuid);
  });

  it('admin-changes: privilege, factor, policy and zone changes, newest first, without policy evaluations', async () => {
    const rows = await run('admin-changes.sql', DAY);

    expect(rows.map((r) => [r.area, r.eventtype, r.actor, r.target_name])).toEqual([
      ['network zone', 'zone.delete', 'rosa.admin@example.com', 'Legacy VPN'],
      ['policy', 'policy.rule.update', 'rosa.admin@example.com', 'Default Policy'],
      ['privilege', 'user.account.privilege.grant', 'rosa.admin@example.com', JANE],
      ['factor', 'user.mfa.factor.reset_all', 'rosa.admin@example.com', JANE],
    ]);
    expect(rows[1]!.second_target).toBe('Require MFA');
  });

  it('failed-sign-ins-by-ip: users and failures per IP, most users first, and who then signed in', async () => {
    const rows = await run('failed-sign-ins-by-ip.sql', DAY);

    expect(rows.map((r) => [r.ip, r.users, r.failures, r.users_then_signed_in])).toEqual([
      [SPRAY_IP, 5, 6, 1],
      ['203.0.113.9', 1, 1, 0],
      ['73.22.41.10', 1, 1, 1],
    ]);
    expect(rows[0]).toMatchObject({ country: 'Netherlands', as_org: 'm247 europe srl', reasons: '["INVALID_CREDENTIALS"]' });
    expect(rows[2]).toMatchObject({ reasons: '["INVALID_CREDENTIALS"]' });
  });

  it('latest-findings: the findings of the runs, newest first', async () => {
    const rows = await run('latest-findings.sql', DAY);

    expect(rows.map((r) => [r.detection, r.entity_id, r.run, r.event_count])).toEqual([
      ['okta-password-spray', SPRAY_IP, 'hourly-11', 2],
      ['okta-password-spray', SPRAY_IP, 'hourly-10', 5],
    ]);
    expect(rows[1]).toMatchObject({ severity: 'HIGH', entity_type: 'ip' });
    expect(await run('latest-findings.sql', { from_dt: '2026-03-11', to_dt: '2026-03-11' })).toEqual([]);
  });

  it('counts an event Okta delivered twice once', async () => {
    const rows = await run('user-timeline.sql', { ...DAY, user: JANE });

    expect(rows.filter((r) => String(r.uuid).toLowerCase() === uuidsOf(janeSignIn)[0])).toHaveLength(1);
  });
});
