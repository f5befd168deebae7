/**
 * refresh-user: one user's activity for today so far and the daily checks for them alone, now; the user is
 * validated before any SQL runs and only ever passed as a parameter; one current row per user and day.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDetection, type Detection } from '../../core/catalog.ts';
import { readActivity } from '../../core/daily.ts';
import { InvalidUserError, parseUserRef, refreshRunName, refreshUser } from '../../core/refresh-user.ts';
import type { SqlParam, SqlQuery } from '../../engines/sql-values.ts';
import type { QueryEngine } from '../../engines/query-engine.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import type { TableDef } from '../../schema/types.ts';

const loadDetection = (id: string): Detection => {
  const dir = join('detections', id);
  return { ...parseDetection(dir, readFileSync(join(dir, 'detection.yaml'), 'utf8'), readFileSync(join(dir, 'query.sql'), 'utf8')), dir };
};
const dailyCatalog = [loadDetection('okta-new-country-for-user'), loadDetection('okta-dormant-account-active')];

interface User {
  readonly id: string;
  readonly login: string;
}
const carol: User = { id: '00u1carol0000000000c', login: 'carol@example.com' };
const erin: User = { id: '00u1erin00000000000e', login: 'erin@example.com' };
const obrien: User = { id: '00u1obrien000000000o', login: "o'brien@example.com" };

const IPS = { Netherlands: '198.51.100.10', Brazil: '203.0.113.30' } as const;
let seq = 0;
const signIn = (user: User, published: string, country: keyof typeof IPS) => {
  seq += 1;
  return {
    uuid: `5b0e3c2a-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    published,
    eventType: 'user.session.start',
    version: '0',
    severity: 'INFO',
    displayMessage: 'User login to Okta',
    actor: { id: user.id, type: 'User', alternateId: user.login, displayName: user.login.split('@')[0] },
    client: {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh) Safari/605.1.15', os: 'Mac OS X', browser: 'SAFARI' },
      zone: 'null',
      device: 'Computer',
      ipAddress: IPS[country],
      geographicalContext: { city: country === 'Brazil' ? 'Sao Paulo' : 'Amsterdam', country, geolocation: { lat: 1.5, lon: 2.5 } },
    },
    authenticationContext: { externalSessionId: `idx${seq}`, authenticationStep: 0 },
    securityContext: { asNumber: country === 'Brazil' ? 28573 : 1136, asOrg: 'ISP', isp: 'ISP', domain: 'example.net', isProxy: false },
    debugContext: { debugData: { requestId: `req${seq}` } },
    outcome: { result: 'SUCCESS', reason: null },
    target: [],
  };
};

const TODAY = '2026-04-08';
/** Two users with Dutch history; today both sign in from Brazil. */
const history = () => [
  signIn(carol, '2026-04-01T08:00:00.000Z', 'Netherlands'),
  signIn(erin, '2026-04-02T08:00:00.000Z', 'Netherlands'),
  signIn(obrien, '2026-04-03T08:00:00.000Z', 'Netherlands'),
  signIn(carol, `${TODAY}T07:00:00.000Z`, 'Brazil'),
  signIn(carol, `${TODAY}T07:30:00.000Z`, 'Brazil'),
  signIn(erin, `${TODAY}T08:00:00.000Z`, 'Brazil'),
  signIn(obrien, `${TODAY}T08:30:00.000Z`, 'Brazil'),
];

const lakes: LocalLake[] = [];
afterEach(() => {
  for (const lake of lakes.splice(0)) lake.close();
});
/** A lake whose clock can be moved, holding the history above, each past day snapshotted. */
async function lakeWithHistory() {
  const clock = { now: new Date(`${TODAY}T09:00:00.000Z`) };
  const lake = await LocalLake.temporary({ catalog: dailyCatalog, now: () => clock.now });
  lakes.push(lake);
  await lake.ingestEvents(history());
  for (const day of ['2026-04-01', '2026-04-02', '2026-04-03']) await lake.snapshotDay(day);
  return { lake, clock };
}
const rawRows = (lake: LocalLake, day: string, userId: string) =>
  lake.engine.select(`select login, sign_ins, batch, computed_at from activity where dt = ? and user_id = ? order by batch`, [day, userId]);

/** An engine that records every call and answers none. */
class RecordingEngine implements QueryEngine {
  readonly calls: string[] = [];
  async select(sql: string, _params: readonly SqlParam[]): Promise<never> {
    this.calls.push(`select ${sql}`);
    throw new Error('no SQL may run');
  }
  async replacePartition(table: TableDef, _p: Readonly<Record<string, string>>, selects: readonly SqlQuery[]): Promise<void> {
    this.calls.push(`replacePartition ${table.name} ${selects.map((q) => q.sql).join(' ')}`);
    throw new Error('no SQL may run');
  }
  async clearPartitions(table: TableDef): Promise<void> {
    this.calls.push(`clearPartitions ${table.name}`);
    throw new Error('no SQL may run');
  }
  async writeRows(table: TableDef): Promise<void> {
    this.calls.push(`writeRows ${table.name}`);
    throw new Error('no rows may be written');
  }
}

describe('refresh-user', () => {
  it("writes one user's activity for today so far and runs the daily checks for that user alone", async () => {
    // Prepare
    const { lake } = await lakeWithHistory();

    // Act
    const result = await lake.refreshUser('Carol@Example.com');

    // Assess
    const run = `refresh-${createHash('sha256').update(carol.id).digest('hex').slice(0, 16)}`;
    expect(result).toMatchObject({ found: true, day: TODAY, user_id: carol.id, login: carol.login, run });
    expect(result.activity).toMatchObject({ user_id: carol.id, sign_ins: 2, countries: ['Brazil'], dt: TODAY, batch: run });
    expect(result.findings.map((f) => [f.detection, f.entity.id, f.dt, f.run])).toEqual([['okta-new-country-for-user', carol.login, TODAY, run]]);
    expect(result.newFindings.map((f) => f.finding_id)).toEqual(result.findings.map((f) => f.finding_id));
    // Erin also signed in from Brazil today, but nobody refreshed her: no row, no finding.
    expect((await readActivity(lake.engine, { fromDt: TODAY, toDt: TODAY })).map((r) => r.login)).toEqual([carol.login]);
  });

  it('resolves a user id as well as a login, to the same user and run', async () => {
    // Prepare
    const { lake } = await lakeWithHistory();

    // Act
    const byId = await lake.refreshUser(carol.id);

    // Assess
    expect(byId).toMatchObject({ found: true, user_id: carol.id, login: carol.login, run: refreshRunName(carol.id) });
    expect(byId.findings).toHaveLength(1);
  });

  it('re-running a refresh replaces its row and does not report its findings as new again', async () => {
    // Prepare
    const { lake, clock } = await lakeWithHistory();
    const first = await lake.refreshUser(carol.login);
    clock.now = new Date(`${TODAY}T10:00:00.000Z`);

    // Act
    const second = await lake.refreshUser(carol.login);

    // Assess
    expect(second.findings.map((f) => f.finding_id)).toEqual(first.findings.map((f) => f.finding_id));
    expect(second.newFindings).toEqual([]);
    expect(await rawRows(lake, TODAY, carol.id)).toEqual([{ login: carol.login, sign_ins: 2, batch: first.run, computed_at: `${TODAY} 10:00:00` }]);
  });

  it('leaves exactly one row for the user and day after a refresh and then the nightly snapshot, each re-run idempotent', async () => {
    // Prepare
    const { lake, clock } = await lakeWithHistory();
    const refreshed = await lake.refreshUser(carol.login);
    clock.now = new Date('2026-04-09T00:30:00.000Z');

    // Act
    const nightly = await lake.snapshotDay(TODAY);
    const nightlyAgain = await lake.snapshotDay(TODAY);

    // Assess: the nightly row superseded the refresh batch, and its finding keeps the id already notified.
    expect(await rawRows(lake, TODAY, carol.id)).toEqual([{ login: carol.login, sign_ins: 2, batch: 'daily', computed_at: '2026-04-09 00:30:00' }]);
    const carolNightly = nightly.findings.filter((f) => f.entity.id === carol.login);
    expect(carolNightly.map((f) => f.finding_id)).toEqual(refreshed.findings.map((f) => f.finding_id));
    expect(nightly.newFindings.map((f) => f.entity.id).sort()).toEqual([erin.login, obrien.login]);
    expect(nightlyAgain.newFindings).toEqual([]);
    expect(nightlyAgain.findings.map((f) => f.finding_id)).toEqual(nightly.findings.map((f) => f.finding_id));

  });

  it('shows readers one current row when a refresh follows a snapshot of the same day, the latest', async () => {
    // Prepare: today snapshotted by hand at noon, then the user refreshed an hour later.
    const { lake, clock } = await lakeWithHistory();
    clock.now = new Date(`${TODAY}T12:00:00.000Z`);
    await lake.snapshotDay(TODAY);
    clock.now = new Date(`${TODAY}T13:00:00.000Z`);

    // Act
    const refreshed = await lake.refreshUser(carol.login);

    // Assess
    expect((await rawRows(lake, TODAY, carol.id)).map((r) => r.batch)).toEqual(['daily', refreshed.run]);
    const current = await readActivity(lake.engine, { fromDt: TODAY, toDt: TODAY });
    expect(current.map((r) => [r.login, r.batch, r.computed_at])).toEqual([
      [carol.login, refreshed.run, `${TODAY}T13:00:00.000Z`],
      [erin.login, 'daily', `${TODAY}T12:00:00.000Z`],
      [obrien.login, 'daily', `${TODAY}T12:00:00.000Z`],
    ]);
    expect(refreshed.activity).toMatchObject({ batch: refreshed.run, computed_at: `${TODAY}T13:00:00.000Z` });
  });

  it('passes a login with a quote as a parameter, never as SQL text', async () => {
    // Prepare
    const { lake } = await lakeWithHistory();
    const sqlSeen: string[] = [];
    const engine: QueryEngine = {
      select: (sql, params) => (sqlSeen.push(sql), lake.engine.select(sql, params)),
      replacePartition: (t, p, selects) => (sqlSeen.push(...selects.map((q) => q.sql)), lake.engine.replacePartition(t, p, selects)),
      clearPartitions: (t, w, k) => lake.engine.clearPartitions(t, w, k),
      writeRows: (t, p, rows) => lake.engine.writeRows(t, p, rows),
    };

    // Act
    const result = await refreshUser({ engine, catalog: lake.catalog, thresholds: lake.thresholds, user: obrien.login, now: lake.now });

    // Assess
    expect(result).toMatchObject({ found: true, user_id: obrien.id, login: obrien.login });
    expect(result.findings.map((f) => f.entity.id)).toEqual([obrien.login]);
    expect(sqlSeen.length).toBeGreaterThan(2);
    for (const sql of sqlSeen) expect(sql.toLowerCase()).not.toContain('brien');
  });

  it('finds nobody for a login the lake does not know, and writes nothing', async () => {
    // Prepare
    const { lake } = await lakeWithHistory();

    // Act
    const result = await lake.refreshUser('nobody@example.com');

    // Assess
    expect(result).toMatchObject({ found: false, user: 'nobody@example.com', user_id: null, activity: null, findings: [], newFindings: [] });
    expect(await lake.engine.select(`select count(*) as n from activity where dt = ?`, [TODAY])).toEqual([{ n: 0 }]);
    expect(await lake.engine.select(`select count(*) as n from findings where dt = ?`, [TODAY])).toEqual([{ n: 0 }]);
  });

  it.each([
    "x' OR '1'='1",
    "carol@example.com' OR '1'='1",
    'carol@example.com; drop table activity',
    ' carol@example.com',
    'carol',
    'carol@localhost',
    '00u',
    '00u1carol0000000000c OR 1=1',
    '',
    `${'a'.repeat(250)}@example.com`,
  ])('rejects %j with a clear error before any SQL runs', async (bad) => {
    // Prepare
    const engine = new RecordingEngine();

    // Act
    const attempt = refreshUser({ engine, catalog: dailyCatalog, thresholds: new Map(), user: bad, now: () => new Date(`${TODAY}T09:00:00Z`) });

    // Assess
    await expect(attempt).rejects.toThrow(InvalidUserError);
    await expect(attempt).rejects.toThrow(/neither an Okta user id .* nor a login in e-mail form/);
    expect(engine.calls).toEqual([]);
  });

  it('through the local lake, the injection string finds nobody and writes nothing', async () => {
    // Prepare
    const { lake } = await lakeWithHistory();

    // Act
    const attempt = lake.refreshUser("x' OR '1'='1");

    // Assess
    await expect(attempt).rejects.toThrow(/"x' OR '1'='1" is neither an Okta user id/);
    expect(await lake.engine.select(`select count(*) as n from activity where dt = ?`, [TODAY])).toEqual([{ n: 0 }]);
  });

  it('accepts Okta user ids and e-mail logins', () => {
    expect(parseUserRef('00u1a2b3c4d5e6f7g8h9')).toEqual({ kind: 'id', value: '00u1a2b3c4d5e6f7g8h9' });
    expect(parseUserRef('jane.doe+okta@mail.example.co.uk')).toEqual({ kind: 'login', value: 'jane.doe+okta@mail.example.co.uk' });
    expect(parseUserRef("o'brien@example.com").kind).toBe('login');
  });
});
